#include <torch/torch.h>

#include "embedtiming.h"

#include "catalog/catalog.h"
#include "clip/clipmodel.h"
#include "exiv2/exiv2metadatareader.h"
#include "io/npy.h"
#include "opencv/opencvdecoder.h"
#include "pipeline/pipeline.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <random>

namespace clade::bench {

namespace {

NpyArray randomBatch(int batch, int resolution, quint64 seed)
{
    NpyArray a;
    a.shape = {batch, 3, resolution, resolution};
    a.data.resize(std::size_t(batch) * 3 * std::size_t(resolution) * std::size_t(resolution));
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float &v : a.data)
        v = normal(rng);
    return a;
}

Status runBatch(ClipModel &model, const NpyArray &batch)
{
    Result<FeatureMatrix> features = model.encodeImageTensors(batch);
    if (!features)
        return features.takeError();
    if (features->rows != std::size_t(batch.shape[0]))
        return fail(QStringLiteral("The model returned %1 embeddings for %2 images").arg(features->rows).arg(batch.shape[0]));
    return {};
}

double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

}   // namespace

Result<Rate> timeModelOnly(ClipModel &model, int batch, const TimingBudget &budget, quint64 seed)
{
    const NpyArray input = randomBatch(batch, model.imageResolution(), seed);
    for (int i = 0; i < budget.warmupBatches; ++i)
        if (Status s = runBatch(model, input); !s)
            return s.takeError();
    Rate rate;
    QElapsedTimer timer;
    timer.start();
    for (int done = 0; done < budget.minBatches || seconds(timer) < budget.minSeconds; ++done) {
        if (Status s = runBatch(model, input); !s)
            return s.takeError();
        rate.images += batch;
    }
    rate.seconds = seconds(timer);
    return rate;
}

Result<double> minCosineAgreement(ClipModel &a, ClipModel &b, int batch, quint64 seed)
{
    const NpyArray input = randomBatch(batch, a.imageResolution(), seed);
    Result<FeatureMatrix> x = a.encodeImageTensors(input);
    if (!x)
        return x.takeError();
    Result<FeatureMatrix> y = b.encodeImageTensors(input);
    if (!y)
        return y.takeError();
    if (x->rows != y->rows || x->cols != y->cols)
        return fail(QStringLiteral("The two models' embeddings differ in shape"));
    double worst = 1.0;
    for (std::size_t r = 0; r < x->rows; ++r) {
        double dot = 0, nx = 0, ny = 0;
        for (std::size_t c = 0; c < x->cols; ++c) {
            dot += double(x->row(r)[c]) * y->row(r)[c];
            nx += double(x->row(r)[c]) * x->row(r)[c];
            ny += double(y->row(r)[c]) * y->row(r)[c];
        }
        worst = std::min(worst, dot / std::sqrt(nx * ny));
    }
    return worst;
}

double measuredGemmGflops(bool bf16, double seconds)
{
    constexpr std::int64_t n = 2048;
    torch::InferenceMode inference;
    const auto dtype = bf16 ? torch::kBFloat16 : torch::kFloat;
    const auto a = torch::randn({n, n}).to(dtype);
    const auto b = torch::randn({n, n}).to(dtype);
    auto out = torch::empty({n, n}, dtype);
    torch::mm_out(out, a, b);   // warm-up: thread pool, oneDNN's kernels
    QElapsedTimer timer;
    timer.start();
    int products = 0;
    while (products < 3 || double(timer.nsecsElapsed()) / 1e9 < seconds) {
        torch::mm_out(out, a, b);
        ++products;
    }
    return 2.0 * double(n) * double(n) * double(n) * products / (double(timer.nsecsElapsed()) / 1e9) / 1e9;
}

Result<EndToEnd> timeEndToEnd(const std::shared_ptr<ClipModel> &model, const QString &folder)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(QStringLiteral("Cannot create a temporary directory for the catalog: %1").arg(dir.errorString()));
    Result<std::unique_ptr<Catalog>> catalog = Catalog::open(dir.filePath(QStringLiteral("bench.sqlite")));
    if (!catalog)
        return catalog.takeError();
    const Exiv2MetadataReader metadata;
    const OpenCvDecoder decoder(&metadata);
    ClipExtractor extractor(model);
    PipelineServices services;
    services.decoder = &decoder;
    services.metadata = &metadata;
    services.extractor = &extractor;
    Pipeline pipeline(**catalog, services);
    Progress progress;
    EndToEnd out;
    QElapsedTimer timer;
    timer.start();
    Result<ScanStats> scanned = pipeline.scan(folder, progress);
    if (!scanned)
        return scanned.takeError();
    out.scanSeconds = seconds(timer);
    out.images = scanned->images;
    PipelineOptions options;
    options.folder = folder;
    out.layout = describe(pipeline.threadLayout(options));
    timer.restart();
    Result<int> embedded = pipeline.embed(folder, options, progress);
    if (!embedded)
        return embedded.takeError();
    out.embed = Rate{*embedded, seconds(timer)};
    return out;
}

}   // namespace clade::bench
