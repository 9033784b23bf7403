#include "pipeline/search.h"

#include <algorithm>
#include <cmath>

namespace clade {

namespace {

Result<QString> runModel(const Catalog &catalog, qint64 runId)
{
    Result<std::optional<RunRecord>> run = catalog.run(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog").arg(runId));
    return (*run)->modelId;
}

double norm(const std::vector<float> &v)
{
    double s = 0;
    for (float x : v)
        s += double(x) * x;
    return std::sqrt(s);
}

} // namespace

Result<std::vector<SearchHit>> searchRun(const Catalog &catalog, qint64 runId, const std::vector<float> &query, int limit)
{
    Result<QString> model = runModel(catalog, runId);
    if (!model)
        return model.takeError();
    const double queryNorm = norm(query);
    if (query.empty() || queryNorm == 0 || !std::isfinite(queryNorm))
        return fail(QStringLiteral("The search query is empty"));
    Result<std::vector<AssignmentRecord>> assignments = catalog.assignments(runId);
    if (!assignments)
        return assignments.takeError();
    std::vector<qint64> ids;
    for (const AssignmentRecord &a : *assignments)
        ids.push_back(a.photoId);
    Result<std::unordered_map<qint64, std::vector<float>>> features = catalog.features(*model, ids);
    if (!features)
        return features.takeError();
    std::vector<SearchHit> hits;
    for (qint64 id : ids) {
        const auto it = features->find(id);
        if (it == features->end())
            continue;
        const std::vector<float> &v = it->second;
        if (v.size() != query.size())
            return fail(QStringLiteral("This run's photos were described with %1 numbers (%2), the query with %3: "
                                       "search needs the model the run was made with")
                            .arg(v.size()).arg(*model).arg(query.size()));
        double dot = 0;
        for (std::size_t j = 0; j < v.size(); ++j)
            dot += double(v[j]) * query[j];
        const double n = norm(v);
        hits.push_back({id, n > 0 ? float(dot / (n * queryNorm)) : 0.0f});
    }
    const auto better = [](const SearchHit &a, const SearchHit &b) {
        return a.score != b.score ? a.score > b.score : a.photoId < b.photoId;
    };
    const std::size_t keep = std::min(hits.size(), std::size_t(std::max(limit, 0)));
    std::partial_sort(hits.begin(), hits.begin() + std::ptrdiff_t(keep), hits.end(), better);
    hits.resize(keep);
    return hits;
}

Result<std::vector<float>> photoQuery(const Catalog &catalog, qint64 runId, qint64 photoId)
{
    Result<QString> model = runModel(catalog, runId);
    if (!model)
        return model.takeError();
    Result<std::unordered_map<qint64, std::vector<float>>> features = catalog.features(*model, {photoId});
    if (!features)
        return features.takeError();
    const auto it = features->find(photoId);
    if (it == features->end())
        return fail(QStringLiteral("Photo %1 has no features for this run's model").arg(photoId));
    return it->second;
}

Result<std::vector<float>> groupQuery(const Catalog &catalog, qint64 runId, int clusterIndex)
{
    Result<QString> model = runModel(catalog, runId);
    if (!model)
        return model.takeError();
    Result<std::vector<PhotoRecord>> members = catalog.clusterMembers(runId, clusterIndex);
    if (!members)
        return members.takeError();
    std::vector<qint64> ids;
    for (const PhotoRecord &p : *members)
        ids.push_back(p.id);
    Result<std::unordered_map<qint64, std::vector<float>>> features = catalog.features(*model, ids);
    if (!features)
        return features.takeError();
    std::vector<float> centre;
    for (const auto &[id, v] : *features) {
        const double n = norm(v);
        if (n == 0)
            continue;
        if (centre.empty())
            centre.assign(v.size(), 0.0f);
        if (v.size() != centre.size())
            return fail(QStringLiteral("The group's features differ in size"));
        for (std::size_t j = 0; j < v.size(); ++j)
            centre[j] += float(v[j] / n);
    }
    if (centre.empty())
        return fail(QStringLiteral("Group %1 has no photo with features").arg(clusterIndex));
    return centre;
}

} // namespace clade
