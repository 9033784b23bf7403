#pragma once

#include "common/result.h"

#include <vector>

namespace clade {

// Agreement between a clustering and ground-truth classes. Label values are arbitrary integers
// (they need not be 0..k-1) and the two sides may have different numbers of groups.
struct ClusteringScores
{
    double acc = 0;   // accuracy under the best one-to-one cluster→class mapping
    double nmi = 0;   // normalised mutual information, arithmetic-mean normalisation
    double ari = 0;   // adjusted Rand index, can be negative
};

// Hungarian algorithm: for a square or rectangular cost matrix (rows <= cols), the column
// assigned to each row, minimising total cost; every column is used at most once.
// Returns an empty vector when the matrix is empty or ragged, has more rows than columns,
// or holds a non-finite cost. O(rows² · cols).
std::vector<int> hungarianMinCost(const std::vector<std::vector<double>> &cost);

// Each returns NaN when the vectors are empty or of different lengths (use evaluateClustering()
// for an error message instead).
double clusteringAccuracy(const std::vector<int> &truth, const std::vector<int> &predicted);
// Matches scikit-learn's normalized_mutual_info_score (average_method="arithmetic"), including
// its limit cases: 1 when both sides have a single group, 0 when the mutual information is 0.
double normalizedMutualInformation(const std::vector<int> &truth, const std::vector<int> &predicted);
// Matches scikit-learn's adjusted_rand_score; 1 for identical partitions.
double adjustedRandIndex(const std::vector<int> &truth, const std::vector<int> &predicted);
ClusteringScores scoreClustering(const std::vector<int> &truth, const std::vector<int> &predicted);

// scoreClustering() with a clear error for empty or mismatched label vectors.
Result<ClusteringScores> evaluateClustering(const std::vector<int> &truth, const std::vector<int> &predicted);

}   // namespace clade
