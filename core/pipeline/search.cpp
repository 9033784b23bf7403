#include "pipeline/search.h"

#include "pipeline/runfeatures.h"

#include <algorithm>
#include <cmath>

namespace clade {

namespace {

double norm(const float *v, std::size_t n)
{
    double s = 0;
    for (std::size_t j = 0; j < n; ++j)
        s += double(v[j]) * v[j];
    return std::sqrt(s);
}

// Every photo of the run, in assignment order.
Result<std::vector<qint64>> runPhotos(const Catalog &catalog, qint64 runId)
{
    Result<std::vector<AssignmentRecord>> assignments = catalog.runs().assignments(runId);
    if (!assignments)
        return assignments.takeError();
    std::vector<qint64> ids;
    for (const AssignmentRecord &a : *assignments)
        ids.push_back(a.photoId);
    return ids;
}

}   // namespace

Result<std::vector<SearchHit>> searchRun(const Catalog &catalog, qint64 runId, const std::vector<float> &query, int limit)
{
    const double queryNorm = norm(query.data(), query.size());
    Result<std::vector<qint64>> ids = runPhotos(catalog, runId);
    if (!ids)
        return ids.takeError();
    Result<RunFeatures> features = runFeatures(catalog, runId, *ids);
    if (!features)
        return features.takeError();
    if (query.empty() || queryNorm == 0 || !std::isfinite(queryNorm))
        return fail(QStringLiteral("The search query is empty"));
    const FeatureMatrix &m = features->matrix;
    if (m.rows > 0 && m.cols != query.size())
        return fail(QStringLiteral("This run's photos were described with %1 numbers (%2), the query with %3: "
                                   "search needs the model the run was made with")
                        .arg(m.cols)
                        .arg(features->run.modelId)
                        .arg(query.size()));
    std::vector<SearchHit> hits;
    for (std::size_t i = 0; i < m.rows; ++i) {
        double dot = 0;
        for (std::size_t j = 0; j < m.cols; ++j)
            dot += double(m.row(i)[j]) * query[j];
        const double n = norm(m.row(i), m.cols);
        hits.push_back({features->photoIds[i], n > 0 ? float(dot / (n * queryNorm)) : 0.0f});
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
    Result<RunFeatures> features = runFeatures(catalog, runId, {photoId});
    if (!features)
        return features.takeError();
    if (features->matrix.rows == 0)
        return fail(QStringLiteral("Photo %1 has no features for this run's model").arg(photoId));
    return features->matrix.values;
}

Result<std::vector<float>> groupQuery(const Catalog &catalog, qint64 runId, int clusterIndex)
{
    Result<std::vector<PhotoRecord>> members = catalog.runs().members(runId, clusterIndex);
    if (!members)
        return members.takeError();
    std::vector<qint64> ids;
    for (const PhotoRecord &p : *members)
        ids.push_back(p.id);
    Result<RunFeatures> features = runFeatures(catalog, runId, ids);
    if (!features)
        return features.takeError();
    const FeatureMatrix &m = features->matrix;
    std::vector<float> centre(m.cols, 0.0f);
    bool any = false;
    for (std::size_t i = 0; i < m.rows; ++i) {
        const double n = norm(m.row(i), m.cols);
        if (n == 0)
            continue;
        any = true;
        for (std::size_t j = 0; j < m.cols; ++j)
            centre[j] += float(m.row(i)[j] / n);
    }
    if (!any)
        return fail(QStringLiteral("Group %1 has no photo with features").arg(clusterIndex));
    return centre;
}

}   // namespace clade
