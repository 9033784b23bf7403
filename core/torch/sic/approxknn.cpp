// Approximate kNN graph for large sets (issue 17), an inverted-file (IVF) search with exact
// distances. The exact graph costs N²·d multiply-adds (5e14 at 1M rows); here each row is
// compared only with the rows of the `probes` coarse cells nearest to its own cell.
//
// faiss (Debian's libfaiss-dev, optional at build time) trains the coarse cells and assigns every
// row to one; both run on BLAS. The scan of the cells is ours: Debian builds faiss without SIMD, so
// IndexIVFFlat compares vectors one by one in its scalar reference loop (measured on the 2-core
// machine: 20,000 × 512 took 10 s against 3 s for the exact graph). Here the rows of a cell are
// stored together and compared with each probed cell by one matrix product, and the nearest are
// kept by the exact graph's own per-row heap (mergeNearestRow).

#include "sicops_p.h"

#include <algorithm>
#include <cmath>
#include <vector>

#ifdef CLADE_HAVE_FAISS
#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>
#include <faiss/impl/FaissException.h>
#endif

namespace clade::sicops {

bool approximateKnnAvailable()
{
#ifdef CLADE_HAVE_FAISS
    return true;
#else
    return false;
#endif
}

bool usesApproximateKnn(std::int64_t rows, std::int64_t exactKnnRows, const torch::Device &device)
{
    return approximateKnnAvailable() && device.is_cpu() && rows > exactKnnRows;
}

ApproxKnnPlan approximateKnnPlan(std::int64_t rows)
{
    ApproxKnnPlan plan;
    const double n = double(std::max<std::int64_t>(rows, 1));
    // No more cells than rows, so that the plan is the one approximateKnnGraph runs (and reports).
    plan.lists = int(std::clamp<double>(std::round(kApproxKnnListsPerRoot * std::sqrt(n)), 1.0, std::min(65536.0, n)));
    plan.probes = std::min(plan.lists, kApproxKnnProbes);
    plan.trainRows = std::min<std::int64_t>(rows, std::int64_t(plan.lists) * kApproxKnnTrainPerList);
    return plan;
}

#ifdef CLADE_HAVE_FAISS
namespace {

using FaissIndex = faiss::Index::idx_t;

// Coarse cells: k-means (faiss, BLAS) on a uniform sample drawn from the seed.
std::vector<float> trainCells(const torch::Tensor &rows, const ApproxKnnPlan &plan, std::uint64_t seed)
{
    const auto n = rows.size(0);
    const auto d = rows.size(1);
    at::Generator generator = at::detail::createCPUGenerator(seed + 7);
    const auto sample = plan.trainRows < n
                            ? rows.index_select(0, torch::randperm(n, generator, torch::kLong).narrow(0, 0, plan.trainRows)).contiguous()
                            : rows;
    faiss::ClusteringParameters cp;
    cp.niter = kApproxKnnTrainIterations;
    cp.seed = int(seed % 2147483647);
    cp.min_points_per_centroid = 1;   // the sample is ours; faiss would warn under 39 per cell
    cp.max_points_per_centroid = int(std::min<std::int64_t>(sample.size(0), 1 << 30));
    faiss::Clustering clustering(int(d), plan.lists, cp);
    faiss::IndexFlatL2 assign(d);
    clustering.train(FaissIndex(sample.size(0)), sample.data_ptr<float>(), assign);
    return clustering.centroids;
}

}   // namespace
#endif

Result<torch::Tensor> approximateKnnGraph(const torch::Tensor &x, int k, std::uint64_t seed, const Tick &tick, const ApproxKnnPlan *given)
{
#ifdef CLADE_HAVE_FAISS
    torch::NoGradGuard noGrad;
    const auto rows = x.to(torch::kCPU, torch::kFloat).contiguous();
    const auto n = rows.size(0);
    const auto d = rows.size(1);
    const auto keep = std::min<std::int64_t>(std::max(0, k) + 1, n);
    auto plan = given ? *given : approximateKnnPlan(n);
    plan.lists = int(std::clamp<std::int64_t>(plan.lists, 1, n));
    plan.probes = std::clamp(plan.probes, 1, plan.lists);
    plan.trainRows = std::clamp<std::int64_t>(plan.trainRows, plan.lists, n);
    try {
        const auto centres = trainCells(rows, plan, seed);
        const std::int64_t steps = 2 + plan.lists;
        if (tick && !tick(1, steps))
            return torch::Tensor();
        // Each row's cell, and each cell's `probes` nearest cells (itself first).
        faiss::IndexFlatL2 coarse(d);
        coarse.add(FaissIndex(plan.lists), centres.data());
        std::vector<float> distance(static_cast<std::size_t>(n));
        std::vector<FaissIndex> cellOf(static_cast<std::size_t>(n));
        coarse.search(FaissIndex(n), rows.data_ptr<float>(), 1, distance.data(), cellOf.data());
        std::vector<float> probeDistance(std::size_t(plan.lists) * std::size_t(plan.probes));
        std::vector<FaissIndex> probes(probeDistance.size());
        coarse.search(FaissIndex(plan.lists), centres.data(), FaissIndex(plan.probes), probeDistance.data(), probes.data());
        if (tick && !tick(2, steps))
            return torch::Tensor();

        // Rows sorted by cell, so that a cell is a contiguous block.
        std::vector<std::int64_t> start(std::size_t(plan.lists) + 1, 0);
        for (FaissIndex c : cellOf)
            ++start[std::size_t(c) + 1];
        for (std::size_t c = 0; c < std::size_t(plan.lists); ++c)
            start[c + 1] += start[c];
        std::vector<std::int64_t> order(static_cast<std::size_t>(n));
        {
            std::vector<std::int64_t> next(start.begin(), start.end() - 1);
            for (std::int64_t r = 0; r < n; ++r)
                order[std::size_t(next[std::size_t(cellOf[std::size_t(r)])]++)] = r;
        }
        const auto orderTensor = torch::from_blob(order.data(), {n}, torch::kLong);
        const auto sorted = rows.index_select(0, orderTensor).contiguous();
        const auto norms = sorted.pow(2).sum(1).contiguous();
        const float *normsOf = norms.data_ptr<float>();
        auto bestDist = torch::full({n, keep}, std::numeric_limits<float>::infinity());
        auto bestIndex = torch::full({n, keep}, std::int64_t(-1), torch::kLong);
        float *heapDist = bestDist.data_ptr<float>();
        std::int64_t *heapIndex = bestIndex.data_ptr<std::int64_t>();
        std::int64_t largest = 0;
        for (std::size_t c = 0; c < std::size_t(plan.lists); ++c)
            largest = std::max(largest, start[c + 1] - start[c]);

        // Rows q0 .. q0+queries−1 of cell c against each cell it probes: one product per probed
        // cell, then each row's heap.
        const auto scanCell = [&](std::int64_t c, std::int64_t q0, std::int64_t queries, torch::Tensor &dots) {
            const auto mine = sorted.narrow(0, q0, queries);
            for (int p = 0; p < plan.probes; ++p) {
                const auto cell = std::size_t(probes[std::size_t(c) * std::size_t(plan.probes) + std::size_t(p)]);
                if (cell >= std::size_t(plan.lists))
                    continue;   // fewer cells than probes: faiss pads with −1
                const auto b0 = start[cell];
                const auto cols = start[cell + 1] - b0;
                if (cols == 0)
                    continue;
                auto block = dots.narrow(0, 0, queries * cols).view({queries, cols});
                torch::mm_out(block, mine, sorted.narrow(0, b0, cols).t());
                const float *all = block.data_ptr<float>();
                for (std::int64_t r = 0; r < queries; ++r)
                    mergeNearestRow(heapDist + (q0 + r) * keep, heapIndex + (q0 + r) * keep, keep, all + r * cols, normsOf + b0, cols, b0);
            }
        };
        // Cells in parallel: a row's heap belongs to its own cell only. Each product is one
        // thread's (BLAS runs single-threaded inside the parallel region).
        constexpr std::int64_t cellsPerTick = 64;
        for (std::int64_t c0 = 0; c0 < plan.lists; c0 += cellsPerTick) {
            const auto c1 = std::min<std::int64_t>(plan.lists, c0 + cellsPerTick);
            at::parallel_for(c0, c1, 1, [&](std::int64_t begin, std::int64_t end) {
                // A cell's rows are taken at most kQueryChunk at a time, so that one very large
                // cell (many near-identical photos) does not need a square buffer.
                constexpr std::int64_t kQueryChunk = 512;
                auto dots = torch::empty({std::min(largest, kQueryChunk) * largest});
                for (std::int64_t c = begin; c < end; ++c) {
                    for (std::int64_t q0 = start[std::size_t(c)]; q0 < start[std::size_t(c) + 1]; q0 += kQueryChunk)
                        scanCell(c, q0, std::min(kQueryChunk, start[std::size_t(c) + 1] - q0), dots);
                }
            });
            if (tick && !tick(2 + c1, steps))
                return torch::Tensor();
        }

        // Nearest first, back in the caller's row order. The exact graph lists each row itself
        // first; so does this one (a row its probes missed, or a −1 where fewer than k rows were
        // compared, becomes the row itself).
        const auto sortedBy = std::get<1>(bestDist.sort(1));
        const auto picked = bestIndex.gather(1, sortedBy);
        auto graph = torch::empty({n, keep}, torch::kLong);
        const std::int64_t *from = picked.data_ptr<std::int64_t>();
        std::int64_t *to = graph.data_ptr<std::int64_t>();
        at::parallel_for(0, n, 1024, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t s = begin; s < end; ++s) {
                const std::int64_t r = order[std::size_t(s)];
                std::int64_t *row = to + r * keep;
                for (std::int64_t j = 0; j < keep; ++j) {
                    const std::int64_t i = from[s * keep + j];
                    row[j] = i < 0 ? r : order[std::size_t(i)];
                }
                std::int64_t *self = std::find(row, row + keep, r);
                if (self == row + keep)
                    self = row + keep - 1;
                std::rotate(row, self, self + 1);
                row[0] = r;
            }
        });
        return graph.to(x.device());
    } catch (const faiss::FaissException &e) {
        return fail(QStringLiteral("approximate neighbour search failed: %1").arg(QString::fromUtf8(e.what())));
    } catch (const std::bad_alloc &) {
        return fail(QStringLiteral("approximate neighbour search: out of memory for %1 rows").arg(n));
    }
#else
    Q_UNUSED(k);
    Q_UNUSED(seed);
    Q_UNUSED(tick);
    Q_UNUSED(given);
    return fail(
        QStringLiteral("this build has no approximate neighbour search (built without faiss); %1 rows use the exact graph").arg(x.size(0)));
#endif
}

}   // namespace clade::sicops
