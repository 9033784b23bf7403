#pragma once

#include "cluster/clusterer.h"

namespace clade {

// k-means++ with restarts as a Clusterer: the baseline, and the method of the visual fallback
// when SIC is not available. Runs on the caller's thread.
class KMeansClusterer : public Clusterer
{
public:
    explicit KMeansClusterer(int restarts = 10) : m_restarts(restarts) { }
    ClusterMethod method() const override { return ClusterMethod::KMeans; }
    Result<ClusterOutcome> cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress) override;
    std::vector<Hyperparameter> hyperparameters() const override;
    Status setHyperparameter(const QString &key, double value) override;

private:
    int m_restarts;
};

}   // namespace clade
