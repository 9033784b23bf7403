#pragma once
// Which cluster of an earlier run a new cluster continues, so that what the user gave the old one
// (a name) can follow it through a re-run with the same or another K.

#include "common/matrix.h"

#include <vector>

namespace clade {

// features: one row per photo of the new run; newLabels[i] in [0, newK); oldLabels[i] in
// [0, oldK), or -1 when the photo was not in the earlier run.
// Old and new clusters are paired by the Hungarian method on the mean of two similarities: the
// cosine of their centroids (both computed over these features, so the earlier run's model does
// not matter; this is what relates photos new to this run) and the Jaccard index of their photos.
// A pair is kept only when it shares at least half of the old cluster's photos here or half of
// the new cluster's. Returns, per new cluster, the old index it continues, or -1.
std::vector<int> matchClusters(const FeatureMatrix &features, const std::vector<int> &newLabels, int newK,
                               const std::vector<int> &oldLabels, int oldK);

}   // namespace clade
