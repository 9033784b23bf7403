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

// How many hits a search shows, instead of a fixed number (a fixed cut is wrong both ways: it
// hides most of a large match and pads a small one with noise). The cosines are turned into a
// distribution with a temperature, softmax(scale · cosine), and the best hits that together carry
// `mass` of it are kept (top-p). For a text query the scale is CLIP's own logit scale (100), the
// temperature CLIP was trained to compare an image with texts at: one clear match keeps a few
// hits, fifty equally good ones keep all fifty. Image-to-image cosines are not trained with a
// temperature and lie closer together, so "more like this" uses a softer 30, which keeps photos of
// the same kind and not only near-duplicates. Hits scoring within ln 2 / scale of the last one
// kept (at least half its weight) are kept too, so near-ties are never split. At least `atLeast`
// hits are kept (when there are).
struct SearchCut
{
    double scale = 100;
    double mass = 0.95;
    int atLeast = 1;
};
SearchCut textSearchCut();    // scale 100
SearchCut photoSearchCut();   // scale 30

// The number of `scores` (best first) that the cut keeps.
std::size_t adaptiveCount(const std::vector<float> &scores, const SearchCut &cut);

// Search across the catalog: every present photo with features under modelId, best first, cut
// by adaptiveCount(). An error when the query and the features differ in size.
Result<std::vector<SearchHit>> searchCatalog(const Catalog &catalog, const QString &modelId, const std::vector<float> &query,
                                             const SearchCut &cut);
// The features of one photo under modelId ("more like this photo" across the catalog).
Result<std::vector<float>> catalogPhotoQuery(const Catalog &catalog, const QString &modelId, qint64 photoId);

// The run's photos (present, with features) best first, at most `limit`. An error when the query
// and the features differ in size, e.g. a text query against a run grouped by look.
Result<std::vector<SearchHit>> searchRun(const Catalog &catalog, qint64 runId, const std::vector<float> &query, int limit = 200);
// The features of one photo under the run's model ("more like this photo").
Result<std::vector<float>> photoQuery(const Catalog &catalog, qint64 runId, qint64 photoId);
// The mean of the unit features of a group's members ("more like this group").
Result<std::vector<float>> groupQuery(const Catalog &catalog, qint64 runId, int clusterIndex);

}   // namespace clade
