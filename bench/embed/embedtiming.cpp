#include "embedtiming.h"

#include "catalog/catalog.h"
#include "clip/clipmodel.h"
#include "exiv2/exiv2metadatareader.h"
#include "io/npy.h"
#include "opencv/opencvdecoder.h"
#include "pipeline/pipeline.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

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
