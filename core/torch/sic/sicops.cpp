#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include "sicops_p.h"

#include <algorithm>
#include <limits>

namespace clade::sicops {

namespace {
namespace F = torch::nn::functional;
constexpr double kFloor = 1e-8;   // spec §5.5: clamp every log argument
} // namespace

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

torch::Tensor seedPlusPlus(const torch::Tensor &x, const torch::Tensor &xNorms, int k, at::Generator &gen)
{
    const auto n = x.size(0);
    auto first = torch::randint(n, {1}, gen, torch::kLong).to(x.device());
    auto centres = x.index_select(0, first);
    auto nearest = (xNorms + partialDistances(x, centres).squeeze(1)).clamp_min(0);
    for (int i = 1; i < k; ++i) {
        auto weights = nearest.to(torch::kCPU, torch::kDouble);
        torch::Tensor pick;
        if (weights.sum().item<double>() > 0)
            pick = torch::multinomial(weights, 1, false, gen);
        else
            pick = torch::randint(n, {1}, gen, torch::kLong);
        const auto centre = x.index_select(0, pick.to(x.device()));
        centres = torch::cat({centres, centre});
        nearest = torch::minimum(nearest, (xNorms + partialDistances(x, centre).squeeze(1)).clamp_min(0));
    }
    return centres;
}

KMeansOutput lloyd(const torch::Tensor &x, const torch::Tensor &xNorms, torch::Tensor centres,
                   int maxIterations, double shiftTolerance)
{
    const auto k = centres.size(0);
    for (int it = 0; it < maxIterations; ++it) {
        const auto labels = partialDistances(x, centres).argmin(1);
        const auto onehot = torch::zeros({x.size(0), k}, x.options()).scatter_(1, labels.unsqueeze(1), 1.0);
        const auto counts = onehot.sum(0).unsqueeze(1);
        const auto sums = onehot.t().mm(x);
        // An emptied cluster keeps its centre rather than producing NaN.
        auto updated = torch::where(counts > 0, sums / counts.clamp_min(1), centres);
        const double shift = (updated - centres).pow(2).sum().item<double>();
        centres = updated;
        if (shift <= shiftTolerance)
            break;
    }
    auto [minDist, labels] = partialDistances(x, centres).min(1);
    const double inertia = (minDist + xNorms).clamp_min(0).sum().item<double>();
    return {centres, labels, inertia};
}

} // namespace

KMeansOutput kmeans(const torch::Tensor &x, int k, int restarts, int maxIterations, double tolerance,
                    std::uint64_t seed, const Tick &tick)
{
    torch::NoGradGuard noGrad;
    auto gen = at::detail::createCPUGenerator(seed);
    const auto xNorms = x.pow(2).sum(1);
    const double shiftTolerance = tolerance * (x - x.mean(0)).pow(2).mean().item<double>();
    KMeansOutput best;
    best.inertia = std::numeric_limits<double>::infinity();
    const int runs = std::max(1, restarts);
    for (int r = 0; r < runs; ++r) {
        auto run = lloyd(x, xNorms, seedPlusPlus(x, xNorms, k, gen), std::max(1, maxIterations), shiftTolerance);
        if (run.inertia < best.inertia)
            best = std::move(run);
        if (tick && !tick(r + 1, runs))
            break;
    }
    return best;
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
void mergeNearest(torch::Tensor &bestDist, torch::Tensor &bestIndex, std::int64_t r0,
                  const torch::Tensor &distances, std::int64_t c0)
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

} // namespace

torch::Tensor knnGraph(const torch::Tensor &x, int k, int blockRows, const Tick &tick)
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
    // ‖x_i − x_j‖² = ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j; the ‖x_i‖² term is constant along row i,
    // so each row ranks by ‖x_j‖² − 2 x_i·x_j. One product serves block pair (I, J) both ways.
    for (std::int64_t i0 = 0; i0 < n; i0 += block) {
        const auto rowsI = std::min(block, n - i0);
        const auto xi = x.narrow(0, i0, rowsI);
        for (std::int64_t j0 = i0; j0 < n; j0 += block) {
            const auto rowsJ = std::min(block, n - j0);
            const auto xj = x.narrow(0, j0, rowsJ);
            const auto dots = xi.mm(xj.t());
            mergeNearest(bestDist, bestIndex, i0, norms.narrow(0, j0, rowsJ).unsqueeze(0) - 2 * dots, j0);
            if (j0 != i0)
                mergeNearest(bestDist, bestIndex, j0, norms.narrow(0, i0, rowsI).unsqueeze(0) - 2 * dots.t(), i0);
            if (tick && !tick(++done, pairs))
                return {};
        }
    }
    const auto order = std::get<1>(bestDist.sort(1, /*descending=*/false));
    return bestIndex.gather(1, order);
}


torch::Tensor confidentCentres(const torch::Tensor &logits, const torch::Tensor &features, double xiC)
{
    torch::NoGradGuard noGrad;
    const auto n = logits.size(0);
    const auto c = logits.size(1);
    // As the released code: t = int(⌊N/c⌋ · ξ_c), the same for every column; at least one row.
    const auto t = std::clamp<std::int64_t>(static_cast<std::int64_t>(double(n / c) * xiC), 1, n);
    const auto top = std::get<1>(logits.topk(t, 0));   // t x c
    const auto weights = torch::zeros({c, n}, features.options()).scatter_(1, top.t(), 1.0 / double(t));
    return F::normalize(weights.mm(features), F::NormalizeFuncOptions().dim(1));
}

torch::Tensor semanticCentres(const torch::Tensor &centres, const torch::Tensor &texts, int xiA)
{
    torch::NoGradGuard noGrad;
    const auto cosine = cosineMatrix(centres, texts);
    const auto take = std::min<std::int64_t>(std::max(1, xiA), texts.size(0));
    const auto top = std::get<1>(cosine.topk(take, 1));   // c x take
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

} // namespace clade::sicops
