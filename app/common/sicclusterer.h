#pragma once

#include "cluster/clusterer.h"
#include "common/matrix.h"

#include <QStringList>

#include <optional>

namespace clade {

// SIC as a Clusterer. With noun text embeddings (CLIP) it runs the full method and names
// clusters from the semantic space; without them the image-space-only variant, and says so.
// Runs on the pipeline's worker thread.
class SicClusterer : public Clusterer
{
public:
    SicClusterer() = default;
    SicClusterer(FeatureMatrix texts, QStringList nouns) : m_texts(std::move(texts)), m_nouns(std::move(nouns)) {}

    QString method() const override;
    Result<ClusterOutcome> cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress) override;

private:
    std::optional<FeatureMatrix> m_texts;
    QStringList m_nouns;
};

} // namespace clade
