#pragma once

// Internal to clade_torch and its tests (includes torch): one SIC optimiser step with the
// gradients written out. The head is linear and the three losses are simple, so the backward
// pass is a handful of B x c operations; autograd and torch::optim::Adam cost several times more
// per mini-batch than the arithmetic itself. Runs on the caller's thread.

#include <torch/torch.h>

#include <cstdint>

namespace clade::sicops {

struct LossGradient
{
    torch::Tensor loss;      // L_I − λ·H(p̄) + β·L_IS: a scalar, or one per head (H)
    torch::Tensor dLogits;   // shaped as the logits: gradient w.r.t. the anchor then neighbour logits
};

// logits: anchors (rows 0..B−1) then their neighbours (rows B..2B−1), 2B x c for one head or
// 2B x H x c for H heads trained side by side (each head's losses are its own; the gradient of
// their sum is each head's gradient). pseudo: B (or B x H) labels, or undefined for the
// image-space-only variant. Same values and gradients as
// consistencyLoss − λ·balanceEntropy + β·semanticLoss under autograd, clamps included.
// Float logits on the CPU take a path of plain loops (the same arithmetic, far fewer tensor
// operations); other devices, and StepPath::Tensors anywhere, take tensor operations.
enum class StepPath { Auto, Tensors };
LossGradient lossAndGradient(const torch::Tensor &logits, std::int64_t rows, const torch::Tensor &pseudo, double entropyWeight,
                             double ceWeight, StepPath path = StepPath::Auto);
// The same with a λ of each head's own (entropyWeights: H values).
LossGradient lossAndGradient(const torch::Tensor &logits, std::int64_t rows, const torch::Tensor &pseudo,
                             const torch::Tensor &entropyWeights, double ceWeight, StepPath path = StepPath::Auto);

// torch::optim::Adam's update (default betas and eps, coupled weight decay, no amsgrad).
struct AdamState
{
    torch::Tensor firstMoment;
    torch::Tensor secondMoment;
    std::int64_t step = 0;
};
// Contiguous float tensors on the CPU are updated in one loop, others by tensor operations.
void adamStep(torch::Tensor &param, const torch::Tensor &grad, AdamState &state, double lr, double weightDecay,
              StepPath path = StepPath::Auto);

}   // namespace clade::sicops
