#include "semantic/sicclusterer.h"

#include "sic/sic.h"
#include "cluster/sicparameters.h"

namespace clade {

std::vector<Hyperparameter> SicClusterer::hyperparameters() const
{
    const SicParams defaults = defaultSicParams(m_params.k);
    std::vector<Hyperparameter> out;
    for (const SicParameter &s : sicParameterTable()) {
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
    const SicParameter *row = findSicParameter(key);
    if (!row || (row->semanticOnly && !m_vocabulary))
        return Clusterer::setHyperparameter(key, value);
    return setSicParameter(m_params, key, value);
}

SicClusterer::SicClusterer(VocabularyProvider vocabulary, SicCache *cache)
    : m_vocabulary(std::move(vocabulary)), m_cache(cache ? cache : &sharedCache())
{
}

SicCache &SicClusterer::sharedCache()
{
    static SicCache cache;
    return cache;
}

ClusterMethod SicClusterer::method() const
{
    return m_vocabulary ? ClusterMethod::Sic : ClusterMethod::SicImageOnly;
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
    out.details = sicSelectionJson(*result);
    return out;
}

}   // namespace clade
