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

// Cosine of each row of m to query, with the photo ids; unsorted.
std::vector<SearchHit> scoreRows(const FeatureMatrix &m, const std::vector<qint64> &ids, const std::vector<float> &query, double queryNorm)
{
    std::vector<SearchHit> hits;
    hits.reserve(m.rows);
    for (std::size_t i = 0; i < m.rows; ++i) {
        double dot = 0;
        for (std::size_t j = 0; j < m.cols; ++j)
            dot += double(m.row(i)[j]) * query[j];
        const double n = norm(m.row(i), m.cols);
        hits.push_back({ids[i], n > 0 ? float(dot / (n * queryNorm)) : 0.0f});
    }
    return hits;
}

bool better(const SearchHit &a, const SearchHit &b)
{
    return a.score != b.score ? a.score > b.score : a.photoId < b.photoId;
}

}   // namespace

SearchCut textSearchCut()
{
    return SearchCut{};
}

SearchCut photoSearchCut()
{
    SearchCut cut;
    cut.scale = 30;
    return cut;
}

std::size_t adaptiveCount(const std::vector<float> &scores, const SearchCut &cut)
{
    if (scores.empty())
        return 0;
    // Relative to the best score, so exp never overflows: weights are 1 for the best, less after.
    const double top = scores.front();
    double total = 0;
    for (float s : scores)
        total += std::exp(cut.scale * (double(s) - top));
    const double wanted = cut.mass * total;
    double carried = 0;
    std::size_t kept = 0;
    while (kept < scores.size() && carried < wanted) {
        carried += std::exp(cut.scale * (double(scores[kept]) - top));
        ++kept;
    }
    if (kept > 0) {   // near-ties of the last hit the mass needed
        const double floor = double(scores[kept - 1]) - std::log(2.0) / cut.scale;
        while (kept < scores.size() && double(scores[kept]) >= floor)
            ++kept;
    }
    return std::min(scores.size(), std::max(kept, std::size_t(std::max(cut.atLeast, 0))));
}

Result<std::vector<SearchHit>> searchCatalog(const Catalog &catalog, const QString &modelId, const std::vector<float> &query,
                                             const SearchCut &cut)
{
    const double queryNorm = norm(query.data(), query.size());
    if (query.empty() || queryNorm == 0 || !std::isfinite(queryNorm))
        return fail(QStringLiteral("The search query is empty"));
    auto all = catalog.features().allPresent(modelId);
    if (!all)
        return all.takeError();
    const auto &[ids, m] = *all;
    if (ids.empty())
        return fail(QStringLiteral("No photo in the catalog has features of the model %1 yet: run a folder with it first").arg(modelId));
    if (m.rows > 0 && m.cols != query.size())
        return fail(
            QStringLiteral("The photos were described with %1 numbers (%2), the query with %3").arg(m.cols).arg(modelId).arg(query.size()));
    std::vector<SearchHit> hits = scoreRows(m, ids, query, queryNorm);
    std::sort(hits.begin(), hits.end(), better);
    std::vector<float> scores;
    scores.reserve(hits.size());
    for (const SearchHit &h : hits)
        scores.push_back(h.score);
    hits.resize(adaptiveCount(scores, cut));
    return hits;
}

Result<std::vector<float>> catalogPhotoQuery(const Catalog &catalog, const QString &modelId, qint64 photoId)
{
    auto features = catalog.features().get(modelId, {photoId});
    if (!features)
        return features.takeError();
    auto it = features->find(photoId);
    if (it == features->end())
        return fail(
            QStringLiteral("Photo %1 has no features for the model %2: run its folder with that model first").arg(photoId).arg(modelId));
    return std::move(it->second);
}

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
    std::vector<SearchHit> hits = scoreRows(m, features->photoIds, query, queryNorm);
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
