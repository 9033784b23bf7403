#pragma once

// Internal to clade_torch and its tests (includes torch): the SIC training run.

#include <torch/torch.h>

#include "sic.h"
#include "sicstep_p.h"


namespace clade::sicops {

struct SicInputs
{
    torch::Tensor features;   // N x d image features on the compute device
    torch::Tensor allTexts;   // m x d noun text features; undefined for the image-space-only variant
    // Work from an earlier run on the same features (SicCache); computed when undefined.
    torch::Tensor knn;        // N x (k+1) neighbour graph for params.neighbours
    torch::Tensor centres;    // k x d k-means centres for the same k, seed and k-means settings
};

struct SicTrained
{
    torch::Tensor logits;          // N x c head outputs after the last epoch
    torch::Tensor semanticTexts;   // |T| x d; undefined when image-space only
    torch::Tensor semanticIndex;   // |T| row indices into the noun list (int64)
    torch::Tensor knn;             // the neighbour graph used, for reuse
    torch::Tensor centres;         // the k-means centres used (undefined when none were needed)
    int epochs = 0;
    QString stopReason;
};

// One SIC run: semantic space, kNN graph, head training with label-free stopping.
// Lives on one worker thread for the duration of run().
class SicTrainer
{
public:
    SicTrainer(const SicParams &params, Progress *progress);
    Result<SicTrained> run(const SicInputs &in);

    // Per-step pieces, public for the tests.
    void initHead(const torch::Tensor &features, const torch::Tensor &centres);
    torch::Tensor logits(const torch::Tensor &features) const;
    torch::Tensor weight() const { return m_weight; }
    torch::Tensor bias() const { return m_bias; }

private:
    bool tick(const QString &stage, std::int64_t done, std::int64_t total) const;
    Status buildSemanticSpace(const SicInputs &in, const torch::Tensor &centres, SicTrained &out);
    double trainEpoch(const torch::Tensor &features, const torch::Tensor &pseudo);
    bool cancelled() const { return m_progress && m_progress->cancelled(); }

    SicParams m_params;
    Progress *m_progress = nullptr;
    at::Generator m_generator;
    torch::Tensor m_knn;
    torch::Tensor m_weight;
    torch::Tensor m_bias;
    AdamState m_weightState;
    AdamState m_biasState;
};

} // namespace clade::sicops
