#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include "siccache_p.h"
#include "sicops_p.h"
#include "sictrainer_p.h"

#include "runtime.h"
#include "sic.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace clade {

SicParams defaultSicParams(int k)
{
    SicParams params;
    params.k = k;
    return params;
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
    if (p.batchSize < 1 || p.maxEpochs < 1 || p.neighbours < 0 || p.gammaR < 1 || p.xiA < 1 || p.minEpochs < 0
        || p.stablePatience < 1 || p.kmeansRestarts < 1 || p.kmeansMaxIterations < 1 || p.nameCount < 0
        || p.nameCandidates < 1 || p.knnBlock < 1)
        return fail(QStringLiteral("SIC parameters out of range (counts must be positive)"));
    if (!(p.learningRate > 0) || !(p.xiC > 0 && p.xiC <= 1) || !(p.gammaU >= 0 && p.gammaU <= 2)
        || !(p.entropyWeight >= 0) || !(p.ceWeight >= 0) || !(p.weightDecay >= 0) || !(p.stableFraction >= 0))
        return fail(QStringLiteral("SIC parameters out of range (need lr > 0, 0 < xi_c <= 1, 0 <= gamma_u <= 2, "
                                   "non-negative weights)"));
    return {};
}

Status validateInput(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns,
                     const SicParams &params)
{
    if (images.empty() || images.values.size() != images.rows * images.cols)
        return fail(QStringLiteral("no image features to cluster"));
    if ((texts == nullptr) != (nouns == nullptr))
        return fail(QStringLiteral("text features and nouns must be given together"));
    if (texts) {
        if (texts->empty() || texts->values.size() != texts->rows * texts->cols)
            return fail(QStringLiteral("the text features are empty"));
        if (texts->cols != images.cols)
            return fail(QStringLiteral("text features have %1 dimensions but image features have %2")
                            .arg(texts->cols).arg(images.cols));
        if (std::size_t(nouns->size()) != texts->rows)
            return fail(QStringLiteral("%1 nouns for %2 text feature rows").arg(nouns->size()).arg(texts->rows));
    }
    return validateParams(params, images.rows);
}

torch::Tensor toTensor(const FeatureMatrix &m, const torch::Device &device)
{
    auto cpu = torch::from_blob(const_cast<float *>(m.values.data()),
                                {std::int64_t(m.rows), std::int64_t(m.cols)}, torch::kFloat32);
    return device.is_cpu() ? cpu.clone() : cpu.to(device);
}

Status checkFinite(const torch::Tensor &t, const QString &what)
{
    if (!torch::isfinite(t).all().item<bool>())
        return fail(QStringLiteral("%1 contain NaN or infinite values").arg(what));
    return {};
}

// §6: the nearest nouns of each confident centre, re-ranked by distinctiveness, de-duplicated.
std::vector<std::vector<NameScore>> clusterNames(const torch::Tensor &centres, const torch::Tensor &texts,
                                                 const torch::Tensor &nounIndex, const QStringList &nouns,
                                                 const SicParams &p)
{
    const auto cosine = sicops::cosineMatrix(centres, texts);
    const auto take = std::min<std::int64_t>(p.nameCandidates, texts.size(0));
    const auto candidates = std::get<1>(cosine.topk(take, 1));
    const auto scores = sicops::distinctiveness(centres, texts).gather(1, candidates);
    auto [sorted, order] = scores.sort(1, /*descending=*/true);
    const auto rows = nounIndex.to(torch::kCPU).index_select(0, candidates.gather(1, order).flatten().cpu())
                          .view({centres.size(0), take});
    const auto rowsA = rows.accessor<std::int64_t, 2>();
    const auto scoreCpu = sorted.to(torch::kCPU, torch::kDouble);
    const auto scoresA = scoreCpu.accessor<double, 2>();
    std::vector<std::vector<NameScore>> names(std::size_t(centres.size(0)));
    for (std::int64_t j = 0; j < centres.size(0); ++j) {
        QSet<QString> seen;
        for (std::int64_t r = 0; r < take && names[j].size() < std::size_t(p.nameCount); ++r) {
            const QString noun = displayNoun(nouns.at(int(rowsA[j][r])));
            if (noun.isEmpty() || seen.contains(noun))
                continue;
            seen.insert(noun);
            names[j].push_back(NameScore{noun, scoresA[j][r]});
        }
    }
    return names;
}

// Features (and earlier K-independent work) from the cache when they match, else fresh ones.
Status prepareInputs(const FeatureMatrix &images, const FeatureMatrix *texts, const SicParams &params,
                     const torch::Device &device, SicCache *cache, sicops::SicInputs &in)
{
    if (cache) {
        auto found = cache->impl().find(images, device, params);
        in.features = found.features;
        in.knn = found.knn;
        in.centres = found.centres;
    }
    if (!in.features.defined()) {
        in.features = toTensor(images, device);
        if (auto ok = checkFinite(in.features, QStringLiteral("image features")); !ok)
            return ok;
    }
    if (texts) {
        in.allTexts = toTensor(*texts, device);
        if (auto ok = checkFinite(in.allTexts, QStringLiteral("text features")); !ok)
            return ok;
    }
    return {};
}

Result<SicResult> runOnDevice(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns,
                              const SicParams &params, Progress *progress, const torch::Device &device,
                              SicCache *cache)
{
    sicops::SicInputs in;
    if (auto ok = prepareInputs(images, texts, params, device, cache, in); !ok)
        return ok.takeError();
    sicops::SicTrainer trainer(params, progress);
    auto trained = trainer.run(in);
    if (!trained)
        return trained.takeError();
    if (cache)
        cache->impl().store(images, in.features, params, trained->knn, trained->centres);
    SicResult result;
    result.reused = in.knn.defined();
    result.semantic = trained->semanticTexts.defined();
    result.semanticSpaceSize = result.semantic ? int(trained->semanticTexts.size(0)) : 0;
    result.epochs = trained->epochs;
    result.stopReason = trained->stopReason;
    result.device = device.is_cuda() ? QStringLiteral("cuda") : QStringLiteral("cpu");
    const auto probs = trained->logits.softmax(1);
    auto [conf, labels] = probs.max(1);
    const auto labelsCpu = labels.to(torch::kCPU, torch::kInt32).contiguous();
    const auto confCpu = conf.to(torch::kCPU, torch::kFloat32).contiguous();
    result.labels.assign(labelsCpu.data_ptr<int>(), labelsCpu.data_ptr<int>() + labelsCpu.numel());
    result.confidence.assign(confCpu.data_ptr<float>(), confCpu.data_ptr<float>() + confCpu.numel());
    if (result.semantic) {
        const auto centres = sicops::confidentCentres(trained->logits, in.features, params.xiC);
        result.names = clusterNames(centres, trained->semanticTexts, trained->semanticIndex, *nouns, params);
    }
    return result;
}

} // namespace

Result<SicResult> runSic(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns,
                         const SicParams &params, Progress *progress, SicCache *cache)
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
        return fail(QStringLiteral("SIC failed in libtorch: %1").arg(QString::fromUtf8(e.what_without_backtrace())));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("SIC failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace clade
