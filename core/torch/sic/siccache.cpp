#include "siccache_p.h"
#include "sicops_p.h"
#include "sictrainer_p.h"

#include <cstring>

namespace clade {

namespace {
constexpr std::size_t kMaxCentreEntries = 32;   // k-means results kept per feature set
}   // namespace

bool SicCache::Impl::keeps(const FeatureMatrix &images)
{
    return images.rows <= std::size_t(kMaxCachedRows);
}

std::uint64_t hashFeatures(const FeatureMatrix &m)
{
    std::uint64_t h = 0xcbf29ce484222325ull ^ (std::uint64_t(m.rows) << 32) ^ std::uint64_t(m.cols);
    const auto *bytes = reinterpret_cast<const unsigned char *>(m.values.data());
    const std::size_t size = m.values.size() * sizeof(float);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes + i, 8);
        h = (h ^ word) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < size; ++i)
        h = (h ^ bytes[i]) * 0x100000001b3ull;
    return h;
}

SicCache::Impl::KnnKey SicCache::Impl::knnKey(const FeatureMatrix &images, const SicParams &params, const torch::Device &device)
{
    const auto rows = sicops::trainingRowCount(std::int64_t(images.rows), params);
    return {params.neighbours, sicops::usesApproximateKnn(std::int64_t(images.rows), params.exactKnnRows, device), rows};
}

SicCache::Impl::CentresKey SicCache::Impl::centresKey(const FeatureMatrix &images, const SicParams &p)
{
    return {
        p.k, p.kmeansRestarts, p.kmeansMaxIterations, p.kmeansTolerance, p.seed, sicops::trainingRowCount(std::int64_t(images.rows), p)};
}

bool SicCache::Impl::matches(const FeatureMatrix &images, std::uint64_t hash) const
{
    if (!m_host.defined() || hash != m_hash || m_host.size(0) != std::int64_t(images.rows) || m_host.size(1) != std::int64_t(images.cols))
        return false;
    return std::memcmp(m_host.data_ptr<float>(), images.values.data(), images.values.size() * sizeof(float)) == 0;
}

SicCache::Impl::Found SicCache::Impl::find(const FeatureMatrix &images, const torch::Device &device, const SicParams &params)
{
    const auto hash = hashFeatures(images);
    std::lock_guard lock(mutex);
    // runSic asks for "cuda" (no index) while tensors report "cuda:0": compare the type.
    if (!matches(images, hash) || m_features.device().type() != device.type()) {
        ++misses;
        return {};
    }
    ++hits;
    Found found{m_features, {}, {}};
    if (auto it = m_knn.find(knnKey(images, params, device)); it != m_knn.end())
        found.knn = it->second;
    if (auto it = m_centres.find(centresKey(images, params)); it != m_centres.end())
        found.centres = it->second;
    return found;
}

void SicCache::Impl::store(const FeatureMatrix &images, const torch::Tensor &features, const SicParams &params, const torch::Tensor &knn,
                           const torch::Tensor &centres)
{
    if (!keeps(images)) {
        clear();   // nor an older, smaller set: its copies would outlive their use
        return;
    }
    const auto hash = hashFeatures(images);
    std::lock_guard lock(mutex);
    if (!matches(images, hash) || m_features.device() != features.device()) {
        m_knn.clear();
        m_centres.clear();
        m_hash = hash;
        m_features = features;
        // The key is a copy of the caller's rows as given, not of a tensor the trainer works on.
        // (With the trainer's device copy as key, tst_sic's cache tests never hit on an H200;
        // this change was not yet rerun on a GPU.)
        m_host = torch::from_blob(const_cast<float *>(images.values.data()), {std::int64_t(images.rows), std::int64_t(images.cols)},
                                  torch::kFloat32)
                     .clone();
    }
    if (knn.defined())
        m_knn[knnKey(images, params, features.device())] = knn;
    if (centres.defined()) {
        if (m_centres.size() >= kMaxCentreEntries)
            m_centres.clear();
        m_centres[centresKey(images, params)] = centres;
    }
}

void SicCache::Impl::clear()
{
    std::lock_guard lock(mutex);
    m_hash = 0;
    m_features = torch::Tensor();
    m_host = torch::Tensor();
    m_knn.clear();
    m_centres.clear();
}

SicCache::SicCache() : m_impl(std::make_unique<Impl>()) { }

SicCache::~SicCache() = default;

void SicCache::clear()
{
    m_impl->clear();
}

int SicCache::hits() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->hits;
}

int SicCache::misses() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->misses;
}

}   // namespace clade
