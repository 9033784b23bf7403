#include "pipeline/evaluation.h"

#include "cluster/kmeansclusterer.h"

#include <QDir>

#include <algorithm>

namespace clade {

Result<LabelledRun> labelledRun(const Catalog &catalog, qint64 runId, const QString &folder)
{
    auto assignments = catalog.runs().assignments(runId);
    if (!assignments)
        return assignments.takeError();
    LabelledRun out;
    const QDir root(folder);
    std::vector<QString> classOf;
    for (const AssignmentRecord &a : *assignments) {
        auto photo = catalog.photos().byId(a.photoId);
        if (!photo || !*photo)
            continue;
        const QString relative = root.relativeFilePath((*photo)->path);
        if (!relative.contains(QLatin1Char('/')))
            continue;   // not inside a class folder: unlabelled
        const QString cls = relative.section(QLatin1Char('/'), 0, 0);
        if (!out.classes.contains(cls))
            out.classes << cls;
        out.photoIds.push_back(a.photoId);
        classOf.push_back(cls);
        out.predicted.push_back(a.clusterIndex);
    }
    out.classes.sort();
    for (const QString &cls : classOf)
        out.truth.push_back(int(out.classes.indexOf(cls)));
    if (out.classes.size() < 2)
        return fail(QStringLiteral("%1 needs one sub-folder per true class (found %2)").arg(folder).arg(out.classes.size()));
    return out;
}

Result<std::vector<int>> kmeansBaseline(const Catalog &catalog, const QString &modelId, const std::vector<qint64> &ids, int k, quint64 seed,
                                        Progress *progress)
{
    if (ids.empty())
        return fail(QStringLiteral("No photos to cluster for the k-means baseline"));
    auto features = catalog.features().get(modelId, ids);
    if (!features)
        return features.takeError();
    if (features->size() != ids.size())
        return fail(QStringLiteral("Some evaluated photos have no stored features"));
    const std::size_t dim = features->begin()->second.size();
    FeatureMatrix matrix(ids.size(), dim);
    for (std::size_t i = 0; i < ids.size(); ++i)
        std::copy(features->at(ids[i]).begin(), features->at(ids[i]).end(), matrix.row(i));
    KMeansClusterer kmeans;
    auto outcome = kmeans.cluster(matrix, k, seed, progress);
    if (!outcome)
        return outcome.takeError();
    return outcome->labels;
}

}   // namespace clade
