// Times clade::kmeans on Gaussian blobs (default 50,000 × 512, K = 10, 10 restarts) and
// compares the cost of one Lloyd iteration with a plain single-threaded implementation
// (direct (x - c)² loops, no blocking), which is what "plain k-means" means in DESIGN.md.
#include "cluster/kmeans.h"
#include "cluster/metrics.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

namespace {

struct Blobs
{
    clade::FeatureMatrix data;
    std::vector<int> truth;
};

Blobs makeBlobs(std::size_t rows, std::size_t cols, int k, double spread, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    clade::FeatureMatrix centres(std::size_t(k), cols);
    for (float &v : centres.values)
        v = normal(rng);
    Blobs b{clade::FeatureMatrix(rows, cols), std::vector<int>(rows)};
    for (std::size_t i = 0; i < rows; ++i) {
        b.truth[i] = int(rng() % std::uint64_t(k));
        for (std::size_t j = 0; j < cols; ++j)
            b.data.row(i)[j] = centres.row(std::size_t(b.truth[i]))[j] + float(spread) * normal(rng);
    }
    return b;
}

double processCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Plain Lloyd: the first k rows as centres, then `iterations` rounds of direct distances.
// Returns CPU seconds per iteration (single-threaded, so wall time on an idle machine).
double plainLloydSecondsPerIteration(const clade::FeatureMatrix &x, int k, int iterations)
{
    const double cpuStart = processCpuSeconds();
    const std::size_t d = x.cols;
    std::vector<double> centres(x.values.begin(), x.values.begin() + std::ptrdiff_t(std::size_t(k) * d));
    std::vector<int> labels(x.rows);
    for (int it = 0; it < iterations; ++it) {
        for (std::size_t i = 0; i < x.rows; ++i) {
            double best = 1e300;
            for (int c = 0; c < k; ++c) {
                double s = 0;
                for (std::size_t j = 0; j < d; ++j) {
                    const double diff = x.row(i)[j] - centres[std::size_t(c) * d + j];
                    s += diff * diff;
                }
                if (s < best) {
                    best = s;
                    labels[i] = c;
                }
            }
        }
        std::vector<double> sums(std::size_t(k) * d, 0.0);
        std::vector<int> counts(std::size_t(k), 0);
        for (std::size_t i = 0; i < x.rows; ++i) {
            ++counts[std::size_t(labels[i])];
            for (std::size_t j = 0; j < d; ++j)
                sums[std::size_t(labels[i]) * d + j] += x.row(i)[j];
        }
        for (int c = 0; c < k; ++c)
            for (std::size_t j = 0; counts[std::size_t(c)] > 0 && j < d; ++j)
                centres[std::size_t(c) * d + j] = sums[std::size_t(c) * d + j] / counts[std::size_t(c)];
    }
    return (processCpuSeconds() - cpuStart) / iterations;
}

struct Timed
{
    clade::KMeansResult result;
    double seconds = 0;
    double cpuSeconds = 0;   // all threads; on a busy machine wall time alone misleads
};

Timed timeKMeans(const clade::FeatureMatrix &x, const clade::KMeansOptions &options)
{
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = processCpuSeconds();
    auto r = clade::kmeans(x, options);
    const double seconds = double(timer.nsecsElapsed()) * 1e-9;
    const double cpu = processCpuSeconds() - cpuStart;
    if (!r) {
        std::fprintf(stderr, "k-means failed: %s\n", qPrintable(r.error()));
        std::exit(1);
    }
    return {std::move(*r), seconds, cpu};
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Benchmark clade::kmeans on synthetic blobs"));
    parser.addHelpOption();
    const QCommandLineOption rowsOpt(QStringLiteral("rows"), QStringLiteral("Rows."), QStringLiteral("n"), QStringLiteral("50000"));
    const QCommandLineOption colsOpt(QStringLiteral("cols"), QStringLiteral("Columns."), QStringLiteral("d"), QStringLiteral("512"));
    const QCommandLineOption kOpt(QStringLiteral("k"), QStringLiteral("Clusters."), QStringLiteral("k"), QStringLiteral("10"));
    const QCommandLineOption restartsOpt(QStringLiteral("restarts"), QStringLiteral("Restarts."), QStringLiteral("r"),
                                         QStringLiteral("10"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("Threads (0: all cores)."), QStringLiteral("t"),
                                        QStringLiteral("0"));
    const QCommandLineOption spreadOpt(QStringLiteral("spread"), QStringLiteral("Blob standard deviation (centres are N(0,1))."),
                                       QStringLiteral("s"), QStringLiteral("0.5"));
    const QCommandLineOption baselineOpt(QStringLiteral("baseline-iterations"), QStringLiteral("Plain Lloyd iterations to time (0: skip)."),
                                         QStringLiteral("i"), QStringLiteral("3"));
    parser.addOptions({rowsOpt, colsOpt, kOpt, restartsOpt, threadsOpt, spreadOpt, baselineOpt});
    parser.process(app);

    const std::size_t rows = parser.value(rowsOpt).toULongLong();
    const std::size_t cols = parser.value(colsOpt).toULongLong();
    clade::KMeansOptions options;
    options.k = parser.value(kOpt).toInt();
    options.restarts = parser.value(restartsOpt).toInt();
    options.threads = parser.value(threadsOpt).toInt();
    options.seed = 1;
    const Blobs blobs = makeBlobs(rows, cols, options.k, parser.value(spreadOpt).toDouble(), 42);

    const Timed full = timeKMeans(blobs.data, options);
    const clade::ClusteringScores s = clade::scoreClustering(blobs.truth, full.result.labels);
    std::printf("kmeans %zu x %zu, K=%d, %d restarts, threads=%d: %.3f s (%.3f s CPU), %.0f rows/s "
                "(winning restart %d: %d iterations, inertia %.6g; ACC %.4f NMI %.4f ARI %.4f)\n",
                rows, cols, options.k, options.restarts, options.threads, full.seconds, full.cpuSeconds, double(rows) / full.seconds,
                full.result.restart, full.result.iterations, full.result.inertia, s.acc, s.nmi, s.ari);

    const int baselineIterations = parser.value(baselineOpt).toInt();
    if (baselineIterations <= 0)
        return 0;
    // One Lloyd iteration, one thread, on data that does not converge in a few iterations:
    // (time of 1 + N iterations − time of 1 iteration) / N takes seeding and set-up out.
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    clade::FeatureMatrix noise(rows, cols);
    for (float &v : noise.values)
        v = uniform(rng);
    clade::KMeansOptions single = options;
    single.restarts = 1;
    single.threads = 1;
    single.tolerance = 0;
    single.maxIterations = 1;
    const Timed first = timeKMeans(noise, single);
    single.maxIterations = 1 + baselineIterations;
    const Timed more = timeKMeans(noise, single);
    const int extra = more.result.iterations - first.result.iterations;
    const double ours = extra > 0 ? (more.cpuSeconds - first.cpuSeconds) / extra : 0;
    const double plain = plainLloydSecondsPerIteration(noise, options.k, baselineIterations);
    std::printf("one Lloyd iteration (%zu x %zu, K=%d, 1 thread, CPU time): clade %.4f s, plain Lloyd %.4f s, speed-up %.1fx\n", rows, cols,
                options.k, ours, plain, ours > 0 ? plain / ours : 0.0);
    return 0;
}
