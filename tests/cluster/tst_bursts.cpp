// Bursts and near-duplicates: the function on hand-made photos whose answer is known, and
// through a stored run (RunDiagnostics::burstOf) on a real SQLite catalog.
#include "catalog/catalog.h"
#include "cluster/bursts.h"
#include "pipeline/rundiagnostics.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace clade;

namespace {

const QDateTime kStart(QDate(2026, 6, 1), QTime(10, 0), Qt::UTC);

// Rows: a direction in 4 dimensions, nudged by `nudge` on the last one.
FeatureMatrix rows(const std::vector<std::pair<int, float>> &spec)
{
    FeatureMatrix m(spec.size(), 4);
    for (std::size_t i = 0; i < spec.size(); ++i) {
        m.row(i)[std::size_t(spec[i].first)] = 1.0f;
        m.row(i)[3] += spec[i].second;
    }
    return m;
}

}   // namespace

class TestBursts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownSets()
    {
        // 0-2: a burst (1 s apart, alike but not duplicates: cosines 0.94-0.96); 3: like 0 but 20 s
        // later; 4: same second as 1, another scene;
        // 5-6: undated near-duplicates next to each other by name; 7: like 0 but in another group.
        const FeatureMatrix f = rows({{0, 0.0f}, {0, 0.35f}, {0, 0.7f}, {0, -0.4f}, {1, 0.0f}, {2, 0.0f}, {2, 0.05f}, {0, 0.0f}});
        std::vector<BurstInput> in(8);
        for (int i = 0; i < 3; ++i)
            in[std::size_t(i)] = {kStart.addSecs(i), QStringLiteral("b%1.jpg").arg(i), 0};
        in[3] = {kStart.addSecs(22), QStringLiteral("late.jpg"), 0};
        in[4] = {kStart.addSecs(1), QStringLiteral("other.jpg"), 0};
        in[5] = {QDateTime(), QStringLiteral("dup1.jpg"), 0};
        in[6] = {QDateTime(), QStringLiteral("dup2.jpg"), 0};
        in[7] = {kStart, QStringLiteral("elsewhere.jpg"), 1};
        const std::vector<std::size_t> rep = burstRepresentatives(f, in);
        QCOMPARE(rep[0], std::size_t(0));
        QCOMPARE(rep[2], std::size_t(0));   // the burst, behind its first shot
        QCOMPARE(rep[3], std::size_t(3));   // too late for the burst, not alike enough for a duplicate
        QCOMPARE(rep[4], std::size_t(4));   // same moment, other scene
        QCOMPARE(rep[5], std::size_t(5));
        QCOMPARE(rep[6], std::size_t(5));   // near-duplicates without dates
        QCOMPARE(rep[7], std::size_t(7));   // another group
        // Photo 4 (another scene, same second) sits inside the burst in time order: it does
        // not split it.
        QCOMPARE(rep[1], std::size_t(0));
    }

    void throughAStoredRun()
    {
        QTemporaryDir work;
        auto catalog = Catalog::open(work.filePath(QStringLiteral("bursts.sqlite")));
        QVERIFY(catalog.ok());
        std::vector<AssignmentRecord> assignments;
        std::vector<qint64> ids;
        for (int i = 0; i < 4; ++i) {
            PhotoRecord p;
            p.path = work.filePath(QStringLiteral("shot%1.jpg").arg(i));
            p.hash = QStringLiteral("h%1").arg(i);
            p.format = QStringLiteral("jpeg");
            p.meta.takenAt = kStart.addMSecs(400 * i);
            auto id = (*catalog)->photos().upsert(p);
            QVERIFY(id.ok());
            ids.push_back(*id);
            const std::vector<float> v = i < 3 ? std::vector<float>{1.0f, 0.05f * float(i), 0.0f} : std::vector<float>{0.5f, 1.0f, 0.0f};
            QVERIFY((*catalog)->features().put(*id, QStringLiteral("m"), v).ok());
            assignments.push_back({*id, 0, 1.0f, false});
        }
        RunRecord run;
        run.folder = work.path();
        run.k = 1;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("m");
        auto runId = (*catalog)->runs().create(run);
        QVERIFY(runId.ok());
        std::vector<ClusterRecord> clusters(1);
        clusters[0].name = QStringLiteral("shots");
        QVERIFY((*catalog)->runs().storeClusters(*runId, clusters, assignments).ok());
        auto d = diagnoseRun(**catalog, *runId);
        QVERIFY2(d.ok(), qPrintable(d.ok() ? QString() : d.error()));
        QCOMPARE(d->burstOf.size(), std::size_t(3));   // the three shots 0.4 s apart; the fourth is another scene
        for (int i = 0; i < 3; ++i)
            QCOMPARE(d->burstOf.at(ids[std::size_t(i)]), ids[0]);
        QVERIFY(!d->burstOf.count(ids[3]));
    }
};

QTEST_GUILESS_MAIN(TestBursts)
#include "tst_bursts.moc"
