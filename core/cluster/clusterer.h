#pragma once

#include "catalog/records.h"
#include "common/matrix.h"
#include "common/progress.h"
#include "common/result.h"

#include <QString>

#include <vector>

namespace clade {

struct ClusterOutcome
{
    std::vector<int> labels;                    // one per row, 0..k-1
    std::vector<float> confidence;              // one per row, 0..1
    std::vector<std::vector<NameScore>> names;  // per cluster, best first; empty when not semantic
    QString method;                             // recorded in the run: "kmeans", "sic", "sic-image-only"
    QString note;                               // e.g. the label-free stopping reason
};

// A clustering method over feature rows. Runs on the pipeline's worker thread.
class Clusterer
{
public:
    virtual ~Clusterer() = default;
    virtual QString method() const = 0;
    virtual Result<ClusterOutcome> cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress) = 0;
};

} // namespace clade
