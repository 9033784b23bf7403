// planRunExport: the one plan of a run's export that clade-cli export and the Export dialog share,
// on a real SQLite catalog.
#include "catalog/catalog.h"
#include "export/plan.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace clade;

class TestExportPlan : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Catalog> m_catalog;
    std::vector<qint64> m_photos;

    qint64 addRun(RunStatus status)
    {
        RunRecord run;
        run.folder = QStringLiteral("/photos");
        run.k = 3;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("look");
        auto id = m_catalog->runs().create(run);
        if (!id) {
            qWarning("createRun: %s", qPrintable(id.error()));
            return 0;
        }
        std::vector<ClusterRecord> clusters(3);
        clusters[0].name = QStringLiteral("beach");
        clusters[1].name = QStringLiteral("dogs");
        clusters[2].name = QStringLiteral("forest");
        for (int i = 0; i < 3; ++i)
            clusters[std::size_t(i)].index = i;
        std::vector<AssignmentRecord> assignments;
        for (std::size_t i = 0; i < m_photos.size(); ++i)
            assignments.push_back({m_photos[i], int(i % 3), 1.0f - 0.01f * float(i), false});
        if (Status s = m_catalog->runs().storeClusters(*id, clusters, assignments); !s) {
            qWarning("storeClusters: %s", qPrintable(s.error()));
            return 0;
        }
        if (!m_catalog->runs().finish(*id, status))
            return 0;
        return *id;
    }

private Q_SLOTS:
    void init()
    {
        auto catalog = Catalog::open(m_dir.filePath(QStringLiteral("plan.sqlite")));
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error()));
        m_catalog = std::move(*catalog);
        m_photos.clear();
        for (int i = 0; i < 9; ++i) {
            PhotoRecord p;
            p.path = QStringLiteral("/photos/p%1.jpg").arg(i);
            p.hash = QStringLiteral("h%1").arg(i);
            p.format = QStringLiteral("jpeg");
            auto id = m_catalog->photos().upsert(p);
            QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error()));
            m_photos.push_back(*id);
        }
    }

    void cleanup()
    {
        m_catalog.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("plan.sqlite")));
    }

    void everyPresentFileOnceWithItsGroupsName()
    {
        const qint64 run = addRun(RunStatus::Done);
        QVERIFY(run > 0);
        QVERIFY(m_catalog->photos().setState(m_photos[4], PhotoState::Missing));
        QVERIFY(m_catalog->corrections().mergeClusters(run, 2, 0, {}));   // forest into beach: forest is removed
        auto plan = planRunExport(*m_catalog, run);
        QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error()));
        QCOMPARE(plan->folder, QStringLiteral("/photos"));
        QCOMPARE(plan->missing, 1);
        QCOMPARE(int(plan->groups.size()), 2);
        QCOMPARE(plan->groups[0].name, QStringLiteral("beach"));
        QCOMPARE(plan->groups[1].name, QStringLiteral("dogs"));
        QCOMPARE(plan->groups[0].files.size(), 6);
        QCOMPARE(plan->groups[1].files.size(), 2);   // p1, p7 (p4 is missing)
        QVERIFY(!plan->groups[1].files.contains(QStringLiteral("/photos/p4.jpg")));
        QCOMPARE(plan->fileCount(), 8);

        auto items = plan->items();
        QCOMPARE(int(items.size()), 8);
        QSet<QString> sources;
        for (const ExportItem &item : items) {
            sources.insert(item.source);
            QVERIFY(item.group == QLatin1String("beach") || item.group == QLatin1String("dogs"));
        }
        QCOMPARE(sources.size(), 8);

        // Edited folder names replace the groups' by position; a blank one keeps the name.
        items = plan->items({QStringLiteral("  Sea  side "), QString()});
        for (const ExportItem &item : items) {
            const bool beach = plan->groups[0].files.contains(item.source);
            QCOMPARE(item.group, beach ? QStringLiteral("Sea side") : QStringLiteral("dogs"));
        }
    }

    void unfinishedOrAbsentRunsAreRefusedWithTheReason()
    {
        const qint64 failed = addRun(RunStatus::Failed);
        QVERIFY(failed > 0);
        auto plan = planRunExport(*m_catalog, failed);
        QVERIFY(!plan.ok());
        QVERIFY2(plan.error().contains(QLatin1String("did not finish")) && plan.error().contains(QLatin1String("failed")),
                 qPrintable(plan.error()));
        plan = planRunExport(*m_catalog, 4242);
        QVERIFY(!plan.ok());
        QVERIFY2(plan.error().contains(QLatin1String("no run 4242")), qPrintable(plan.error()));
    }
};

QTEST_GUILESS_MAIN(TestExportPlan)
#include "tst_exportplan.moc"
