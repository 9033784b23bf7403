#include "sic_commands.h"

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
#include <type_traits>
#include <vector>

namespace clade::cli {

namespace {

// Parses a whole number option into `field`; false when it is not one.
template <typename T>
bool readWhole(const QCommandLineParser &parser, const QString &name, T &field)
{
    bool ok = false;
    if constexpr (std::is_same_v<T, std::uint64_t>)
        field = parser.value(name).toULongLong(&ok);
    else
        field = parser.value(name).toInt(&ok);
    return ok;
}

QCommandLineOption valueOption(const QString &name, const QString &help)
{
    return QCommandLineOption(name, help, QStringLiteral("value"));
}

// Parses `args` (without program name and subcommand); returns an error message or "".
QString parse(QCommandLineParser &parser, const QStringList &args, const QStringList &required)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(QStringList{QStringLiteral("clade-cli")} + args))
        return parser.errorText();
    if (!parser.positionalArguments().isEmpty())
        return QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst());
    for (const QString &name : required) {
        if (!parser.isSet(name))
            return QStringLiteral("--%1 is required").arg(name);
    }
    return {};
}

QString checkOutput(const QString &path, bool force)
{
    if (QFileInfo::exists(path) && !force)
        return QStringLiteral("%1 exists; pass --force to replace it").arg(path);
    return {};
}

QJsonObject clusterJson(int index, int size, const std::vector<NameScore> &names)
{
    QJsonArray list;
    for (const NameScore &n : names)
        list.append(QJsonObject{{QStringLiteral("noun"), n.noun}, {QStringLiteral("score"), n.score}});
    return {{QStringLiteral("index"), index}, {QStringLiteral("size"), size}, {QStringLiteral("names"), list}};
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

} // namespace

int runSicCommand(const QStringList &args)
{
    SicParams params = defaultSicParams(0);
    QCommandLineParser parser;
    parser.addOption(valueOption(QStringLiteral("image-features"), QStringLiteral("N x d image embeddings (.npy)")));
    parser.addOption(valueOption(QStringLiteral("text-features"), QStringLiteral("m x d noun text embeddings (.npy)")));
    parser.addOption(valueOption(QStringLiteral("nouns"), QStringLiteral("m nouns, one per line, in row order")));
    parser.addOption(valueOption(QStringLiteral("k"), QStringLiteral("number of clusters")));
    parser.addOption(valueOption(QStringLiteral("seed"), QStringLiteral("random seed")));
    parser.addOption(valueOption(QStringLiteral("out"), QStringLiteral("labels file to write")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print clusters as JSON")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("replace an existing --out file")));
    parser.addOption(QCommandLineOption(QStringLiteral("cpu"), QStringLiteral("do not use CUDA")));
    addSicOptions(parser);
    if (const QString e = parse(parser, args, {QStringLiteral("image-features"), QStringLiteral("k"), QStringLiteral("out")});
        !e.isEmpty())
        return error(e, Usage);
    if (Status s = applySicOptions(parser, [&params](const QString &key, double value) {
            return setSicParameter(params, key, value);
        });
        !s)
        return error(s.error(), Usage);
    if (!readWhole(parser, QStringLiteral("k"), params.k))
        return error(QStringLiteral("--k needs an integer"), Usage);
    if (parser.isSet(QStringLiteral("seed")) && !readWhole(parser, QStringLiteral("seed"), params.seed))
        return error(QStringLiteral("--seed needs a non-negative integer"), Usage);
    params.allowGpu = !parser.isSet(QStringLiteral("cpu"));
    if (parser.isSet(QStringLiteral("text-features")) != parser.isSet(QStringLiteral("nouns")))
        return error(QStringLiteral("--text-features and --nouns go together"), Usage);
    const QString outPath = parser.value(QStringLiteral("out"));
    if (const QString e = checkOutput(outPath, parser.isSet(QStringLiteral("force"))); !e.isEmpty())
        return error(e);

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
    QTextStream(stderr) << (result->semantic ? "SIC" : "SIC image-space only (no text features)") << ": "
                        << result->labels.size() << " images, " << params.k << " clusters, "
                        << result->semanticSpaceSize << " nouns in the semantic space, " << result->epochs
                        << " epochs on " << result->device << "; " << result->stopReason << Qt::endl;
    printClusters(*result, params, parser.isSet(QStringLiteral("json")));
    return 0;
}

int runKMeansCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(valueOption(QStringLiteral("image-features"), QStringLiteral("N x d embeddings (.npy)")));
    parser.addOption(valueOption(QStringLiteral("k"), QStringLiteral("number of clusters")));
    parser.addOption(valueOption(QStringLiteral("seed"), QStringLiteral("random seed")));
    parser.addOption(valueOption(QStringLiteral("restarts"), QStringLiteral("k-means++ restarts (default 20)")));
    parser.addOption(valueOption(QStringLiteral("out"), QStringLiteral("labels file to write")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("replace an existing --out file")));
    if (const QString e = parse(parser, args, {QStringLiteral("image-features"), QStringLiteral("k"), QStringLiteral("out")});
        !e.isEmpty())
        return error(e);
    KMeansOptions options;
    options.restarts = 20;   // scikit-learn's n_init in the SIC reference baseline
    if (!readWhole(parser, QStringLiteral("k"), options.k))
        return error(QStringLiteral("--k needs an integer"));
    if (parser.isSet(QStringLiteral("seed")) && !readWhole(parser, QStringLiteral("seed"), options.seed))
        return error(QStringLiteral("--seed needs a non-negative integer"));
    if (parser.isSet(QStringLiteral("restarts"))
        && !readWhole(parser, QStringLiteral("restarts"), options.restarts))
        return error(QStringLiteral("--restarts needs an integer"));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (const QString e = checkOutput(outPath, parser.isSet(QStringLiteral("force"))); !e.isEmpty())
        return error(e);
    auto images = readNpyMatrix(parser.value(QStringLiteral("image-features")));
    if (!images)
        return error(images.error());
    auto result = kmeans(*images, options);
    if (!result)
        return error(result.error());
    // k-means has no calibrated confidence, so the file has two columns.
    if (auto written = writeLabelsTsv(outPath, result->labels, {}); !written)
        return error(written.error());
    QTextStream(stdout) << "k-means: " << result->labels.size() << " rows, " << options.k << " clusters, inertia "
                        << result->inertia << Qt::endl;
    return 0;
}

int runScoreCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(valueOption(QStringLiteral("labels"), QStringLiteral("LABELS.tsv")));
    parser.addOption(valueOption(QStringLiteral("truth"), QStringLiteral("TRUTH.txt, one integer per line")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print JSON")));
    if (const QString e = parse(parser, args, {QStringLiteral("labels"), QStringLiteral("truth")}); !e.isEmpty())
        return error(e);
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
        const QJsonObject o{{QStringLiteral("acc"), scores->acc}, {QStringLiteral("nmi"), scores->nmi},
                            {QStringLiteral("ari"), scores->ari}};
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << Qt::endl;
    } else {
        out << QStringLiteral("ACC %1\nNMI %2\nARI %3").arg(scores->acc, 0, 'f', 4).arg(scores->nmi, 0, 'f', 4)
                   .arg(scores->ari, 0, 'f', 4)
            << Qt::endl;
    }
    return 0;
}

} // namespace clade::cli
