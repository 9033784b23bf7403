// Measures the embed stage (decode + CLIP + store) under one thread layout, end to end through
// Pipeline::embed, for docs/THREADS.md. Not a test: it asserts nothing and is not run by ctest.
// One layout per process, because torch's intra-op thread count and libgomp's wait policy are
// fixed once per process. Usage:
//   bench_overlap FOLDER WEIGHTS TORCH_THREADS DECODE_THREADS IDLE(0|1) AHEAD [REPEATS]
// Prints one line: layout, images/s of each repeat, and the process's CPU seconds; with
// CLADE_BENCH_OMP_ENV=1 also libgomp's settings as it really uses them (omp_display_env).
#include "catalog/catalog.h"
#include "clip/clipmodel.h"
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "pipeline/pipeline.h"
#include "runtime.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <dlfcn.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

using namespace clade;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// One embed of the whole folder into a fresh catalog; images per second, or -1 on failure.
double embedOnce(const QString &folder, ClipExtractor &extractor, const PipelineOptions &options, int run)
{
    QTemporaryDir dir;
    auto catalog = Catalog::open(dir.filePath(QStringLiteral("bench%1.sqlite").arg(run)));
    if (!catalog) {
        std::fprintf(stderr, "%s\n", qPrintable(catalog.error()));
        return -1;
    }
    Exiv2MetadataReader metadata;
    OpenCvDecoder decoder(&metadata);
    Pipeline pipeline(**catalog, {&decoder, &metadata, &extractor, nullptr});
    Progress progress;
    auto scanned = pipeline.scan(folder, progress);
    if (!scanned)
        return -1;
    QElapsedTimer clock;
    clock.start();
    auto embedded = pipeline.embed(folder, options, progress);
    if (!embedded) {
        std::fprintf(stderr, "%s\n", qPrintable(embedded.error()));
        return -1;
    }
    return double(*embedded) * 1000.0 / double(std::max<qint64>(1, clock.elapsed()));
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 7) {
        std::fprintf(stderr, "usage: %s FOLDER WEIGHTS TORCH_THREADS DECODE_THREADS IDLE AHEAD [REPEATS]\n", argv[0]);
        return 2;
    }
    ThreadLayout layout;
    layout.inferenceThreads = std::atoi(argv[3]);
    layout.decodeThreads = std::atoi(argv[4]);
    layout.decodeAtIdlePriority = std::atoi(argv[5]) != 0;
    layout.batchesAhead = std::atoi(argv[6]);
    const int repeats = argc > 7 ? std::atoi(argv[7]) : 2;
    torchrt::configure(layout.inferenceThreads);
    // libgomp reads OMP_WAIT_POLICY when it is loaded; this shows what it actually took.
    using DisplayEnv = void (*)(int);
    if (qEnvironmentVariableIntValue("CLADE_BENCH_OMP_ENV") == 1) {
        if (auto display = reinterpret_cast<DisplayEnv>(dlsym(RTLD_DEFAULT, "omp_display_env")))
            display(1);
    }
    auto model = ClipModel::load(QString::fromLocal8Bit(argv[2]));
    if (!model) {
        std::fprintf(stderr, "%s\n", qPrintable(model.error()));
        return 1;
    }
    ClipExtractor extractor(std::shared_ptr<ClipModel>(std::move(*model)));
    // Warm-up: the first forward allocates and packs; it is not part of a folder's cost.
    const RgbImage grey{320, 240, std::vector<std::uint8_t>(320 * 240 * 3, 128)};
    (void)extractor.embed(std::vector<RgbImage>(std::size_t(extractor.batchSize()), grey));
    PipelineOptions options;
    options.layout = layout;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    std::printf("%-45s", qPrintable(describe(layout)));
    for (int r = 0; r < repeats; ++r)
        std::printf(" %6.2f", embedOnce(QString::fromLocal8Bit(argv[1]), extractor, options, r));
    std::printf("  images/s   cpu %.1f s / wall %.1f s\n", cpuSeconds() - cpuBefore, double(wall.elapsed()) / 1000.0);
    return 0;
}
