#pragma once

#include <memory>

namespace clade {

// The work of SIC that does not depend on K, kept between runs on the same image features so
// that re-partitioning with another K skips it: the features on the compute device, their kNN
// graph (per neighbour count) and the k-means centres of recent runs (per K, seed and k-means
// settings). Entries are found by a 64-bit hash of the features and confirmed by comparing every
// value, so a hit gives exactly what a cold run computes. Holds one feature set, the most recent,
// of at most 250,000 photos (larger sets are computed afresh each time, so that the cache's
// copies never hold gigabytes).
// Thread-safe; runSic() uses it on the caller's worker thread.
class SicCache
{
public:
    SicCache();
    ~SicCache();
    SicCache(const SicCache &) = delete;
    SicCache &operator=(const SicCache &) = delete;

    void clear();
    int hits() const;   // lookups whose features matched the cached ones
    int misses() const;

    class Impl;   // internal (siccache_p.h)
    Impl &impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

}   // namespace clade
