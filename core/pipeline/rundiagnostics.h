#pragma once
// Diagnostics (cluster/diagnostics.h) of a stored run, over the features it was clustered on.

#include "catalog/catalog.h"
#include "cluster/bursts.h"
#include "cluster/diagnostics.h"

#include <unordered_map>

namespace clade {

struct RunDiagnostics
{
    std::vector<ClusterDiagnostics> clusters;               // by cluster index
    std::unordered_map<qint64, MemberDiagnostics> photos;   // by photo id
    // Bursts and near-duplicates (cluster/bursts.h): photo id -> its set's representative, for
    // the photos of sets of two or more (the representative maps to itself).
    std::unordered_map<qint64, qint64> burstOf;
};

// Reads the run's assignments and its model's features (photos without features are left out)
// and diagnoses the partition, bursts included. Reads only; any thread with its own connection.
Result<RunDiagnostics> diagnoseRun(const Catalog &catalog, qint64 runId);

}   // namespace clade
