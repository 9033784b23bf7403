#pragma once

#include "catalog/records.h"
#include "common/matrix.h"
#include "common/progress.h"
#include "common/result.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace clade {

// Every hyperparameter of SIC (docs/sic-spec.md §2). defaultSicParams() gives the spec's values;
// the fields below the first block are ours (label-free stopping, naming, compute).
struct SicParams
{
    int k = 10;                       // c, the number of clusters
    double entropyWeight = 5.0;       // λ, weight of the batch balance entropy (maximised)
    double ceWeight = 0.1;            // β, weight of the image–semantic cross-entropy
    double gammaU = 0.05;             // γ_u: keep nouns with cos(t, mean text) < 1 − γ_u
    int gammaR = 500;                 // γ_r: nearest nouns kept per k-means centre
    double xiC = 0.9;                 // ξ_c: fraction of ⌊N/c⌋ top-logit samples per confident centre
    int xiA = 30;                     // ξ_a: nouns averaged into each semantic centre
    int neighbours = 20;              // kNN k (self is drawn too, with probability 1/(k+1))
    double learningRate = 1e-4;       // Adam, constant
    double weightDecay = 1e-4;        // Adam's (coupled) L2 term
    int batchSize = 128;
    int maxEpochs = 100;
    bool centerInit = false;          // §1.5: head starts as the nearest-k-means-centre rule
    double centerInitAlpha = 0.05;
    int kmeansRestarts = 20;          // n_init of the k-means that seeds the semantic space
    int kmeansMaxIterations = 300;
    double kmeansTolerance = 1e-4;    // relative to the mean per-dimension variance, as sklearn

    // Label-free stopping: the released code picks the epoch by test labels (spec §5.4).
    // We stop once fewer than stableFraction of the rows changed cluster between consecutive
    // epochs for stablePatience epochs in a row (never before minEpochs).
    double stableFraction = 0.001;
    int stablePatience = 3;
    int minEpochs = 5;

    int nameCount = 5;                // nouns reported per cluster
    int nameCandidates = 30;          // nearest nouns of a cluster re-ranked by distinctiveness
    std::uint64_t seed = 0;
    bool allowGpu = true;             // CUDA when available; CPU otherwise
    int knnBlock = 4096;              // rows per block of the exact kNN matrix products
};

SicParams defaultSicParams(int k);

struct SicResult
{
    std::vector<int> labels;                    // one per image row, 0..k-1 (argmax of the head)
    std::vector<float> confidence;              // max softmax probability of the head
    std::vector<std::vector<NameScore>> names;  // per cluster, best first; empty when !semantic
    int epochs = 0;                             // epochs trained
    QString stopReason;                         // why training stopped, for the run record
    bool semantic = false;                      // false: image-space-only variant (no text)
    int semanticSpaceSize = 0;                  // |T| after the γ_r and γ_u filters
    QString device;                             // "cpu" or "cuda"
    bool reused = false;                        // the kNN graph came from a SicCache
};

class SicCache;

// Runs SIC on image embeddings (one row per image). With texts (one row per noun, same
// dimension) and nouns (same count), the full method; with both null, the image-space-only
// variant (image consistency + balance). Runs on the caller's (worker) thread; reports
// progress per stage and per epoch and stops with an error Result when cancelled.
// With a cache, work that does not depend on K (the kNN graph, the features on the device) and
// k-means results are taken from it when the features match and stored in it after the run;
// the result is identical to a run without it.
Result<SicResult> runSic(const FeatureMatrix &images, const FeatureMatrix *texts, const QStringList *nouns,
                         const SicParams &params, Progress *progress = nullptr, SicCache *cache = nullptr);

// Readable form of a vocabulary entry: underscores as spaces.
QString displayNoun(const QString &noun);

} // namespace clade
