// A move export's catalog records follow the files (core/export/catalogfollow.h), on a real
// SQLite catalog and real JPEGs: paths, run membership and embeddings after the move, after undo,
// after an export the catalog did not follow (a process killed before it could), and a rescan of
// the old folder afterwards.
#include "catalog/catalog.h"
#include "export/catalogfollow.h"
#include "export/plan.h"
#include "scan/scanner.h"
#include "testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace clade;

class TestCatalogFollow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Catalog> m_catalog;
    QString m_photos;
    qint64 m_run = 0;
    QMap<qint64, QString> m_original;   // photo id -> path before any export

    QString catalogPath() const { return m_dir.filePath(QStringLiteral("follow.sqlite")); }

    // Every photo's path, by id.
    QMap<qint64, QString> paths() const
    {
        QMap<qint64, QString> out;
        for (auto it = m_original.cbegin(); it != m_original.cend(); ++it) {
            auto record = m_catalog->photos().byId(it.key());
            out.insert(it.key(), record && *record ? (*record)->path : QString());
        }
        return out;
    }

    std::vector<ExportItem> items() const
    {
        auto plan = planRunExport(*m_catalog, m_run);
        return plan ? plan->items() : std::vector<ExportItem>{};
    }

    QStringList runMembers() const
    {
        QStringList out;
        auto members = m_catalog->runs().members(m_run, 0);
        for (const auto &m : members.value())
            out << QString::number(m.id);
        auto more = m_catalog->runs().members(m_run, 1);
        for (const auto &m : more.value())
            out << QString::number(m.id);
        out.sort();
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_photos = m_dir.filePath(QStringLiteral("photos"));
        QDir(m_photos).removeRecursively();
        QDir(m_dir.filePath(QStringLiteral("out"))).removeRecursively();
        QVERIFY(QDir().mkpath(m_photos));
        auto catalog = Catalog::open(catalogPath());
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error()));
        m_catalog = std::move(*catalog);
        for (int i = 0; i < 6; ++i)
            QVERIFY(test::writeJpeg(QStringLiteral("%1/p%2.jpg").arg(m_photos).arg(i), 64, 48, QColor::fromHsv(i * 50, 200, 200), 90, i));
        Progress progress;
        Scanner scanner(*m_catalog, nullptr);
        auto scanned = scanner.scan(m_photos, progress);
        QVERIFY2(scanned.ok(), qPrintable(scanned.ok() ? QString() : scanned.error()));
        QCOMPARE(scanned->added, 6);
        auto photos = m_catalog->photos().under(m_photos);
        QCOMPARE(photos.value().size(), std::size_t(6));
        m_original.clear();
        std::vector<AssignmentRecord> assignments;
        for (const PhotoRecord &p : *photos) {
            m_original.insert(p.id, p.path);
            QVERIFY(m_catalog->features().put(p.id, QStringLiteral("model"), {1.0f, float(p.id)}));
            assignments.push_back({p.id, int(assignments.size() % 2), 0.9f, false});
        }
        RunRecord run;
        run.folder = m_photos;
        run.k = 2;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("model");
        auto id = m_catalog->runs().create(run);
        QVERIFY(id.ok());
        m_run = *id;
        std::vector<ClusterRecord> clusters(2);
        clusters[0].index = 0;
        clusters[0].name = QStringLiteral("beach");
        clusters[1].index = 1;
        clusters[1].name = QStringLiteral("forest");
        QVERIFY(m_catalog->runs().storeClusters(m_run, clusters, assignments));
        QVERIFY(m_catalog->runs().finish(m_run, RunStatus::Done));
    }

    void cleanup()
    {
        m_catalog.reset();
        QFile::remove(catalogPath());
    }

    void movedPhotosKeepTheirRecordsAndUndoBringsThemBack()
    {
        const QStringList membersBefore = runMembers();
        ExportOptions options;
        options.targetRoot = m_dir.filePath(QStringLiteral("out"));
        options.mode = ExportMode::Move;
        options.runId = m_run;
        options.manifestFlushEvery = 2;   // the records follow at every rewrite, not only at the end
        int rewrites = 0;
        options.flushed = [&](const std::vector<ExportAction> &, size_t, size_t) { ++rewrites; };
        auto report = exportFollowingCatalog(*m_catalog, items(), options);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error()));
        QCOMPARE(report->done, 6);
        QVERIFY(rewrites >= 3);
        QVERIFY2(report->messages.isEmpty(), qPrintable(report->messages.join(QLatin1Char('\n'))));

        const QMap<qint64, QString> moved = paths();
        for (auto it = moved.cbegin(); it != moved.cend(); ++it) {
            QVERIFY2(QFileInfo(it.value()).isFile(), qPrintable(it.value()));   // every listed path exists
            QVERIFY(it.value().startsWith(options.targetRoot.isEmpty() ? QString() : QFileInfo(options.targetRoot).canonicalFilePath()));
            QVERIFY(!QFileInfo::exists(m_original.value(it.key())));
        }
        // The same records: run membership and embeddings stay attached.
        QCOMPARE(runMembers(), membersBefore);
        auto features = m_catalog->features().get(QStringLiteral("model"), std::vector<qint64>(m_original.keyBegin(), m_original.keyEnd()));
        QCOMPARE(features.value().size(), std::size_t(6));
        // Nothing is pending once the export is complete and followed.
        QCOMPARE(m_catalog->metaWithPrefix(QStringLiteral("export.follow:")).value().size(), std::size_t(0));

        // A rescan of the old folder finds nothing that went missing.
        Progress progress;
        Scanner scanner(*m_catalog, nullptr);
        auto rescan = scanner.scan(m_photos, progress);
        QVERIFY(rescan.ok());
        QCOMPARE(rescan->removed, 0);
        for (auto it = moved.cbegin(); it != moved.cend(); ++it)
            QCOMPARE(m_catalog->photos().byId(it.key()).value()->state, PhotoState::Ok);

        auto undone = undoFollowingCatalog(*m_catalog, report->manifestPath);
        QVERIFY2(undone.ok(), qPrintable(undone.ok() ? QString() : undone.error()));
        QCOMPARE(undone->restored, 6);
        QCOMPARE(paths(), m_original);   // every path is the original again
        for (const QString &path : std::as_const(m_original))
            QVERIFY(QFileInfo(path).isFile());
        QCOMPARE(runMembers(), membersBefore);
        QCOMPARE(m_catalog->metaWithPrefix(QStringLiteral("export.follow:")).value().size(), std::size_t(0));
    }

    // A process killed after moving files and before its catalog followed: the next opening of
    // the catalog reconciles from the manifest and the files, and keeps the export noted while
    // its manifest says it is still in progress.
    void anInterruptedExportIsReconciledAtTheNextOpening()
    {
        ExportOptions options;
        options.targetRoot = m_dir.filePath(QStringLiteral("out"));
        options.mode = ExportMode::Move;
        options.runId = m_run;
        QString manifest;
        options.started = [&](const QString &path) {
            manifest = path;
            return registerExport(*m_catalog, path, m_run);
        };
        auto report = exportGroups(items(), options);   // the files move; the catalog is not told
        QVERIFY(report.ok());
        QCOMPARE(report->done, 6);
        QCOMPARE(paths(), m_original);
        // As a kill leaves it: the manifest still says in progress.
        QFile file(manifest);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray json = file.readAll();
        file.close();
        QVERIFY(json.contains("\"complete\""));
        json.replace("\"complete\"", "\"in-progress\"");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(json);
        file.close();
        m_catalog.reset();

        auto reopened = Catalog::open(catalogPath());
        QVERIFY(reopened.ok());
        m_catalog = std::move(*reopened);
        auto followed = reconcilePendingExports(*m_catalog);
        QVERIFY2(followed.ok(), qPrintable(followed.ok() ? QString() : followed.error()));
        QCOMPARE(followed->moved, 6);
        for (const QString &path : paths())
            QVERIFY2(path.startsWith(QFileInfo(options.targetRoot).canonicalFilePath()) && QFileInfo(path).isFile(), qPrintable(path));
        QCOMPARE(m_catalog->metaWithPrefix(QStringLiteral("export.follow:")).value().size(), std::size_t(1));
        QCOMPARE(reconcilePendingExports(*m_catalog).value().moved, 0);   // idempotent

        auto undone = undoFollowingCatalog(*m_catalog, manifest);
        QVERIFY(undone.ok());
        QCOMPARE(paths(), m_original);
        QCOMPARE(m_catalog->metaWithPrefix(QStringLiteral("export.follow:")).value().size(), std::size_t(0));
    }

    // A record never lands on a path another record holds: it stays, and the report says so.
    void aTakenPathIsReportedNotOverwritten()
    {
        ExportOptions options;
        options.targetRoot = m_dir.filePath(QStringLiteral("out"));
        options.mode = ExportMode::Move;
        options.runId = m_run;
        QString manifest;
        options.started = [&](const QString &path) {
            manifest = path;
            return registerExport(*m_catalog, path, m_run);
        };
        auto report = exportGroups(items(), options);
        QVERIFY(report.ok());
        const ExportAction &first = report->actions.front();
        PhotoRecord squatter;
        squatter.path = first.destination;
        squatter.hash = QStringLiteral("other");
        squatter.format = QStringLiteral("jpeg");
        auto squatterId = m_catalog->photos().upsert(squatter);
        QVERIFY(squatterId.ok());
        auto followed = reconcileExport(*m_catalog, manifest);
        QVERIFY(followed.ok());
        QCOMPARE(followed->moved, 5);
        QCOMPARE(followed->messages.size(), qsizetype(1));
        QVERIFY2(followed->messages.first().contains(first.destination), qPrintable(followed->messages.first()));
        QCOMPARE(m_catalog->photos().byId(*squatterId).value()->path, first.destination);
    }
};

QTEST_GUILESS_MAIN(TestCatalogFollow)
#include "tst_catalogfollow.moc"
