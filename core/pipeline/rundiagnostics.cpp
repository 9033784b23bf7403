#include "pipeline/rundiagnostics.h"

#include "pipeline/runfeatures.h"

#include <QFileInfo>

namespace clade {

Result<RunDiagnostics> diagnoseRun(const Catalog &catalog, qint64 runId)
{
    Result<std::vector<ClusterRecord>> clusters = catalog.runs().clusters(runId);
    if (!clusters)
        return clusters.takeError();
    Result<std::vector<AssignmentRecord>> assignments = catalog.runs().assignments(runId);
    if (!assignments)
        return assignments.takeError();
    std::vector<qint64> ids;
    std::unordered_map<qint64, int> labelOf;
    for (const AssignmentRecord &a : *assignments) {
        ids.push_back(a.photoId);
        labelOf.emplace(a.photoId, a.clusterIndex);
    }
    Result<RunFeatures> features = runFeatures(catalog, runId, ids);
    if (!features)
        return features.takeError();
    const std::vector<qint64> &rows = features->photoIds;
    const FeatureMatrix &matrix = features->matrix;
    const RunRecord &run = features->run;
    std::vector<int> labels(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        labels[i] = labelOf.at(rows[i]);
    DiagnosticsOptions options;
    options.seed = run.seed;
    PartitionDiagnostics d = diagnosePartition(matrix, labels, int(clusters->size()), options);
    RunDiagnostics out;
    out.clusters = std::move(d.clusters);
    for (std::size_t i = 0; i < rows.size(); ++i)
        out.photos.emplace(rows[i], d.members[i]);

    Result<std::vector<PhotoRecord>> photos = catalog.photos().under(run.folder, true);
    if (!photos)
        return photos.takeError();
    std::unordered_map<qint64, const PhotoRecord *> byId;
    for (const PhotoRecord &p : *photos)
        byId.emplace(p.id, &p);
    std::vector<BurstInput> inputs(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        inputs[i].group = labels[i];
        if (const auto it = byId.find(rows[i]); it != byId.end()) {
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
            out.burstOf.emplace(rows[i], rows[representative[i]]);
    }
    return out;
}

}   // namespace clade
