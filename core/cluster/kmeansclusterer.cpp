#include "cluster/kmeansclusterer.h"

#include "cluster/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace clade {

namespace {

double squaredDistance(const float *a, const float *b, std::size_t n)
{
    double d = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const double diff = double(a[j]) - b[j];
        d += diff * diff;
    }
    return d;
}

// 1 when a row sits on its centroid, 0 when it is as near to another centroid as to its own.
float marginConfidence(const float *row, const FeatureMatrix &centroids, int own)
{
    const double ownDistance = squaredDistance(row, centroids.row(std::size_t(own)), centroids.cols);
    double other = std::numeric_limits<double>::max();
    for (std::size_t c = 0; c < centroids.rows; ++c) {
        if (int(c) != own)
            other = std::min(other, squaredDistance(row, centroids.row(c), centroids.cols));
    }
    if (centroids.rows < 2 || other <= 0)
        return 1.0f;
    return float(std::clamp(1.0 - std::sqrt(ownDistance / other), 0.0, 1.0));
}

}   // namespace

Result<ClusterOutcome> KMeansClusterer::cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress)
{
    KMeansOptions options;
    options.k = k;
    options.restarts = m_restarts;
    options.seed = seed;
    if (progress)
        progress->report(QStringLiteral("Clustering"), 0, m_restarts);
    Result<KMeansResult> result = kmeans(features, options, progress);
    if (!result)
        return result.takeError();
    ClusterOutcome out;
    out.method = method();
    out.labels = result->labels;
    out.confidence.resize(features.rows);
    for (std::size_t i = 0; i < features.rows; ++i)
        out.confidence[i] = marginConfidence(features.row(i), result->centroids, out.labels[i]);
    return out;
}

std::vector<Hyperparameter> KMeansClusterer::hyperparameters() const
{
    Hyperparameter restarts;
    restarts.key = QStringLiteral("restarts");
    restarts.label = QT_TRANSLATE_NOOP("Hyperparameter", "Restarts");
    restarts.help = QT_TRANSLATE_NOOP("Hyperparameter", "k-means++ runs from different seeds; the best one is kept");
    restarts.kind = Hyperparameter::Kind::Integer;
    restarts.value = m_restarts;
    restarts.defaultValue = 10;
    restarts.minimum = 1;
    restarts.maximum = 100;
    return {restarts};
}

Status KMeansClusterer::setHyperparameter(const QString &key, double value)
{
    for (const Hyperparameter &p : hyperparameters()) {
        if (p.key != key)
            continue;
        if (Status s = checkHyperparameter(p, value); !s)
            return s;
        m_restarts = int(value);
        return {};
    }
    return Clusterer::setHyperparameter(key, value);
}

}   // namespace clade
