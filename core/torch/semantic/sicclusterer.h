#pragma once

#include "cluster/clusterer.h"
#include "semantic/semanticspace.h"
#include "sic/sic.h"
#include "sic/siccache.h"

#include <functional>

namespace clade {

// Supplies SIC's noun space on the worker thread (computing and caching it on first use).
using VocabularyProvider = std::function<Result<SemanticVocabulary>(Progress *)>;

// SIC as a Clusterer. With a vocabulary (CLIP) it runs the full method and names clusters from
// the semantic space; without one, the image-space-only variant, and its method says so.
// Runs on the pipeline's worker thread. Clusterers are made per run, so the K-independent work
// (kNN graph, k-means) lives in one process-wide SicCache unless another cache is given: a
// re-run with another K on the same embeddings skips it.
class SicClusterer : public Clusterer
{
public:
    explicit SicClusterer(VocabularyProvider vocabulary = {}, SicCache *cache = nullptr);

    ClusterMethod method() const override;
    Result<ClusterOutcome> cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress) override;
    // Every row of the one SIC settings table (cluster/sicparameters.h; the image-only variant
    // omits those of the semantic term); K and the seed come from the run.
    std::vector<Hyperparameter> hyperparameters() const override;
    Status setHyperparameter(const QString &key, double value) override;

    static SicCache &sharedCache();

private:
    VocabularyProvider m_vocabulary;
    SicCache *m_cache;
    SicParams m_params = defaultSicParams(10);
};

}   // namespace clade
