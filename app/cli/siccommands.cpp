#include "siccommands.h"

#include "commandline.h"
#include "output.h"
#include "sicoptions.h"
#include "cluster/kmeans.h"
#include "cluster/metrics.h"
#include "io/labels.h"
#include "io/npy.h"
#include "sic/sic.h"
#include "vocab/wordnetvocabulary.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <functional>
#include <limits>
#include <vector>

namespace clade::cli {

namespace {

QCommandLineOption valueOption(const QString &name, const QString &help)
{
    return QCommandLineOption(name, help, QStringLiteral("value"));
}

QString checkOutput(const QString &path, bool force)
{
    if (QFileInfo::exists(path) && !force)
        return QStringLiteral("%1 exists; pass --force to replace it").arg(path);
    return {};
}

QJsonObject clusterJson(int index, int size, const std::vector<NameScore> &names)
{
    return {{QStringLiteral("index"), index}, {QStringLiteral("size"), size}, {QStringLiteral("names"), toJson(names)}};
}

void printClusters(const SicResult &result, const SicParams &params, bool json)
{
    const int k = params.k;
    std::vector<int> sizes(std::size_t(k), 0);
    for (int label : result.labels)
        ++sizes[std::size_t(label)];
    QTextStream out(stdout);
    QJsonArray clusters;
    for (int j = 0; j < k; ++j) {
        const auto &names = result.semantic ? result.names[std::size_t(j)] : std::vector<NameScore>{};
        if (json) {
            clusters.append(clusterJson(j, sizes[std::size_t(j)], names));
            continue;
        }
        QStringList parts;
        for (const NameScore &n : names)
            parts.append(QStringLiteral("%1 (%2)").arg(n.noun).arg(n.score, 0, 'f', 3));
        out << "cluster " << j << " (" << sizes[std::size_t(j)] << " images)";
        if (!parts.isEmpty())
            out << ": " << parts.join(QStringLiteral(", "));
        out << Qt::endl;
    }
    if (json)
        out << QJsonDocument(QJsonObject{{QStringLiteral("clusters"), clusters},
                                         {QStringLiteral("parameters"), sicParametersJson(params)},
                                         {QStringLiteral("selection"), sicSelectionJson(result)},
                                         {QStringLiteral("epochs"), result.epochs},
                                         {QStringLiteral("stopReason"), result.stopReason},
                                         {QStringLiteral("device"), result.device}})
                   .toJson(QJsonDocument::Compact)
            << Qt::endl;
}

}   // namespace

namespace {

// The options sic and kmeans share: the features in, K, the seed and the labels file out.
void addLabellingOptions(QCommandLineParser &parser, const QString &featuresHelp)
{
    parser.addOption(valueOption(QStringLiteral("image-features"), featuresHelp));
    parser.addOption(valueOption(QStringLiteral("k"), QStringLiteral("number of clusters")));
    parser.addOption(valueOption(QStringLiteral("seed"), QStringLiteral("random seed")));
    parser.addOption(valueOption(QStringLiteral("out"), QStringLiteral("labels file to write")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("replace an existing --out file")));
}

// --k and --seed (0 when not given); false after a usage error.
bool readKAndSeed(const CommandLine &cl, qint64 &k, qint64 &seed)
{
    if (!cl.intValue(QStringLiteral("k"), 1, 100000, k))
        return false;
    return !cl.parser.isSet(QStringLiteral("seed")) || cl.intValue(QStringLiteral("seed"), 0, std::numeric_limits<qint64>::max(), seed);
}

}   // namespace

int runSicCommand(const QStringList &args)
{
    SicParams params = defaultSicParams(0);
    CommandLine cl(QStringLiteral("sic"), QStringLiteral("SIC on stored embeddings: labels and, with text features, names."),
                   CommandLine::Json);
    QCommandLineParser &parser = cl.parser;
    addLabellingOptions(parser, QStringLiteral("N x d image embeddings (.npy)"));
    parser.addOption(valueOption(QStringLiteral("text-features"), QStringLiteral("m x d noun text embeddings (.npy)")));
    parser.addOption(valueOption(QStringLiteral("nouns"), QStringLiteral("m nouns, one per line, in row order")));
    parser.addOption(QCommandLineOption(QStringLiteral("cpu"), QStringLiteral("do not use CUDA")));
    parser.addOption(QCommandLineOption(QStringLiteral("fp32"),
                                        QStringLiteral("training's matrix products in fp32 even where the CPU multiplies bf16 natively")));
    addSicOptions(parser);
    if (!cl.parse(args, 0, 0, {QStringLiteral("image-features"), QStringLiteral("k"), QStringLiteral("out")}))
        return cl.exitCode();
    if (Status s = applySicOptions(parser, [&params](const QString &key, double value) { return setSicParameter(params, key, value); }); !s)
        return cl.usageError(s.error());
    qint64 k = 0, seed = 0;
    if (!readKAndSeed(cl, k, seed))
        return Usage;
    params.k = int(k);
    params.seed = std::uint64_t(seed);
    params.allowGpu = !parser.isSet(QStringLiteral("cpu"));
    params.allowBf16 = !parser.isSet(QStringLiteral("fp32"));
    if (parser.isSet(QStringLiteral("text-features")) != parser.isSet(QStringLiteral("nouns")))
        return cl.usageError(QStringLiteral("--text-features and --nouns go together"));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (const QString e = checkOutput(outPath, parser.isSet(QStringLiteral("force"))); !e.isEmpty())
        return cl.usageError(e);

    auto images = readNpyMatrix(parser.value(QStringLiteral("image-features")));
    if (!images)
        return error(images.error());
    Result<FeatureMatrix> texts = FeatureMatrix();
    Result<QStringList> nouns = QStringList();
    const bool semantic = parser.isSet(QStringLiteral("text-features"));
    if (semantic) {
        texts = readNpyMatrix(parser.value(QStringLiteral("text-features")));
        if (!texts)
            return error(texts.error());
        nouns = readNounLines(parser.value(QStringLiteral("nouns")));
        if (!nouns)
            return error(nouns.error());
    }
    Progress progress(stderrProgress(false));
    auto result = runSic(*images, semantic ? &*texts : nullptr, semantic ? &*nouns : nullptr, params, &progress);
    if (!result)
        return error(result.error());
    if (auto written = writeLabelsTsv(outPath, result->labels, result->confidence); !written)
        return error(written.error());
    QTextStream(stderr) << (result->semantic ? "SIC" : "SIC image-space only (no text features)") << ": " << result->labels.size()
                        << " images, " << params.k << " clusters, " << result->semanticSpaceSize << " nouns in the semantic space, "
                        << result->epochs << " epochs on " << result->device << (result->bf16 ? " (bf16 products)" : "") << ", "
                        << result->neighbourGraph << " neighbour graph; " << result->stopReason << Qt::endl;
    printClusters(*result, params, parser.isSet(QStringLiteral("json")));
    return 0;
}

int runKMeansCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("kmeans"), QStringLiteral("k-means (k-means++, restarts) on stored embeddings."), CommandLine::None);
    QCommandLineParser &parser = cl.parser;
    addLabellingOptions(parser, QStringLiteral("N x d embeddings (.npy)"));
    parser.addOption(valueOption(QStringLiteral("restarts"), QStringLiteral("k-means++ restarts (default 20)")));
    if (!cl.parse(args, 0, 0, {QStringLiteral("image-features"), QStringLiteral("k"), QStringLiteral("out")}))
        return cl.exitCode();
    KMeansOptions options;
    options.restarts = 20;   // scikit-learn's n_init in the SIC reference baseline
    qint64 k = 0, seed = 0, restarts = options.restarts;
    if (!readKAndSeed(cl, k, seed))
        return Usage;
    if (parser.isSet(QStringLiteral("restarts")) && !cl.intValue(QStringLiteral("restarts"), 1, 10000, restarts))
        return Usage;
    options.k = int(k);
    options.seed = std::uint64_t(seed);
    options.restarts = int(restarts);
    const QString outPath = parser.value(QStringLiteral("out"));
    if (const QString e = checkOutput(outPath, parser.isSet(QStringLiteral("force"))); !e.isEmpty())
        return cl.usageError(e);
    auto images = readNpyMatrix(parser.value(QStringLiteral("image-features")));
    if (!images)
        return error(images.error());
    auto result = kmeans(*images, options);
    if (!result)
        return error(result.error());
    // The confidence is k-means's margin (kmeansConfidence), as the product path stores it.
    if (auto written = writeLabelsTsv(outPath, result->labels, kmeansConfidence(*images, *result)); !written)
        return error(written.error());
    QTextStream(stdout) << "k-means: " << result->labels.size() << " rows, " << options.k << " clusters, inertia " << result->inertia
                        << Qt::endl;
    return 0;
}

int runScoreCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("score"), QStringLiteral("ACC, NMI and ARI of a labelling against the truth."), CommandLine::Json);
    QCommandLineParser &parser = cl.parser;
    parser.addOption(valueOption(QStringLiteral("labels"), QStringLiteral("LABELS.tsv")));
    parser.addOption(valueOption(QStringLiteral("truth"), QStringLiteral("TRUTH.txt, one integer per line")));
    if (!cl.parse(args, 0, 0, {QStringLiteral("labels"), QStringLiteral("truth")}))
        return cl.exitCode();
    auto predicted = readLabelsTsv(parser.value(QStringLiteral("labels")));
    if (!predicted)
        return error(predicted.error());
    auto truth = readTruth(parser.value(QStringLiteral("truth")));
    if (!truth)
        return error(truth.error());
    auto scores = evaluateClustering(*truth, *predicted);
    if (!scores)
        return error(scores.error());
    QTextStream out(stdout);
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject o{
            {QStringLiteral("acc"), scores->acc}, {QStringLiteral("nmi"), scores->nmi}, {QStringLiteral("ari"), scores->ari}};
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << Qt::endl;
    } else {
        out << QStringLiteral("ACC %1\nNMI %2\nARI %3").arg(scores->acc, 0, 'f', 4).arg(scores->nmi, 0, 'f', 4).arg(scores->ari, 0, 'f', 4)
            << Qt::endl;
    }
    return 0;
}

}   // namespace clade::cli
