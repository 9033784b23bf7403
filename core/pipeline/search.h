#pragma once
// Search over a stored run: its photos ranked by the cosine of their features (those of the
// model the run was made with) to a query vector: a CLIP text embedding ("dog on a beach"), a
// photo's own features ("more like this") or a group's centre.

#include "catalog/catalog.h"

#include <vector>

namespace clade {

struct SearchHit
{
    qint64 photoId = 0;
    float score = 0;   // cosine, -1..1
};

// The run's photos (present, with features) best first, at most `limit`. An error when the query
// and the features differ in size, e.g. a text query against a run grouped by look.
Result<std::vector<SearchHit>> searchRun(const Catalog &catalog, qint64 runId, const std::vector<float> &query, int limit = 200);
// The features of one photo under the run's model ("more like this photo").
Result<std::vector<float>> photoQuery(const Catalog &catalog, qint64 runId, qint64 photoId);
// The mean of the unit features of a group's members ("more like this group").
Result<std::vector<float>> groupQuery(const Catalog &catalog, qint64 runId, int clusterIndex);

}   // namespace clade
