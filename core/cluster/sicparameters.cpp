#include "sicparameters.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace clade {

namespace {

using Kind = Hyperparameter::Kind;

Hyperparameter shape(const char *key, const char *label, const char *help, Kind kind, double minimum, double maximum, int decimals = 0)
{
    Hyperparameter h;
    h.key = QString::fromLatin1(key);
    h.label = label;
    h.help = help;
    h.kind = kind;
    h.minimum = minimum;
    h.maximum = maximum;
    h.decimals = decimals;
    return h;
}

struct Alias
{
    const char *old;
    const char *key;
};

// Keys of the GUI's settings before the table was shared with the CLI.
constexpr Alias kAliases[] = {
    {"lambda", "entropy-weight"},
    {"beta", "ce-weight"},
    {"gammaU", "gamma-u"},
    {"gammaR", "gamma-r"},
    {"xiC", "xi-c"},
    {"xiA", "xi-a"},
    {"neighbours", "topk"},
    {"learningRate", "lr"},
    {"weightDecay", "weight-decay"},
    {"batchSize", "batch-size"},
    {"maxEpochs", "max-epochs"},
    {"stableFraction", "stable-fraction"},
    {"stablePatience", "stable-patience"},
    {"centerInit", "center-init"},
    {"kmeansRestarts", "kmeans-restarts"},
};

}   // namespace

SicParams defaultSicParams(int k)
{
    SicParams params;
    params.k = k;
    return params;
}

#define CLADE_SIC_FIELD(member)                                                                                                            \
    [](const SicParams &p) { return double(p.member); }, [](SicParams &p, double v) { p.member = decltype(p.member)(v); }

const std::vector<SicParameter> &sicParameterTable()
{
    static const std::vector<SicParameter> table = {
        {shape("candidates", QT_TRANSLATE_NOOP("Hyperparameter", "Candidates"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Trained heads compared by a label-free criterion, with the k-means "
                                                   "partition; 1 is the authors' single run"),
               Kind::Integer, 1, 16),
         false, CLADE_SIC_FIELD(candidates)},
        {shape("prune-epoch", QT_TRANSLATE_NOOP("Hyperparameter", "Prune candidates at epoch"),
               QT_TRANSLATE_NOOP("Hyperparameter",
                                 "Epoch at which the candidates ranked below the kept ones stop training (later where the heads "
                                 "have not yet taken 5,000 steps)"),
               Kind::Integer, 1, 10000),
         false, CLADE_SIC_FIELD(pruneEpoch)},
        {shape("prune-keep", QT_TRANSLATE_NOOP("Hyperparameter", "Candidates kept training"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Candidates that train on after the pruning epoch; 0 keeps them all"), Kind::Integer, 0,
               16),
         false, CLADE_SIC_FIELD(pruneKeep)},
        {shape("entropy-weight", QT_TRANSLATE_NOOP("Hyperparameter", "Balance weight λ"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Weight of the batch entropy that keeps clusters from collapsing"), Kind::Real, 0, 100,
               2),
         false, CLADE_SIC_FIELD(entropyWeight)},
        {shape("ce-weight", QT_TRANSLATE_NOOP("Hyperparameter", "Semantic weight β"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Weight of the image–semantic pseudo-label loss"), Kind::Real, 0, 10, 3),
         true, CLADE_SIC_FIELD(ceWeight)},
        {shape("gamma-u", QT_TRANSLATE_NOOP("Hyperparameter", "Uniqueness filter γu"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Drops nouns too close to the mean of all nouns"), Kind::Real, 0, 1, 3),
         true, CLADE_SIC_FIELD(gammaU)},
        {shape("gamma-r", QT_TRANSLATE_NOOP("Hyperparameter", "Nouns per centre γr"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nearest nouns kept for each k-means centre"), Kind::Integer, 1, 100000),
         true, CLADE_SIC_FIELD(gammaR)},
        {shape("xi-c", QT_TRANSLATE_NOOP("Hyperparameter", "Confident fraction ξc"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Share of each cluster's most confident photos used for its centre"), Kind::Real, 0.01,
               1, 2),
         false, CLADE_SIC_FIELD(xiC)},
        {shape("xi-a", QT_TRANSLATE_NOOP("Hyperparameter", "Nouns per semantic centre ξa"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nouns averaged into each cluster's semantic centre"), Kind::Integer, 1, 10000),
         true, CLADE_SIC_FIELD(xiA)},
        {shape("topk", QT_TRANSLATE_NOOP("Hyperparameter", "Neighbours"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nearest photos whose clusters each photo is pulled towards"), Kind::Integer, 1, 200),
         false, CLADE_SIC_FIELD(neighbours)},
        {shape("lr", QT_TRANSLATE_NOOP("Hyperparameter", "Learning rate"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Adam's step size (constant)"), Kind::Real, 1e-6, 1, 6),
         false, CLADE_SIC_FIELD(learningRate)},
        {shape("weight-decay", QT_TRANSLATE_NOOP("Hyperparameter", "Weight decay"), QT_TRANSLATE_NOOP("Hyperparameter", "Adam's L2 term"),
               Kind::Real, 0, 1, 6),
         false, CLADE_SIC_FIELD(weightDecay)},
        {shape("batch-size", QT_TRANSLATE_NOOP("Hyperparameter", "Batch size"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Photos per training step"), Kind::Integer, 8, 8192),
         false, CLADE_SIC_FIELD(batchSize)},
        {shape("max-epochs", QT_TRANSLATE_NOOP("Hyperparameter", "Maximum epochs"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Training stops here at the latest"), Kind::Integer, 1, 10000),
         false, CLADE_SIC_FIELD(maxEpochs)},
        {shape("min-epochs", QT_TRANSLATE_NOOP("Hyperparameter", "Minimum epochs"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Training runs at least this long before it may count as settled"), Kind::Integer, 0,
               10000),
         false, CLADE_SIC_FIELD(minEpochs)},
        {shape("stable-fraction", QT_TRANSLATE_NOOP("Hyperparameter", "Stable when changes below"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Share of photos changing cluster per epoch under which training counts as settled"),
               Kind::Real, 0, 0.5, 4),
         false, CLADE_SIC_FIELD(stableFraction)},
        {shape("stable-patience", QT_TRANSLATE_NOOP("Hyperparameter", "Stable epochs needed"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Settled epochs in a row before training stops"), Kind::Integer, 1, 100),
         false, CLADE_SIC_FIELD(stablePatience)},
        {shape("center-init", QT_TRANSLATE_NOOP("Hyperparameter", "Start from k-means centres"),
               QT_TRANSLATE_NOOP("Hyperparameter", "With one candidate: start the cluster head from the nearest-k-means-centre rule"),
               Kind::Flag, 0, 1),
         false, CLADE_SIC_FIELD(centerInit)},
        {shape("center-init-alpha", QT_TRANSLATE_NOOP("Hyperparameter", "Centre start scale α"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Scale of the k-means-centre start (and of the k-means candidate's confidence)"),
               Kind::Real, 1e-4, 10, 4),
         false, CLADE_SIC_FIELD(centerInitAlpha)},
        {shape("exact-knn-rows", QT_TRANSLATE_NOOP("Hyperparameter", "Exact neighbours up to"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Above this many photos the neighbour graph is approximate (faiss) on the CPU"),
               Kind::Integer, 0, 1e9),
         false, CLADE_SIC_FIELD(exactKnnRows)},
        {shape("training-rows", QT_TRANSLATE_NOOP("Hyperparameter", "Train on at most"),
               QT_TRANSLATE_NOOP("Hyperparameter",
                                 "Above this many photos (or 500 per group) SIC trains on a sample of that many and then assigns every "
                                 "photo; 0: train on all"),
               Kind::Integer, 0, 1e9),
         false, CLADE_SIC_FIELD(trainingRows)},
        {shape("kmeans-restarts", QT_TRANSLATE_NOOP("Hyperparameter", "k-means restarts"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Restarts of the k-means that seeds the semantic space"), Kind::Integer, 1, 100),
         false, CLADE_SIC_FIELD(kmeansRestarts)},
        {shape("kmeans-max-iterations", QT_TRANSLATE_NOOP("Hyperparameter", "k-means iterations"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Lloyd iterations per k-means restart at most"), Kind::Integer, 1, 10000),
         false, CLADE_SIC_FIELD(kmeansMaxIterations)},
        {shape("kmeans-tolerance", QT_TRANSLATE_NOOP("Hyperparameter", "k-means tolerance"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Centre shift, relative to the data's variance, under which k-means stops"), Kind::Real,
               0, 1, 6),
         false, CLADE_SIC_FIELD(kmeansTolerance)},
        {shape("name-count", QT_TRANSLATE_NOOP("Hyperparameter", "Names per group"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nouns shown for each group at most"), Kind::Integer, 1, 50),
         true, CLADE_SIC_FIELD(nameCount)},
        {shape("name-candidates", QT_TRANSLATE_NOOP("Hyperparameter", "Name candidates"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nearest nouns of a group re-ranked by how much they set it apart"), Kind::Integer, 1,
               1000),
         true, CLADE_SIC_FIELD(nameCandidates)},
        {shape("name-score-ratio", QT_TRANSLATE_NOOP("Hyperparameter", "Name score margin"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Names shown score at least this share of the group's best name"), Kind::Real, 0, 1, 2),
         true, CLADE_SIC_FIELD(nameScoreRatio)},
    };
    return table;
}

#undef CLADE_SIC_FIELD

const SicParameter *findSicParameter(const QString &key)
{
    QString wanted = key;
    for (const Alias &a : kAliases) {
        if (key == QLatin1String(a.old))
            wanted = QString::fromLatin1(a.key);
    }
    for (const SicParameter &p : sicParameterTable()) {
        if (p.shape.key == wanted)
            return &p;
    }
    return nullptr;
}

Status setSicParameter(SicParams &params, const QString &key, double value)
{
    const SicParameter *p = findSicParameter(key);
    if (!p)
        return fail(QStringLiteral("SIC has no setting '%1'").arg(key));
    if (Status ok = checkHyperparameter(p->shape, value); !ok)
        return ok;
    p->set(params, value);
    return {};
}

Status checkSicParameters(const SicParams &params)
{
    for (const SicParameter &p : sicParameterTable()) {
        if (Status ok = checkHyperparameter(p.shape, p.get(params)); !ok)
            return ok;
    }
    return {};
}

QJsonObject sicParametersJson(const SicParams &params)
{
    QJsonObject out{{QStringLiteral("k"), params.k}, {QStringLiteral("seed"), QString::number(params.seed)}};
    for (const SicParameter &p : sicParameterTable())
        out.insert(p.shape.key, p.get(params));
    return out;
}

QJsonObject sicSelectionJson(const SicResult &result)
{
    QJsonArray candidates;
    for (const SicCandidate &c : result.candidates)
        candidates.append(QJsonObject{{QStringLiteral("kind"), c.kind},
                                      {QStringLiteral("epochs"), c.epochs},
                                      {QStringLiteral("emptied"), c.emptied},
                                      {QStringLiteral("leakage"), c.leakage},
                                      {QStringLiteral("semanticAgreement"), c.semanticAgreement},
                                      {QStringLiteral("criterion"), c.criterion}});
    return {
        {QStringLiteral("chosen"), result.chosen},
        {QStringLiteral("criterion"), result.semantic ? QStringLiteral("knn-leakage - semantic-agreement") : QStringLiteral("knn-leakage")},
        {QStringLiteral("repaired"), result.repaired},
        {QStringLiteral("neighbourGraph"), result.neighbourGraph},
        {QStringLiteral("trainedOn"), double(result.trainedOn)},
        {QStringLiteral("products"), result.bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32")},
        {QStringLiteral("candidates"), candidates}};
}

}   // namespace clade
