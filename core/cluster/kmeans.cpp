#include "cluster/kmeans.h"

#include "cluster/kmeanssolver.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace clade {

namespace {

using namespace kmeansdetail;

constexpr int kMaxSeedingTrials = 64;   // each trial keeps a distance per row during seeding

std::uint64_t splitMix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

Status validateOptions(std::size_t rows, const KMeansOptions &o)
{
    if (o.k < 1)
        return fail(QStringLiteral("k-means needs k of at least 1 (got %1)").arg(o.k));
    if (std::size_t(o.k) > rows)
        return fail(QStringLiteral("k-means cannot make %1 clusters from %2 rows").arg(o.k).arg(rows));
    if (o.restarts < 1)
        return fail(QStringLiteral("k-means needs at least 1 restart (got %1)").arg(o.restarts));
    if (o.maxIterations < 1)
        return fail(QStringLiteral("k-means needs at least 1 iteration (got %1)").arg(o.maxIterations));
    if (!(o.tolerance >= 0) || !std::isfinite(o.tolerance))
        return fail(QStringLiteral("k-means tolerance must be a finite number >= 0 (got %1)").arg(o.tolerance));
    if (o.threads < 0)
        return fail(QStringLiteral("k-means threads must not be negative (got %1)").arg(o.threads));
    if (o.seedingTrials < 0 || o.seedingTrials > kMaxSeedingTrials)
        return fail(QStringLiteral("k-means seeding trials must be between 0 and %1 (got %2)").arg(kMaxSeedingTrials).arg(o.seedingTrials));
    return {};
}

int effectiveThreads(int requested)
{
    if (requested > 0)
        return requested;
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

int effectiveTrials(const KMeansOptions &o)
{
    if (o.seedingTrials > 0)
        return o.seedingTrials;
    return 2 + int(std::log(double(o.k)));
}

KMeansResult toResult(const PreparedData &prepared, RestartOutcome &&best, int restart)
{
    KMeansResult result;
    const std::size_t cols = prepared.centred.cols;
    result.centroids = FeatureMatrix(best.centres.rows, cols);
    for (std::size_t c = 0; c < best.centres.rows; ++c)
        for (std::size_t j = 0; j < cols; ++j)
            result.centroids.row(c)[j] = float(double(best.centres.row(c)[j]) + prepared.mean[j]);
    result.labels = std::move(best.labels);
    result.distances = std::move(best.distances);
    result.inertia = best.inertia;
    result.iterations = best.iterations;
    result.restart = restart;
    return result;
}

}   // namespace

Status validateKMeansInput(const FeatureMatrix &data, const KMeansOptions &options)
{
    if (data.values.size() != data.rows * data.cols)
        return fail(
            QStringLiteral("The feature matrix holds %1 values but claims %2 × %3").arg(data.values.size()).arg(data.rows).arg(data.cols));
    if (data.rows == 0)
        return fail(QStringLiteral("k-means needs at least one row; the feature matrix is empty"));
    if (data.cols == 0)
        return fail(QStringLiteral("k-means needs at least one column; the feature matrix has none"));
    if (Status s = validateOptions(data.rows, options); !s)
        return s;
    for (std::size_t i = 0; i < data.values.size(); ++i)
        if (!std::isfinite(data.values[i]))
            return fail(QStringLiteral("Feature value at row %1, column %2 is not finite (%3)")
                            .arg(i / data.cols)
                            .arg(i % data.cols)
                            .arg(double(data.values[i])));
    return {};
}

Result<KMeansResult> kmeans(const FeatureMatrix &data, const KMeansOptions &options, const Progress *progress)
{
    if (Status s = validateKMeansInput(data, options); !s)
        return s.takeError();
    const int threads = effectiveThreads(options.threads);
    const PreparedData prepared = prepareData(data, threads);

    SolverSettings settings;
    settings.k = options.k;
    settings.maxIterations = options.maxIterations;
    settings.shiftTolerance = options.tolerance * prepared.meanVariance;
    settings.threads = threads;
    settings.seedingTrials = effectiveTrials(options);
    KMeansSolver solver(prepared, settings);

    RestartOutcome best;
    int bestRestart = -1;
    const QString stage = QStringLiteral("k-means");
    for (int r = 0; r < options.restarts; ++r) {
        // Each restart has its own stream, so restart r is the same whatever came before it.
        RestartOutcome outcome = solver.run(splitMix64(options.seed + std::uint64_t(r) * 0xD1B54A32D192ED03ull), progress);
        if (outcome.cancelled)
            return fail(QStringLiteral("k-means was cancelled"));
        if (bestRestart < 0 || outcome.inertia < best.inertia) {
            best = std::move(outcome);
            bestRestart = r;
        }
        if (progress)
            progress->report(stage, r + 1, options.restarts);
    }
    return toResult(prepared, std::move(best), bestRestart);
}

// 1 when a row sits on its centroid, 0 when it is as near to another centroid as to its own.
std::vector<float> kmeansConfidence(const FeatureMatrix &data, const KMeansResult &result)
{
    const FeatureMatrix &centroids = result.centroids;
    const auto squaredDistance = [&](const float *a, const float *b) {
        double d = 0;
        for (std::size_t j = 0; j < centroids.cols; ++j) {
            const double diff = double(a[j]) - b[j];
            d += diff * diff;
        }
        return d;
    };
    std::vector<float> confidence(data.rows, 1.0f);
    if (centroids.rows < 2)
        return confidence;
    for (std::size_t i = 0; i < data.rows; ++i) {
        const int own = result.labels[i];
        const double ownDistance = squaredDistance(data.row(i), centroids.row(std::size_t(own)));
        double other = std::numeric_limits<double>::max();
        for (std::size_t c = 0; c < centroids.rows; ++c) {
            if (int(c) != own)
                other = std::min(other, squaredDistance(data.row(i), centroids.row(c)));
        }
        if (other > 0)
            confidence[i] = float(std::clamp(1.0 - std::sqrt(ownDistance / other), 0.0, 1.0));
    }
    return confidence;
}

}   // namespace clade
