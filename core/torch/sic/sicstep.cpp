#include "sicstep_p.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace clade::sicops {

// Built for AVX-512, AVX2 and the baseline, chosen at load time (see CMakeLists.txt). Not under
// the sanitizers' builds, whose runtime resolves the clones' ifuncs too late.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define CLADE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLADE_VECTOR_CLONES
#endif

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

// Adam's update of n weights w with gradient g and moments m, v (see adamStep).
CLADE_VECTOR_CLONES void adamLoop(float *__restrict w, const float *__restrict g, float *__restrict m, float *__restrict v, std::int64_t n,
                                  float decay, float root2, float stepSize)
{
    const float keep1 = float(kBeta1);
    const float take1 = float(1.0 - kBeta1);
    const float keep2 = float(kBeta2);
    const float take2 = float(1.0 - kBeta2);
    const float eps = float(kEps);
    for (std::int64_t i = 0; i < n; ++i) {
        const float gi = g[i] + decay * w[i];
        const float mi = m[i] * keep1 + take1 * gi;
        const float vi = v[i] * keep2 + take2 * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        w[i] += stepSize * (mi / (std::sqrt(vi) / root2 + eps));
    }
}

// The step as tensor operations: any device. all: 2B x H x c, labels B x H or undefined.
LossGradient tensorLossAndGradient(const torch::Tensor &all, std::int64_t rows, const torch::Tensor &labels,
                                   const torch::Tensor &entropyWeights, double ceWeight)
{
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
    return {loss, torch::cat({dAnchor, softmaxBackward(q, dq)})};
}

// The same on the CPU in three passes over the rows. A mini-batch's tensors hold a few thousand
// numbers, where each of the three dozen tensor operations above costs more in dispatch than in
// arithmetic, and torch's softmax over a last dimension of c ≈ 20 takes ten times its exp
// (measured at B = 128, H = 5, c = 20 on the 2-core machine: 120 µs against 12 µs). The exp
// itself stays torch's (vectorised); the rest is plain loops. Float arithmetic as above, sums
// over the batch in double.
CLADE_VECTOR_CLONES LossGradient cpuLossAndGradient(const torch::Tensor &all, std::int64_t rows, const torch::Tensor &labels,
                                                    const torch::Tensor &entropyWeights, double ceWeight)
{
    const std::int64_t heads = all.size(1);
    const std::int64_t c = all.size(2);
    const std::int64_t lines = 2 * rows * heads;   // one softmax per line: a row's logits for one head
    const float *x = all.data_ptr<float>();
    auto probs = torch::empty_like(all);
    float *p = probs.data_ptr<float>();
    std::vector<float> lineMax(static_cast<std::size_t>(lines));
    for (std::int64_t l = 0; l < lines; ++l) {
        const float *xl = x + l * c;
        const float m = *std::max_element(xl, xl + c);
        lineMax[std::size_t(l)] = m;
        for (std::int64_t j = 0; j < c; ++j)
            p[l * c + j] = xl[j] - m;
    }
    probs.exp_();
    std::vector<float> logSum(static_cast<std::size_t>(rows * heads));   // log Σ exp of each anchor line
    for (std::int64_t l = 0; l < lines; ++l) {
        float *pl = p + l * c;
        const float sum = std::accumulate(pl, pl + c, 0.0f);
        const float inverse = 1.0f / sum;
        for (std::int64_t j = 0; j < c; ++j)
            pl[j] *= inverse;
        if (l < rows * heads)
            logSum[std::size_t(l)] = lineMax[std::size_t(l)] + std::log(sum);
    }
    const auto lambdas = entropyWeights.to(torch::kCPU, torch::kDouble).contiguous();
    const double *lambda = lambdas.data_ptr<double>();
    const std::int64_t *label = labels.defined() ? labels.data_ptr<std::int64_t>() : nullptr;
    const double b = double(rows);
    const float floor = float(kFloor);
    auto dLogits = torch::empty_like(all);
    float *g = dLogits.data_ptr<float>();
    std::vector<double> consistency(static_cast<std::size_t>(heads)), crossEntropy(static_cast<std::size_t>(heads));
    std::vector<double> meanSum(static_cast<std::size_t>(heads * c));
    // L_I and its gradient by p and q; the column sums of p for the balance term.
    for (std::int64_t i = 0; i < rows; ++i) {
        for (std::int64_t h = 0; h < heads; ++h) {
            const std::int64_t anchor = (i * heads + h) * c;
            const std::int64_t neighbour = ((rows + i) * heads + h) * c;
            float agreement = 0;
            for (std::int64_t j = 0; j < c; ++j)
                agreement += p[anchor + j] * p[neighbour + j];
            const float clamped = std::max(agreement, floor);
            consistency[std::size_t(h)] -= std::log(clamped);
            const float weight = agreement >= floor ? (1.0f / clamped) * float(-1.0 / b) : 0.0f;
            for (std::int64_t j = 0; j < c; ++j) {
                g[anchor + j] = weight * p[neighbour + j];
                g[neighbour + j] = weight * p[anchor + j];
                meanSum[std::size_t(h * c + j)] += p[anchor + j];
            }
        }
    }
    // −λ·H(p̄) and its gradient, the same for every anchor row.
    std::vector<float> dMean(static_cast<std::size_t>(heads * c));
    std::vector<double> balance(static_cast<std::size_t>(heads));
    for (std::int64_t h = 0; h < heads; ++h) {
        for (std::int64_t j = 0; j < c; ++j) {
            const float mean = float(meanSum[std::size_t(h * c + j)] / b);
            const float clamped = std::max(mean, floor);
            const float logMean = std::log(clamped);
            balance[std::size_t(h)] += double(clamped * logMean);
            dMean[std::size_t(h * c + j)] = mean >= floor ? (logMean + 1.0f) * float(lambda[h] / b) : 0.0f;
        }
    }
    // Softmax backward of both halves, and β·L_IS on the anchors.
    const float ceScale = float(ceWeight / b);
    for (std::int64_t i = 0; i < rows; ++i) {
        for (std::int64_t h = 0; h < heads; ++h) {
            const std::int64_t anchor = (i * heads + h) * c;
            const std::int64_t neighbour = ((rows + i) * heads + h) * c;
            float anchorDot = 0;
            float neighbourDot = 0;
            for (std::int64_t j = 0; j < c; ++j) {
                g[anchor + j] += dMean[std::size_t(h * c + j)];
                anchorDot += g[anchor + j] * p[anchor + j];
                neighbourDot += g[neighbour + j] * p[neighbour + j];
            }
            for (std::int64_t j = 0; j < c; ++j) {
                g[anchor + j] = p[anchor + j] * (g[anchor + j] - anchorDot);
                g[neighbour + j] = p[neighbour + j] * (g[neighbour + j] - neighbourDot);
            }
            if (label) {
                const std::int64_t y = label[i * heads + h];
                TORCH_CHECK(y >= 0 && y < c, "pseudo-label ", y, " outside 0..", c - 1);
                crossEntropy[std::size_t(h)] += double(x[anchor + y] - logSum[std::size_t(i * heads + h)]);
                for (std::int64_t j = 0; j < c; ++j)
                    g[anchor + j] += ceScale * (p[anchor + j] - (j == y ? 1.0f : 0.0f));
            }
        }
    }
    auto loss = torch::empty({heads}, all.options());
    float *out = loss.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h) {
        double value = consistency[std::size_t(h)] / b + lambda[h] * balance[std::size_t(h)];
        if (label)
            value -= ceWeight * crossEntropy[std::size_t(h)] / b;
        out[h] = float(value);
    }
    return {loss, dLogits};
}

}   // namespace

LossGradient lossAndGradient(const torch::Tensor &logits, std::int64_t rows, const torch::Tensor &pseudo,
                             const torch::Tensor &entropyWeights, double ceWeight, StepPath path)
{
    torch::NoGradGuard noGrad;
    // One head is the two-dimensional case of several: B x c becomes B x 1 x c.
    const bool single = logits.dim() == 2;
    const auto all = single ? logits.unsqueeze(1) : logits;                                      // 2B x H x c
    const auto labels = !pseudo.defined() || pseudo.dim() == 2 ? pseudo : pseudo.unsqueeze(1);   // B x H
    const bool cpu = path == StepPath::Auto && all.device().is_cpu() && all.scalar_type() == torch::kFloat32;
    auto step = cpu ? cpuLossAndGradient(all.contiguous(), rows, labels.defined() ? labels.to(torch::kLong).contiguous() : labels,
                                         entropyWeights, ceWeight)
                    : tensorLossAndGradient(all, rows, labels, entropyWeights, ceWeight);
    if (single)
        return {step.loss.squeeze(0), step.dLogits.squeeze(1)};
    return step;
}

LossGradient lossAndGradient(const torch::Tensor &logits, std::int64_t rows, const torch::Tensor &pseudo, double entropyWeight,
                             double ceWeight, StepPath path)
{
    return lossAndGradient(logits, rows, pseudo, torch::full({logits.dim() == 2 ? 1 : logits.size(1)}, entropyWeight, logits.options()),
                           ceWeight, path);
}

void adamStep(torch::Tensor &param, const torch::Tensor &grad, AdamState &state, double lr, double weightDecay, StepPath path)
{
    torch::NoGradGuard noGrad;
    if (!state.firstMoment.defined()) {
        state.firstMoment = torch::zeros_like(param);
        state.secondMoment = torch::zeros_like(param);
    }
    ++state.step;
    const double correction1 = 1.0 - std::pow(kBeta1, double(state.step));
    const double correction2 = 1.0 - std::pow(kBeta2, double(state.step));
    const bool loop = path == StepPath::Auto && param.device().is_cpu() && param.scalar_type() == torch::kFloat32
                      && grad.scalar_type() == torch::kFloat32 && param.is_contiguous() && grad.is_contiguous()
                      && state.firstMoment.is_contiguous() && state.secondMoment.is_contiguous() && grad.numel() == param.numel();
    if (loop) {   // ten tensor operations over the weights in one pass
        adamLoop(param.data_ptr<float>(), grad.data_ptr<float>(), state.firstMoment.data_ptr<float>(), state.secondMoment.data_ptr<float>(),
                 param.numel(), float(weightDecay), float(std::sqrt(correction2)), float(-lr / correction1));
        return;
    }
    const auto g = weightDecay != 0 ? grad + weightDecay * param : grad;
    state.firstMoment.mul_(kBeta1).add_(g, 1.0 - kBeta1);
    state.secondMoment.mul_(kBeta2).addcmul_(g, g, 1.0 - kBeta2);
    const auto denom = (state.secondMoment.sqrt() / std::sqrt(correction2)).add_(kEps);
    param.addcdiv_(state.firstMoment, denom, -lr / correction1);
}

}   // namespace clade::sicops
