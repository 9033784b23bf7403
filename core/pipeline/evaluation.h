#pragma once

#include "catalog/catalog.h"
#include "common/progress.h"
#include "common/result.h"

#include <QStringList>

#include <vector>

// Scoring a run against known classes (clade-cli eval): the truth comes from the folder layout.
namespace clade {

// A finished run's assignments of the photos that sit in a class folder, with their true class
// indices (classes sorted by name).
struct LabelledRun
{
    std::vector<qint64> photoIds;
    std::vector<int> truth;
    std::vector<int> predicted;
    QStringList classes;
};

// The true class of a photo is the first folder below `folder`; photos directly in it have none
// and are left out. Fails when fewer than two classes are found.
Result<LabelledRun> labelledRun(const Catalog &catalog, qint64 runId, const QString &folder);

// k-means on the same stored features of `photoIds` (model `modelId`), in their order: the
// baseline every method is scored against.
Result<std::vector<int>> kmeansBaseline(const Catalog &catalog, const QString &modelId, const std::vector<qint64> &photoIds, int k,
                                        quint64 seed, Progress *progress);

}   // namespace clade
