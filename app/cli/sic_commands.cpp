#include "sic_commands.h"

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

int failWith(const QString &message)
{
    QTextStream(stderr) << "error: " << message << Qt::endl;
    return 1;
}

// Binds one "--name value" option to a field; parse() converts and range-checks it.
struct NumericOption
{
    QString name;
    std::function<bool(const QString &)> assign;
};

template <typename T>
NumericOption bind(const QString &name, T &field)
{
    return {name, [&field](const QString &text) {
                bool ok = false;
                if constexpr (std::is_same_v<T, int>)
                    field = text.toInt(&ok);
                else if constexpr (std::is_same_v<T, std::uint64_t>)
                    field = text.toULongLong(&ok);
                else
                    field = text.toDouble(&ok);
                return ok;
            }};
}

std::vector<NumericOption> hyperparameterOptions(SicParams &p)
{
    return {bind(QStringLiteral("entropy-weight"), p.entropyWeight), bind(QStringLiteral("ce-weight"), p.ceWeight),
            bind(QStringLiteral("gamma-u"), p.gammaU), bind(QStringLiteral("gamma-r"), p.gammaR),
            bind(QStringLiteral("xi-c"), p.xiC), bind(QStringLiteral("xi-a"), p.xiA),
            bind(QStringLiteral("topk"), p.neighbours), bind(QStringLiteral("lr"), p.learningRate),
            bind(QStringLiteral("weight-decay"), p.weightDecay), bind(QStringLiteral("batch-size"), p.batchSize),
            bind(QStringLiteral("max-epochs"), p.maxEpochs), bind(QStringLiteral("center-init-alpha"), p.centerInitAlpha),
            bind(QStringLiteral("kmeans-restarts"), p.kmeansRestarts),
            bind(QStringLiteral("kmeans-max-iterations"), p.kmeansMaxIterations),
            bind(QStringLiteral("kmeans-tolerance"), p.kmeansTolerance),
            bind(QStringLiteral("stable-fraction"), p.stableFraction),
            bind(QStringLiteral("stable-patience"), p.stablePatience), bind(QStringLiteral("min-epochs"), p.minEpochs),
            bind(QStringLiteral("name-count"), p.nameCount), bind(QStringLiteral("name-candidates"), p.nameCandidates),
            bind(QStringLiteral("knn-block"), p.knnBlock)};
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

void printClusters(const SicResult &result, int k, bool json)
{
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
        out << QJsonDocument(QJsonObject{{QStringLiteral("clusters"), clusters}}).toJson(QJsonDocument::Compact)
            << Qt::endl;
}

} // namespace

int runSicCommand(const QStringList &args)
{
    SicParams params = defaultSicParams(0);
    auto numeric = hyperparameterOptions(params);
    QCommandLineParser parser;
    parser.addOption(valueOption(QStringLiteral("image-features"), QStringLiteral("N x d image embeddings (.npy)")));
    parser.addOption(valueOption(QStringLiteral("text-features"), QStringLiteral("m x d noun text embeddings (.npy)")));
    parser.addOption(valueOption(QStringLiteral("nouns"), QStringLiteral("m nouns, one per line, in row order")));
    parser.addOption(valueOption(QStringLiteral("k"), QStringLiteral("number of clusters")));
    parser.addOption(valueOption(QStringLiteral("seed"), QStringLiteral("random seed")));
    parser.addOption(valueOption(QStringLiteral("out"), QStringLiteral("labels file to write")));
    parser.addOption(QCommandLineOption(QStringLiteral("json"), QStringLiteral("print clusters as JSON")));
    parser.addOption(QCommandLineOption(QStringLiteral("force"), QStringLiteral("replace an existing --out file")));
    parser.addOption(QCommandLineOption(QStringLiteral("center-init"), QStringLiteral("start the head from k-means")));
    parser.addOption(QCommandLineOption(QStringLiteral("cpu"), QStringLiteral("do not use CUDA")));
    for (const NumericOption &o : numeric)
        parser.addOption(valueOption(o.name, o.name));
    if (const QString e = parse(parser, args, {QStringLiteral("image-features"), QStringLiteral("k"), QStringLiteral("out")});
        !e.isEmpty())
        return failWith(e);
    for (const NumericOption &o : numeric) {
        if (parser.isSet(o.name) && !o.assign(parser.value(o.name)))
            return failWith(QStringLiteral("--%1 needs a number, got '%2'").arg(o.name, parser.value(o.name)));
    }
    if (!bind(QStringLiteral("k"), params.k).assign(parser.value(QStringLiteral("k"))))
        return failWith(QStringLiteral("--k needs an integer"));
    if (parser.isSet(QStringLiteral("seed")) && !bind(QStringLiteral("seed"), params.seed).assign(parser.value(QStringLiteral("seed"))))
        return failWith(QStringLiteral("--seed needs a non-negative integer"));
    params.centerInit = parser.isSet(QStringLiteral("center-init"));
    params.allowGpu = !parser.isSet(QStringLiteral("cpu"));
    if (parser.isSet(QStringLiteral("text-features")) != parser.isSet(QStringLiteral("nouns")))
        return failWith(QStringLiteral("--text-features and --nouns go together"));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (const QString e = checkOutput(outPath, parser.isSet(QStringLiteral("force"))); !e.isEmpty())
        return failWith(e);

    auto images = readNpyMatrix(parser.value(QStringLiteral("image-features")));
    if (!images)
        return failWith(images.error());
    Result<FeatureMatrix> texts = FeatureMatrix();
    Result<QStringList> nouns = QStringList();
    const bool semantic = parser.isSet(QStringLiteral("text-features"));
    if (semantic) {
        texts = readNpyMatrix(parser.value(QStringLiteral("text-features")));
        if (!texts)
            return failWith(texts.error());
        nouns = readNounLines(parser.value(QStringLiteral("nouns")));
        if (!nouns)
            return failWith(nouns.error());
    }
    auto result = runSic(*images, semantic ? &*texts : nullptr, semantic ? &*nouns : nullptr, params);
    if (!result)
        return failWith(result.error());
    if (auto written = writeLabelsTsv(outPath, result->labels, result->confidence); !written)
        return failWith(written.error());
    QTextStream(stderr) << (result->semantic ? "SIC" : "SIC image-space only (no text features)") << ": "
                        << result->labels.size() << " images, " << params.k << " clusters, "
                        << result->semanticSpaceSize << " nouns in the semantic space, " << result->epochs
                        << " epochs on " << result->device << "; " << result->stopReason << Qt::endl;
    printClusters(*result, params.k, parser.isSet(QStringLiteral("json")));
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
        return failWith(e);
    KMeansOptions options;
    options.restarts = 20;   // scikit-learn's n_init in the SIC reference baseline
    if (!bind(QStringLiteral("k"), options.k).assign(parser.value(QStringLiteral("k"))))
        return failWith(QStringLiteral("--k needs an integer"));
    if (parser.isSet(QStringLiteral("seed")) && !bind(QStringLiteral("seed"), options.seed).assign(parser.value(QStringLiteral("seed"))))
        return failWith(QStringLiteral("--seed needs a non-negative integer"));
    if (parser.isSet(QStringLiteral("restarts"))
        && !bind(QStringLiteral("restarts"), options.restarts).assign(parser.value(QStringLiteral("restarts"))))
        return failWith(QStringLiteral("--restarts needs an integer"));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (const QString e = checkOutput(outPath, parser.isSet(QStringLiteral("force"))); !e.isEmpty())
        return failWith(e);
    auto images = readNpyMatrix(parser.value(QStringLiteral("image-features")));
    if (!images)
        return failWith(images.error());
    auto result = kmeans(*images, options);
    if (!result)
        return failWith(result.error());
    // k-means has no calibrated confidence, so the file has two columns.
    if (auto written = writeLabelsTsv(outPath, result->labels, {}); !written)
        return failWith(written.error());
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
        return failWith(e);
    auto predicted = readLabelsTsv(parser.value(QStringLiteral("labels")));
    if (!predicted)
        return failWith(predicted.error());
    auto truth = readTruth(parser.value(QStringLiteral("truth")));
    if (!truth)
        return failWith(truth.error());
    auto scores = evaluateClustering(*truth, *predicted);
    if (!scores)
        return failWith(scores.error());
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
