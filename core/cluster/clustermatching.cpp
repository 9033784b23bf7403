#include "cluster/clustermatching.h"

#include "cluster/metrics.h"

#include <algorithm>
#include <cmath>

namespace clade {

namespace {

// Per-label sums of the rows (k x d, doubles), normalised to unit length; a label without rows
// keeps a zero row.
std::vector<std::vector<double>> unitCentroids(const FeatureMatrix &features, const std::vector<int> &labels, int k)
{
    std::vector<std::vector<double>> sums(std::size_t(k), std::vector<double>(features.cols, 0.0));
    for (std::size_t i = 0; i < features.rows; ++i) {
        if (labels[i] < 0 || labels[i] >= k)
            continue;
        const float *row = features.row(i);
        std::vector<double> &sum = sums[std::size_t(labels[i])];
        for (std::size_t j = 0; j < features.cols; ++j)
            sum[j] += row[j];
    }
    for (std::vector<double> &sum : sums) {
        double norm = 0;
        for (double v : sum)
            norm += v * v;
        norm = std::sqrt(norm);
        if (norm > 0)
            for (double &v : sum)
                v /= norm;
    }
    return sums;
}

}   // namespace

std::vector<int> matchClusters(const FeatureMatrix &features, const std::vector<int> &newLabels, int newK,
                               const std::vector<int> &oldLabels, int oldK)
{
    std::vector<int> match(std::size_t(std::max(newK, 0)), -1);
    if (newK <= 0 || oldK <= 0 || newLabels.size() != features.rows || oldLabels.size() != features.rows)
        return match;
    const auto newCentres = unitCentroids(features, newLabels, newK);
    const auto oldCentres = unitCentroids(features, oldLabels, oldK);
    std::vector<std::vector<int>> shared(static_cast<std::size_t>(newK), std::vector<int>(static_cast<std::size_t>(oldK), 0));
    std::vector<int> newSize(std::size_t(newK), 0), oldSize(std::size_t(oldK), 0);
    for (std::size_t i = 0; i < features.rows; ++i) {
        const int n = newLabels[i], o = oldLabels[i];
        if (n >= 0 && n < newK)
            ++newSize[std::size_t(n)];
        if (o >= 0 && o < oldK)
            ++oldSize[std::size_t(o)];
        if (n >= 0 && n < newK && o >= 0 && o < oldK)
            ++shared[std::size_t(n)][std::size_t(o)];
    }
    // Cost 1 − (cosine + Jaccard) / 2: the centroids speak for photos new to this run, the shared
    // photos for the rest. The Hungarian method wants rows ≤ columns: the smaller side is the rows.
    const bool newAreRows = newK <= oldK;
    const int rows = newAreRows ? newK : oldK, cols = newAreRows ? oldK : newK;
    std::vector<std::vector<double>> cost(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(cols)));
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const auto &a = newCentres[std::size_t(newAreRows ? r : c)];
            const auto &b = oldCentres[std::size_t(newAreRows ? c : r)];
            double dot = 0;
            for (std::size_t j = 0; j < a.size(); ++j)
                dot += a[j] * b[j];
            const int n = newAreRows ? r : c, o = newAreRows ? c : r;
            const int common = shared[std::size_t(n)][std::size_t(o)];
            const int either = newSize[std::size_t(n)] + oldSize[std::size_t(o)] - common;
            const double jaccard = either > 0 ? double(common) / either : 0.0;
            cost[std::size_t(r)][std::size_t(c)] = 1.0 - (dot + jaccard) / 2;
        }
    }
    const std::vector<int> paired = hungarianMinCost(cost);
    for (int r = 0; r < rows && std::size_t(r) < paired.size(); ++r) {
        if (paired[std::size_t(r)] < 0)
            continue;
        const int n = newAreRows ? r : paired[std::size_t(r)];
        const int o = newAreRows ? paired[std::size_t(r)] : r;
        const int common = shared[std::size_t(n)][std::size_t(o)];
        if (common > 0 && (2 * common >= oldSize[std::size_t(o)] || 2 * common >= newSize[std::size_t(n)]))
            match[std::size_t(n)] = o;
    }
    return match;
}

}   // namespace clade
