#include "sicstep_p.h"

#include <cmath>

namespace clade::sicops {

namespace {
constexpr double kFloor = 1e-8;   // the clamps of consistencyLoss and balanceEntropy
constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEps = 1e-8;

// Backward of a row-wise softmax: d logits from d probabilities.
torch::Tensor softmaxBackward(const torch::Tensor &probs, const torch::Tensor &dProbs)
{
    return probs * (dProbs - (dProbs * probs).sum(-1, true));
}
}   // namespace

LossGradient lossAndGradient(const torch::Tensor &logits, std::int64_t rows, const torch::Tensor &pseudo, double entropyWeight,
                             double ceWeight)
{
    return lossAndGradient(logits, rows, pseudo, torch::full({logits.dim() == 2 ? 1 : logits.size(1)}, entropyWeight, logits.options()),
                           ceWeight);
}

LossGradient lossAndGradient(const torch::Tensor &logits, std::int64_t rows, const torch::Tensor &pseudo,
                             const torch::Tensor &entropyWeights, double ceWeight)
{
    torch::NoGradGuard noGrad;
    // One head is the two-dimensional case of several: B x c becomes B x 1 x c.
    const bool single = logits.dim() == 2;
    const auto all = single ? logits.unsqueeze(1) : logits;                                      // 2B x H x c
    const auto labels = !pseudo.defined() || pseudo.dim() == 2 ? pseudo : pseudo.unsqueeze(1);   // B x H
    const auto probs = all.softmax(2);
    const auto p = probs.narrow(0, 0, rows);
    const auto q = probs.narrow(0, rows, rows);
    const double b = double(rows);
    // L_I = −mean log max(p·q, floor); the clamp passes gradient only where p·q >= floor.
    const auto agreement = (p * q).sum(2, true);
    const auto clamped = agreement.clamp_min(kFloor);
    auto loss = -clamped.log().mean(0).squeeze(1);   // H
    const auto weight = torch::where(agreement >= kFloor, clamped.reciprocal() * (-1.0 / b), torch::zeros_like(clamped));
    auto dp = weight * q;
    const auto dq = weight * p;
    // −λ·H(p̄), H = −Σ p̃ log p̃ with p̃ = max(p̄, floor): d/dp_i = λ(log p̃ + 1)/B where p̄ >= floor.
    const auto mean = p.mean(0);   // H x c
    const auto meanClamped = mean.clamp_min(kFloor);
    const auto logMean = meanClamped.log();
    const auto lambda = entropyWeights.to(mean.options()).view({-1, 1});   // H x 1
    loss = loss + lambda.squeeze(1) * (meanClamped * logMean).sum(1);
    const auto dMean = torch::where(mean >= kFloor, (logMean + 1.0) * (lambda / b), torch::zeros_like(mean));
    dp = dp + dMean.unsqueeze(0);
    auto dAnchor = softmaxBackward(p, dp);
    if (labels.defined()) {
        const auto logProbs = all.narrow(0, 0, rows).log_softmax(2);
        loss = loss - ceWeight * logProbs.gather(2, labels.unsqueeze(2)).squeeze(2).mean(0);
        const auto onehot = torch::zeros_like(p).scatter_(2, labels.unsqueeze(2), 1.0);
        dAnchor = dAnchor + (ceWeight / b) * (p - onehot);
    }
    auto dLogits = torch::cat({dAnchor, softmaxBackward(q, dq)});
    if (single)
        return {loss.squeeze(0), dLogits.squeeze(1)};
    return {loss, dLogits};
}

void adamStep(torch::Tensor &param, const torch::Tensor &grad, AdamState &state, double lr, double weightDecay)
{
    torch::NoGradGuard noGrad;
    if (!state.firstMoment.defined()) {
        state.firstMoment = torch::zeros_like(param);
        state.secondMoment = torch::zeros_like(param);
    }
    ++state.step;
    const auto g = weightDecay != 0 ? grad + weightDecay * param : grad;
    state.firstMoment.mul_(kBeta1).add_(g, 1.0 - kBeta1);
    state.secondMoment.mul_(kBeta2).addcmul_(g, g, 1.0 - kBeta2);
    const double correction1 = 1.0 - std::pow(kBeta1, double(state.step));
    const double correction2 = 1.0 - std::pow(kBeta2, double(state.step));
    const auto denom = (state.secondMoment.sqrt() / std::sqrt(correction2)).add_(kEps);
    param.addcdiv_(state.firstMoment, denom, -lr / correction1);
}

}   // namespace clade::sicops
