// SIC against k-means on synthetic CLIP-like embeddings (tests/sic/sicsynthetic.h) where a
// nuisance (look) dominates Euclidean distance while the class direction is the one the noun
// texts share. Prints ACC/NMI/ARI and wall time of both, side by side.
//   bench_sic                                   10 classes x 1,000 images, 512-d, 5,000 nouns
//   bench_sic --per-class 5000 --nouns 82113    the speed target: 50,000 x 512, K = 10
// Data flags: --classes C --styles S --dims D --seed N --class-weight X --style-weight X
//   --hub-spread X --text-class-weight X
// SIC flags: --center-init --image-only --lr X --max-epochs E --ce-weight B --entropy-weight L
//   --no-kmeans --no-sic
// --repartition K2: afterwards run SIC again with K2 on the same embeddings through a SicCache
//   (the re-partition path) and print its time; e.g. --per-class 500 --nouns 6271 --repartition 12

#include "cluster/kmeans.h"
#include "cluster/metrics.h"
#include "sic/sic.h"
#include "sic/siccache.h"
#include "sicsynthetic.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

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

void printScores(QTextStream &out, const char *method, const std::vector<int> &truth, const std::vector<int> &labels,
                 double seconds, const QString &note)
{
    const auto s = scoreClustering(truth, labels);
    out << QString::asprintf("%-22s ACC %.4f  NMI %.4f  ARI %.4f  %7.2f s  ", method, s.acc, s.nmi, s.ari, seconds)
        << note << Qt::endl;
}

} // namespace

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
    spec.classWeight = float(realFlag(args, QStringLiteral("--class-weight"), spec.classWeight));
    spec.styleWeight = float(realFlag(args, QStringLiteral("--style-weight"), spec.styleWeight));
    spec.hubSpread = float(realFlag(args, QStringLiteral("--hub-spread"), spec.hubSpread));
    spec.textClassWeight = float(realFlag(args, QStringLiteral("--text-class-weight"), spec.textClassWeight));
    QTextStream out(stdout);
    const auto data = test::makeSicSynthetic(spec);
    out << "data: " << data.images.rows << " images x " << data.images.cols << ", " << data.nouns.size()
        << " nouns, " << spec.classes << " classes, " << spec.styles << " nuisance directions (weight "
        << spec.styleWeight << " vs class " << spec.classWeight << ", hub spread " << spec.hubSpread << ")" << Qt::endl;

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
    params.seed = spec.seed;
    params.centerInit = args.contains(QStringLiteral("--center-init"));
    params.learningRate = realFlag(args, QStringLiteral("--lr"), params.learningRate);
    params.maxEpochs = flag(args, QStringLiteral("--max-epochs"), params.maxEpochs);
    params.ceWeight = realFlag(args, QStringLiteral("--ce-weight"), params.ceWeight);
    params.entropyWeight = realFlag(args, QStringLiteral("--entropy-weight"), params.entropyWeight);
    const bool imageOnly = args.contains(QStringLiteral("--image-only"));
    QString lastStage;
    Progress progress([&](const QString &stage, qint64 done, qint64 total) {
        const QString head = stage.section(QLatin1Char(','), 0, 0);
        if (head != lastStage || done == total)
            QTextStream(stderr) << QString::asprintf("  [%6.1f s] %s %lld/%lld\n", timer.elapsed() / 1000.0,
                                                     qPrintable(stage), done, total);
        lastStage = head;
    });
    timer.restart();
    SicCache cache;
    auto sic = runSic(data.images, imageOnly ? nullptr : &data.texts, imageOnly ? nullptr : &data.nouns, params,
                      &progress, &cache);
    if (!sic) {
        std::fprintf(stderr, "SIC failed: %s\n", qPrintable(sic.error()));
        return 1;
    }
    printScores(out, sic->semantic ? "SIC" : "SIC (image-only)", data.truth, sic->labels, timer.elapsed() / 1000.0,
                QStringLiteral("%1 epochs on %2, |T| = %3; %4").arg(sic->epochs).arg(sic->device)
                    .arg(sic->semanticSpaceSize).arg(sic->stopReason));
    for (std::size_t j = 0; j < std::min<std::size_t>(3, sic->names.size()); ++j) {
        out << "  cluster " << j << ":";
        for (const auto &n : sic->names[j])
            out << " " << n.noun << QString::asprintf(" (%.3f)", n.score);
        out << Qt::endl;
    }
    if (const int k2 = flag(args, QStringLiteral("--repartition"), 0); k2 > 0) {
        params.k = k2;
        timer.restart();
        auto again = runSic(data.images, imageOnly ? nullptr : &data.texts, imageOnly ? nullptr : &data.nouns,
                            params, &progress, &cache);
        if (!again) {
            std::fprintf(stderr, "SIC failed: %s\n", qPrintable(again.error()));
            return 1;
        }
        out << QString::asprintf("re-partition to K = %d: %.2f s (kNN graph %s), %d epochs; %s", k2,
                                 timer.elapsed() / 1000.0, again->reused ? "reused" : "recomputed", again->epochs,
                                 qPrintable(again->stopReason))
            << Qt::endl;
    }
    return 0;
}
