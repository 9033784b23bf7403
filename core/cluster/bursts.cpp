#include "cluster/bursts.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clade {

namespace {

double cosine(const float *a, const float *b, std::size_t n)
{
    double dot = 0, na = 0, nb = 0;
    for (std::size_t j = 0; j < n; ++j) {
        dot += double(a[j]) * b[j];
        na += double(a[j]) * a[j];
        nb += double(b[j]) * b[j];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

}   // namespace

std::vector<std::size_t> burstRepresentatives(const FeatureMatrix &features, const std::vector<BurstInput> &photos,
                                              const BurstOptions &options)
{
    std::vector<std::size_t> representative(photos.size());
    std::iota(representative.begin(), representative.end(), std::size_t(0));
    if (photos.size() != features.rows)
        return representative;
    std::vector<std::size_t> order(photos.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const BurstInput &x = photos[a], &y = photos[b];
        if (x.group != y.group)
            return x.group < y.group;
        const bool dx = x.takenAt.isValid(), dy = y.takenAt.isValid();
        if (dx != dy)
            return dx;   // dated photos first
        if (dx && x.takenAt != y.takenAt)
            return x.takenAt < y.takenAt;
        return x.name < y.name;
    });
    // Each photo joins the set of the nearest of its few predecessors that it matches, so a
    // shot of another scene in the middle of a burst does not split it.
    for (std::size_t k = 1; k < order.size(); ++k) {
        const std::size_t cur = order[k];
        for (std::size_t back = 1; back <= std::size_t(options.lookBack) && back <= k; ++back) {
            const std::size_t prev = order[k - back];
            if (photos[prev].group != photos[cur].group)
                break;
            const double alike = cosine(features.row(prev), features.row(cur), features.cols);
            const bool dated = photos[prev].takenAt.isValid() && photos[cur].takenAt.isValid();
            const bool burst =
                dated && photos[prev].takenAt.msecsTo(photos[cur].takenAt) <= options.maxGapMs && alike >= options.burstCosine;
            if (burst || alike >= options.duplicateCosine) {
                representative[cur] = representative[prev];
                break;
            }
        }
    }
    return representative;
}

}   // namespace clade
