#include "pipeline/rundiagnostics.h"

#include <QFileInfo>

namespace clade {

Result<RunDiagnostics> diagnoseRun(const Catalog &catalog, qint64 runId)
{
    Result<std::optional<RunRecord>> run = catalog.run(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog").arg(runId));
    Result<std::vector<ClusterRecord>> clusters = catalog.clusters(runId);
    if (!clusters)
        return clusters.takeError();
    Result<std::vector<AssignmentRecord>> assignments = catalog.assignments(runId);
    if (!assignments)
        return assignments.takeError();
    std::vector<qint64> ids;
    for (const AssignmentRecord &a : *assignments)
        ids.push_back(a.photoId);
    Result<std::unordered_map<qint64, std::vector<float>>> features = catalog.features((*run)->modelId, ids);
    if (!features)
        return features.takeError();
    std::vector<const AssignmentRecord *> rows;
    std::size_t dim = 0;
    for (const AssignmentRecord &a : *assignments) {
        const auto it = features->find(a.photoId);
        if (it == features->end() || it->second.empty() || (dim != 0 && it->second.size() != dim))
            continue;
        dim = it->second.size();
        rows.push_back(&a);
    }
    FeatureMatrix matrix(rows.size(), dim);
    std::vector<int> labels(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::vector<float> &v = features->at(rows[i]->photoId);
        std::copy(v.begin(), v.end(), matrix.row(i));
        labels[i] = rows[i]->clusterIndex;
    }
    DiagnosticsOptions options;
    options.seed = (*run)->seed;
    PartitionDiagnostics d = diagnosePartition(matrix, labels, int(clusters->size()), options);
    RunDiagnostics out;
    out.clusters = std::move(d.clusters);
    for (std::size_t i = 0; i < rows.size(); ++i)
        out.photos.emplace(rows[i]->photoId, d.members[i]);

    Result<std::vector<PhotoRecord>> photos = catalog.photosUnder((*run)->folder, true);
    if (!photos)
        return photos.takeError();
    std::unordered_map<qint64, const PhotoRecord *> byId;
    for (const PhotoRecord &p : *photos)
        byId.emplace(p.id, &p);
    std::vector<BurstInput> inputs(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        inputs[i].group = labels[i];
        if (const auto it = byId.find(rows[i]->photoId); it != byId.end()) {
            inputs[i].takenAt = it->second->meta.takenAt;
            inputs[i].name = QFileInfo(it->second->path).fileName();
        }
    }
    const std::vector<std::size_t> representative = burstRepresentatives(matrix, inputs);
    std::vector<int> setSize(rows.size(), 0);
    for (std::size_t r : representative)
        ++setSize[r];
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (setSize[representative[i]] > 1)
            out.burstOf.emplace(rows[i]->photoId, rows[representative[i]]->photoId);
    }
    return out;
}

} // namespace clade
