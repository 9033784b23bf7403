#include "cluster/metrics.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace clade;

namespace {

using Labels = std::vector<int>;
using Matrix = std::vector<std::vector<double>>;

double assignmentCost(const Matrix &cost, const std::vector<int> &columns)
{
    double total = 0;
    for (std::size_t r = 0; r < cost.size(); ++r)
        total += cost[r][std::size_t(columns[r])];
    return total;
}

// Every injective row → column map, through the permutations of the columns.
double bruteForceMinCost(const Matrix &cost)
{
    std::vector<int> perm(cost.front().size());
    std::iota(perm.begin(), perm.end(), 0);
    double best = INFINITY;
    do
        best = std::min(best, assignmentCost(cost, perm));
    while (std::next_permutation(perm.begin(), perm.end()));
    return best;
}

// Accuracy by trying every injective mapping from the smaller label set into the larger one.
double bruteForceAccuracy(const Labels &truth, const Labels &pred, int classes, int clusters)
{
    const int small = std::min(classes, clusters);
    std::vector<int> perm(std::size_t(std::max(classes, clusters)));
    std::iota(perm.begin(), perm.end(), 0);
    std::size_t best = 0;
    do {
        std::size_t hits = 0;
        for (std::size_t i = 0; i < truth.size(); ++i) {
            const int t = truth[i], p = pred[i];
            hits += classes <= clusters ? (t < small && perm[std::size_t(t)] == p) : (p < small && perm[std::size_t(p)] == t);
        }
        best = std::max(best, hits);
    } while (std::next_permutation(perm.begin(), perm.end()));
    return double(best) / double(truth.size());
}

// ARI from its pair-counting form over all unordered pairs (independent of the contingency
// formula in the implementation): 2(tp·tn − fn·fp) / ((tp+fn)(fn+tn) + (tp+fp)(fp+tn)).
double bruteForceAri(const Labels &truth, const Labels &pred)
{
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        for (std::size_t j = i + 1; j < truth.size(); ++j) {
            const bool sameT = truth[i] == truth[j], sameP = pred[i] == pred[j];
            tp += sameT && sameP;
            fp += !sameT && sameP;
            fn += sameT && !sameP;
            tn += !sameT && !sameP;
        }
    if (fp == 0 && fn == 0)
        return 1.0;
    return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

Labels randomLabels(std::mt19937 &rng, std::size_t n, int k)
{
    Labels l(n);
    for (int &v : l)
        v = int(rng() % unsigned(k));
    return l;
}

}   // namespace

class TestClusterMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hungarianSquare()
    {
        // Permutations (row0,row1,row2 → columns) and costs:
        // (0,1,2) 4+0+2=6  (0,2,1) 4+5+2=11  (1,0,2) 1+2+2=5  (1,2,0) 1+5+3=9  (2,0,1) 3+2+2=7  (2,1,0) 3+0+3=6
        // The unique optimum is (1,0,2) with cost 5.
        const Matrix cost{{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        QCOMPARE(hungarianMinCost(cost), (std::vector<int>{1, 0, 2}));
    }

    void hungarianRectangular()
    {
        // Row 0 is cheapest in column 1 (2), row 1 in column 2 (3); they do not collide, so 5 is
        // optimal and unique (every other pair costs at least 2 + 4 = 6 or 3 + 6 = 9).
        const Matrix cost{{9, 2, 7, 8}, {6, 4, 3, 7}};
        QCOMPARE(hungarianMinCost(cost), (std::vector<int>{1, 2}));
        // A greedy row-by-row choice fails here: row 0 takes column 0 (1), leaving row 1 with 10;
        // the optimum is row 0 → 1 (2) and row 1 → 0 (2).
        const Matrix trap{{1, 2, 50}, {2, 10, 60}};
        QCOMPARE(hungarianMinCost(trap), (std::vector<int>{1, 0}));
    }

    void hungarianRejectsBadMatrices()
    {
        QVERIFY(hungarianMinCost({}).empty());
        QVERIFY(hungarianMinCost({{1, 2}, {3, 4}, {5, 6}}).empty());   // more rows than columns
        QVERIFY(hungarianMinCost({{1, 2, 3}, {4, 5}}).empty());        // ragged
        QVERIFY(hungarianMinCost({{1, NAN}, {3, 4}}).empty());
        QVERIFY(hungarianMinCost({{1, INFINITY}, {3, 4}}).empty());
    }

    void hungarianMatchesBruteForce()
    {
        std::mt19937 rng(7);
        std::uniform_real_distribution<double> value(-5, 20);
        for (int trial = 0; trial < 300; ++trial) {
            const std::size_t cols = 1 + rng() % 6;
            const std::size_t rows = 1 + rng() % cols;
            Matrix cost(rows, std::vector<double>(cols));
            for (auto &row : cost)
                for (double &c : row)
                    c = trial % 3 == 0 ? double(rng() % 4) : value(rng);   // many ties every third trial
            const std::vector<int> columns = hungarianMinCost(cost);
            QCOMPARE(columns.size(), rows);
            std::vector<int> sorted = columns;
            std::sort(sorted.begin(), sorted.end());
            QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
            QVERIFY(sorted.front() >= 0 && sorted.back() < int(cols));
            QVERIFY(std::abs(assignmentCost(cost, columns) - bruteForceMinCost(cost)) < 1e-9);
        }
    }

    void permutedLabelsScorePerfectly()
    {
        // Cluster 1 is class 0 and cluster 0 is class 1: a renaming, so all three are 1.
        const ClusteringScores s = scoreClustering({0, 0, 1, 1}, {1, 1, 0, 0});
        QCOMPARE(s.acc, 1.0);
        QCOMPARE(s.nmi, 1.0);
        QCOMPARE(s.ari, 1.0);
    }

    void labelValuesNeedNotBeDense()
    {
        const ClusteringScores s = scoreClustering({5, 5, -3, -3, 9}, {100, 100, 7, 7, -1});
        QCOMPARE(s.acc, 1.0);
        QCOMPARE(s.nmi, 1.0);
        QCOMPARE(s.ari, 1.0);
    }

    void twoClassesAgainstThreeClusters()
    {
        // truth [0,0,0,1,1,1], pred [0,0,1,1,2,2]. Contingency (rows = classes, cols = clusters):
        //   class 0: 2 1 0    a = (3, 3), b = (2, 2, 2), n = 6
        //   class 1: 0 1 2
        // ACC: class 0 → cluster 0 (2) and class 1 → cluster 2 (2): 4/6.
        // MI = 2/6·ln(6·2/(3·2)) + 1/6·ln(6·1/(3·2)) + 1/6·ln(1) + 2/6·ln(2) = (2/3)·ln 2.
        // H(truth) = ln 2, H(pred) = ln 3, NMI = (2/3)·ln 2 / ((ln 2 + ln 3) / 2) = (4/3)·ln 2 / ln 6.
        // ARI: Σ C(n_ij, 2) = 1 + 1 = 2; Σ C(a_i, 2) = 3 + 3 = 6; Σ C(b_j, 2) = 3; C(6, 2) = 15;
        //   expected = 6·3/15 = 1.2; max = (6 + 3)/2 = 4.5; ARI = (2 − 1.2)/(4.5 − 1.2) = 8/33.
        const Labels truth{0, 0, 0, 1, 1, 1}, pred{0, 0, 1, 1, 2, 2};
        const ClusteringScores s = scoreClustering(truth, pred);
        QVERIFY(qFuzzyCompare(s.acc, 4.0 / 6.0));
        QVERIFY(qFuzzyCompare(s.nmi, 4.0 / 3.0 * std::log(2.0) / std::log(6.0)));
        QVERIFY(qFuzzyCompare(s.ari, 8.0 / 33.0));
        // All three are symmetric in their arguments.
        const ClusteringScores swapped = scoreClustering(pred, truth);
        QVERIFY(qFuzzyCompare(swapped.acc, s.acc));
        QVERIFY(qFuzzyCompare(swapped.nmi, s.nmi));
        QVERIFY(qFuzzyCompare(swapped.ari, s.ari));
    }

    void anticorrelatedPairsGiveNegativeAri()
    {
        // truth [0,0,1,1], pred [0,1,0,1]: every cell of the 2×2 contingency is 1.
        // Σ C(n_ij,2) = 0; Σ C(a_i,2) = Σ C(b_j,2) = 2; C(4,2) = 6; expected = 2·2/6 = 2/3;
        // max = 2; ARI = (0 − 2/3)/(2 − 2/3) = −1/2. MI = Σ 1/4·ln(4·1/(2·2)) = 0, so NMI = 0.
        // ACC: any one-to-one map gets 2 of 4.
        const ClusteringScores s = scoreClustering({0, 0, 1, 1}, {0, 1, 0, 1});
        QVERIFY(qFuzzyCompare(s.ari, -0.5));
        QCOMPARE(s.nmi, 0.0);
        QCOMPARE(s.acc, 0.5);
    }

    void degenerateLabelings()
    {
        // Neither side splits the data: scikit-learn's limit case, a perfect match.
        const ClusteringScores one = scoreClustering({3, 3, 3}, {0, 0, 0});
        QCOMPARE(one.nmi, 1.0);
        QCOMPARE(one.ari, 1.0);
        QCOMPARE(one.acc, 1.0);
        // truth [0,0,1,1], everything in one cluster: MI = 0 → NMI 0. ARI: Σ C(n_ij,2) = 1 + 1 = 2,
        // Σ C(a_i,2) = 2, Σ C(b_j,2) = 6, expected = 2·6/6 = 2, max = 4 → (2 − 2)/(4 − 2) = 0. ACC 2/4.
        const ClusteringScores lumped = scoreClustering({0, 0, 1, 1}, {7, 7, 7, 7});
        QCOMPARE(lumped.nmi, 0.0);
        QCOMPARE(lumped.ari, 0.0);
        QCOMPARE(lumped.acc, 0.5);
        // One class, every row its own cluster: only one row can be matched, ACC 1/4; ARI: index 0,
        // Σ C(a,2) = 6, Σ C(b,2) = 0, expected 0, max 3 → 0.
        const ClusteringScores split = scoreClustering({1, 1, 1, 1}, {0, 1, 2, 3});
        QCOMPARE(split.acc, 0.25);
        QCOMPARE(split.ari, 0.0);
        QCOMPARE(split.nmi, 0.0);
        QCOMPARE(adjustedRandIndex({4}, {2}), 1.0);
    }

    void accuracyAndAriMatchBruteForce()
    {
        std::mt19937 rng(11);
        for (int trial = 0; trial < 200; ++trial) {
            const int classes = 1 + int(rng() % 4), clusters = 1 + int(rng() % 5);
            const std::size_t n = 2 + rng() % 40;
            const Labels truth = randomLabels(rng, n, classes), pred = randomLabels(rng, n, clusters);
            QVERIFY(std::abs(clusteringAccuracy(truth, pred) - bruteForceAccuracy(truth, pred, classes, clusters)) < 1e-12);
            QVERIFY(std::abs(adjustedRandIndex(truth, pred) - bruteForceAri(truth, pred)) < 1e-9);
            const double nmi = normalizedMutualInformation(truth, pred);
            QVERIFY(nmi >= 0.0 && nmi <= 1.0);
        }
    }

    void mismatchedInputs()
    {
        QVERIFY(std::isnan(clusteringAccuracy({0, 1}, {0})));
        QVERIFY(std::isnan(normalizedMutualInformation({}, {})));
        QVERIFY(std::isnan(adjustedRandIndex({0}, {0, 1})));
        const auto mismatch = evaluateClustering({0, 1, 1}, {0, 1});
        QVERIFY(!mismatch);
        QVERIFY2(mismatch.error().contains(QLatin1String("3")) && mismatch.error().contains(QLatin1String("2")),
                 qPrintable(mismatch.error()));
        QVERIFY(!evaluateClustering({}, {}));
        const auto ok = evaluateClustering({0, 0, 1, 1}, {1, 1, 0, 0});
        QVERIFY(ok);
        QCOMPARE(ok->ari, 1.0);
    }
};

QTEST_GUILESS_MAIN(TestClusterMetrics)
#include "tst_clustermetrics.moc"
