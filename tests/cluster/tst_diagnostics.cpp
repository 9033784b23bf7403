// Cluster diagnostics on hand-made embeddings whose answers are known: a tight cluster, a loose
// one, one made of two separate halves, a photo halfway between two clusters, an empty cluster.
#include "cluster/diagnostics.h"

#include <QtTest>

#include <random>

using namespace clade;

namespace {

constexpr int kDims = 8;

// count rows around the unit axis `axis` (mixed with `other` by `mix`), Gaussian noise `noise`.
void addRows(FeatureMatrix &m, std::vector<int> &labels, int label, int count, int axis, float noise, std::mt19937 &rng, int other = -1,
             float mix = 0)
{
    std::normal_distribution<float> gauss(0.0f, noise);
    for (int i = 0; i < count; ++i) {
        std::vector<float> row(kDims, 0.0f);
        row[std::size_t(axis)] = 1.0f - mix;
        if (other >= 0)
            row[std::size_t(other)] += mix;
        for (float &v : row)
            v += gauss(rng);
        m.values.insert(m.values.end(), row.begin(), row.end());
        ++m.rows;
        labels.push_back(label);
    }
}

}   // namespace

class TestDiagnostics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownPartition()
    {
        std::mt19937 rng(7);
        FeatureMatrix m;
        m.cols = kDims;
        std::vector<int> labels;
        addRows(m, labels, 0, 30, 0, 0.02f, rng);          // tight, around e0
        addRows(m, labels, 1, 30, 1, 0.25f, rng);          // loose, around e1
        addRows(m, labels, 2, 20, 2, 0.02f, rng);          // two halves: e2 ...
        addRows(m, labels, 2, 20, 3, 0.02f, rng);          //            ... and e3
        addRows(m, labels, 0, 1, 0, 0.0f, rng, 1, 0.5f);   // halfway between e0 and e1, labelled 0
        addRows(m, labels, -1, 3, 4, 0.02f, rng);          // in no cluster
        const std::size_t between = 100;

        const PartitionDiagnostics d = diagnosePartition(m, labels, 4);
        QCOMPARE(d.clusters.size(), std::size_t(4));
        QCOMPARE(d.clusters[0].size, 31);
        QCOMPARE(d.clusters[2].size, 40);
        QCOMPARE(d.clusters[3].size, 0);
        QCOMPARE(d.clusters[3].cohesion, 0.0);
        QVERIFY(!d.clusters[3].looksBimodal);

        // Cohesion: tight > loose, and the two-halves cluster is poor (its centre lies between).
        QVERIFY2(d.clusters[0].cohesion > 0.95, qPrintable(QString::number(d.clusters[0].cohesion)));
        QVERIFY(d.clusters[1].cohesion < d.clusters[0].cohesion);
        QVERIFY2(d.clusters[2].cohesion < 0.8, qPrintable(QString::number(d.clusters[2].cohesion)));

        // Bimodality: only the two-halves cluster, whose 2-means split removes most of its spread.
        QVERIFY2(d.clusters[2].looksBimodal, qPrintable(QString::number(d.clusters[2].splitRatio)));
        QVERIFY(d.clusters[2].splitRatio < 0.1);
        QVERIFY2(!d.clusters[0].looksBimodal, qPrintable(QString::number(d.clusters[0].splitRatio)));
        QVERIFY2(!d.clusters[1].looksBimodal, qPrintable(QString::number(d.clusters[1].splitRatio)));

        // The photo halfway between clusters 0 and 1 is borderline, nearest to 1, and the least
        // typical member of cluster 0.
        const MemberDiagnostics &b = d.members[between];
        QCOMPARE(b.nearestOther, 1);
        QVERIFY2(b.margin < 0.02f, qPrintable(QString::number(b.margin)));
        QVERIFY(d.clusters[0].borderline >= 1);
        for (std::size_t i = 0; i < 30; ++i) {
            QVERIFY(d.members[i].typicality > b.typicality);
            QVERIFY(d.members[i].margin > 0.5f);   // tight members are far from any other centre
        }
        // Rows in no cluster are left alone.
        QCOMPARE(d.members[between + 1].nearestOther, -1);
        QCOMPARE(d.members[between + 1].typicality, 0.0f);
    }

    void smallOrDegenerateInput()
    {
        FeatureMatrix one(1, kDims);
        one.values[0] = 1;
        const PartitionDiagnostics d = diagnosePartition(one, {0}, 1);
        QCOMPARE(d.clusters[0].size, 1);
        QVERIFY(qAbs(d.clusters[0].cohesion - 1.0) < 1e-6);
        QCOMPARE(d.members[0].nearestOther, -1);                           // no other cluster
        QVERIFY(!d.clusters[0].looksBimodal);                              // too small to say
        QCOMPARE(diagnosePartition(one, {0, 0}, 1).clusters[0].size, 0);   // labels do not fit: nothing
        QCOMPARE(diagnosePartition(one, {0}, 0).clusters.size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestDiagnostics)
#include "tst_diagnostics.moc"
