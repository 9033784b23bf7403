// SIC against k-means on synthetic CLIP-like embeddings (tests/sic/sicsynthetic.h) where a
// nuisance (look) dominates Euclidean distance while the class direction is the one the noun
// texts share. Prints ACC/NMI/ARI and wall time of both, side by side.
//   bench_sic                                   10 classes x 1,000 images, 512-d, 5,000 nouns
//   bench_sic --per-class 5000 --nouns 82113    the speed target: 50,000 x 512, K = 10
// Data flags: --scenario look|clip|imbalanced|close|anisotropic (sicsynthetic.h, applyScenario)
//   --classes C --styles S --dims D --seed N --class-weight X --style-weight X --hub-spread X
//   --sic-seed N (SIC's own seed; --seed sets the data's and, without this, SIC's)
//   --text-class-weight X --image-noise X --size-ratio R --close-cosine C --anisotropy A
// SIC flags: --candidates H (robust SIC; 1 = a single run) --prune-epoch E --prune-keep M (0: no pruning)
//   --center-init --image-only --lr X
//   --max-epochs E --ce-weight B --entropy-weight L --no-kmeans --no-sic
//   --exact-knn-rows N (above N rows the CPU's neighbour graph is approximate; 0: always)
//   --training-rows N (above N rows, or 500 per class, the heads train on a sample; 0: on all rows)
//   --fp32 (training's products in fp32 even where the CPU multiplies bf16 natively)
//   Every candidate is listed with its ACC and label-free scores; * marks the one kept.
// --spread N: single runs with seeds 0..N-1 against the robust default (seed 0), each from cold,
//   with the time ratio; bench/sic/robust.sh runs it on every scenario.
// --save DIR: also write the set as clade-cli's inputs (images.npy, texts.npy, nouns.txt,
//   truth.txt) for `clade-cli sic` and `clade-cli score`; with --no-kmeans --no-sic only that.
// --repartition K2: afterwards run SIC again with K2 on the same embeddings through a SicCache
//   (the re-partition path) and print its time; e.g. --per-class 500 --nouns 6271 --repartition 12

#include "cluster/kmeans.h"
#include "cluster/metrics.h"
#include "io/npy.h"
#include "sic/sic.h"
#include "sic/siccache.h"
#include "sicsynthetic.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <utility>

using namespace clade;

namespace {

int flag(const QStringList &args, const QString &name, int fallback)
{
    const int at = int(args.indexOf(name));
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
}

double realFlag(const QStringList &args, const QString &name, double fallback)
{
    const int at = int(args.indexOf(name));
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toDouble() : fallback;
}

void printScores(QTextStream &out, const char *method, const std::vector<int> &truth, const std::vector<int> &labels, double seconds,
                 const QString &note)
{
    const auto s = scoreClustering(truth, labels);
    out << QString::asprintf("%-22s ACC %.4f  NMI %.4f  ARI %.4f  %7.2f s  ", method, s.acc, s.nmi, s.ari, seconds) << note << Qt::endl;
}

// Single runs (one candidate) with seeds 0..seeds-1 against the robust default with seed 0, each
// from cold (k-means and kNN graph included), and the time ratio of the robust run to the mean
// single run.
int spread(QTextStream &out, const test::SicSynthetic &data, SicParams params, bool imageOnly, int seeds, const QString &scenario)
{
    const FeatureMatrix *texts = imageOnly ? nullptr : &data.texts;
    const QStringList *nouns = imageOnly ? nullptr : &data.nouns;
    const int robustCandidates = params.candidates;
    QElapsedTimer timer;
    std::vector<double> accs;
    double singleSeconds = 0;
    params.candidates = 1;
    for (int seed = 0; seed < seeds; ++seed) {
        params.seed = std::uint64_t(seed);
        timer.start();
        auto run = runSic(data.images, texts, nouns, params);
        if (!run) {
            std::fprintf(stderr, "SIC failed: %s\n", qPrintable(run.error()));
            return 1;
        }
        singleSeconds += timer.elapsed() / 1000.0;
        accs.push_back(scoreClustering(data.truth, run->labels).acc);
    }
    params.candidates = robustCandidates;
    params.seed = 0;
    timer.start();
    auto robust = runSic(data.images, texts, nouns, params);
    if (!robust) {
        std::fprintf(stderr, "SIC failed: %s\n", qPrintable(robust.error()));
        return 1;
    }
    const double robustSeconds = timer.elapsed() / 1000.0;
    double best = 0;
    for (const auto &labels : robust->candidateLabels)
        best = std::max(best, scoreClustering(data.truth, labels).acc);
    const double acc = scoreClustering(data.truth, robust->labels).acc;
    QStringList single;
    for (double a : accs)
        single << QString::number(a, 'f', 3);
    const double mean = singleSeconds / seeds;
    out << QString::asprintf("%-12s single runs, seeds 0-%d: ACC %s (min %.3f, max %.3f), %.2f s each on average\n", qPrintable(scenario),
                             seeds - 1, qPrintable(single.join(QLatin1Char('/'))), *std::min_element(accs.begin(), accs.end()),
                             *std::max_element(accs.begin(), accs.end()), mean)
        << QString::asprintf("%-12s robust default (%d candidates, seed 0): ACC %.3f, best candidate %.3f (%s), "
                             "%.2f s = %.2fx a single run\n",
                             qPrintable(scenario), int(robust->candidates.size()), acc, best,
                             acc >= best - 0.01 ? "within 0.01" : "MISSED by more than 0.01", robustSeconds, robustSeconds / mean);
    return 0;
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    test::SicSyntheticSpec spec;
    spec.classes = flag(args, QStringLiteral("--classes"), 10);
    spec.styles = flag(args, QStringLiteral("--styles"), 2);
    spec.imagesPerClass = flag(args, QStringLiteral("--per-class"), 1000);
    spec.dims = flag(args, QStringLiteral("--dims"), 512);
    spec.nounsPerClass = 30;
    spec.genericNouns = 200;
    const int nouns = flag(args, QStringLiteral("--nouns"), 5000);
    spec.distractorNouns = std::max(0, nouns - spec.classes * spec.nounsPerClass - spec.genericNouns);
    spec.seed = unsigned(flag(args, QStringLiteral("--seed"), 1));
    // Scenarios (robust SIC): tests/sic/sicsynthetic.h, applyScenario.
    const int scenarioAt = int(args.indexOf(QStringLiteral("--scenario")));
    const QString scenario = scenarioAt >= 0 && scenarioAt + 1 < args.size() ? args.at(scenarioAt + 1) : QStringLiteral("look");
    if (!test::applyScenario(scenario, spec)) {
        std::fprintf(stderr, "unknown scenario %s (look, clip, imbalanced, close, anisotropic)\n", qPrintable(scenario));
        return 2;
    }
    spec.classWeight = float(realFlag(args, QStringLiteral("--class-weight"), spec.classWeight));
    spec.styleWeight = float(realFlag(args, QStringLiteral("--style-weight"), spec.styleWeight));
    spec.hubSpread = float(realFlag(args, QStringLiteral("--hub-spread"), spec.hubSpread));
    spec.textClassWeight = float(realFlag(args, QStringLiteral("--text-class-weight"), spec.textClassWeight));
    spec.sizeRatio = float(realFlag(args, QStringLiteral("--size-ratio"), spec.sizeRatio));
    spec.closeCosine = float(realFlag(args, QStringLiteral("--close-cosine"), spec.closeCosine));
    spec.anisotropy = float(realFlag(args, QStringLiteral("--anisotropy"), spec.anisotropy));
    spec.imageNoise = float(realFlag(args, QStringLiteral("--image-noise"), spec.imageNoise));
    QTextStream out(stdout);
    const auto data = test::makeSicSynthetic(spec);
    out << "data: " << data.images.rows << " images x " << data.images.cols << ", " << data.nouns.size() << " nouns, " << spec.classes
        << " classes, " << spec.styles << " nuisance directions (weight " << spec.styleWeight << " vs class " << spec.classWeight
        << ", hub spread " << spec.hubSpread << ")" << Qt::endl;

    // --save DIR: the set as clade-cli's inputs (images.npy, texts.npy, nouns.txt, truth.txt), so
    // that `clade-cli sic` and `clade-cli score` can be timed and scored on it.
    if (const int saveAt = int(args.indexOf(QStringLiteral("--save"))); saveAt >= 0 && saveAt + 1 < args.size()) {
        const QDir dir(args.at(saveAt + 1));
        if (!dir.mkpath(QStringLiteral(".")))
            return 1;
        for (const auto &[name, matrix] : {std::pair{"images.npy", &data.images}, std::pair{"texts.npy", &data.texts}}) {
            if (auto written = writeNpy(dir.filePath(QLatin1String(name)), *matrix); !written) {
                std::fprintf(stderr, "%s\n", qPrintable(written.error()));
                return 1;
            }
        }
        QFile nounFile(dir.filePath(QStringLiteral("nouns.txt")));
        QFile truthFile(dir.filePath(QStringLiteral("truth.txt")));
        if (!nounFile.open(QIODevice::WriteOnly | QIODevice::Truncate) || !truthFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 1;
        QTextStream nounOut(&nounFile);
        for (const QString &noun : data.nouns)
            nounOut << noun << '\n';
        QTextStream truthOut(&truthFile);
        for (const int c : data.truth)
            truthOut << c << '\n';
        out << "saved to " << dir.absolutePath() << Qt::endl;
    }

    QElapsedTimer timer;
    if (!args.contains(QStringLiteral("--no-kmeans"))) {
        KMeansOptions km;
        km.k = spec.classes;
        km.restarts = 20;
        km.seed = spec.seed;
        timer.start();
        auto base = kmeans(data.images, km);
        if (!base) {
            std::fprintf(stderr, "k-means failed: %s\n", qPrintable(base.error()));
            return 1;
        }
        printScores(out, "k-means (20 restarts)", data.truth, base->labels, timer.elapsed() / 1000.0, QString());
    }

    if (args.contains(QStringLiteral("--no-sic")))
        return 0;
    SicParams params = defaultSicParams(spec.classes);
    params.seed = std::uint64_t(flag(args, QStringLiteral("--sic-seed"), int(spec.seed)));   // --seed sets both
    params.centerInit = args.contains(QStringLiteral("--center-init"));
    params.learningRate = realFlag(args, QStringLiteral("--lr"), params.learningRate);
    params.maxEpochs = flag(args, QStringLiteral("--max-epochs"), params.maxEpochs);
    params.ceWeight = realFlag(args, QStringLiteral("--ce-weight"), params.ceWeight);
    params.entropyWeight = realFlag(args, QStringLiteral("--entropy-weight"), params.entropyWeight);
    params.candidates = flag(args, QStringLiteral("--candidates"), params.candidates);
    params.pruneEpoch = flag(args, QStringLiteral("--prune-epoch"), params.pruneEpoch);
    params.pruneKeep = flag(args, QStringLiteral("--prune-keep"), params.pruneKeep);
    params.exactKnnRows = flag(args, QStringLiteral("--exact-knn-rows"), int(params.exactKnnRows));
    params.trainingRows = flag(args, QStringLiteral("--training-rows"), int(params.trainingRows));
    params.allowBf16 = !args.contains(QStringLiteral("--fp32"));
    const bool imageOnly = args.contains(QStringLiteral("--image-only"));
    if (const int seeds = flag(args, QStringLiteral("--spread"), 0); seeds > 0)
        return spread(out, data, params, imageOnly, seeds, scenario);
    QString lastStage;
    Progress progress([&](const QString &stage, qint64 done, qint64 total) {
        const QString head = stage.section(QLatin1Char(','), 0, 0);
        if (head != lastStage || done == total)
            QTextStream(stderr) << QString::asprintf("  [%6.1f s] %s %lld/%lld\n", timer.elapsed() / 1000.0, qPrintable(stage), done,
                                                     total);
        lastStage = head;
    });
    timer.restart();
    // The cache keeps a copy of the features: only for --repartition, so that peak RSS is a plain run's.
    const int repartition = flag(args, QStringLiteral("--repartition"), 0);
    SicCache cache;
    auto sic = runSic(data.images, imageOnly ? nullptr : &data.texts, imageOnly ? nullptr : &data.nouns, params, &progress,
                      repartition > 0 ? &cache : nullptr);
    if (!sic) {
        std::fprintf(stderr, "SIC failed: %s\n", qPrintable(sic.error()));
        return 1;
    }
    printScores(out, sic->semantic ? "SIC" : "SIC (image-only)", data.truth, sic->labels, timer.elapsed() / 1000.0,
                QStringLiteral("%1 epochs on %2, %3 neighbour graph, |T| = %4; %5")
                    .arg(sic->epochs)
                    .arg(sic->device)
                    .arg(sic->neighbourGraph)
                    .arg(sic->semanticSpaceSize)
                    .arg(sic->stopReason));
    for (std::size_t i = 0; i < sic->candidates.size(); ++i) {
        const auto &c = sic->candidates[i];
        const auto s = scoreClustering(data.truth, sic->candidateLabels[i]);
        out << QString::asprintf("   %s candidate %zu %-14s ACC %.4f  leak %.4f  sem %.4f  crit %.4f  emptied %d  epochs %d\n",
                                 int(i) == sic->chosen ? "*" : " ", i, qPrintable(c.kind), s.acc, c.leakage, c.semanticAgreement,
                                 c.criterion, c.emptied, c.epochs);
    }
    for (std::size_t j = 0; j < std::min<std::size_t>(3, sic->names.size()); ++j) {
        out << "  cluster " << j << ":";
        for (const auto &n : sic->names[j])
            out << " " << n.noun << QString::asprintf(" (%.3f)", n.score);
        out << Qt::endl;
    }
    if (const int k2 = repartition; k2 > 0) {
        params.k = k2;
        timer.restart();
        auto again = runSic(data.images, imageOnly ? nullptr : &data.texts, imageOnly ? nullptr : &data.nouns, params, &progress, &cache);
        if (!again) {
            std::fprintf(stderr, "SIC failed: %s\n", qPrintable(again.error()));
            return 1;
        }
        out << QString::asprintf("re-partition to K = %d: %.2f s (kNN graph %s), %d epochs; %s", k2, timer.elapsed() / 1000.0,
                                 again->reused ? "reused" : "recomputed", again->epochs, qPrintable(again->stopReason))
            << Qt::endl;
    }
    return 0;
}
