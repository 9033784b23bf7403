#pragma once

#include "common/matrix.h"
#include "common/progress.h"
#include "common/result.h"

#include <cstdint>
#include <vector>

namespace clade {

struct KMeansOptions
{
    int k = 10;
    int restarts = 10;         // independent k-means++ starts; the lowest inertia wins
    int maxIterations = 300;   // Lloyd iterations per restart
    // Stop when the summed squared centroid shift of one iteration is at most
    // tolerance × (mean per-column variance of the data), as scikit-learn does.
    double tolerance = 1e-6;
    std::uint64_t seed = 0;
    // Worker threads (0: one per core). The result does not depend on it.
    int threads = 0;
    // Candidates tried for each k-means++ centre, keeping the one that lowers the
    // potential most (0: 2 + ln k, scikit-learn's choice; 1: plain k-means++).
    int seedingTrials = 0;
};

struct KMeansResult
{
    std::vector<int> labels;        // one per row, 0..k-1
    FeatureMatrix centroids;        // k × cols: the mean of each cluster's rows
    double inertia = 0;             // sum of distances
    std::vector<float> distances;   // squared distance of each row to its centroid
    int iterations = 0;             // Lloyd iterations of the winning restart
    int restart = 0;                // which restart won (0-based)
};

// Lloyd's k-means with k-means++ (D²) seeding, several restarts, keeping the lowest inertia.
// Deterministic: the same data, options and seed give the same labels whatever the thread count.
// Runs on the calling thread (which it blocks) plus up to options.threads - 1 helpers it starts;
// reports one step per restart and returns an error when progress->cancelled().
Result<KMeansResult> kmeans(const FeatureMatrix &data, const KMeansOptions &options, const Progress *progress = nullptr);

// Per row, how clearly it belongs to its cluster: 1 - sqrt(d_own / d_nearest_other) over squared
// distances to the centroids, in 0..1 (1 on its centroid, 0 halfway to another; 1 for k = 1).
std::vector<float> kmeansConfidence(const FeatureMatrix &data, const KMeansResult &result);

// The checks kmeans() makes before starting: a clear message for bad k, empty or
// non-finite data. Cheap compared with kmeans() itself (one pass over the values).
Status validateKMeansInput(const FeatureMatrix &data, const KMeansOptions &options);

}   // namespace clade
