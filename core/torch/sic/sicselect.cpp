#include <torch/torch.h>

#include "sicops_p.h"

#include <utility>

namespace clade::sicops {

namespace {
namespace F = torch::nn::functional;

// Two groups of the rows of x (at least two rows): 2-means from the row farthest from the mean
// and the row farthest from that one. true marks the rows of the second group.
torch::Tensor splitInTwo(const torch::Tensor &x)
{
    const auto mean = x.mean(0, true);
    const auto first = (x - mean).pow(2).sum(1).argmax();
    const auto a0 = x[first].unsqueeze(0);
    const auto second = (x - a0).pow(2).sum(1).argmax();
    auto centres = torch::cat({a0, x[second].unsqueeze(0)});
    torch::Tensor far;
    for (int it = 0; it < 50; ++it) {
        const auto distances = torch::cdist(x, centres);
        auto next = distances.select(1, 1) < distances.select(1, 0);
        if (far.defined() && torch::equal(next, far))
            break;
        far = next;
        const auto n1 = far.sum().item<std::int64_t>();
        if (n1 == 0 || n1 == x.size(0))
            break;
        centres = torch::stack({x.index({~far}).mean(0), x.index({far}).mean(0)});
    }
    const auto n1 = far.sum().item<std::int64_t>();
    if (n1 == 0 || n1 == x.size(0)) {   // all rows alike: give away the second half
        far = torch::arange(x.size(0), torch::TensorOptions(torch::kLong).device(x.device())) >= x.size(0) / 2;
    }
    return far;
}

}   // namespace

std::pair<torch::Tensor, int> refillEmptyGroups(const torch::Tensor &labels, const torch::Tensor &features, int k)
{
    torch::NoGradGuard noGrad;
    auto out = labels.clone();
    int refilled = 0;
    for (;;) {
        const auto counts = torch::bincount(out, {}, k).to(torch::kCPU);
        const auto empty = (counts == 0).nonzero();
        if (empty.numel() == 0)
            return {out, refilled};
        const auto target = empty[0][0].item<std::int64_t>();
        // The group of largest squared spread with at least two members gives half.
        const auto sums = torch::zeros({k, features.size(1)}, features.options()).index_add_(0, out, features);
        const auto countsF = counts.to(features.device(), features.scalar_type()).clamp_min(1);
        const auto means = sums / countsF.unsqueeze(1);
        const auto spread =
            torch::zeros({k}, features.options()).index_add_(0, out, (features - means.index_select(0, out)).pow(2).sum(1)).to(torch::kCPU);
        const auto eligible = counts >= 2;
        if (!eligible.any().item<bool>())
            return {out, refilled};   // fewer rows than groups: nothing to split (runSic refuses that earlier)
        const auto donor = torch::where(eligible, spread, torch::full_like(spread, -1.0)).argmax().item<std::int64_t>();
        const auto members = (out == donor).nonzero().flatten();
        const auto far = splitInTwo(features.index_select(0, members));
        out.index_fill_(0, members.index({far}), target);
        ++refilled;
    }
}

double knnLeakage(const torch::Tensor &labels, const torch::Tensor &knn, int k)
{
    torch::NoGradGuard noGrad;
    const auto n = labels.size(0);
    const auto self = torch::arange(n, labels.options()).unsqueeze(1);
    const auto real = knn != self;
    const auto leaving = (labels.index_select(0, knn.flatten()).view(knn.sizes()) != labels.unsqueeze(1)) & real;
    const auto perRow = leaving.sum(1).to(torch::kDouble) / real.sum(1).clamp_min(1).to(torch::kDouble);
    const auto counts = torch::bincount(labels, {}, k).to(torch::kDouble);
    const auto perGroup = torch::zeros({k}, perRow.options()).index_add_(0, labels, perRow);
    const auto mean = torch::where(counts > 0, perGroup / counts.clamp_min(1), torch::ones_like(counts));
    return mean.mean().item<double>();
}

torch::Tensor memberCentres(const torch::Tensor &labels, const torch::Tensor &features, int k)
{
    torch::NoGradGuard noGrad;
    const auto sums = torch::zeros({k, features.size(1)}, features.options()).index_add_(0, labels, features);
    return F::normalize(sums, F::NormalizeFuncOptions().dim(1));
}

double semanticAgreement(const torch::Tensor &labels, const torch::Tensor &features, const torch::Tensor &texts, int k, int xiA)
{
    torch::NoGradGuard noGrad;
    const auto pseudo = pseudoLabels(features, semanticCentres(memberCentres(labels, features, k), texts, xiA));
    return (pseudo == labels).to(torch::kDouble).mean().item<double>();
}

}   // namespace clade::sicops
