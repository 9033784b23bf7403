// matchClusters: which earlier cluster a new one continues (names follow it through re-runs).
#include "cluster/clustermatching.h"

#include <QtTest>

#include <functional>

using namespace clade;

namespace {

// Rows near one of `groups` orthogonal directions: rows i belongs to group i % groups.
FeatureMatrix groupedRows(int rows, int groups)
{
    FeatureMatrix m(std::size_t(rows), std::size_t(groups + 1));
    for (int i = 0; i < rows; ++i) {
        m.row(std::size_t(i))[i % groups] = 1.0f;
        m.row(std::size_t(i))[groups] = 0.05f * float(i % 3);   // a little spread
    }
    return m;
}

std::vector<int> labelsOf(int rows, const std::function<int(int)> &f)
{
    std::vector<int> out(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i)
        out[std::size_t(i)] = f(i);
    return out;
}

}   // namespace

class TestClusterMatching : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameGroupsUnderOtherNumbers()
    {
        const auto x = groupedRows(40, 4);
        const auto oldLabels = labelsOf(40, [](int i) { return i % 4; });
        const auto newLabels = labelsOf(40, [](int i) { return (i % 4 + 1) % 4; });   // renumbered
        QCOMPARE(matchClusters(x, newLabels, 4, oldLabels, 4), (std::vector<int>{3, 0, 1, 2}));
    }

    void fewerClustersEachContinueOne()
    {
        // Old: 4 groups. New: K = 2, {0, 1} and {2, 3} merged: each new one continues one old one
        // (fully contained), the other two old clusters are continued by none.
        const auto x = groupedRows(40, 4);
        const auto oldLabels = labelsOf(40, [](int i) { return i % 4; });
        const auto newLabels = labelsOf(40, [](int i) { return i % 4 < 2 ? 0 : 1; });
        const auto match = matchClusters(x, newLabels, 2, oldLabels, 4);
        QCOMPARE(match.size(), std::size_t(2));
        QVERIFY(match[0] == 0 || match[0] == 1);
        QVERIFY(match[1] == 2 || match[1] == 3);
    }

    void moreClustersOneContinuesEach()
    {
        // Old: 2 groups; new: 4, each old one split in two halves: one half continues it.
        const auto x = groupedRows(40, 4);
        const auto oldLabels = labelsOf(40, [](int i) { return i % 4 < 2 ? 0 : 1; });
        const auto newLabels = labelsOf(40, [](int i) { return i % 4; });
        const auto match = matchClusters(x, newLabels, 4, oldLabels, 2);
        QCOMPARE(std::count(match.begin(), match.end(), 0), 1);
        QCOMPARE(std::count(match.begin(), match.end(), 1), 1);
        QCOMPARE(std::count(match.begin(), match.end(), -1), 2);
    }

    void noSharedPhotosNoMatch()
    {
        // The earlier run's cluster 1 has no photo left; its centroid is empty: nothing continues it.
        const auto x = groupedRows(30, 3);
        const auto oldLabels = labelsOf(30, [](int i) { return i % 3 == 2 ? -1 : i % 3; });
        const auto newLabels = labelsOf(30, [](int i) { return i % 3; });
        const auto match = matchClusters(x, newLabels, 3, oldLabels, 3);
        QCOMPARE(match[0], 0);
        QCOMPARE(match[1], 1);
        QCOMPARE(match[2], -1);   // paired by the Hungarian method with old 2, but they share no photo
    }

    void smallOverlapIsNotEnough()
    {
        // Same look everywhere, so the centroids agree; but the one new cluster holds just 1 of the
        // old cluster's 10 photos (rows 1..9 are not in it) and 10 others: under half on both
        // sides, so it does not continue it.
        FeatureMatrix x(20, 2);
        for (int i = 0; i < 20; ++i)
            x.row(std::size_t(i))[0] = 1.0f;
        std::vector<int> oldLabels(20, -1), newLabels(20, 0);
        for (int i = 0; i < 10; ++i)
            oldLabels[std::size_t(i)] = 0;
        for (int i = 1; i < 10; ++i)
            newLabels[std::size_t(i)] = -1;
        QCOMPARE(matchClusters(x, newLabels, 1, oldLabels, 1), (std::vector<int>{-1}));
        // With 5 of the 10 it does (half of the old cluster).
        for (int i = 1; i < 5; ++i)
            newLabels[std::size_t(i)] = 0;
        QCOMPARE(matchClusters(x, newLabels, 1, oldLabels, 1), (std::vector<int>{0}));
    }

    void badInputMatchesNothing()
    {
        const auto x = groupedRows(10, 2);
        QCOMPARE(matchClusters(x, std::vector<int>(3, 0), 2, std::vector<int>(10, 0), 2), (std::vector<int>{-1, -1}));
        QCOMPARE(matchClusters(x, std::vector<int>(10, 0), 2, std::vector<int>(10, 0), 0), (std::vector<int>{-1, -1}));
    }
};

QTEST_GUILESS_MAIN(TestClusterMatching)
#include "tst_clustermatching.moc"
