#pragma once

#include "cluster/clusterer.h"
#include "semanticspace.h"

#include <functional>

namespace clade {

// Supplies SIC's noun space on the worker thread (computing and caching it on first use).
using VocabularyProvider = std::function<Result<SemanticVocabulary>(Progress *)>;

// SIC as a Clusterer. With a vocabulary (CLIP) it runs the full method and names clusters from
// the semantic space; without one, the image-space-only variant, and its method says so.
// Runs on the pipeline's worker thread.
class SicClusterer : public Clusterer
{
public:
    explicit SicClusterer(VocabularyProvider vocabulary = {}) : m_vocabulary(std::move(vocabulary)) {}

    QString method() const override;
    Result<ClusterOutcome> cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress) override;

private:
    VocabularyProvider m_vocabulary;
};

} // namespace clade
