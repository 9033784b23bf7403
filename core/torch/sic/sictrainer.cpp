#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include "sicops_p.h"
#include "sictrainer_p.h"

#include <algorithm>
#include <cmath>

namespace clade::sicops {

namespace {
// Stability says nothing while the head has barely moved: with the spec's lr of 1e-4 a small
// folder (a few optimiser steps per epoch) looks "stable" after a handful of epochs. Stability
// only counts once the head has taken this many steps (5 epochs of 50,000 images at batch 128
// take ~2,000).
constexpr std::int64_t kMinStepsBeforeStable = 2000;

// A mini-batch step is a few dozen operations on B x d and B x c tensors: waking a second
// OpenMP thread for each costs more than it saves, and on a busy machine the wake-ups collapse
// (measured on the 2-core machine under load: 6.5 s per epoch of 10,000 rows with two threads,
// 0.35 s with one). The epoch runs on one intra-op thread; the setting is the calling thread's
// own (libgomp keeps it per thread) and is restored afterwards.
class SingleThreaded
{
public:
    SingleThreaded() : m_threads(at::get_num_threads()) { at::set_num_threads(1); }
    ~SingleThreaded() { at::set_num_threads(m_threads); }
    SingleThreaded(const SingleThreaded &) = delete;
    SingleThreaded &operator=(const SingleThreaded &) = delete;

private:
    int m_threads;
};
} // namespace

SicTrainer::SicTrainer(const SicParams &params, Progress *progress)
    : m_params(params)
    , m_progress(progress)
    , m_generator(at::detail::createCPUGenerator(params.seed + 1))
{
}

bool SicTrainer::tick(const QString &stage, std::int64_t done, std::int64_t total) const
{
    if (m_progress)
        m_progress->report(stage, done, total);
    return !cancelled();
}

// Spec §1.5: default Linear init (U(±1/√d) for W and b), or the k-means centre rule
// W = 2αC, b = −α‖C_j‖² whose softmax picks the nearest centre. Drawn on the CPU from the
// seed so that CPU and CUDA start alike.
void SicTrainer::initHead(const torch::Tensor &features, const torch::Tensor &centres)
{
    const auto d = features.size(1);
    const auto options = features.options();
    if (m_params.centerInit && centres.defined()) {
        m_weight = (2.0 * m_params.centerInitAlpha * centres).clone();
        m_bias = (-m_params.centerInitAlpha * centres.pow(2).sum(1)).clone();
    } else {
        const double bound = 1.0 / std::sqrt(double(d));
        m_weight = torch::empty({m_params.k, d}, torch::kFloat32).uniform_(-bound, bound, m_generator).to(options.device());
        m_bias = torch::empty({m_params.k}, torch::kFloat32).uniform_(-bound, bound, m_generator).to(options.device());
    }
    m_weightState = {};
    m_biasState = {};
}

torch::Tensor SicTrainer::logits(const torch::Tensor &features) const
{
    torch::NoGradGuard noGrad;
    return torch::addmm(m_bias, features, m_weight.t());
}

Status SicTrainer::buildSemanticSpace(const SicInputs &in, const torch::Tensor &centres, SicTrained &out)
{
    const auto near = centreNounIndices(centres, in.allTexts, m_params.gammaR);
    const auto distinct = uniqueNounIndices(in.allTexts, m_params.gammaU);
    const auto kept = intersectSorted(near, distinct);
    if (kept.numel() == 0)
        return fail(QStringLiteral("the semantic space is empty: every noun near the image centres is within "
                                   "gamma_u of the mean text embedding (try a smaller gamma_u or more nouns)"));
    out.semanticIndex = kept;
    out.semanticTexts = in.allTexts.index_select(0, kept);
    return {};
}

// One pass over shuffled batches. The neighbour of each row is redrawn uniformly from its
// k+1 entries (self included) every epoch, as the released code does.
double SicTrainer::trainEpoch(const torch::Tensor &features, const torch::Tensor &pseudo)
{
    const auto n = features.size(0);
    const auto device = features.device();
    const auto order = torch::randperm(n, m_generator, torch::kLong).to(device);
    const auto pick = torch::randint(m_knn.size(1), {n, 1}, m_generator, torch::kLong).to(device);
    const auto partner = m_knn.gather(1, pick).squeeze(1);
    const SingleThreaded oneThread;
    auto total = torch::zeros({}, features.options());
    for (std::int64_t start = 0; start < n && !cancelled(); start += m_params.batchSize) {
        const auto rows = std::min<std::int64_t>(m_params.batchSize, n - start);
        const auto anchors = order.narrow(0, start, rows);
        const auto inputs = features.index_select(0, torch::cat({anchors, partner.index_select(0, anchors)}));
        const auto step = lossAndGradient(torch::addmm(m_bias, inputs, m_weight.t()), rows,
                                          pseudo.defined() ? pseudo.index_select(0, anchors) : torch::Tensor(),
                                          m_params.entropyWeight, m_params.ceWeight);
        adamStep(m_weight, step.dLogits.t().mm(inputs), m_weightState, m_params.learningRate, m_params.weightDecay);
        adamStep(m_bias, step.dLogits.sum(0), m_biasState, m_params.learningRate, m_params.weightDecay);
        total += step.loss * double(rows);
    }
    return total.item<double>() / double(n);
}

Result<SicTrained> SicTrainer::run(const SicInputs &in)
{
    const auto &features = in.features;
    const bool semantic = in.allTexts.defined();
    const auto n = features.size(0);
    torch::Tensor centres = in.centres;
    if (!centres.defined() && (semantic || m_params.centerInit)) {
        centres = kmeans(features, m_params.k, m_params.kmeansRestarts, m_params.kmeansMaxIterations,
                         m_params.kmeansTolerance, m_params.seed,
                         [this](auto done, auto total) { return tick(QStringLiteral("SIC: k-means"), done, total); })
                      .centres;
        if (cancelled())
            return fail(QStringLiteral("SIC cancelled"));
    }
    SicTrained out;
    if (semantic) {
        if (auto ok = buildSemanticSpace(in, centres, out); !ok)
            return ok.takeError();
    }
    m_knn = in.knn;
    if (m_knn.defined())
        tick(QStringLiteral("SIC: neighbour graph (reused)"), 1, 1);
    else
        m_knn = knnGraph(features, m_params.neighbours, m_params.knnBlock, [this](auto done, auto total) {
            return tick(QStringLiteral("SIC: neighbour graph"), done, total);
        });
    if (cancelled())
        return fail(QStringLiteral("SIC cancelled"));
    out.knn = m_knn;
    out.centres = centres;
    initHead(features, centres);

    auto current = logits(features);
    int stableEpochs = 0;
    for (int epoch = 1; epoch <= m_params.maxEpochs; ++epoch) {
        torch::Tensor pseudo;
        if (semantic)
            pseudo = pseudoLabels(features, semanticCentres(confidentCentres(current, features, m_params.xiC),
                                                            out.semanticTexts, m_params.xiA));
        const double loss = trainEpoch(features, pseudo);
        if (cancelled())
            return fail(QStringLiteral("SIC cancelled"));
        auto next = logits(features);
        const auto changed = (next.argmax(1) != current.argmax(1)).sum().item<std::int64_t>();
        current = next;
        out.epochs = epoch;
        stableEpochs = double(changed) <= m_params.stableFraction * double(n) ? stableEpochs + 1 : 0;
        tick(QStringLiteral("SIC: training, loss %1, %2 images changed cluster").arg(loss, 0, 'f', 4).arg(changed),
             epoch, m_params.maxEpochs);
        const std::int64_t steps = std::int64_t(epoch) * ((n + m_params.batchSize - 1) / m_params.batchSize);
        if (epoch >= m_params.minEpochs && steps >= kMinStepsBeforeStable && stableEpochs >= m_params.stablePatience) {
            out.stopReason = QStringLiteral("assignments stable: at most %1% of the images changed cluster in each "
                                            "of the last %2 epochs").arg(100.0 * m_params.stableFraction)
                                 .arg(m_params.stablePatience);
            break;
        }
    }
    if (out.stopReason.isEmpty())
        out.stopReason = QStringLiteral("reached the maximum of %1 epochs").arg(m_params.maxEpochs);
    if (!semantic)
        out.stopReason += QStringLiteral("; image-space-only variant (no text features)");
    out.logits = current;
    return out;
}

} // namespace clade::sicops
