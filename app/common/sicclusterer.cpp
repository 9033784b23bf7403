#include "sicclusterer.h"

#include "sic/sic.h"

namespace clade {

// One row of the settings table: how a hyperparameter maps onto SicParams.
struct SicClusterer::Setting
{
    Hyperparameter shape;                 // key, texts, kind, range (value filled in on demand)
    bool semanticOnly = false;            // meaningless without text features
    double (*get)(const SicParams &);
    void (*set)(SicParams &, double);
};

namespace {

using Kind = Hyperparameter::Kind;

Hyperparameter shape(const char *key, const char *label, const char *help, Kind kind, double minimum,
                     double maximum, int decimals = 0)
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

} // namespace

#define CLADE_SIC_FIELD(member) \
    [](const SicParams &p) { return double(p.member); }, [](SicParams &p, double v) { p.member = decltype(p.member)(v); }

const std::vector<SicClusterer::Setting> &SicClusterer::settings()
{
    static const std::vector<Setting> table = {
        {shape("lambda", QT_TRANSLATE_NOOP("Hyperparameter", "Balance weight λ"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Weight of the batch entropy that keeps clusters from collapsing"),
               Kind::Real, 0, 100, 2), false, CLADE_SIC_FIELD(entropyWeight)},
        {shape("beta", QT_TRANSLATE_NOOP("Hyperparameter", "Semantic weight β"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Weight of the image–semantic pseudo-label loss"),
               Kind::Real, 0, 10, 3), true, CLADE_SIC_FIELD(ceWeight)},
        {shape("gammaU", QT_TRANSLATE_NOOP("Hyperparameter", "Uniqueness filter γu"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Drops nouns too close to the mean of all nouns"),
               Kind::Real, 0, 1, 3), true, CLADE_SIC_FIELD(gammaU)},
        {shape("gammaR", QT_TRANSLATE_NOOP("Hyperparameter", "Nouns per centre γr"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nearest nouns kept for each k-means centre"),
               Kind::Integer, 1, 100000), true, CLADE_SIC_FIELD(gammaR)},
        {shape("xiC", QT_TRANSLATE_NOOP("Hyperparameter", "Confident fraction ξc"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Share of each cluster's most confident photos used for its centre"),
               Kind::Real, 0.01, 1, 2), false, CLADE_SIC_FIELD(xiC)},
        {shape("xiA", QT_TRANSLATE_NOOP("Hyperparameter", "Nouns per semantic centre ξa"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nouns averaged into each cluster's semantic centre"),
               Kind::Integer, 1, 10000), true, CLADE_SIC_FIELD(xiA)},
        {shape("neighbours", QT_TRANSLATE_NOOP("Hyperparameter", "Neighbours"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Nearest photos whose clusters each photo is pulled towards"),
               Kind::Integer, 1, 200), false, CLADE_SIC_FIELD(neighbours)},
        {shape("learningRate", QT_TRANSLATE_NOOP("Hyperparameter", "Learning rate"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Adam's step size (constant)"), Kind::Real, 1e-6, 1, 6),
         false, CLADE_SIC_FIELD(learningRate)},
        {shape("weightDecay", QT_TRANSLATE_NOOP("Hyperparameter", "Weight decay"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Adam's L2 term"), Kind::Real, 0, 1, 6),
         false, CLADE_SIC_FIELD(weightDecay)},
        {shape("batchSize", QT_TRANSLATE_NOOP("Hyperparameter", "Batch size"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Photos per training step"), Kind::Integer, 8, 8192),
         false, CLADE_SIC_FIELD(batchSize)},
        {shape("maxEpochs", QT_TRANSLATE_NOOP("Hyperparameter", "Maximum epochs"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Training stops here at the latest"), Kind::Integer, 1, 10000),
         false, CLADE_SIC_FIELD(maxEpochs)},
        {shape("stableFraction", QT_TRANSLATE_NOOP("Hyperparameter", "Stable when changes below"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Share of photos changing cluster per epoch under which training counts as settled"),
               Kind::Real, 0, 0.5, 4), false, CLADE_SIC_FIELD(stableFraction)},
        {shape("stablePatience", QT_TRANSLATE_NOOP("Hyperparameter", "Stable epochs needed"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Settled epochs in a row before training stops"),
               Kind::Integer, 1, 100), false, CLADE_SIC_FIELD(stablePatience)},
        {shape("centerInit", QT_TRANSLATE_NOOP("Hyperparameter", "Start from k-means centres"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Initialise the cluster head with the nearest-k-means-centre rule"),
               Kind::Flag, 0, 1), false, CLADE_SIC_FIELD(centerInit)},
        {shape("kmeansRestarts", QT_TRANSLATE_NOOP("Hyperparameter", "k-means restarts"),
               QT_TRANSLATE_NOOP("Hyperparameter", "Restarts of the k-means that seeds the semantic space"),
               Kind::Integer, 1, 100), false, CLADE_SIC_FIELD(kmeansRestarts)},
    };
    return table;
}

#undef CLADE_SIC_FIELD

std::vector<Hyperparameter> SicClusterer::hyperparameters() const
{
    const SicParams defaults = defaultSicParams(m_params.k);
    std::vector<Hyperparameter> out;
    for (const Setting &s : settings()) {
        if (s.semanticOnly && !m_vocabulary)
            continue;
        Hyperparameter h = s.shape;
        h.value = s.get(m_params);
        h.defaultValue = s.get(defaults);
        out.push_back(h);
    }
    return out;
}

Status SicClusterer::setHyperparameter(const QString &key, double value)
{
    for (const Setting &s : settings()) {
        if (s.shape.key != key || (s.semanticOnly && !m_vocabulary))
            continue;
        if (Status ok = checkHyperparameter(s.shape, value); !ok)
            return ok;
        s.set(m_params, value);
        return {};
    }
    return Clusterer::setHyperparameter(key, value);
}

SicClusterer::SicClusterer(VocabularyProvider vocabulary, SicCache *cache)
    : m_vocabulary(std::move(vocabulary))
    , m_cache(cache ? cache : &sharedCache())
{
}

SicCache &SicClusterer::sharedCache()
{
    static SicCache cache;
    return cache;
}

QString SicClusterer::method() const
{
    return m_vocabulary ? QStringLiteral("sic") : QStringLiteral("sic-image-only");
}

Result<ClusterOutcome> SicClusterer::cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress)
{
    SicParams params = m_params;
    params.k = k;
    params.seed = seed;
    std::optional<SemanticVocabulary> vocabulary;
    if (m_vocabulary) {
        Result<SemanticVocabulary> loaded = m_vocabulary(progress);
        if (!loaded)
            return loaded.takeError();
        vocabulary = std::move(*loaded);
    }
    Result<SicResult> result = vocabulary ? runSic(features, &vocabulary->texts, &vocabulary->nouns, params, progress, m_cache)
                                          : runSic(features, nullptr, nullptr, params, progress, m_cache);
    if (!result)
        return result.takeError();
    ClusterOutcome out;
    out.method = method();
    out.labels = std::move(result->labels);
    out.confidence = std::move(result->confidence);
    out.names = std::move(result->names);
    out.note = result->stopReason;
    return out;
}

} // namespace clade
