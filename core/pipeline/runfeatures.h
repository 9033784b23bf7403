#pragma once
// The features some photos of a stored run were clustered on (those of the run's model), as a
// matrix: what diagnostics, search and splits read.

#include "catalog/catalog.h"
#include "common/matrix.h"

#include <vector>

namespace clade {

struct RunFeatures
{
    RunRecord run;
    std::vector<qint64> photoIds;   // one per matrix row, in the order asked for
    FeatureMatrix matrix;
};

// Photos without features under the run's model are left out, and so are rows whose size
// differs from the first one found. An error when there is no such run.
Result<RunFeatures> runFeatures(const Catalog &catalog, qint64 runId, const std::vector<qint64> &photoIds);

}   // namespace clade
