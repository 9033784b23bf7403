#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include "siccache_p.h"
#include "sicops_p.h"
#include "sictrainer_p.h"

#include "runtime.h"
#include "sic.h"

#include "cluster/namecleaning.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <numeric>

namespace clade {

bool approximateNeighboursAvailable()
{
    return sicops::approximateKnnAvailable();
}

QString displayNoun(const QString &noun)
{
    return QString(noun).replace(QLatin1Char('_'), QLatin1Char(' ')).trimmed();
}

namespace {

Status validateParams(const SicParams &p, std::size_t rows)
{
    if (p.k < 1 || std::size_t(p.k) > rows)
        return fail(QStringLiteral("K must be between 1 and the number of images (%1), got %2").arg(rows).arg(p.k));
    if (p.knnBlock < 1)
        return fail(QStringLiteral("the kNN block size must be positive"));
    return checkSicParameters(p);
}

Status validateInput(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns, const SicParams &params)
{
    if (images.empty() || images.values.size() != images.rows * images.cols)
        return fail(QStringLiteral("no image features to cluster"));
    if ((texts == nullptr) != (nouns == nullptr))
        return fail(QStringLiteral("text features and nouns must be given together"));
    if (texts) {
        if (texts->empty() || texts->values.size() != texts->rows * texts->cols)
            return fail(QStringLiteral("the text features are empty"));
        if (texts->cols != images.cols)
            return fail(QStringLiteral("text features have %1 dimensions but image features have %2").arg(texts->cols).arg(images.cols));
        if (std::size_t(nouns->size()) != texts->rows)
            return fail(QStringLiteral("%1 nouns for %2 text feature rows").arg(nouns->size()).arg(texts->rows));
    }
    return validateParams(params, images.rows);
}

torch::Tensor toTensor(const FeatureMatrix &m, const torch::Device &device)
{
    auto cpu = torch::from_blob(const_cast<float *>(m.values.data()), {std::int64_t(m.rows), std::int64_t(m.cols)}, torch::kFloat32);
    return device.is_cpu() ? cpu.clone() : cpu.to(device);
}

Status checkFinite(const torch::Tensor &t, const QString &what)
{
    if (!torch::isfinite(t).all().item<bool>())
        return fail(QStringLiteral("%1 contain NaN or infinite values").arg(what));
    return {};
}

// The caller's image rows, checked and scaled to kSicFeatureNorm (in double, so that raw and
// L2-normalised inputs agree to the last bit nearly everywhere), on `device`. A row with NaN or
// infinite values, or all zeros (no direction), is refused. One float copy and no more
// (docs/SCALE.md: the 6 GB bound at a million rows). A plain loop over the rows: the same
// arithmetic as tensor operations in double took 2.0 s for 200,000 x 512 on the 2-core machine
// (blocks converted to double and back), the loop 0.8 s, most of it the first touch of the copy.
Result<torch::Tensor> imageFeaturesAtSicScale(const FeatureMatrix &m, const torch::Device &device)
{
    const auto rows = std::int64_t(m.rows);
    const auto cols = std::int64_t(m.cols);
    auto scaled = torch::empty({rows, cols}, torch::kFloat32);
    const float *from = m.values.data();
    float *to = scaled.data_ptr<float>();
    for (std::int64_t r = 0; r < rows; ++r) {
        const float *row = from + r * cols;
        double squares = 0;   // not finite exactly when a value is not (a float's square cannot overflow a double)
        for (std::int64_t j = 0; j < cols; ++j)
            squares += double(row[j]) * double(row[j]);
        if (!std::isfinite(squares))
            return fail(QStringLiteral("image features contain NaN or infinite values (row %1)").arg(r));
        if (squares <= 0)
            return fail(QStringLiteral("image feature row %1 is all zeros").arg(r));
        const double scale = kSicFeatureNorm / std::sqrt(squares);
        for (std::int64_t j = 0; j < cols; ++j)
            to[r * cols + j] = float(double(row[j]) * scale);
    }
    return device.is_cpu() ? scaled : scaled.to(device);
}

// §6: the nearest nouns of each group's centre, re-ranked by distinctiveness, then cleaned
// (near-duplicates and the low-score tail dropped, namecleaning.h). The centres are the
// normalised means of the groups' members, so the names describe the groups as returned (also
// after a refill, or when the k-means partition was chosen).
std::vector<std::vector<NameScore>> clusterNames(const torch::Tensor &centres, const torch::Tensor &texts, const torch::Tensor &nounIndex,
                                                 const QStringList &nouns, const SicParams &p)
{
    const auto cosine = sicops::cosineMatrix(centres, texts);
    const auto take = std::min<std::int64_t>(p.nameCandidates, texts.size(0));
    const auto candidates = std::get<1>(cosine.topk(take, 1));
    const auto scores = sicops::distinctiveness(centres, texts).gather(1, candidates);
    auto [sorted, order] = scores.sort(1, /*descending=*/true);
    const auto rows = nounIndex.to(torch::kCPU).index_select(0, candidates.gather(1, order).flatten().cpu()).view({centres.size(0), take});
    const auto rowsA = rows.accessor<std::int64_t, 2>();
    const auto scoreCpu = sorted.to(torch::kCPU, torch::kDouble);
    const auto scoresA = scoreCpu.accessor<double, 2>();
    std::vector<std::vector<NameScore>> names(std::size_t(centres.size(0)));
    for (std::int64_t j = 0; j < centres.size(0); ++j) {
        std::vector<NameScore> ranked;
        for (std::int64_t r = 0; r < take; ++r) {
            const QString noun = displayNoun(nouns.at(int(rowsA[j][r])));
            if (!noun.isEmpty())
                ranked.push_back(NameScore{noun, scoresA[j][r]});
        }
        names[std::size_t(j)] = cleanNames(ranked, p.nameScoreRatio, p.nameCount);
    }
    return names;
}

// Features (and earlier K-independent work) from the cache when they match, else fresh ones.
Status prepareInputs(const FeatureMatrix &images, const FeatureMatrix *texts, const SicParams &params, const torch::Device &device,
                     SicCache *cache, sicops::SicInputs &in)
{
    if (cache) {
        auto found = cache->impl().find(images, device, params);
        in.features = found.features;
        in.knn = found.knn;
        in.centres = found.centres;
    }
    if (!in.features.defined()) {
        auto scaled = imageFeaturesAtSicScale(images, device);
        if (!scaled)
            return scaled.takeError();
        in.features = std::move(*scaled);
    }
    if (texts) {
        in.allTexts = toTensor(*texts, device);
        if (auto ok = checkFinite(in.allTexts, QStringLiteral("text features")); !ok)
            return ok;
    }
    return {};
}

// A partition robust SIC considers: its logits (for the confidence) and labels.
// Spec §1.5's centre rule as logits: α(2 f·c_j − ‖c_j‖²), whose softmax picks the nearest centre.
torch::Tensor centreRuleLogits(const torch::Tensor &features, const torch::Tensor &centres, double alpha)
{
    return alpha * torch::addmm(-centres.pow(2).sum(1), features, centres.t(), 1.0, 2.0);
}

struct Candidate
{
    torch::Tensor logits;
    torch::Tensor labels;
    SicCandidate info;
};

std::vector<Candidate> candidatesOf(const sicops::SicTrained &trained, const torch::Tensor &features, const SicParams &params)
{
    std::vector<Candidate> out;
    for (std::size_t h = 0; h < trained.plans.size(); ++h) {
        Candidate c;
        c.logits = trained.logits.select(1, std::int64_t(h));
        const auto &plan = trained.plans[h];
        c.info.kind = plan.start == sicops::HeadStart::Centres ? QStringLiteral("k-means start") : QStringLiteral("random start");
        if (plan.balanceShare != 1.0)
            c.info.kind += QStringLiteral(", balance %1λ").arg(plan.balanceShare);
        c.info.epochs = trained.epochs[h];
        c.info.stopReason = trained.stopReasons[h];
        out.push_back(std::move(c));
    }
    if (trained.plans.size() > 1 && trained.centres.defined()) {
        // The k-means partition itself, with the centre rule's logits (spec §1.5) for confidence.
        Candidate c;
        const auto &centres = trained.centres;
        c.logits = centreRuleLogits(features, centres, params.centerInitAlpha);
        c.info.kind = QStringLiteral("k-means");
        c.info.stopReason = QStringLiteral("k-means partition (%1 restarts)").arg(params.kmeansRestarts);
        if (!trained.semanticTexts.defined())
            c.info.stopReason += QStringLiteral("; image-space-only variant (no text features)");
        out.push_back(std::move(c));
    }
    for (Candidate &c : out)
        c.labels = c.logits.argmax(1);
    return out;
}

// Refinement's reach: the candidates it works on and the moves each may make.
constexpr std::size_t kRefinedCandidates = 2;
constexpr int kMaxRefineMoves = 8;
constexpr std::int64_t kRefineRows = 20000;

// The label-free criterion (docs/ROBUST-SIC.md): lower is better.
double criterionOf(const SicCandidate &c, bool semantic)
{
    return semantic ? c.leakage - c.semanticAgreement : c.leakage;
}

// Scores a partition by criterionOf; the graph joins the rows `graphRows` selects (all when undefined).
double scorePartition(SicCandidate &info, const torch::Tensor &labels, const torch::Tensor &features, const torch::Tensor &graphRows,
                      const sicops::SicTrained &trained, const SicParams &params, bool semantic)
{
    info.leakage = sicops::knnLeakage(graphRows.defined() ? labels.index_select(0, graphRows) : labels, trained.knn, params.k);
    if (semantic)
        info.semanticAgreement = sicops::semanticAgreement(labels, features, trained.semanticTexts, params.k, params.xiA);
    info.criterion = criterionOf(info, semantic);
    return info.criterion;
}

// Refinement (docs/ROBUST-SIC.md): the kRefinedCandidates best candidates by the criterion get
// merge-and-split moves that lower it (sicops::refinePartition). A refined candidate's groups are
// no longer its head's, so its logits become the centre rule's (spec §1.5) on its groups' means:
// confidence then says how near a photo is to its own group's centre against the others'.
// On a run trained on a sample the moves are found on the sample (the graph's rows) and then
// replayed on every photo, each split's cut placing all its group's members.
void refineBest(std::vector<Candidate> &candidates, const torch::Tensor &features, const torch::Tensor &graphRows,
                const sicops::SicTrained &trained, const SicParams &params, bool semantic, Progress *progress)
{
    std::vector<std::size_t> order(candidates.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return candidates[a].info.criterion < candidates[b].info.criterion; });
    const auto graphFeatures = graphRows.defined() ? features.index_select(0, graphRows) : features;
    // Above kRefineRows graph rows the moves are judged on a fixed sample of them (the kept
    // candidates are scored on every row afterwards), so that refinement costs what it costs at
    // that size.
    const std::int64_t graphSize = trained.knn.size(0);
    torch::Tensor judged;
    if (graphSize > kRefineRows) {
        auto generator = at::detail::createCPUGenerator(params.seed + 2);
        judged = std::get<0>(torch::randperm(graphSize, generator, torch::kLong).narrow(0, 0, kRefineRows).sort()).to(features.device());
    }
    // scorePartition's criterion on the judged rows, updated from proposal to proposal.
    sicops::PartitionJudge judge(graphFeatures, trained.knn, semantic ? trained.semanticTexts : torch::Tensor(), params.k, params.xiA,
                                 judged);
    const auto criterion = [&judge](const torch::Tensor &graphLabels) { return judge(graphLabels); };
    // On a training sample only the best candidate is refined: each candidate's moves cost
    // about 6 s there (456 judgements of 20,000 rows), a tenth of the run.
    const std::size_t refined = std::min(graphRows.defined() ? std::size_t(1) : kRefinedCandidates, order.size());
    for (std::size_t r = 0; r < refined; ++r) {
        if (progress) {
            progress->report(QStringLiteral("SIC: refining the best candidates"), std::int64_t(r), std::int64_t(refined));
            if (progress->cancelled())
                return;   // the candidates stay as trained
        }
        Candidate &c = candidates[order[r]];
        const auto graphLabels = graphRows.defined() ? c.labels.index_select(0, graphRows) : c.labels;
        auto moved = sicops::refinePartition(graphLabels, graphFeatures, trained.knn, trained.semanticTexts, params.k, params.xiA,
                                             criterion, kMaxRefineMoves);
        if (moved.moves.empty())
            continue;
        auto labels = graphRows.defined() ? sicops::replayMoves(c.labels, features, moved.moves) : moved.labels;
        // Judged on a sample, a move could still lose on every row: then the candidate stays as trained.
        SicCandidate scored = c.info;
        if (scorePartition(scored, labels, features, graphRows, trained, params, semantic) >= c.info.criterion)
            continue;
        const auto moves = moved.moves.size();
        c.info = scored;
        c.labels = labels;
        c.info.stopReason += QStringLiteral("; refined by %1 merge-and-split move%2").arg(moves).arg(moves == 1 ? "" : "s");
        c.logits = centreRuleLogits(features, sicops::groupMeans(c.labels, features, params.k), params.centerInitAlpha);
    }
}

Result<SicResult> runOnDevice(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns, const SicParams &params,
                              Progress *progress, const torch::Device &device, SicCache *cache)
{
    sicops::SicInputs in;
    if (auto ok = prepareInputs(images, texts, params, device, cache, in); !ok)
        return ok.takeError();
    // Above trainingRowCount rows the heads train on a sample and then assign every row: a linear
    // head learnt from 50,000 photos places the rest as well, and the epochs cost what the
    // sample costs (docs/SCALE.md).
    const auto sample = sicops::trainingSample(in.features.size(0), params);
    sicops::SicInputs training = in;
    if (sample.defined()) {
        training.features = in.features.index_select(0, sample.to(device));
        training.photos = in.features.size(0);
    }
    sicops::SicTrainer trainer(params, progress);
    auto trained = trainer.run(training);
    if (!trained)
        return trained.takeError();
    if (cache)
        cache->impl().store(images, in.features, params, trained->knn, trained->centres);
    if (sample.defined()) {
        if (progress)
            progress->report(QStringLiteral("SIC: assigning every photo"), 0, 1);
        trained->logits = trainer.logits(in.features);
    }
    training.features = torch::Tensor();
    SicResult result;
    result.reused = in.knn.defined();
    result.semantic = trained->semanticTexts.defined();
    result.semanticSpaceSize = result.semantic ? int(trained->semanticTexts.size(0)) : 0;
    result.device = device.is_cuda() ? QStringLiteral("cuda") : QStringLiteral("cpu");
    result.bf16 = trained->bf16;
    result.trainedOn = sample.defined() ? sample.size(0) : in.features.size(0);
    if (trained->approximateKnn) {
        const auto plan = sicops::approximateKnnPlan(trained->knn.size(0));
        result.neighbourGraph = QStringLiteral("approximate (faiss IVF-Flat, %1 lists, %2 probes)").arg(plan.lists).arg(plan.probes);
    } else {
        result.neighbourGraph = QStringLiteral("exact");
    }
    if (sample.defined())
        result.neighbourGraph += QStringLiteral(" on a training sample of %1 photos").arg(result.trainedOn);
    if (progress)
        progress->report(QStringLiteral("SIC: choosing among the candidates"), 0, 1);

    auto candidates = candidatesOf(*trained, in.features, params);
    // The graph joins the rows trained on: leakage is measured on them.
    const auto graphRows = sample.defined() ? sample.to(device) : torch::Tensor();
    for (Candidate &c : candidates) {
        auto [labels, emptied] = sicops::refillEmptyGroups(c.labels, in.features, params.k);
        c.labels = labels;
        c.info.emptied = emptied;
        scorePartition(c.info, c.labels, in.features, graphRows, *trained, params, result.semantic);
    }
    if (candidates.size() > 1)
        refineBest(candidates, in.features, graphRows, *trained, params, result.semantic, progress);
    std::size_t chosen = 0;
    for (std::size_t i = 1; i < candidates.size(); ++i) {
        if (candidates[i].info.criterion < candidates[chosen].info.criterion)
            chosen = i;
    }
    for (const Candidate &c : candidates) {
        result.candidates.push_back(c.info);
        const auto labels = c.labels.to(torch::kCPU, torch::kInt32).contiguous();
        result.candidateLabels.emplace_back(labels.data_ptr<int>(), labels.data_ptr<int>() + labels.numel());
    }
    const Candidate &best = candidates[chosen];
    result.chosen = int(chosen);
    result.repaired = best.info.emptied;
    result.epochs = *std::max_element(trained->epochs.begin(), trained->epochs.end());
    result.stopReason = best.info.stopReason;
    if (candidates.size() > 1)
        result.stopReason += QStringLiteral("; chosen from %1 candidates (%2)").arg(candidates.size()).arg(best.info.kind);
    if (best.info.emptied > 0)
        result.stopReason += QStringLiteral("; %1 empty group(s) refilled by splitting the widest").arg(best.info.emptied);
    if (sample.defined())
        result.stopReason += QStringLiteral("; trained on a sample of %1 of the %2 photos, then every photo assigned")
                                 .arg(result.trainedOn)
                                 .arg(images.rows);
    result.labels = result.candidateLabels[chosen];
    const auto confidence =
        best.logits.softmax(1).gather(1, best.labels.unsqueeze(1)).squeeze(1).to(torch::kCPU, torch::kFloat32).contiguous();
    result.confidence.assign(confidence.data_ptr<float>(), confidence.data_ptr<float>() + confidence.numel());
    if (result.semantic) {
        const auto centres = sicops::memberCentres(best.labels, in.features, params.k);
        result.names = clusterNames(centres, trained->semanticTexts, trained->semanticIndex, *nouns, params);
    }
    return result;
}

QString outOfMemory(const FeatureMatrix &images, const QString &detail)
{
    return QStringLiteral("SIC ran out of memory on %1 photos of %2 numbers (%3); close other programs or cluster fewer photos at once")
        .arg(images.rows)
        .arg(images.cols)
        .arg(detail);
}

}   // namespace

Result<SicResult> runSic(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns, const SicParams &params,
                         Progress *progress, SicCache *cache)
{
    if (auto ok = validateInput(images, texts, nouns, params); !ok)
        return ok.takeError();
    torchrt::configure();
    try {
        const bool cuda = params.allowGpu && torchrt::cudaAvailable();
        const torch::Device device(cuda ? torch::kCUDA : torch::kCPU);
        torch::NoGradGuard noGrad;   // the trainer enables gradients where it needs them
        return runOnDevice(images, texts, nouns, params, progress, device, cache);
    } catch (const c10::Error &e) {
        const QString what = QString::fromUtf8(e.what_without_backtrace());
        // CUDA says "out of memory", libtorch's CPU allocator "not enough memory".
        if (what.contains(QLatin1String("out of memory"), Qt::CaseInsensitive)
            || what.contains(QLatin1String("not enough memory"), Qt::CaseInsensitive))
            return fail(outOfMemory(images, what.section(QLatin1Char('\n'), 0, 0)));
        return fail(QStringLiteral("SIC failed in libtorch: %1").arg(what));
    } catch (const std::bad_alloc &) {
        return fail(outOfMemory(images, QStringLiteral("std::bad_alloc")));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("SIC failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

Result<std::vector<std::vector<NameScore>>> nameGroups(const FeatureMatrix &images, const std::vector<int> &labels,
                                                       const FeatureMatrix &texts, const QStringList &nouns, const SicParams &params)
{
    if (images.empty() || labels.size() != images.rows)
        return fail(QStringLiteral("%1 labels for %2 photos").arg(labels.size()).arg(images.rows));
    if (texts.empty() || texts.cols != images.cols || qsizetype(texts.rows) != nouns.size())
        return fail(QStringLiteral("The vocabulary's %1 text rows (%2 numbers each) do not fit %3 nouns and photos of %4 numbers")
                        .arg(texts.rows)
                        .arg(texts.cols)
                        .arg(nouns.size())
                        .arg(images.cols));
    for (int label : labels) {
        if (label < 0 || label >= params.k)
            return fail(QStringLiteral("label %1 outside 0..%2").arg(label).arg(params.k - 1));
    }
    torchrt::configure();
    try {
        torch::NoGradGuard noGrad;
        const torch::Device cpu(torch::kCPU);
        auto features = imageFeaturesAtSicScale(images, cpu);
        if (!features)
            return features.takeError();
        const auto allTexts = toTensor(texts, cpu);
        if (auto ok = checkFinite(allTexts, QStringLiteral("text features")); !ok)
            return ok.takeError();
        const auto labelTensor = torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end()), torch::kLong);
        const auto counts = torch::bincount(labelTensor, {}, params.k);
        const auto present = (counts > 0).nonzero().flatten();
        const auto centres = sicops::memberCentres(labelTensor, *features, params.k).index_select(0, present);
        const auto kept = sicops::intersectSorted(sicops::centreNounIndices(centres, allTexts, params.gammaR),
                                                  sicops::uniqueNounIndices(allTexts, params.gammaU));
        if (kept.numel() == 0)
            return fail(QStringLiteral("no noun of the vocabulary is both near a group and distinct enough (gamma_u)"));
        const auto named = clusterNames(centres, allTexts.index_select(0, kept), kept, nouns, params);
        std::vector<std::vector<NameScore>> names(std::size_t(params.k));
        const auto presentA = present.accessor<std::int64_t, 1>();
        for (std::int64_t j = 0; j < present.size(0); ++j)
            names[std::size_t(presentA[j])] = named[std::size_t(j)];
        return names;
    } catch (const c10::Error &e) {
        return fail(QStringLiteral("Naming failed in libtorch: %1").arg(QString::fromUtf8(e.what_without_backtrace())));
    }
}

}   // namespace clade
