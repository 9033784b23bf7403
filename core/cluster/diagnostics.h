#pragma once
// How well each cluster of a partition holds together, for the user who checks it: cohesion,
// each member's typicality, the borderline members that are nearly as close to another cluster,
// and a hint when a cluster looks like two.

#include "common/matrix.h"

#include <cstdint>
#include <vector>

namespace clade {

struct MemberDiagnostics
{
    float typicality = 0;    // cosine to the own cluster's centroid (1: the centre itself)
    float margin = 0;        // typicality minus the cosine to the nearest other centroid
    int nearestOther = -1;   // that cluster; -1 when there is no other
};

struct ClusterDiagnostics
{
    int size = 0;
    double cohesion = 0;   // mean typicality of the members; 0 for an empty cluster
    int borderline = 0;    // members with margin < borderlineMargin
    // Split in two by 2-means, the members' spread around their centres falls to this share of
    // the spread around the one centre (1: no gain; k-means on well-separated halves gives ~0.2).
    double splitRatio = 1;
    bool looksBimodal = false;   // splitRatio < bimodalRatio and both halves hold >= 15% of the members
};

struct DiagnosticsOptions
{
    float borderlineMargin = 0.02f;
    double bimodalRatio = 0.5;
    int minSizeForSplit = 8;   // smaller clusters get no bimodality hint
    std::uint64_t seed = 0;
};

struct PartitionDiagnostics
{
    std::vector<MemberDiagnostics> members;     // one per row
    std::vector<ClusterDiagnostics> clusters;   // one per label 0..k-1
};

// features: one row per photo (any embedding; rows are compared by cosine). labels[i] in [0, k),
// or -1 for a row that belongs to no cluster (skipped). Deterministic for a seed.
PartitionDiagnostics diagnosePartition(const FeatureMatrix &features, const std::vector<int> &labels, int k,
                                       const DiagnosticsOptions &options = {});

}   // namespace clade
