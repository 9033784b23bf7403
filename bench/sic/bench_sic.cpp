// SIC against k-means on synthetic embeddings where a nuisance direction (style) dominates
// Euclidean distance while the class direction is the one the noun texts share.
// Prints ACC/NMI/ARI and wall time of both, side by side.
//   bench_sic                                   10 classes x 1,000 images, 512-d, 5,000 nouns
//   bench_sic --per-class 5000 --nouns 82113    the speed target: 50,000 x 512, K = 10
// Other flags: --classes C --styles S --dims D --seed N --center-init --image-only --lr X --max-epochs E --ce-weight B --no-kmeans

#include "cluster/kmeans.h"
#include "cluster/metrics.h"
#include "sic/sic.h"
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
    QTextStream out(stdout);
    const auto data = test::makeSicSynthetic(spec);
    out << "data: " << data.images.rows << " images x " << data.images.cols << ", " << data.nouns.size()
        << " nouns, " << spec.classes << " classes, " << spec.styles << " nuisance directions (scale "
        << spec.styleScale << " vs class " << spec.classScale << ")" << Qt::endl;

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

    SicParams params = defaultSicParams(spec.classes);
    params.seed = spec.seed;
    params.centerInit = args.contains(QStringLiteral("--center-init"));
    if (const int at = int(args.indexOf(QStringLiteral("--lr"))); at >= 0 && at + 1 < args.size())
        params.learningRate = args.at(at + 1).toDouble();
    params.maxEpochs = flag(args, QStringLiteral("--max-epochs"), params.maxEpochs);
    if (const int at = int(args.indexOf(QStringLiteral("--ce-weight"))); at >= 0 && at + 1 < args.size())
        params.ceWeight = args.at(at + 1).toDouble();
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
    auto sic = runSic(data.images, imageOnly ? nullptr : &data.texts, imageOnly ? nullptr : &data.nouns, params,
                      &progress);
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
    return 0;
}
