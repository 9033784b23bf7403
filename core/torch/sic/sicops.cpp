#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include "sicops_p.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace clade::sicops {

namespace {
namespace F = torch::nn::functional;
constexpr double kFloor = 1e-8;   // spec §5.5: clamp every log argument
}   // namespace

torch::Tensor cosineMatrix(const torch::Tensor &a, const torch::Tensor &b)
{
    return F::normalize(a, F::NormalizeFuncOptions().dim(1)).mm(F::normalize(b, F::NormalizeFuncOptions().dim(1)).t());
}

namespace {

// N x k squared distances without the ‖x‖² term (constant per row, so argmin is unaffected).
torch::Tensor partialDistances(const torch::Tensor &x, const torch::Tensor &centres)
{
    const auto centreNorms = centres.pow(2).sum(1).unsqueeze(0);
    return torch::addmm(centreNorms, x, centres.t(), 1.0, -2.0);
}

// Restarts are run side by side, so that each Lloyd step is one N x (restarts·k) product instead
// of `restarts` thin ones. Keeps the stacked distance and one-hot matrices near this many values.
constexpr std::int64_t kStackedValues = std::int64_t(32) << 20;
// Above this many rows (or this many per centre) the restarts run on a uniform sample.
constexpr std::int64_t kRestartSampleRows = 8192;
constexpr std::int64_t kRestartSamplePerCentre = 64;

// k-means++ (D² sampling) for g restarts at once: g x k x d.
torch::Tensor seedPlusPlus(const torch::Tensor &x, const torch::Tensor &xNorms, int k, std::int64_t g, at::Generator &gen)
{
    const auto n = x.size(0);
    auto picks = torch::randint(n, {g}, gen, torch::kLong).to(x.device());
    std::vector<torch::Tensor> chosen{x.index_select(0, picks)};                                  // each g x d
    auto nearest = (xNorms.unsqueeze(0) + partialDistances(x, chosen.back()).t()).clamp_min(0);   // g x N
    for (int i = 1; i < k; ++i) {
        auto weights = nearest.to(torch::kCPU, torch::kDouble);
        // A restart whose points all coincide with its centres draws uniformly.
        const auto empty = weights.sum(1, true) <= 0;
        weights = torch::where(empty, torch::ones_like(weights), weights);
        picks = torch::multinomial(weights, 1, false, gen).squeeze(1).to(x.device());
        chosen.push_back(x.index_select(0, picks));
        nearest = torch::minimum(nearest, (xNorms.unsqueeze(0) + partialDistances(x, chosen.back()).t()).clamp_min(0));
    }
    return torch::stack(chosen, 1);
}

// Each restart's per-cluster sums and counts of x's rows (a·k x d and a·k x 1), for labels
// N x a. On the CPU a loop over the rows: the same as a one-hot N x a·k matrix times x, which is
// an N·a·k·d product for N·a·d additions (at 8,192 x 512 rows, 20 restarts, K = 20: half of
// each Lloyd step).
std::pair<torch::Tensor, torch::Tensor> clusterSums(const torch::Tensor &x, const torch::Tensor &labels, std::int64_t a, std::int64_t k)
{
    const auto n = x.size(0);
    const auto d = x.size(1);
    const auto offsets = torch::arange(a, labels.options()).mul_(k).unsqueeze(0);
    if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat32 || !x.is_contiguous()) {
        const auto onehot = torch::zeros({n, a * k}, x.options()).scatter_(1, labels + offsets, 1.0);
        return {onehot.t().mm(x), onehot.sum(0).unsqueeze(1)};
    }
    const auto cells = (labels + offsets).contiguous();   // N x a: each row's cluster in each restart
    auto sums = torch::zeros({a * k, d}, x.options());
    auto counts = torch::zeros({a * k, 1}, x.options());
    const float *rows = x.data_ptr<float>();
    const std::int64_t *cell = cells.data_ptr<std::int64_t>();
    float *sum = sums.data_ptr<float>();
    float *count = counts.data_ptr<float>();
    for (std::int64_t i = 0; i < n; ++i) {
        const float *row = rows + i * d;
        for (std::int64_t r = 0; r < a; ++r) {
            const std::int64_t c = cell[i * a + r];
            float *target = sum + c * d;
            for (std::int64_t j = 0; j < d; ++j)
                target[j] += row[j];
            count[c] += 1.0f;
        }
    }
    return {sums, counts};
}

// One Lloyd step for the restarts stacked in `centres` (a x k x d): new centres and labels (N x a).
// An emptied cluster keeps its centre rather than producing NaN.
std::pair<torch::Tensor, torch::Tensor> lloydStep(const torch::Tensor &x, const torch::Tensor &centres)
{
    const auto a = centres.size(0);
    const auto k = centres.size(1);
    const auto flat = centres.reshape({a * k, x.size(1)});
    const auto labels = partialDistances(x, flat).view({x.size(0), a, k}).argmin(2);
    const auto [sums, counts] = clusterSums(x, labels, a, k);
    const auto updated = torch::where(counts > 0, sums / counts.clamp_min(1), flat);
    return {updated.view({a, k, x.size(1)}), labels};
}

// Lloyd's iterations for g stacked restarts (g x k x d); a restart stops when its summed squared
// centre shift is at most shiftTolerance or its labels no longer change (scikit-learn's rules).
torch::Tensor lloyd(const torch::Tensor &x, torch::Tensor centres, int maxIterations, double shiftTolerance)
{
    const auto g = centres.size(0);
    auto active = torch::arange(g, torch::TensorOptions(torch::kLong).device(x.device()));
    torch::Tensor previous;   // labels of the active restarts, N x |active|
    for (int it = 0; it < maxIterations && active.numel() > 0; ++it) {
        const auto current = centres.index_select(0, active);
        auto [updated, labels] = lloydStep(x, current);
        const auto shift = (updated - current).pow(2).sum({1, 2});
        auto done = shift <= shiftTolerance;
        if (previous.defined())
            done = done | (labels == previous).all(0);
        centres.index_copy_(0, active, updated);
        const auto keep = (~done).nonzero().flatten();
        active = active.index_select(0, keep);
        previous = labels.index_select(1, keep);
    }
    return centres;
}

double shiftToleranceOf(const torch::Tensor &x, double tolerance)
{
    return tolerance * (x - x.mean(0)).pow(2).mean().item<double>();
}

// Labels and inertia of the stacked restarts' centres (g x k x d) on x: the winner's output.
KMeansOutput bestOf(const torch::Tensor &x, const torch::Tensor &xNorms, const torch::Tensor &centres)
{
    const auto g = centres.size(0);
    const auto k = centres.size(1);
    auto [minDist, labels] = partialDistances(x, centres.reshape({g * k, x.size(1)})).view({x.size(0), g, k}).min(2);
    const auto inertia = (minDist + xNorms.unsqueeze(1)).clamp_min(0).sum(0).to(torch::kCPU, torch::kDouble);
    // The first restart of lowest inertia wins, as when they run one after another.
    const auto winner = inertia.argmin().item<std::int64_t>();
    return {centres[winner].clone(), labels.select(1, winner).clone(), inertia[winner].item<double>()};
}

KMeansOutput restartsOn(const torch::Tensor &x, int k, std::int64_t runs, int maxIterations, double tolerance, at::Generator &gen,
                        const Tick &tick)
{
    const auto xNorms = x.pow(2).sum(1);
    const double shiftTolerance = shiftToleranceOf(x, tolerance);
    const std::int64_t group = std::clamp<std::int64_t>(kStackedValues / (x.size(0) * std::max(1, k)), 1, runs);
    KMeansOutput best;
    best.inertia = std::numeric_limits<double>::infinity();
    for (std::int64_t r0 = 0; r0 < runs; r0 += group) {
        const auto g = std::min(group, runs - r0);
        auto run = bestOf(x, xNorms, lloyd(x, seedPlusPlus(x, xNorms, k, g, gen), maxIterations, shiftTolerance));
        if (run.inertia < best.inertia)
            best = std::move(run);
        if (tick && !tick(r0 + g, runs))
            break;
    }
    return best;
}

}   // namespace

KMeansOutput kmeans(const torch::Tensor &x, int k, int restarts, int maxIterations, double tolerance, std::uint64_t seed, const Tick &tick)
{
    torch::NoGradGuard noGrad;
    auto gen = at::detail::createCPUGenerator(seed);
    const std::int64_t runs = std::max(1, restarts);
    const int iterations = std::max(1, maxIterations);
    const auto n = x.size(0);
    const auto sampleRows = std::max<std::int64_t>(kRestartSampleRows, kRestartSamplePerCentre * k);
    if (runs == 1 || n <= sampleRows)
        return restartsOn(x, k, runs, iterations, tolerance, gen, tick);
    // On a large set k-means is trained on a uniform sample (restarts and Lloyd's iterations to
    // convergence, as faiss trains on 256 rows per centre), and every row is then assigned to the
    // winner's nearest centre. Iterating on all rows as well took 3.3 s on 50,000 rows (K = 20)
    // for centres that only seed the semantic space and the centre-started heads.
    const auto sample = x.index_select(0, torch::randperm(n, gen, torch::kLong).narrow(0, 0, sampleRows).to(x.device()));
    const auto trained = restartsOn(sample, k, runs, iterations, tolerance, gen, tick);
    return bestOf(x, x.pow(2).sum(1), trained.centres.unsqueeze(0));
}

torch::Tensor centreNounIndices(const torch::Tensor &centres, const torch::Tensor &texts, int gammaR)
{
    torch::NoGradGuard noGrad;
    const auto cosine = cosineMatrix(centres, texts);
    const auto take = std::min<std::int64_t>(std::max(1, gammaR), texts.size(0));
    const auto top = std::get<1>(cosine.topk(take, 1)).flatten();
    return std::get<0>(torch::unique_consecutive(std::get<0>(top.sort())));
}

torch::Tensor uniqueNounIndices(const torch::Tensor &texts, double gammaU)
{
    torch::NoGradGuard noGrad;
    const auto mean = F::normalize(texts.mean(0), F::NormalizeFuncOptions().dim(0));
    const auto cosine = F::normalize(texts, F::NormalizeFuncOptions().dim(1)).mv(mean);
    return (cosine < 1.0 - gammaU).nonzero().flatten();
}

torch::Tensor intersectSorted(const torch::Tensor &a, const torch::Tensor &b)
{
    return a.index({torch::isin(a, b)});
}

torch::Tensor distinctiveness(const torch::Tensor &centres, const torch::Tensor &texts)
{
    torch::NoGradGuard noGrad;
    const auto cosine = cosineMatrix(centres, texts);
    const auto c = cosine.size(0);
    if (c < 2)
        return cosine;
    const auto othersMean = (cosine.sum(0, true) - cosine) / double(c - 1);
    return cosine - othersMean;
}

namespace {

// Keeps, per row of [r0, r0 + rows), the `keep` smallest of (current best ∪ candidates).
void mergeNearestTopk(torch::Tensor &bestDist, torch::Tensor &bestIndex, std::int64_t r0, const torch::Tensor &distances, std::int64_t c0)
{
    const auto keep = bestDist.size(1);
    const auto take = std::min<std::int64_t>(keep, distances.size(1));
    auto [values, columns] = distances.topk(take, 1, /*largest=*/false, /*sorted=*/false);
    const auto rows = distances.size(0);
    auto dist = bestDist.narrow(0, r0, rows);
    auto index = bestIndex.narrow(0, r0, rows);
    const auto allDist = torch::cat({dist, values}, 1);
    const auto allIndex = torch::cat({index, columns + c0}, 1);
    auto [merged, picked] = allDist.topk(keep, 1, /*largest=*/false, /*sorted=*/false);
    dist.copy_(merged);
    index.copy_(allIndex.gather(1, picked));
}

// The same on the CPU without topk and without a distance matrix: a candidate's rank value is
// ‖x_c‖² − 2 x_r·x_c, computed from the block's dot products as it is read. Each row of
// bestDist/bestIndex is a max-heap of the nearest so far, so a candidate costs one comparison
// unless it beats the current worst. topk on 4,096-wide blocks and the temporaries around it were
// most of the kNN time. NaN never enters (compares false).
void mergeNearestHeap(torch::Tensor &bestDist, torch::Tensor &bestIndex, std::int64_t r0, const torch::Tensor &dots,
                      const torch::Tensor &candidateNorms, std::int64_t c0)
{
    const auto keep = bestDist.size(1);
    const auto cols = dots.size(1);
    float *heapDist = bestDist.data_ptr<float>();
    std::int64_t *heapIndex = bestIndex.data_ptr<std::int64_t>();
    const float *all = dots.data_ptr<float>();
    const float *norms = candidateNorms.data_ptr<float>();
    at::parallel_for(0, dots.size(0), 8, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r)
            mergeNearestRow(heapDist + (r0 + r) * keep, heapIndex + (r0 + r) * keep, keep, all + r * cols, norms, cols, c0);
    });
}

}   // namespace

void mergeNearestRow(float *heapDist, std::int64_t *heapIndex, std::int64_t keep, const float *dots, const float *norms, std::int64_t cols,
                     std::int64_t firstIndex)
{
    for (std::int64_t c = 0; c < cols; ++c) {
        const float v = norms[c] - 2.0f * dots[c];
        if (!(v < heapDist[0]))
            continue;
        std::int64_t i = 0;   // replace the root, sift down
        for (;;) {
            std::int64_t child = 2 * i + 1;
            if (child >= keep)
                break;
            if (child + 1 < keep && heapDist[child + 1] > heapDist[child])
                ++child;
            if (!(heapDist[child] > v))
                break;
            heapDist[i] = heapDist[child];
            heapIndex[i] = heapIndex[child];
            i = child;
        }
        heapDist[i] = v;
        heapIndex[i] = firstIndex + c;
    }
}

torch::Tensor knnGraph(const torch::Tensor &x, int k, int blockRows, const Tick &tick, KnnSelection selection)
{
    torch::NoGradGuard noGrad;
    const auto n = x.size(0);
    const auto keep = std::min<std::int64_t>(std::max(0, k) + 1, n);
    const auto block = std::max<std::int64_t>(1, blockRows);
    const auto norms = x.pow(2).sum(1);
    auto bestDist = torch::full({n, keep}, std::numeric_limits<float>::infinity(), x.options());
    auto bestIndex = torch::full({n, keep}, -1, x.options().dtype(torch::kLong));
    const auto blocks = (n + block - 1) / block;
    const auto pairs = blocks * (blocks + 1) / 2;
    std::int64_t done = 0;
    // On the CPU in float: the heap merge, with the block products written into two buffers that
    // are reused (fresh 64 MB tensors per block pair cost more in page faults than the products).
    const bool heap = selection == KnnSelection::Auto && x.is_cpu() && x.scalar_type() == torch::kFloat;
    const auto rowsOf = heap ? x.contiguous() : x;
    const auto normsOf = norms.contiguous();
    torch::Tensor dotsBuffer, transposedBuffer;
    if (heap) {
        dotsBuffer = torch::empty({std::min(block, n) * std::min(block, n)}, x.options());
        transposedBuffer = torch::empty_like(dotsBuffer);
    }
    // ‖x_i − x_j‖² = ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j; the ‖x_i‖² term is constant along row i,
    // so each row ranks by ‖x_j‖² − 2 x_i·x_j. One product serves block pair (I, J) both ways.
    for (std::int64_t i0 = 0; i0 < n; i0 += block) {
        const auto rowsI = std::min(block, n - i0);
        const auto xi = rowsOf.narrow(0, i0, rowsI);
        for (std::int64_t j0 = i0; j0 < n; j0 += block) {
            const auto rowsJ = std::min(block, n - j0);
            const auto xj = rowsOf.narrow(0, j0, rowsJ);
            if (heap) {
                auto dots = dotsBuffer.narrow(0, 0, rowsI * rowsJ).view({rowsI, rowsJ});
                torch::mm_out(dots, xi, xj.t());
                mergeNearestHeap(bestDist, bestIndex, i0, dots, normsOf.narrow(0, j0, rowsJ), j0);
                if (j0 != i0) {
                    auto transposed = transposedBuffer.narrow(0, 0, rowsJ * rowsI).view({rowsJ, rowsI});
                    transposed.copy_(dots.t());
                    mergeNearestHeap(bestDist, bestIndex, j0, transposed, normsOf.narrow(0, i0, rowsI), i0);
                }
            } else {
                const auto dots = xi.mm(xj.t());
                mergeNearestTopk(bestDist, bestIndex, i0, norms.narrow(0, j0, rowsJ).unsqueeze(0) - 2 * dots, j0);
                // Row-major copy first: top-k along the rows of a transposed view reads with a stride.
                if (j0 != i0)
                    mergeNearestTopk(bestDist, bestIndex, j0, dots.t().contiguous().mul_(-2).add_(norms.narrow(0, i0, rowsI).unsqueeze(0)),
                                     i0);
            }
            if (tick && !tick(++done, pairs))
                return {};
        }
    }
    const auto order = std::get<1>(bestDist.sort(1, /*descending=*/false));
    return bestIndex.gather(1, order);
}

torch::Tensor confidentCentres(const torch::Tensor &logits, const torch::Tensor &features, double xiC, std::int64_t clusters)
{
    torch::NoGradGuard noGrad;
    const auto n = logits.size(0);
    const auto columns = logits.size(1);
    const auto c = clusters > 0 ? clusters : columns;
    // As the released code: t = int(⌊N/c⌋ · ξ_c), the same for every column; at least one row.
    const auto t = std::clamp<std::int64_t>(static_cast<std::int64_t>(double(n / c) * xiC), 1, n);
    // Only which rows are in each column's top t matters, not their order: unsorted is the same set.
    const auto top = std::get<1>(logits.t().contiguous().topk(t, 1, /*largest=*/true, /*sorted=*/false));   // columns x t
    // Each column's sum of its t rows, without a columns x N weight matrix: t·d additions per
    // column instead of an N·d product (the mean's 1/t is undone by the normalisation).
    const auto offsets = torch::arange(0, columns * t, t, top.options());
    const auto sums = std::get<0>(torch::embedding_bag(features, top.flatten(), offsets, /*scale_grad_by_freq=*/false, /*mode=sum*/ 0));
    return F::normalize(sums, F::NormalizeFuncOptions().dim(1));
}

torch::Tensor semanticNounIndices(const torch::Tensor &centres, const torch::Tensor &texts, int xiA)
{
    torch::NoGradGuard noGrad;
    const auto take = std::min<std::int64_t>(std::max(1, xiA), texts.size(0));
    return std::get<1>(cosineMatrix(centres, texts).topk(take, 1));
}

torch::Tensor semanticCentres(const torch::Tensor &centres, const torch::Tensor &texts, int xiA)
{
    torch::NoGradGuard noGrad;
    const auto top = semanticNounIndices(centres, texts, xiA);   // c x take
    const auto take = top.size(1);
    const auto gathered = texts.index_select(0, top.flatten()).view({centres.size(0), take, texts.size(1)});
    return F::normalize(gathered.mean(1), F::NormalizeFuncOptions().dim(1));
}

torch::Tensor pseudoLabels(const torch::Tensor &features, const torch::Tensor &semantic)
{
    torch::NoGradGuard noGrad;
    return features.mm(semantic.t()).argmax(1);
}

torch::Tensor consistencyLoss(const torch::Tensor &probs, const torch::Tensor &neighbourProbs)
{
    return -(probs * neighbourProbs).sum(1).clamp_min(kFloor).log().mean();
}

torch::Tensor balanceEntropy(const torch::Tensor &probs)
{
    const auto mean = probs.mean(0).clamp_min(kFloor);
    return -(mean * mean.log()).sum();
}

torch::Tensor semanticLoss(const torch::Tensor &logits, const torch::Tensor &pseudo)
{
    return F::cross_entropy(logits, pseudo);
}

}   // namespace clade::sicops
