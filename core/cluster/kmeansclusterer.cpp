#include "cluster/kmeansclusterer.h"

#include "cluster/kmeans.h"

namespace clade {

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
    out.confidence = kmeansConfidence(features, *result);
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
