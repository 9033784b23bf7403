#pragma once

// Internal to clade_torch and its tests (includes torch): what SicCache holds.

#include <torch/torch.h>

#include "common/matrix.h"
#include "sic.h"
#include "siccache.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <tuple>

namespace clade {

class SicCache::Impl
{
public:
    struct Found
    {
        torch::Tensor features;   // on the device; undefined on a miss
        torch::Tensor knn;        // for params.neighbours; undefined when not cached
        torch::Tensor centres;    // for params' k-means key; undefined when not cached
    };

    // Any thread. A miss (other features, or another device) returns nothing defined.
    Found find(const FeatureMatrix &images, const torch::Device &device, const SicParams &params);
    // Any thread. Replaces the entry when `images` differ from the cached ones. Sets above
    // kMaxCachedRows rows are not kept (and empty the cache): its two copies of the features
    // would hold 4 GB at a million photos for as long as the process runs.
    void store(const FeatureMatrix &images, const torch::Tensor &features, const SicParams &params, const torch::Tensor &knn,
               const torch::Tensor &centres);
    void clear();

    static constexpr std::int64_t kMaxCachedRows = 250000;
    static bool keeps(const FeatureMatrix &images);

    int hits = 0;
    int misses = 0;
    mutable std::mutex mutex;

private:
    // Graphs and centres belong to the rows trained on (all, or the training sample of that size).
    using CentresKey = std::tuple<int, int, int, double, std::uint64_t, std::int64_t>;
    static CentresKey centresKey(const FeatureMatrix &images, const SicParams &params);
    // A graph is reused for the same neighbour count, exact or approximate as the run would build it.
    using KnnKey = std::tuple<int, bool, std::int64_t>;
    static KnnKey knnKey(const FeatureMatrix &images, const SicParams &params, const torch::Device &device);
    bool matches(const FeatureMatrix &images, std::uint64_t hash) const;

    std::uint64_t m_hash = 0;
    torch::Tensor m_features;   // device copy of the cached feature values
    torch::Tensor m_host;       // CPU copy (the same tensor on CPU), for the exact comparison
    std::map<KnnKey, torch::Tensor> m_knn;
    std::map<CentresKey, torch::Tensor> m_centres;
};

// 64-bit hash of the raw float values (bytes), the fast reject before the exact comparison.
std::uint64_t hashFeatures(const FeatureMatrix &m);

}   // namespace clade
