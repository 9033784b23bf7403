// bench_embed --weights FILE --photos DIR [--device auto|cpu|cuda] [--precision auto|fp32|fp16|bf16]
//             [--model-seconds S] [--compare-bf16]
// Clade's CLIP image path on one loaded model, timed two ways in one run:
//   model-only:  ClipModel::encodeImageTensors on random normalised batches at the product's
//                batch size, against the CPU's nominal fp32 FLOP ceiling (FLOP/cycle per
//                microarchitecture, cpuceiling.h) and a GEMM peak measured in the same run
//                (CPU runs only); with --compare-bf16 (CPU), the same weights in bf16 beside
//                it: speed, the bf16 GEMM peak, and the worst cosine to the fp32 embeddings;
//   end to end:  Pipeline::scan + Pipeline::embed over DIR into a temporary catalog, the path
//                the app and clade-cli run.
// Prints a human-readable report and one line "BENCH_EMBED_JSON {...}" for bench/embed/run.sh,
// which sets the results beside the Python peer's (bench/embed/peer.py).

#include "cpuceiling.h"
#include "embedtiming.h"

#include "clip/clipmodel.h"
#include "common/openmpenv.h"
#include "runtime.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cstdio>

using namespace clade;
using namespace clade::bench;

namespace {

// ViT-B/32's image tower; the FLOP count below assumes it (checked against the loaded model's
// resolution and embedding size, which is all ClipModel exposes).
constexpr int kWidth = 768, kLayers = 12, kPatch = 32, kResolution = 224, kEmbed = 512;

struct Args
{
    QString weights;
    QString photos;
    QString device;
    ClipPrecision precision = ClipPrecision::Auto;
    TimingBudget budget;
    bool compareBf16 = false;
};

Result<Args> parseArgs(const QCoreApplication &app)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Times Clade's CLIP image embedding: model only and end to end."));
    p.addHelpOption();
    p.addOption({QStringLiteral("weights"), QStringLiteral("CLIP ViT weights (.safetensors or .pt)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("photos"), QStringLiteral("Folder of photos for the end-to-end run."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("device"), QStringLiteral("auto, cpu or cuda: the device Clade must be on."), QStringLiteral("device"),
                 QStringLiteral("auto")});
    p.addOption({QStringLiteral("precision"), QStringLiteral("auto (the product's default), fp32, fp16 (CUDA only) or bf16."),
                 QStringLiteral("precision"), QStringLiteral("auto")});
    p.addOption({QStringLiteral("compare-bf16"), QStringLiteral("CPU: also time the same weights in bf16 and compare their embeddings.")});
    p.addOption(
        {QStringLiteral("model-seconds"), QStringLiteral("Least time for the model-only run."), QStringLiteral("s"), QStringLiteral("6")});
    p.process(app);
    Args a{p.value(QStringLiteral("weights")), p.value(QStringLiteral("photos")), p.value(QStringLiteral("device")), {}, {}};
    a.budget.minSeconds = p.value(QStringLiteral("model-seconds")).toDouble();
    a.compareBf16 = p.isSet(QStringLiteral("compare-bf16"));
    Result<ClipPrecision> precision = parseClipPrecision(p.value(QStringLiteral("precision")));
    if (!precision)
        return fail(QStringLiteral("--precision: %1").arg(precision.error()));
    a.precision = *precision;
    if (!QFileInfo(a.weights).isFile())
        return fail(QStringLiteral("--weights: no such file '%1'").arg(a.weights));
    if (!QFileInfo(a.photos).isDir())
        return fail(QStringLiteral("--photos: no such folder '%1'").arg(a.photos));
    if (a.device != u"auto" && a.device != u"cpu" && a.device != u"cuda")
        return fail(QStringLiteral("--device must be auto, cpu or cuda (got '%1')").arg(a.device));
    return a;
}

// The driver's model name; libtorch's C++ API has no device-name call without CUDA headers.
// /proc/driver/nvidia is missing in some sandboxes, so nvidia-smi is asked next.
QString cudaDeviceName()
{
    const QDir gpus(QStringLiteral("/proc/driver/nvidia/gpus"));
    for (const QString &gpu : gpus.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(gpus.filePath(gpu + QStringLiteral("/information")));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith("Model:"))
                return QString::fromLatin1(line.mid(6).trimmed());
    }
    QProcess smi;
    smi.start(QStringLiteral("nvidia-smi"), {QStringLiteral("--query-gpu=name"), QStringLiteral("--format=csv,noheader")});
    if (smi.waitForFinished(10000) && smi.exitCode() == 0) {
        const QString name = QString::fromLocal8Bit(smi.readAllStandardOutput()).section(u'\n', 0, 0).trimmed();
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("CUDA device (name unknown)");
}

Result<std::shared_ptr<ClipModel>> loadModel(const Args &args)
{
    ClipLoadOptions options;
    options.precision = args.precision;
    options.forceCpu = args.device == u"cpu";
    Result<std::unique_ptr<ClipModel>> loaded = ClipModel::load(args.weights, options);
    if (!loaded)
        return loaded.takeError();
    std::shared_ptr<ClipModel> model = std::move(*loaded);
    if (args.device == u"cuda" && model->deviceName() != args.device)
        return fail(QStringLiteral("--device cuda, but Clade's libtorch sees no CUDA device (is it a CUDA build?)"));
    return model;
}

void printCeiling(QJsonObject &json, const Rate &model, double gemmGflops)
{
    const double flops = vitImageFlops(kWidth, kLayers, kPatch, kResolution, kEmbed);
    const CpuCeiling c = readCpuCeiling();
    std::printf("ViT-B/32 image forward: %.2f GFLOP (%.2f GMAC)\n", flops / 1e9, flops / 2e9);
    const double gemmImages = gemmGflops * 1e9 / flops;
    std::printf("measured fp32 GEMM peak (2048^3, libtorch): %.1f GFLOP/s = %.1f images/s\n", gemmGflops, gemmImages);
    std::printf("model-only: %.2f images/s = %.0f%% of the measured fp32 GEMM peak\n", model.perSecond(),
                100.0 * model.perSecond() / gemmImages);
    json.insert(QStringLiteral("gemm_gflops"), gemmGflops);
    json.insert(QStringLiteral("gflop_per_image"), flops / 1e9);
    if (c.cores <= 0 || c.ghz <= 0) {
        std::printf("nominal fp32 ceiling: unknown (could not read /proc/cpuinfo)\n");
        return;
    }
    const double ceilingImages = c.gflops() * 1e9 / flops;
    std::printf("CPU: %s (%s family %xh model %xh)\n", qPrintable(c.model), qPrintable(c.vendor), c.family, c.modelNumber);
    std::printf("nominal fp32 ceiling: %d cores x %.3f GHz (%s) x %d FLOP/cycle (%s) = %.1f GFLOP/s = %.1f images/s\n", c.cores, c.ghz,
                qPrintable(c.clockSource), c.flopPerCycle, qPrintable(c.isa), c.gflops(), ceilingImages);
    std::printf("model-only: %.0f%% of the nominal fp32 ceiling (target >= 60%%); the GEMM reaches %.0f%% of it\n",
                100.0 * model.perSecond() / ceilingImages, 100.0 * gemmGflops / c.gflops());
    json.insert(QStringLiteral("ceiling_gflops"), c.gflops());
    json.insert(QStringLiteral("ceiling_images_per_s"), ceilingImages);
}

int failed(const char *stage, const QString &message)
{
    std::fprintf(stderr, "bench_embed: %s%s\n", stage, qPrintable(message));
    return 1;
}

int reportEndToEnd(QJsonObject &json, const std::shared_ptr<ClipModel> &model, const QString &photos)
{
    Result<EndToEnd> e2e = timeEndToEnd(model, photos);
    if (!e2e)
        return failed("end to end: ", e2e.error());
    if (e2e->embed.images <= 0)
        return failed("end to end: ", QStringLiteral("no photo under %1 was embedded").arg(photos));
    std::printf("end to end: scan %d images in %.2f s; embed (decode + model + store; %s) %d in %.2f s = %.2f images/s\n", e2e->images,
                e2e->scanSeconds, qPrintable(e2e->layout), e2e->embed.images, e2e->embed.seconds, e2e->embed.perSecond());
    json.insert(QStringLiteral("e2e_images"), e2e->embed.images);
    json.insert(QStringLiteral("e2e_images_per_s"), e2e->embed.perSecond());
    json.insert(QStringLiteral("scan_seconds"), e2e->scanSeconds);
    return 0;
}

// The same weights in bf16 on the CPU beside the fp32 model: model-only speed (the same budget),
// the bf16 GEMM peak, and the worst cosine between the two models' embeddings of one batch.
int compareBf16(QJsonObject &json, const Args &args, ClipModel &fp32, int batch, const Rate &fp32Rate)
{
    if (fp32.deviceName() != u"cpu" || fp32.precision() != ClipPrecision::Fp32)
        return failed("--compare-bf16: ", QStringLiteral("needs the fp32 model on the CPU (--device cpu --precision fp32)"));
    ClipLoadOptions options;
    options.precision = ClipPrecision::Bf16;
    options.forceCpu = true;
    Result<std::unique_ptr<ClipModel>> bf16 = ClipModel::load(args.weights, options);
    if (!bf16)
        return failed("bf16: ", bf16.error());
    Result<Rate> rate = timeModelOnly(**bf16, batch, args.budget, 32);
    if (!rate)
        return failed("bf16 model-only: ", rate.error());
    Result<double> cosine = minCosineAgreement(fp32, **bf16, batch, 33);
    if (!cosine)
        return failed("bf16 agreement: ", cosine.error());
    const double gemm = measuredGemmGflops(true, 3.0);
    std::printf("bf16 (CPU has avx512_bf16 or AMX: %s): model-only %.2f images/s = %.2fx fp32; worst cosine to fp32 %.6f; "
                "bf16 GEMM peak %.1f GFLOP/s\n",
                torchrt::cpuHasFastBf16() ? "yes" : "no", rate->perSecond(), rate->perSecond() / fp32Rate.perSecond(), *cosine, gemm);
    json.insert(QStringLiteral("bf16_model_images_per_s"), rate->perSecond());
    json.insert(QStringLiteral("bf16_speedup"), rate->perSecond() / fp32Rate.perSecond());
    json.insert(QStringLiteral("bf16_min_cosine"), *cosine);
    json.insert(QStringLiteral("bf16_gemm_gflops"), gemm);
    json.insert(QStringLiteral("fast_bf16"), torchrt::cpuHasFastBf16());
    std::fflush(stdout);
    return 0;
}

// Model-only first: it also warms the model up for the end-to-end run.
int run(const Args &args)
{
    Result<std::shared_ptr<ClipModel>> model = loadModel(args);
    if (!model)
        return failed("", model.error());
    const int batch = ClipExtractor(*model).batchSize();
    const bool cuda = (*model)->deviceName() == u"cuda";
    const QString device = cuda ? cudaDeviceName() : QStringLiteral("cpu");
    const QString precision = clipPrecisionName((*model)->precision());
    QJsonObject json{{QStringLiteral("device"), device}, {QStringLiteral("batch"), batch}, {QStringLiteral("precision"), precision}};
    std::printf("Clade: device %s, %s, batch %d, model %s\n", qPrintable(device), qPrintable(precision), batch,
                qPrintable((*model)->modelId()));
    if ((*model)->imageResolution() != kResolution || (*model)->embedDim() != kEmbed)
        std::printf("warning: the model is not ViT-B/32-shaped (resolution %d, embedding %d); the FLOP figures assume it\n",
                    (*model)->imageResolution(), (*model)->embedDim());
    std::fflush(stdout);
    Result<Rate> modelOnly = timeModelOnly(**model, batch, args.budget, 32);
    if (!modelOnly)
        return failed("model-only: ", modelOnly.error());
    std::printf("model-only: %d images in %.2f s = %.2f images/s\n", modelOnly->images, modelOnly->seconds, modelOnly->perSecond());
    json.insert(QStringLiteral("model_images_per_s"), modelOnly->perSecond());
    if (!cuda && (*model)->precision() == ClipPrecision::Fp32)   // the ceilings are fp32's
        printCeiling(json, *modelOnly, measuredGemmGflops(false, 3.0));
    std::fflush(stdout);
    if (args.compareBf16) {
        if (int rc = compareBf16(json, args, **model, batch, *modelOnly); rc != 0)
            return rc;
    }
    if (int rc = reportEndToEnd(json, *model, args.photos); rc != 0)
        return rc;
    std::printf("BENCH_EMBED_JSON %s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    return 0;
}

}   // namespace

int main(int argc, char **argv)
{
    clade::ensurePassiveOpenMpWait(argv);   // as the product runs
    QCoreApplication app(argc, argv);
    Result<Args> args = parseArgs(app);
    if (!args) {
        std::fprintf(stderr, "bench_embed: %s\n", qPrintable(args.error()));
        return 2;
    }
    return run(*args);
}
