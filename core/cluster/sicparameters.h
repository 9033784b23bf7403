#pragma once

// SIC's settings and result types, and the one table of its settings. No torch here: runSic
// (core/torch/sic) runs the method. The CLI's `sic` and `cluster` options, the GUI's Clustering
// Settings and the run record all read the table, so a setting has one name and one range
// everywhere, and runSic checks every value against it.

#include "domain/records.h"
#include "cluster/clusterer.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace clade {

// Every hyperparameter of SIC (docs/sic-spec.md §2). defaultSicParams() gives the spec's values;
// the fields below the first block are ours (label-free stopping, naming, compute).
struct SicParams
{
    int k = 10;                   // c, the number of clusters
    double entropyWeight = 5.0;   // λ, weight of the batch balance entropy (maximised)
    double ceWeight = 0.1;        // β, weight of the image–semantic cross-entropy
    double gammaU = 0.05;         // γ_u: keep nouns with cos(t, mean text) < 1 − γ_u
    int gammaR = 500;             // γ_r: nearest nouns kept per k-means centre
    double xiC = 0.9;             // ξ_c: fraction of ⌊N/c⌋ top-logit samples per confident centre
    int xiA = 30;                 // ξ_a: nouns averaged into each semantic centre
    int neighbours = 20;          // kNN k (self is drawn too, with probability 1/(k+1))
    double learningRate = 1e-4;   // Adam, constant
    double weightDecay = 1e-4;    // Adam's (coupled) L2 term
    int batchSize = 128;
    int maxEpochs = 100;
    bool centerInit = false;   // §1.5: head starts as the nearest-k-means-centre rule (one candidate only)
    double centerInitAlpha = 0.05;
    int kmeansRestarts = 20;   // n_init of the k-means that seeds the semantic space
    int kmeansMaxIterations = 300;
    double kmeansTolerance = 1e-4;   // relative to the mean per-dimension variance, as sklearn

    // Label-free stopping: the released code picks the epoch by test labels (spec §5.4).
    // We stop once fewer than stableFraction of the rows changed cluster between consecutive
    // epochs for stablePatience epochs in a row (never before minEpochs).
    double stableFraction = 0.001;
    int stablePatience = 3;
    int minEpochs = 5;

    // Robust SIC (ours): `candidates` heads train side by side (from 3 up: candidates − 2 from
    // random starts, one from the k-means centres, one from the centres with a fifth of λ), the
    // plain k-means partition is scored beside them, and the partition with the best label-free
    // criterion is kept (docs/ROBUST-SIC.md). 1 is the spec's single run.
    int candidates = 5;
    // At epoch pruneEpoch, or once the heads have taken 5,000 steps if that is later, heads
    // still training that are not among the pruneKeep best by that criterion stop, and the rest
    // train on alone (docs/ROBUST-SIC.md, "Pruning"): a head's rank by then predicts its final
    // rank well enough, and each head costs a fifth of an epoch. pruneKeep 0 (or ≥ candidates)
    // trains every head to the end.
    int pruneEpoch = 15;
    int pruneKeep = 3;

    int nameCount = 5;              // nouns reported per cluster
    int nameCandidates = 30;        // nearest nouns of a cluster re-ranked by distinctiveness
    double nameScoreRatio = 0.75;   // names shown score at least this share of the group's top name
    std::uint64_t seed = 0;
    bool allowGpu = true;   // CUDA when available; CPU otherwise
    // On a CPU that multiplies bf16 natively (avx512_bf16 or AMX), training's large matrix
    // products (the per-epoch logits and pseudo-labels, each step's weight gradient) run in bf16
    // with fp32 weights, losses and final assignment (docs/SCALE.md); false keeps them in fp32.
    bool allowBf16 = true;
    int knnBlock = 4096;   // rows per block of the exact kNN matrix products
    // On the CPU, above this many photos the kNN graph is approximate (faiss IVF, docs/SCALE.md)
    // when the build has faiss, also when the heads train on a sample of fewer (the sample's
    // graph then costs 3 s instead of 10 s at ACC within 0.001); the GPU and smaller sets use
    // the exact graph.
    std::int64_t exactKnnRows = 100000;
    // Above max(trainingRows, kTrainingRowsPerGroup·K) photos the heads train on a uniform sample
    // of that many (k-means, kNN graph and epochs included) and the trained heads then assign
    // every photo (docs/SCALE.md); 0 trains on all photos. 50,000 is the scale the spec's
    // settings were tuned at (CIFAR's training split: 100 epochs of 391 steps); with robust SIC's
    // refinement a 50,000 sample of 200,000 photos (K = 20) reaches ACC 0.9987-0.9997 in about a
    // minute on two cores, where all photos took 216 s for 1.000. Larger sets cost about what
    // 50,000 do.
    std::int64_t trainingRows = 50000;
};

// The least training sample per group, so that a large K still sees enough photos of each group.
inline constexpr std::int64_t kTrainingRowsPerGroup = 500;

SicParams defaultSicParams(int k);

// The internal scale: runSic scales every image row to this norm (ViT-B/32's raw feature norm,
// which the spec's lr, λ and β assume), so the caller's scale, raw or L2-normalised, does not
// change the result.
inline constexpr double kSicFeatureNorm = 10.0;

// One partition robust SIC considered, with its label-free scores.
struct SicCandidate
{
    QString kind;     // "random start", "k-means start" or "k-means"
    int epochs = 0;   // 0 for the k-means partition
    QString stopReason;
    int emptied = 0;                // groups it left empty, refilled before scoring
    double leakage = 0;             // mean over groups of the share of kNN edges leaving the group (lower is better)
    double semanticAgreement = 0;   // share of photos whose semantic pseudo-label is their group
    double criterion = 0;           // the score candidates are compared by (lower is better)
};

struct SicResult
{
    std::vector<int> labels;                         // one per image row, 0..k-1 (argmax of the head)
    std::vector<float> confidence;                   // max softmax probability of the head
    std::vector<std::vector<NameScore>> names;       // per cluster, best first; empty when !semantic
    int epochs = 0;                                  // epochs trained (the longest-training candidate)
    QString stopReason;                              // why training stopped, for the run record
    bool semantic = false;                           // false: image-space-only variant (no text)
    int semanticSpaceSize = 0;                       // |T| after the γ_r and γ_u filters
    QString device;                                  // "cpu" or "cuda"
    bool bf16 = false;                               // training's large products ran in bf16 (allowBf16)
    bool reused = false;                             // the kNN graph came from a SicCache
    std::vector<SicCandidate> candidates;            // every partition considered, in training order
    int chosen = 0;                                  // index into candidates of the one returned
    int repaired = 0;                                // groups of the returned partition refilled (exact K)
    std::vector<std::vector<int>> candidateLabels;   // each candidate's labels (after refilling)
    QString neighbourGraph;                          // "exact", or the approximate search and its settings
    std::int64_t trainedOn = 0;                      // rows the heads trained on (all, or the training sample)
};

struct SicParameter
{
    Hyperparameter shape;        // key (also the CLI option, --key), texts, kind, range
    bool semanticOnly = false;   // meaningless without text features
    double (*get)(const SicParams &) = nullptr;
    void (*set)(SicParams &, double) = nullptr;
};

// Every setting of SicParams except K, the seed, allowGpu, allowBf16 and the compute block size.
const std::vector<SicParameter> &sicParameterTable();

// The row for `key`; also accepts the names settings files used before the table was shared
// (lambda, beta, gammaU, gammaR, xiC, xiA, neighbours, learningRate, …). nullptr when unknown.
const SicParameter *findSicParameter(const QString &key);

// Range- and kind-checked assignment; a clear error for an unknown key or a bad value.
Status setSicParameter(SicParams &params, const QString &key, double value);

// Every value against its row's range: the first violation as an error.
Status checkSicParameters(const SicParams &params);

// {key: value} for every row, plus "k" and "seed": what a run records.
QJsonObject sicParametersJson(const SicParams &params);

// What robust SIC chose and why, for the run record and --json: "chosen" (index), "criterion"
// (its name), "repaired" (empty groups refilled) and "candidates" (kind, epochs, emptied,
// leakage, semanticAgreement, criterion of each) and "neighbourGraph" (exact or approximate), "trainedOn" (rows trained on).
QJsonObject sicSelectionJson(const SicResult &result);

}   // namespace clade
