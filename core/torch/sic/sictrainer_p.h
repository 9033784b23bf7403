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
    // Photos in the run when `features` is its training sample (0: the features' rows). The
    // neighbour graph is approximate when the run, not its sample, is above exactKnnRows.
    std::int64_t photos = 0;
    // Work from an earlier run on the same features (SicCache); computed when undefined.
    torch::Tensor knn;       // N x (k+1) neighbour graph for params.neighbours
    torch::Tensor centres;   // k x d k-means centres for the same k, seed and k-means settings
};

// How one head starts (spec §1.5): the default Linear initialisation, or the k-means centre rule.
enum class HeadStart { Random, Centres };

// One head of a run: its start and its balance weight as a share of λ (1 for the spec's).
struct HeadPlan
{
    HeadStart start = HeadStart::Random;
    double balanceShare = 1.0;
};

struct SicTrained
{
    torch::Tensor logits;               // N x H x c head outputs after each head's last epoch
    std::vector<HeadPlan> plans;        // H: how each head started, and its λ
    std::vector<int> epochs;            // H: epochs each head trained
    std::vector<QString> stopReasons;   // H
    torch::Tensor semanticTexts;        // |T| x d; undefined when image-space only
    torch::Tensor semanticIndex;        // |T| row indices into the noun list (int64)
    torch::Tensor knn;                  // the neighbour graph used, for reuse
    bool approximateKnn = false;        // knn came (or would have come) from approximateKnnGraph
    bool bf16 = false;                  // the large products of training ran in bf16 (SicParams::allowBf16)
    torch::Tensor centres;              // the k-means centres used (undefined when none were needed)
};

// The heads a run trains: one (params.centerInit picks its start) when params.candidates is 1;
// two: one from a random start, one from the k-means centres; more: candidates − 2 from random
// starts, one from the centres, and one from the centres whose balance weight is
// kLowBalanceShare·λ (docs/ROBUST-SIC.md: λ makes every head split a large class).
std::vector<HeadPlan> headPlans(const SicParams &params);
inline constexpr double kLowBalanceShare = 0.2;

// How many rows the heads train on: all n up to max(params.trainingRows, kTrainingRowsPerGroup·k),
// else that many (params.trainingRows 0: always all).
std::int64_t trainingRowCount(std::int64_t n, const SicParams &params);
// The training sample (docs/SCALE.md): undefined when every row trains, else trainingRowCount
// sorted int64 row indices (CPU), drawn uniformly from a fixed seed: the same rows for every K
// and seed, so a re-partition reuses the sample's graph, and a larger sample extends a smaller.
torch::Tensor trainingSample(std::int64_t n, const SicParams &params);
inline constexpr std::uint64_t kTrainingSampleSeed = 0x5153'4943;

// One SIC run: semantic space, kNN graph, training with label-free stopping. Several heads
// (robust SIC's candidates) train side by side on the same batches and neighbour draws, each
// with its own pseudo-labels, losses, Adam state and stopping; a head that has settled, or that
// pruning stopped, is frozen while the others go on. One matrix product serves all heads, so H heads cost little more than
// one. Lives on one worker thread for the duration of run().
class SicTrainer
{
public:
    SicTrainer(const SicParams &params, Progress *progress);
    Result<SicTrained> run(const SicInputs &in);

    // Per-step pieces, public for the tests.
    void initHead(const torch::Tensor &features, const torch::Tensor &centres);
    // N x H x c in fp32; of the heads `live` only (int64 indices: N x |live| x c) where given.
    torch::Tensor logits(const torch::Tensor &features, const torch::Tensor &live = {}) const;
    torch::Tensor weight() const { return m_weight; }   // H x c x d
    torch::Tensor bias() const { return m_bias; }       // H x c

private:
    bool tick(const QString &stage, std::int64_t done, std::int64_t total) const;
    Status buildSemanticSpace(const SicInputs &in, const torch::Tensor &centres, SicTrained &out);
    torch::Tensor trainEpoch(const torch::Tensor &features, const torch::Tensor &pseudo, const torch::Tensor &live);
    torch::Tensor epochLogits(const torch::Tensor &features, const torch::Tensor &live = {}) const;
    void pruneHeads(const torch::Tensor &features, const torch::Tensor &labels, const torch::Tensor &texts, int epoch, SicTrained &out);
    bool cancelled() const { return m_progress && m_progress->cancelled(); }

    SicParams m_params;
    std::vector<HeadPlan> m_plans;
    torch::Tensor m_entropyWeights;   // H: each head's λ
    Progress *m_progress = nullptr;
    at::Generator m_generator;
    torch::Tensor m_knn;
    torch::Tensor m_lowFeatures;   // the training rows in bf16 where training's products run in bf16; else undefined
    torch::Tensor m_weight;
    torch::Tensor m_bias;
    torch::Tensor m_active;   // H bools: heads still training (the others keep their weights)
    AdamState m_weightState;
    AdamState m_biasState;
};

}   // namespace clade::sicops
