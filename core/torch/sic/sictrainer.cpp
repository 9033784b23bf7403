#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include "runtime.h"
#include "sicops_p.h"
#include "sictrainer_p.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace clade::sicops {

namespace {
// Stability says nothing while the head has barely moved: with the spec's lr of 1e-4 a small
// folder (a few optimiser steps per epoch) looks "stable" after a handful of epochs. Stability
// only counts once the head has taken this many steps (5 epochs of 50,000 images at batch 128
// take ~2,000).
constexpr std::int64_t kMinStepsBeforeStable = 2000;
// Nor does a head's rank among the candidates (pruning) say much early on: at 10,000 photos
// (79 steps per epoch) the top three at epoch 20 missed every head that ended at ACC 1.000 once
// in 15 runs, and at 2,500 photos (20 steps) pruning at epoch 30 left robust SIC keeping a
// partition of ACC 0.79 where a candidate reached 0.88. At 50,000 rows (391 steps) the top
// three at epoch 15 held a best head in 13 of 13 runs (docs/ROBUST-SIC.md). Pruning waits for
// this many steps.
constexpr std::int64_t kMinStepsBeforePruning = 5000;

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

// A mini-batch's rows on the CPU: its anchors, then each anchor's drawn neighbour, copied into
// `buffer` (2B x d, reused from step to step). Two index_selects and a cat cost ~90 µs of a ~1 ms
// step at B = 128, d = 512; the copies themselves a quarter of that. Any element type.
torch::Tensor gatherPairs(const torch::Tensor &features, const torch::Tensor &anchors, const torch::Tensor &partner, std::int64_t rows,
                          torch::Tensor &buffer)
{
    const auto d = features.size(1);
    if (!buffer.defined() || buffer.size(0) < 2 * rows)
        buffer = torch::empty({2 * rows, d}, features.options());
    const auto bytes = std::size_t(d) * std::size_t(features.element_size());
    const auto *from = static_cast<const char *>(features.data_ptr());
    auto *to = static_cast<char *>(buffer.data_ptr());
    const auto anchor = anchors.accessor<std::int64_t, 1>();
    const std::int64_t *drawn = partner.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < rows; ++i) {
        std::memcpy(to + std::size_t(i) * bytes, from + std::size_t(anchor[i]) * bytes, bytes);
        std::memcpy(to + std::size_t(rows + i) * bytes, from + std::size_t(drawn[anchor[i]]) * bytes, bytes);
    }
    return buffer.narrow(0, 0, 2 * rows);
}
}   // namespace

std::vector<HeadPlan> headPlans(const SicParams &params)
{
    if (params.candidates <= 1)
        return {{params.centerInit ? HeadStart::Centres : HeadStart::Random, 1.0}};
    if (params.candidates == 2)
        return {{HeadStart::Random, 1.0}, {HeadStart::Centres, 1.0}};
    std::vector<HeadPlan> plans(std::size_t(params.candidates - 2), HeadPlan{HeadStart::Random, 1.0});
    plans.push_back({HeadStart::Centres, 1.0});
    plans.push_back({HeadStart::Centres, kLowBalanceShare});
    return plans;
}

std::int64_t trainingRowCount(std::int64_t n, const SicParams &params)
{
    if (params.trainingRows <= 0)
        return n;
    return std::min(n, std::max(params.trainingRows, kTrainingRowsPerGroup * params.k));
}

torch::Tensor trainingSample(std::int64_t n, const SicParams &params)
{
    const auto rows = trainingRowCount(n, params);
    if (rows >= n)
        return {};
    auto generator = at::detail::createCPUGenerator(kTrainingSampleSeed);
    return std::get<0>(torch::randperm(n, generator, torch::kLong).narrow(0, 0, rows).sort());
}

SicTrainer::SicTrainer(const SicParams &params, Progress *progress)
    : m_params(params), m_plans(headPlans(params)), m_progress(progress), m_generator(at::detail::createCPUGenerator(params.seed + 1))
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
// seed, head after head, so that CPU and CUDA start alike and head 0 starts as a single run does.
void SicTrainer::initHead(const torch::Tensor &features, const torch::Tensor &centres)
{
    const auto d = features.size(1);
    const auto device = features.device();
    std::vector<torch::Tensor> weights, biases;
    std::vector<double> lambdas;
    for (const HeadPlan &plan : m_plans) {
        lambdas.push_back(m_params.entropyWeight * plan.balanceShare);
        if (plan.start == HeadStart::Centres && centres.defined()) {
            weights.push_back((2.0 * m_params.centerInitAlpha * centres).to(torch::kFloat32));
            biases.push_back((-m_params.centerInitAlpha * centres.pow(2).sum(1)).to(torch::kFloat32));
        } else {
            const double bound = 1.0 / std::sqrt(double(d));
            weights.push_back(torch::empty({m_params.k, d}, torch::kFloat32).uniform_(-bound, bound, m_generator).to(device));
            biases.push_back(torch::empty({m_params.k}, torch::kFloat32).uniform_(-bound, bound, m_generator).to(device));
        }
    }
    m_weight = torch::stack(weights).contiguous();
    m_bias = torch::stack(biases).contiguous();
    m_entropyWeights = torch::tensor(lambdas, torch::kFloat32).to(device);
    m_active = torch::ones({std::int64_t(m_plans.size())}, torch::TensorOptions(torch::kBool).device(device));
    m_weightState = {};
    m_biasState = {};
}

torch::Tensor SicTrainer::logits(const torch::Tensor &features, const torch::Tensor &live) const
{
    torch::NoGradGuard noGrad;
    const auto weight = live.defined() ? m_weight.index_select(0, live) : m_weight;
    const auto bias = live.defined() ? m_bias.index_select(0, live) : m_bias;
    const auto heads = weight.size(0);
    const auto c = weight.size(1);
    return torch::addmm(bias.reshape({heads * c}), features, weight.reshape({heads * c, -1}).t()).view({features.size(0), heads, c});
}

// The logits that steer training from epoch to epoch (confident centres, stability): in bf16
// where training's products are (rounded logits move a row only where two groups tie within
// ~0.4%), else logits(). Of the heads `live` as logits() says.
torch::Tensor SicTrainer::epochLogits(const torch::Tensor &features, const torch::Tensor &live) const
{
    if (!m_lowFeatures.defined())
        return logits(features, live);
    torch::NoGradGuard noGrad;
    const auto weight = live.defined() ? m_weight.index_select(0, live) : m_weight;
    const auto bias = live.defined() ? m_bias.index_select(0, live) : m_bias;
    const auto heads = weight.size(0);
    const auto c = weight.size(1);
    return m_lowFeatures.mm(weight.reshape({heads * c, -1}).to(torch::kBFloat16).t())
        .to(torch::kFloat32)
        .add_(bias.reshape({heads * c}))
        .view({features.size(0), heads, c});
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
// k+1 entries (self included) every epoch, as the released code does. All heads see the same
// batches; only the heads still active take part: their weights, Adam moments and λ are
// gathered before the pass and written back after it, so a frozen head costs nothing. `live`
// lists the active heads (int64 indices; undefined while every head is active); pseudo holds
// their pseudo-labels (N x |live|, in that order), or is undefined. Returns each head's mean
// loss (H; 0 for a frozen head).
torch::Tensor SicTrainer::trainEpoch(const torch::Tensor &features, const torch::Tensor &pseudo, const torch::Tensor &live)
{
    const auto n = features.size(0);
    const auto allHeads = m_weight.size(0);
    const auto c = m_weight.size(1);
    const auto d = m_weight.size(2);
    const auto device = features.device();
    const auto order = torch::randperm(n, m_generator, torch::kLong).to(device);
    const auto pick = torch::randint(m_knn.size(1), {n, 1}, m_generator, torch::kLong).to(device);
    const auto partner = m_knn.gather(1, pick).squeeze(1).contiguous();
    const bool someFrozen = live.defined();
    const auto gather = [&](const torch::Tensor &all) {
        return someFrozen && all.defined() ? all.index_select(0, live).contiguous() : all;
    };
    auto weight = gather(m_weight);
    auto bias = gather(m_bias);
    AdamState weightState{gather(m_weightState.firstMoment), gather(m_weightState.secondMoment), m_weightState.step};
    AdamState biasState{gather(m_biasState.firstMoment), gather(m_biasState.secondMoment), m_biasState.step};
    const auto lambdas = gather(m_entropyWeights);
    const auto heads = weight.size(0);
    const SingleThreaded oneThread;
    const bool cpu = features.device().is_cpu() && features.scalar_type() == torch::kFloat32 && features.is_contiguous();
    torch::Tensor buffer, lowBuffer;
    auto total = torch::zeros({heads}, features.options());
    for (std::int64_t start = 0; start < n && !cancelled(); start += m_params.batchSize) {
        const auto rows = std::min<std::int64_t>(m_params.batchSize, n - start);
        const auto anchors = order.narrow(0, start, rows);
        const auto inputs = cpu ? gatherPairs(features, anchors, partner, rows, buffer)
                                : features.index_select(0, torch::cat({anchors, partner.index_select(0, anchors)}));
        const auto flatLogits = torch::addmm(bias.view({heads * c}), inputs, weight.view({heads * c, d}).t());
        const auto step = lossAndGradient(flatLogits.view({2 * rows, heads, c}), rows,
                                          pseudo.defined() ? pseudo.index_select(0, anchors) : torch::Tensor(), lambdas, m_params.ceWeight);
        const auto dLogits = step.dLogits.view({2 * rows, heads * c});
        // The weight gradient in bf16 where training's products are: Adam divides it by its own
        // running scale, and its rounding (~0.4%) is far below a mini-batch's sampling noise. The
        // logits above stay fp32: the losses and their gradients are computed from them.
        auto weightGrad =
            (m_lowFeatures.defined()
                 ? dLogits.to(torch::kBFloat16).t().mm(gatherPairs(m_lowFeatures, anchors, partner, rows, lowBuffer)).to(torch::kFloat32)
                 : dLogits.t().mm(inputs))
                .view({heads, c, d});
        auto biasGrad = dLogits.sum(0).view({heads, c});
        adamStep(weight, weightGrad, weightState, m_params.learningRate, m_params.weightDecay);
        adamStep(bias, biasGrad, biasState, m_params.learningRate, m_params.weightDecay);
        total += step.loss * double(rows);
    }
    // A head is frozen only after an epoch of steps, so every head's moments exist by then.
    const auto scatter = [&](torch::Tensor &all, const torch::Tensor &part) {
        if (someFrozen)
            all.index_copy_(0, live, part);
        else
            all = part;
    };
    scatter(m_weight, weight);
    scatter(m_bias, bias);
    scatter(m_weightState.firstMoment, weightState.firstMoment);
    scatter(m_weightState.secondMoment, weightState.secondMoment);
    scatter(m_biasState.firstMoment, biasState.firstMoment);
    scatter(m_biasState.secondMoment, biasState.secondMoment);
    m_weightState.step = weightState.step;
    m_biasState.step = biasState.step;
    auto loss = (total / double(n)).to(torch::kCPU, torch::kDouble);
    if (!someFrozen)
        return loss;
    return torch::zeros({allHeads}, loss.options()).index_copy_(0, live.to(torch::kCPU), loss);
}

// Robust SIC's pruning (SicParams::pruneEpoch, docs/ROBUST-SIC.md): every head's partition is
// ranked by the criterion the selection uses (kNN leakage − semantic agreement, on the training
// rows and their graph), and the heads still training outside the pruneKeep best stop. A head
// that has settled keeps its place in the ranking; it costs nothing to keep.
void SicTrainer::pruneHeads(const torch::Tensor &features, const torch::Tensor &labels, const torch::Tensor &texts, int epoch,
                            SicTrained &out)
{
    const auto heads = labels.size(1);
    if (m_params.pruneKeep <= 0 || heads <= m_params.pruneKeep)
        return;
    std::vector<double> criterion(std::size_t(heads), 0.0);
    for (std::int64_t h = 0; h < heads; ++h) {
        const auto own = labels.select(1, h).contiguous();
        criterion[std::size_t(h)] = knnLeakage(own, m_knn, m_params.k);
        if (texts.defined())
            criterion[std::size_t(h)] -= semanticAgreement(own, features, texts, m_params.k, m_params.xiA);
    }
    std::vector<std::int64_t> order(static_cast<std::size_t>(heads));
    std::iota(order.begin(), order.end(), std::int64_t(0));
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return criterion[std::size_t(a)] < criterion[std::size_t(b)]; });
    for (std::size_t rank = std::size_t(m_params.pruneKeep); rank < order.size(); ++rank) {
        const auto h = order[rank];
        if (!m_active[h].item<bool>())
            continue;
        m_active[h] = false;
        out.stopReasons[std::size_t(h)] = QStringLiteral("stopped at epoch %1, ranked %2 of %3 candidates by the criterion (%4) when %5 "
                                                         "trained on")
                                              .arg(epoch)
                                              .arg(rank + 1)
                                              .arg(heads)
                                              .arg(criterion[std::size_t(h)], 0, 'f', 4)
                                              .arg(m_params.pruneKeep);
    }
}

Result<SicTrained> SicTrainer::run(const SicInputs &in)
{
    const auto &features = in.features;
    const bool semantic = in.allTexts.defined();
    const auto n = features.size(0);
    const auto heads = std::int64_t(m_plans.size());
    const bool needCentres = semantic || heads > 1 || m_plans.front().start == HeadStart::Centres;
    torch::Tensor centres = in.centres;
    if (!centres.defined() && needCentres) {
        centres = kmeans(features, m_params.k, m_params.kmeansRestarts, m_params.kmeansMaxIterations, m_params.kmeansTolerance,
                         m_params.seed, [this](auto done, auto total) { return tick(QStringLiteral("SIC: k-means"), done, total); })
                      .centres;
        if (cancelled())
            return fail(QStringLiteral("SIC cancelled"));
    }
    SicTrained out;
    out.plans = m_plans;
    if (semantic) {
        if (auto ok = buildSemanticSpace(in, centres, out); !ok)
            return ok.takeError();
    }
    m_knn = in.knn;
    out.approximateKnn = usesApproximateKnn(std::max(n, in.photos), m_params.exactKnnRows, features.device());
    if (m_knn.defined()) {
        tick(QStringLiteral("SIC: neighbour graph (reused)"), 1, 1);
    } else if (out.approximateKnn) {
        auto graph = approximateKnnGraph(features, m_params.neighbours, m_params.seed, [this](auto done, auto total) {
            return tick(QStringLiteral("SIC: approximate neighbour graph"), done, total);
        });
        if (!graph)
            return graph.takeError();
        m_knn = *graph;
    } else {
        m_knn = knnGraph(features, m_params.neighbours, m_params.knnBlock,
                         [this](auto done, auto total) { return tick(QStringLiteral("SIC: neighbour graph"), done, total); });
    }
    if (cancelled())
        return fail(QStringLiteral("SIC cancelled"));
    out.knn = m_knn;
    out.centres = centres;
    initHead(features, centres);
    out.bf16 = m_params.allowBf16 && features.device().is_cpu() && features.scalar_type() == torch::kFloat32 && features.is_contiguous()
               && torchrt::cpuHasFastBf16();
    m_lowFeatures = out.bf16 ? features.to(torch::kBFloat16) : torch::Tensor();

    auto current = epochLogits(features);
    auto currentLabels = current.argmax(2);
    std::vector<int> stableEpochs(std::size_t(heads), 0);
    out.epochs.assign(std::size_t(heads), 0);
    out.stopReasons.assign(std::size_t(heads), QString());
    const std::int64_t stepsPerEpoch = (n + m_params.batchSize - 1) / m_params.batchSize;
    // Once one head has settled at epoch E, the others have until epoch 2E: a head that needs
    // longer is still moving, and is kept as it stands. This bounds several heads' training at
    // about twice a single run's.
    int firstSettled = 0;
    const auto pruneEpoch = std::max<std::int64_t>(m_params.pruneEpoch, (kMinStepsBeforePruning + stepsPerEpoch - 1) / stepsPerEpoch);
    for (int epoch = 1; epoch <= m_params.maxEpochs; ++epoch) {
        const auto activeCpu = m_active.to(torch::kCPU);
        // The heads still training; a frozen head's logits and pseudo-labels no longer change
        // or matter. Undefined while every head trains.
        const auto live = activeCpu.all().item<bool>() ? torch::Tensor() : m_active.nonzero().flatten();
        torch::Tensor pseudo;
        if (semantic) {
            // Every live head's centres in one pass: N x L·c logits, L·c confident and semantic
            // centres. Products over all N rows: unlike a mini-batch step, these gain from every
            // intra-op thread (50,000 rows, five heads: about 0.1 s instead of 0.19 s on two cores).
            const auto liveLogits = live.defined() ? current.index_select(1, live) : current;
            const auto semanticH = semanticCentres(confidentCentres(liveLogits.reshape({n, -1}), features, m_params.xiC, m_params.k),
                                                   out.semanticTexts, m_params.xiA);
            const auto scores = m_lowFeatures.defined() ? m_lowFeatures.mm(semanticH.to(torch::kBFloat16).t()) : features.mm(semanticH.t());
            pseudo = scores.view({n, liveLogits.size(1), m_params.k}).argmax(2);
        }
        const auto loss = trainEpoch(features, pseudo, live);
        if (cancelled())
            return fail(QStringLiteral("SIC cancelled"));
        if (live.defined())
            current.index_copy_(1, live, epochLogits(features, live));
        else
            current = epochLogits(features);
        auto nextLabels = current.argmax(2);
        const auto changed = (nextLabels != currentLabels).sum(0).to(torch::kCPU);
        currentLabels = nextLabels;
        double lossSum = 0;
        std::int64_t changedSum = 0;
        int training = 0;
        for (std::int64_t h = 0; h < heads; ++h) {
            if (!activeCpu[h].item<bool>())
                continue;
            const auto moved = changed[h].item<std::int64_t>();
            lossSum += loss[h].item<double>();
            changedSum += moved;
            ++training;
            auto &stable = stableEpochs[std::size_t(h)];
            stable = double(moved) <= m_params.stableFraction * double(n) ? stable + 1 : 0;
            out.epochs[std::size_t(h)] = epoch;
            if (epoch >= m_params.minEpochs && std::int64_t(epoch) * stepsPerEpoch >= kMinStepsBeforeStable
                && stable >= m_params.stablePatience) {
                out.stopReasons[std::size_t(h)] =
                    QStringLiteral("assignments stable: at most %1% of the images changed cluster in each of the "
                                   "last %2 epochs")
                        .arg(100.0 * m_params.stableFraction)
                        .arg(m_params.stablePatience);
                m_active[h] = false;
                if (firstSettled == 0)
                    firstSettled = epoch;
            }
        }
        if (epoch == pruneEpoch && epoch < m_params.maxEpochs)
            pruneHeads(features, currentLabels, semantic ? out.semanticTexts : torch::Tensor(), epoch, out);
        if (firstSettled > 0 && epoch >= 2 * firstSettled && epoch < m_params.maxEpochs) {
            for (std::int64_t h = 0; h < heads; ++h) {
                if (m_active[h].item<bool>() && out.stopReasons[std::size_t(h)].isEmpty()) {
                    out.stopReasons[std::size_t(h)] =
                        QStringLiteral("stopped after %1 epochs, twice as many as the first candidate needed to "
                                       "settle")
                            .arg(epoch);
                    m_active[h] = false;
                }
            }
        }
        const QString stillTraining = heads == 1 ? QString() : QStringLiteral(", %1 of %2 candidates").arg(training).arg(heads);
        tick(QStringLiteral("SIC: training%1, loss %2, %3 images changed cluster")
                 .arg(stillTraining)
                 .arg(lossSum / training, 0, 'f', 4)
                 .arg(changedSum),
             epoch, m_params.maxEpochs);
        if (!m_active.any().item<bool>())
            break;
    }
    for (auto &reason : out.stopReasons) {
        if (reason.isEmpty())
            reason = QStringLiteral("reached the maximum of %1 epochs").arg(m_params.maxEpochs);
        if (!semantic)
            reason += QStringLiteral("; image-space-only variant (no text features)");
    }
    out.logits = m_lowFeatures.defined() ? logits(features) : current;   // the partition itself from fp32 logits
    m_lowFeatures = torch::Tensor();
    return out;
}

}   // namespace clade::sicops
