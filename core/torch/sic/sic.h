#pragma once

#include "cluster/sicparameters.h"
#include "common/matrix.h"
#include "common/progress.h"
#include "common/result.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace clade {

class SicCache;

// Runs SIC on image embeddings (one row per image). With texts (one row per noun, same
// dimension) and nouns (same count), the full method; with both null, the image-space-only
// variant (image consistency + balance). Runs on the caller's (worker) thread; reports
// progress per stage and per epoch and stops with an error Result when cancelled.
// With a cache, work that does not depend on K (the kNN graph, the features on the device) and
// k-means results are taken from it when the features match and stored in it after the run;
// the result is identical to a run without it.
Result<SicResult> runSic(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns, const SicParams &params,
                         Progress *progress = nullptr, SicCache *cache = nullptr);

// Readable form of a vocabulary entry: underscores as spaces.
QString displayNoun(const QString &noun);

}   // namespace clade
