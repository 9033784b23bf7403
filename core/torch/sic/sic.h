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

// Names for a partition that is already made (a stored run named again from another
// vocabulary, without clustering again): each group's centre is the normalised mean of its
// members; the semantic space is built around these centres as §1.3 builds it around the
// k-means centres (γ_r nearest nouns each, the γ_u filter), and §6 names them as after
// training. labels: one per image row, 0..k-1 (params.k); a group without members gets no
// names. CPU; takes well under a second for tens of thousands of photos and nouns.
Result<std::vector<std::vector<NameScore>>> nameGroups(const FeatureMatrix &images, const std::vector<int> &labels,
                                                       const FeatureMatrix &texts, const QStringList &nouns, const SicParams &params);

// Whether this build has the approximate neighbour graph for large sets (faiss; without it every
// run uses the exact graph, whatever SicParams::exactKnnRows says).
bool approximateNeighboursAvailable();

// Readable form of a vocabulary entry: underscores as spaces.
QString displayNoun(const QString &noun);

}   // namespace clade
