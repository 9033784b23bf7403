#pragma once

// Internal to clade_torch and its tests: the steps of SIC as tensor functions. Includes torch,
// so no public header may include this one. All functions run on the caller's thread, keep the
// device of their inputs and take float32 tensors.

#include <torch/torch.h>

#include "common/result.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace clade::sicops {

// Returns false when the caller should stop (cancelled).
using Tick = std::function<bool(std::int64_t done, std::int64_t total)>;

// Row-wise cosine similarities: a.rows x b.rows.
torch::Tensor cosineMatrix(const torch::Tensor &a, const torch::Tensor &b);

struct KMeansOutput
{
    torch::Tensor centres;   // k x d
    torch::Tensor labels;    // N, int64
    double inertia = 0;
};

// Lloyd's k-means with k-means++ seeding and `restarts` restarts; keeps the lowest inertia.
// The restarts run side by side (one stacked matrix product per Lloyd step); each stops on
// scikit-learn's rules (centre shift <= tolerance x mean variance, or labels unchanged). On more
// than max(8,192, 64·k) rows k-means is trained on a uniform sample of that many and every row
// is then assigned to the winner's nearest centre.
// Randomness comes from `seed` only (drawn on the CPU), so CPU and CUDA seed alike.
KMeansOutput kmeans(const torch::Tensor &x, int k, int restarts, int maxIterations, double tolerance, std::uint64_t seed,
                    const Tick &tick = {});

// §1.3 step 1: union over centres of the γ_r nouns of highest cosine; sorted unique int64 indices.
torch::Tensor centreNounIndices(const torch::Tensor &centres, const torch::Tensor &texts, int gammaR);
// §1.3 step 2: indices of the nouns with cos(t, mean text) < 1 − γ_u, sorted.
torch::Tensor uniqueNounIndices(const torch::Tensor &texts, double gammaU);
// §1.3 step 3: sorted intersection of two sorted index tensors.
torch::Tensor intersectSorted(const torch::Tensor &a, const torch::Tensor &b);

// How knnGraph keeps each row's nearest: Auto is a per-row heap on the CPU (float) and torch's
// topk elsewhere; Topk forces topk (the benchmark's baseline, and a check in the tests).
enum class KnnSelection { Auto, Topk };

// §1.4: exact kNN by squared Euclidean distance, self included: N x (k+1) int64, nearest first.
// Blocked matrix products over the upper triangle of the distance matrix.
torch::Tensor knnGraph(const torch::Tensor &x, int k, int blockRows, const Tick &tick = {}, KnnSelection selection = KnnSelection::Auto);

// One row of the CPU kNN selection: heapDist/heapIndex (keep entries) are a max-heap of the
// nearest so far by rank value ‖x_c‖² − 2 x_r·x_c; candidate c (index firstIndex + c) enters when
// it beats the current worst. dots: x_r·x_c for the cols candidates, norms: their ‖x_c‖².
void mergeNearestRow(float *heapDist, std::int64_t *heapIndex, std::int64_t keep, const float *dots, const float *norms, std::int64_t cols,
                     std::int64_t firstIndex);

// Approximate kNN (approxknn.cpp, faiss IndexIVFFlat): the same N x (k+1) int64 graph, self
// first, from an inverted-file search over `lists` coarse cells of which each row probes the
// `probes` nearest. Used on the CPU above SicParams::exactKnnRows rows (docs/SCALE.md). Fails
// when the build has no faiss. Empty tensor when tick asked to stop.
inline constexpr double kApproxKnnListsPerRoot = 2.0;   // lists = 2·√N
inline constexpr int kApproxKnnProbes = 16;
inline constexpr int kApproxKnnTrainPerList = 32;
inline constexpr int kApproxKnnTrainIterations = 10;
struct ApproxKnnPlan
{
    int lists = 1;
    int probes = 1;
    std::int64_t trainRows = 0;
};
bool approximateKnnAvailable();
// Whether a run on `rows` rows on `device` uses the approximate graph (CPU, faiss, above
// exactKnnRows rows).
bool usesApproximateKnn(std::int64_t rows, std::int64_t exactKnnRows, const torch::Device &device);
ApproxKnnPlan approximateKnnPlan(std::int64_t rows);
// `plan` overrides approximateKnnPlan (bench_knn tunes with it).
Result<torch::Tensor> approximateKnnGraph(const torch::Tensor &x, int k, std::uint64_t seed, const Tick &tick = {},
                                          const ApproxKnnPlan *plan = nullptr);

// §1.6 step 2: per column j, the mean of the features of the ⌊⌊N/c⌋·ξ_c⌋ rows with the largest
// logit j, L2-normalised. columns x d. c is `clusters`, or the number of columns when 0 (several
// heads' logits side by side, N x H·c, take clusters = c).
torch::Tensor confidentCentres(const torch::Tensor &logits, const torch::Tensor &features, double xiC, std::int64_t clusters = 0);
// §1.6 step 3: L2-normalised mean of the raw texts of the ξ_a nouns nearest (cosine) to each centre.
torch::Tensor semanticCentres(const torch::Tensor &centres, const torch::Tensor &texts, int xiA);
// The rows of texts whose mean that is: c x min(ξ_a, texts).
torch::Tensor semanticNounIndices(const torch::Tensor &centres, const torch::Tensor &texts, int xiA);
// §1.7: y_i = argmax_j f_i·h_j.
torch::Tensor pseudoLabels(const torch::Tensor &features, const torch::Tensor &semantic);

// §1.7 losses on one batch. probs/neighbourProbs are softmax outputs (B x c).
torch::Tensor consistencyLoss(const torch::Tensor &probs, const torch::Tensor &neighbourProbs);
torch::Tensor balanceEntropy(const torch::Tensor &probs);   // H(mean p), clamped at 1e-8
torch::Tensor semanticLoss(const torch::Tensor &logits, const torch::Tensor &pseudo);

// §6: cos(v_j, t_w) − mean over j' ≠ j of cos(v_j', t_w); c x m. Equals the cosine when c = 1.
torch::Tensor distinctiveness(const torch::Tensor &centres, const torch::Tensor &texts);

// Robust SIC (sicselect.cpp). Labels are N int64 on the features' device.

// Exactly k non-empty groups: while a group is empty, the group of largest squared spread about
// its mean (with two or more rows) is split in two by 2-means started from its two most distant
// rows, and its far half fills the empty group. Deterministic. Returns the labels and how many
// groups were refilled.
std::pair<torch::Tensor, int> refillEmptyGroups(const torch::Tensor &labels, const torch::Tensor &features, int k);

// Mean over the k groups of the share of each member's kNN edges (self excluded) that leave its
// group; an empty group counts 1. knn is the N x (k+1) graph of knnGraph; `rows` (when defined)
// measures it on those rows' edges only, an estimate averaged over the groups they fall in.
double knnLeakage(const torch::Tensor &labels, const torch::Tensor &knn, int k, const torch::Tensor &rows = {});

// Share of rows whose pseudo-label (§1.7, from the semantic centres of the groups' normalised
// member means) is their own group.
double semanticAgreement(const torch::Tensor &labels, const torch::Tensor &features, const torch::Tensor &texts, int k, int xiA);

// Mean feature of each group's members: k x d (a zero row for an empty group).
torch::Tensor groupMeans(const torch::Tensor &labels, const torch::Tensor &features, int k);
// The same normalised.
torch::Tensor memberCentres(const torch::Tensor &labels, const torch::Tensor &features, int k);

// A group's cut in two: 2-means on its members' cosines to the 2·xiA nouns nearest their mean
// (`nouns`), so that directions the nouns do not describe (style, light) do not decide the cut;
// in image space when `texts` is undefined (nouns undefined). far marks the members of the
// second group; centres (2 x nouns, or 2 x d) place other rows by applySplit.
struct GroupSplit
{
    torch::Tensor nouns;
    torch::Tensor centres;
    torch::Tensor far;
};
GroupSplit semanticSplit(const torch::Tensor &features, const torch::Tensor &members, const torch::Tensor &texts, int xiA);
// The cut applied to the rows `members` of features: true for those nearer the second centre.
// Rows that all fall on one side are cut in halves, as the 2-means does.
torch::Tensor applySplit(const GroupSplit &split, const torch::Tensor &features, const torch::Tensor &members);

// Robust SIC's criterion as refinement judges its proposals: knnLeakage − semanticAgreement
// (knnLeakage alone when texts is undefined), measured on `rows` (undefined: all rows) as
// knnLeakage(labels, knn, k, rows) and semanticAgreement on those rows' labels and features.
// A proposal differs from the partitions before it in a few groups, so the agreement is updated
// rather than recomputed: the group sums change by the rows that moved, and only the changed
// groups' semantic centres and pseudo-label scores are computed again (a k-th of the products).
// The reference is the best partition judged so far (refinement proposes moves from the best
// one); one that differs from it in more than half the groups is scored in full and becomes the
// reference. Equal to the full computation up to float rounding of the sums.
// A semantic centre is the normalised sum of ξ_a texts, so the judged rows' products with it
// are sums of their products with those texts: these (texts x rows) are computed once where they
// fit in kProjectionBytes, and a changed group's scores then gather ξ_a of their rows instead of
// a product over every judged row's features (measured on 20,000 judged rows of 512: 15 ms per
// proposal, nearly all of it the product's packing of the features; 456 proposals per run).
class PartitionJudge
{
public:
    PartitionJudge(const torch::Tensor &features, const torch::Tensor &knn, const torch::Tensor &texts, int k, int xiA,
                   const torch::Tensor &rows = {});
    double operator()(const torch::Tensor &labels);

private:
    double rebase(const torch::Tensor &rowLabels);
    double agreement(const torch::Tensor &rowLabels, const torch::Tensor &scores) const;
    torch::Tensor scoresOf(const torch::Tensor &centres) const;   // judged rows x centres: features · semantic centres

    static constexpr std::int64_t kProjectionBytes = std::int64_t(256) << 20;

    torch::Tensor m_knn;
    torch::Tensor m_texts;
    torch::Tensor m_rows;
    torch::Tensor m_features;   // the judged rows'
    int m_k = 0;
    int m_xiA = 0;
    torch::Tensor m_base;                                      // the reference's labels on the judged rows
    torch::Tensor m_sums;                                      // k x d feature sums of its groups
    torch::Tensor m_counts;                                    // k
    torch::Tensor m_scores;                                    // judged rows x k: features · semantic centres
    torch::Tensor m_projected;                                 // texts x judged rows: their products, or undefined (too large)
    double m_best = std::numeric_limits<double>::infinity();   // the lowest criterion judged so far
};

// One merge-and-split move: group `absorbed` joins `into`, then the members of group `split` (in
// the merged partition) that `cut` puts on its far side become group `absorbed`.
struct RefinementMove
{
    std::int64_t into = 0;
    std::int64_t absorbed = 0;
    std::int64_t split = 0;
    GroupSplit cut;
};

struct Refinement
{
    torch::Tensor labels;
    std::vector<RefinementMove> moves;
    double criterion = 0;
};

// Label-free merge-and-split moves on a finished partition (docs/ROBUST-SIC.md, "Refinement").
// Each round takes the `mergeChoices` pairs of groups joined by the largest share of kNN edges
// (of the smaller group's), and for each pair every way of merging it and splitting one group
// (the merged one included) in two by semanticSplit; the move that lowers `criterion` most is
// made. Stops when no move lowers it, or after maxMoves. The number of groups stays k. knn is
// the graph of the labels' rows.
Refinement refinePartition(const torch::Tensor &labels, const torch::Tensor &features, const torch::Tensor &knn, const torch::Tensor &texts,
                           int k, int xiA, const std::function<double(const torch::Tensor &)> &criterion, int maxMoves,
                           int mergeChoices = 3);

// The moves of a refinement made on some rows, replayed on others (all photos of a run trained
// on a sample): each split's cut places every member of its group.
torch::Tensor replayMoves(const torch::Tensor &labels, const torch::Tensor &features, const std::vector<RefinementMove> &moves);

}   // namespace clade::sicops
