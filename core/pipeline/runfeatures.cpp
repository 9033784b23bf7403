#include "pipeline/runfeatures.h"

namespace clade {

Result<RunFeatures> runFeatures(const Catalog &catalog, qint64 runId, const std::vector<qint64> &photoIds)
{
    Result<std::optional<RunRecord>> run = catalog.runs().get(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog").arg(runId));
    Result<std::unordered_map<qint64, std::vector<float>>> features = catalog.features().get((*run)->modelId, photoIds);
    if (!features)
        return features.takeError();
    RunFeatures out;
    out.run = std::move(**run);
    std::size_t dim = 0;
    for (qint64 id : photoIds) {
        const auto it = features->find(id);
        if (it == features->end() || it->second.empty() || (dim != 0 && it->second.size() != dim))
            continue;
        dim = it->second.size();
        out.photoIds.push_back(id);
    }
    out.matrix = FeatureMatrix(out.photoIds.size(), dim);
    for (std::size_t i = 0; i < out.photoIds.size(); ++i) {
        const std::vector<float> &v = features->at(out.photoIds[i]);
        std::copy(v.begin(), v.end(), out.matrix.row(i));
    }
    return out;
}

}   // namespace clade
