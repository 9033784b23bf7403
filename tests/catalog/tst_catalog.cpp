#include "catalog/catalog.h"
#include "catalog/runowner.h"
#include "testsupport.h"

#include <QProcess>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>

#include <sqlite3.h>

using namespace clade;

class TestCatalog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString dbPath(const QString &name) const { return m_dir.filePath(name); }

    static QString pragma(Catalog &c, const char *sql)
    {
        sqlite3_stmt *stmt = nullptr;
        sqlite3_prepare_v2(c.handle(), sql, -1, &stmt, nullptr);
        QString value;
        if (sqlite3_step(stmt) == SQLITE_ROW)
            value = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
        return value;
    }

    static PhotoRecord photo(const QString &path, const QString &hash)
    {
        PhotoRecord p;
        p.path = path;
        p.size = 1234;
        p.mtimeMs = 1'700'000'000'000;
        p.hash = hash;
        p.format = QStringLiteral("jpeg");
        p.meta.cameraMake = QStringLiteral("Canon");
        p.meta.cameraModel = QStringLiteral("Canon EOS 40D");
        p.meta.takenAt = QDateTime(QDate(2008, 5, 30), QTime(15, 56, 1));
        p.meta.latitude = 43.5;
        p.meta.longitude = -1.25;
        p.meta.keywords = {QStringLiteral("beach"), QStringLiteral("surf")};
        return p;
    }

private Q_SLOTS:
    void opensWithWalForeignKeysAndCurrentSchema()
    {
        auto catalog = Catalog::open(dbPath(QStringLiteral("a/b/new.sqlite")));
        QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error()));
        QCOMPARE(pragma(**catalog, "PRAGMA journal_mode"), QStringLiteral("wal"));
        QCOMPARE(pragma(**catalog, "PRAGMA foreign_keys"), QStringLiteral("1"));
        QCOMPARE((*catalog)->schemaVersion().value(), Catalog::currentVersion());
        QCOMPARE(pragma(**catalog, "PRAGMA integrity_check"), QStringLiteral("ok"));
    }

    // Every earlier schema version (0 = an empty file so far) migrates to the current one,
    // and reopening a current catalog changes nothing.
    void migratesFromEveryEarlierVersion()
    {
        for (int from = 0; from < Catalog::currentVersion(); ++from) {
            const QString path = dbPath(QStringLiteral("from%1.sqlite").arg(from));
            std::vector<Catalog::Migration> upTo(Catalog::migrations().begin(), Catalog::migrations().begin() + from);
            {
                auto old = Catalog::open(path, upTo);
                QVERIFY(old.ok());
                QCOMPARE((*old)->schemaVersion().value(), from);
                if (from >= 1) {   // photos and runs exist since v1: they must survive every later step
                    QVERIFY((*old)->photos().upsert(photo(QStringLiteral("/p/old.jpg"), QStringLiteral("h0"))).ok());
                    QVERIFY((*old)
                                ->exec(QStringLiteral("INSERT INTO runs (folder, k, method, model_id, seed, params, "
                                                      "software_version, status, started_at) VALUES "
                                                      "('/p', 2, 'kmeans', 'm', 0, '{}', 'old', 'running', 1)"))
                                .ok());
                }
            }
            auto current = Catalog::open(path);
            QVERIFY2(current.ok(), qPrintable(current.ok() ? QString() : current.error()));
            QCOMPARE((*current)->schemaVersion().value(), Catalog::currentVersion());
            QCOMPARE((*current)->photos().byPath(QStringLiteral("/p/old.jpg")).value().has_value(), from >= 1);
            QVERIFY((*current)->photos().upsert(photo(QStringLiteral("/p/x.jpg"), QStringLiteral("h"))).ok());
            // A run from before owners were recorded may belong to a live process: left alone.
            const auto oldRuns = (*current)->runs().all().value();
            QCOMPARE(oldRuns.size(), std::size_t(from >= 1 ? 1 : 0));
            if (from >= 1)
                QCOMPARE(oldRuns[0].status, RunStatus::Running);
            RunRecord run;
            run.folder = QStringLiteral("/p");
            run.k = 1;
            run.method = ClusterMethod::KMeans;
            run.modelId = QStringLiteral("m");
            QVERIFY((*current)->runs().create(run).ok());
        }
        auto again = Catalog::open(dbPath(QStringLiteral("from0.sqlite")));
        QVERIFY(again.ok());
        QVERIFY((*again)->photos().byPath(QStringLiteral("/p/x.jpg")).value().has_value());
    }

    // The mechanism itself: a later step keeps data, a failing step rolls back completely.
    void migrationStepKeepsDataAndFailureRollsBack()
    {
        const QString path = dbPath(QStringLiteral("mechanism.sqlite"));
        {
            auto v1 = Catalog::open(path);
            QVERIFY(v1.ok());
            QVERIFY((*v1)->photos().upsert(photo(QStringLiteral("/p/a.jpg"), QStringLiteral("ha"))).ok());
        }
        std::vector<Catalog::Migration> broken = Catalog::migrations();
        broken.push_back({Catalog::currentVersion() + 1, [](Catalog &c) -> Status {
                              if (Status s = c.exec(QStringLiteral("ALTER TABLE photos ADD COLUMN rating INTEGER")); !s)
                                  return s;
                              return c.exec(QStringLiteral("THIS IS NOT SQL"));
                          }});
        auto failed = Catalog::open(path, broken);
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().contains(QStringLiteral("schema version %1").arg(Catalog::currentVersion() + 1)));

        std::vector<Catalog::Migration> good = Catalog::migrations();
        good.push_back({Catalog::currentVersion() + 1,
                        [](Catalog &c) { return c.exec(QStringLiteral("ALTER TABLE photos ADD COLUMN rating INTEGER DEFAULT 3")); }});
        auto upgraded = Catalog::open(path, good);
        QVERIFY2(upgraded.ok(), qPrintable(upgraded.ok() ? QString() : upgraded.error()));
        QCOMPARE((*upgraded)->schemaVersion().value(), Catalog::currentVersion() + 1);
        QCOMPARE(pragma(**upgraded, "SELECT rating FROM photos WHERE path = '/p/a.jpg'"), QStringLiteral("3"));
    }

    // Two processes opening one new catalog at the same moment (two clade-cli runs, or the window
    // and a CLI): the second read the version before the first took a step, and must not take
    // it again once it has the write lock ("table photos already exists", CI of 2026-12-06).
    // The first holds its step open while the second opens; with WAL the second reads version 0
    // meanwhile and then waits for the lock.
    void catalogOpenedTwiceAtOnceTakesEachStepOnce()
    {
        const QString path = dbPath(QStringLiteral("twice.sqlite"));
        std::atomic<int> applied{0};
        std::vector<Catalog::Migration> steps;
        std::thread second;
        Result<std::unique_ptr<Catalog>> secondOpened = fail(QStringLiteral("not opened"));
        steps.push_back({1, [&](Catalog &c) -> Status {
                             if (applied.fetch_add(1) == 0) {
                                 second = std::thread([&] { secondOpened = Catalog::open(path, steps); });
                                 std::this_thread::sleep_for(std::chrono::milliseconds(500));
                             }
                             return c.exec(QStringLiteral("CREATE TABLE t (x INTEGER)"));
                         }});
        auto first = Catalog::open(path, steps);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error()));
        QVERIFY(second.joinable());
        second.join();
        QVERIFY2(secondOpened.ok(), qPrintable(secondOpened.ok() ? QString() : secondOpened.error()));
        QCOMPARE(applied.load(), 1);
        QCOMPARE((*secondOpened)->schemaVersion().value(), 1);
    }

    void refusesCatalogFromNewerVersion()
    {
        const QString path = dbPath(QStringLiteral("newer.sqlite"));
        {
            auto c = Catalog::open(path);
            QVERIFY(c.ok());
            QVERIFY((*c)->exec(QStringLiteral("UPDATE meta SET value = '999' WHERE key = 'schema_version'")).ok());
        }
        auto c = Catalog::open(path);
        QVERIFY(!c.ok());
        QVERIFY(c.error().contains(QStringLiteral("newer")));
    }

    // FeatureStore::rows reads a list of photos (more than one IN (...) chunk of 500) straight
    // into one matrix in list order; photos without features stay zero and are marked, compact()
    // drops them and those it is told to, in place; a stored row of another size is an error.
    void featureRowsStreamIntoOneMatrix()
    {
        auto opened = Catalog::open(dbPath(QStringLiteral("featurerows.sqlite")));
        QVERIFY(opened.ok());
        Catalog &c = **opened;
        std::vector<qint64> ids;
        const Status stored = c.transaction([&]() -> Status {
            for (int i = 0; i < 1203; ++i) {
                auto id = c.photos().upsert(photo(QStringLiteral("/big/%1.jpg").arg(i), QStringLiteral("h%1").arg(i)));
                if (!id)
                    return id.takeError();
                ids.push_back(*id);
                if (i % 7 != 3) {
                    if (Status s = c.features().put(*id, QStringLiteral("m"), {float(i), float(-i), 0.5f}); !s)
                        return s;
                }
            }
            return {};
        });
        QVERIFY(stored.ok());
        std::reverse(ids.begin(), ids.end());   // list order, not id order
        auto rows = c.features().rows(QStringLiteral("m"), ids, 3);
        QVERIFY2(rows.ok(), qPrintable(rows.ok() ? QString() : rows.error()));
        QCOMPARE(rows->matrix.rows, std::size_t(1203));
        std::size_t expected = 0;
        for (std::size_t r = 0; r < ids.size(); ++r) {
            const int i = int(1202 - r);
            QCOMPARE(bool(rows->found[r]), i % 7 != 3);
            expected += i % 7 != 3 ? 1 : 0;
            const float want = i % 7 != 3 ? float(i) : 0.0f;
            QCOMPARE(rows->matrix.row(r)[0], want);
            QCOMPARE(rows->matrix.row(r)[1], i % 7 != 3 ? float(-i) : 0.0f);
        }
        QCOMPARE(rows->foundCount, expected);
        const auto kept = rows->compact([](std::size_t r) { return r % 2 == 0; });
        QCOMPARE(rows->matrix.rows, kept.size());
        QCOMPARE(rows->matrix.values.size(), kept.size() * 3);
        for (std::size_t j = 0; j < kept.size(); ++j) {
            QVERIFY(kept[j] % 2 == 0 && rows->found[kept[j]]);
            QCOMPARE(rows->matrix.row(j)[0], float(1202 - kept[j]));
        }
        QVERIFY(c.features().put(ids[600], QStringLiteral("m"), {1.0f, 2.0f}).ok());
        auto wrong = c.features().rows(QStringLiteral("m"), ids, 3);
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().contains(QStringLiteral("have 2 numbers where the model gives 3")), qPrintable(wrong.error()));
    }

    void storesPhotosFeaturesRunsAndAssignments()
    {
        auto opened = Catalog::open(dbPath(QStringLiteral("rows.sqlite")));
        QVERIFY(opened.ok());
        Catalog &c = **opened;
        const qint64 a = c.photos().upsert(photo(QStringLiteral("/lib/a.jpg"), QStringLiteral("ha"))).value();
        const qint64 b = c.photos().upsert(photo(QStringLiteral("/lib/sub/b.jpg"), QStringLiteral("hb"))).value();
        (void)c.photos().upsert(photo(QStringLiteral("/library/c.jpg"), QStringLiteral("hc"))).value();
        QCOMPARE(c.photos().upsert(photo(QStringLiteral("/lib/a.jpg"), QStringLiteral("ha2"))).value(), a);

        const auto under = c.photos().under(QStringLiteral("/lib")).value();
        QCOMPARE(under.size(), std::size_t(2));   // not /library
        const PhotoRecord &first = under[0];
        QCOMPARE(first.hash, QStringLiteral("ha2"));
        QCOMPARE(first.meta.camera(), QStringLiteral("Canon EOS 40D"));
        QCOMPARE(first.meta.takenAt, QDateTime(QDate(2008, 5, 30), QTime(15, 56, 1)));
        QCOMPARE(first.meta.latitude.value(), 43.5);
        QCOMPARE(first.meta.keywords, QStringList({QStringLiteral("beach"), QStringLiteral("surf")}));

        QVERIFY(c.features().put(a, QStringLiteral("m1"), {1.0f, 2.0f, 3.0f}).ok());
        QVERIFY(c.features().put(a, QStringLiteral("m2"), {9.0f}).ok());
        const auto features = c.features().get(QStringLiteral("m1"), {a, b}).value();
        QCOMPARE(features.size(), std::size_t(1));
        QCOMPARE(features.at(a), std::vector<float>({1.0f, 2.0f, 3.0f}));
        QCOMPARE(c.features().photosWith(QStringLiteral("m2"), {a, b}).value(), std::vector<qint64>{a});

        RunRecord run;
        run.folder = QStringLiteral("/lib");
        run.k = 2;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("m1");
        run.seed = 7;
        const qint64 runId = c.runs().create(run).value();
        QVERIFY(!c.runs().latest(QStringLiteral("/lib")).value().has_value());   // still running
        std::vector<ClusterRecord> clusters(2);
        clusters[0].index = 0;
        clusters[0].name = QStringLiteral("beach");
        clusters[0].nameScores = {{QStringLiteral("beach"), 0.9}, {QStringLiteral("surf"), 0.5}};
        clusters[1].index = 1;
        clusters[1].name = QStringLiteral("church");
        QVERIFY(c.runs().storeClusters(runId, clusters, {{a, 0, 0.9f, false}, {b, 1, 0.4f, true}}).ok());
        QVERIFY(c.runs().finish(runId, RunStatus::Done).ok());

        const auto latest = c.runs().latest(QStringLiteral("/lib")).value();
        QVERIFY(latest.has_value());
        QCOMPARE(latest->seed, quint64(7));
        const auto stored = c.runs().clusters(runId).value();
        QCOMPARE(stored.size(), std::size_t(2));
        QCOMPARE(stored[0].size, 1);
        QCOMPARE(stored[0].nameScores.size(), std::size_t(2));
        QCOMPARE(stored[0].nameScores[1].noun, QStringLiteral("surf"));
        QCOMPARE(c.runs().members(runId, 1).value().at(0).path, QStringLiteral("/lib/sub/b.jpg"));
        const auto assignments = c.runs().assignments(runId).value();
        QCOMPARE(assignments.size(), std::size_t(2));
        QVERIFY(assignments[1].manual);

        // Out-of-range assignments are refused and leave nothing half-written.
        const qint64 second = c.runs().create(run).value();
        QVERIFY(!c.runs().storeClusters(second, clusters, {{a, 5, 1.0f, false}}).ok());
        QVERIFY(c.runs().clusters(second).value().empty());
    }

    void problemsAreKeptPerPathAndStage()
    {
        auto opened = Catalog::open(dbPath(QStringLiteral("problems.sqlite")));
        QVERIFY(opened.ok());
        Catalog &c = **opened;
        QVERIFY(c.photos().recordProblem(QStringLiteral("/lib/x.jpg"), QStringLiteral("decode"), QStringLiteral("first")).ok());
        QVERIFY(c.photos().recordProblem(QStringLiteral("/lib/x.jpg"), QStringLiteral("decode"), QStringLiteral("second")).ok());
        QVERIFY(c.photos().recordProblem(QStringLiteral("/other/y.jpg"), QStringLiteral("scan"), QStringLiteral("elsewhere")).ok());
        auto problems = c.photos().problemsUnder(QStringLiteral("/lib")).value();
        QCOMPARE(problems.size(), std::size_t(1));
        QCOMPARE(problems[0].message, QStringLiteral("second"));
        QVERIFY(c.photos().clearProblems(QStringLiteral("/lib/x.jpg")).ok());
        QVERIFY(c.photos().problemsUnder(QStringLiteral("/lib")).value().empty());
    }

    void textFeaturesResumeRowByRow()
    {
        auto opened = Catalog::open(dbPath(QStringLiteral("text.sqlite")));
        QVERIFY(opened.ok());
        Catalog &c = **opened;
        FeatureMatrix first(2, 3);
        first.values = {1, 2, 3, 4, 5, 6};
        QVERIFY(
            c.features().putText(QStringLiteral("m"), QStringLiteral("v"), 0, {QStringLiteral("dog"), QStringLiteral("cat")}, first).ok());
        QCOMPARE(c.features().textCount(QStringLiteral("m"), QStringLiteral("v")).value(), 2);
        QVERIFY(!c.features().text(QStringLiteral("m"), QStringLiteral("v"), 3, 3).ok());   // row 2 missing
        FeatureMatrix second(1, 3);
        second.values = {7, 8, 9};
        QVERIFY(c.features().putText(QStringLiteral("m"), QStringLiteral("v"), 2, {QStringLiteral("owl")}, second).ok());
        const FeatureMatrix all = c.features().text(QStringLiteral("m"), QStringLiteral("v"), 3, 3).value();
        QCOMPARE(all.values, std::vector<float>({1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QCOMPARE(c.features().textCount(QStringLiteral("other"), QStringLiteral("v")).value(), 0);
        QVERIFY(!c.features().putText(QStringLiteral("m"), QStringLiteral("v"), 0, {QStringLiteral("x")}, first).ok());
    }

    // Only runs whose process certainly ended become 'interrupted': a dead PID, or a live PID
    // with another start time (reused). This process's runs, other hosts' runs and runs
    // without an owner stay 'running'.
    void staleRunsOfEndedProcessesAreInterrupted()
    {
        const RunOwner &self = currentRunOwner();
        QVERIFY(!self.host.isEmpty());
        QCOMPARE(self.pid, QCoreApplication::applicationPid());
        QVERIFY2(self.startToken.contains(QLatin1Char('/')), qPrintable(self.startToken));
        QCOMPARE(ownerState(self), OwnerState::Alive);

        QProcess child;
        child.start(QStringLiteral("true"), {});
        QVERIFY(child.waitForStarted());
        const qint64 deadPid = child.processId();
        QVERIFY(child.waitForFinished());
        QCOMPARE(ownerState({self.host, deadPid, self.startToken}), OwnerState::Gone);
        QCOMPARE(ownerState({self.host, self.pid, self.startToken + QLatin1Char('9')}), OwnerState::Gone);
        QCOMPARE(ownerState({self.host + QLatin1Char('x'), deadPid, {}}), OwnerState::Unknown);
        QCOMPARE(ownerState({}), OwnerState::Unknown);

        const QString path = dbPath(QStringLiteral("stale.sqlite"));
        auto writer = Catalog::open(path);
        QVERIFY(writer.ok());
        Catalog &c = **writer;
        RunRecord run;
        run.folder = QStringLiteral("/lib");
        run.k = 2;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("m1");
        std::vector<qint64> ids;
        for (int i = 0; i < 5; ++i)
            ids.push_back(c.runs().create(run).value());
        const auto setOwner = [&](qint64 id, const QString &assignments) {
            return c.exec(QStringLiteral("UPDATE runs SET %1 WHERE id = %2").arg(assignments).arg(id)).ok();
        };
        QVERIFY(setOwner(ids[1], QStringLiteral("owner_pid = %1").arg(deadPid)));
        QVERIFY(setOwner(ids[2], QStringLiteral("owner_start = owner_start || '9'")));
        QVERIFY(setOwner(ids[3], QStringLiteral("owner_host = owner_host || '.elsewhere', owner_pid = %1").arg(deadPid)));
        QVERIFY(setOwner(ids[4], QStringLiteral("owner_host = NULL, owner_pid = NULL, owner_start = NULL")));

        auto reader = Catalog::open(path);   // another connection: open() recovers
        QVERIFY(reader.ok());
        const auto runs = (*reader)->runs().all().value();
        QCOMPARE(runs.size(), ids.size());
        const std::vector<RunStatus> expected = {RunStatus::Running, RunStatus::Interrupted, RunStatus::Interrupted, RunStatus::Running,
                                                 RunStatus::Running};
        for (std::size_t i = 0; i < runs.size(); ++i)
            QCOMPARE(runs[i].status, expected[i]);
        QVERIFY2(runs[1].error.contains(QString::number(deadPid)), qPrintable(runs[1].error));
        QVERIFY(runs[1].finishedAt.isValid());
        QCOMPARE(c.runs().recoverStale().value(), 0);   // nothing left to mark
        QCOMPARE(c.runs().get(ids[0]).value()->status, RunStatus::Running);
        QVERIFY(c.runs().finish(ids[0], RunStatus::Done).ok());   // the live run finishes normally
        QCOMPARE(c.runs().latest(QStringLiteral("/lib")).value()->id, ids[0]);
    }

    // Runs as nobody when the suite runs as root (CI): root writes to any file.
    void readOnlyCatalogIsRefusedClearlyAndLeftAlone()
    {
        CLADE_RUN_AS_NOBODY();
        const QString folder = dbPath(QStringLiteral("locked"));
        const QString path = folder + QStringLiteral("/catalog.sqlite");
        {
            auto c = Catalog::open(path);
            QVERIFY(c.ok());
            QVERIFY((*c)->photos().upsert(photo(QStringLiteral("/ro/a.jpg"), QStringLiteral("h"))).ok());
        }   // the last connection folds the WAL back into the file
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray before = file.readAll();
        file.close();
        const auto entries = [&] { return QDir(folder).entryList(QDir::Files | QDir::Hidden); };
        const QStringList entriesBefore = entries();

        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadOther));
        auto refused = Catalog::open(path);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QLatin1String("read-only")) && refused.error().contains(path), qPrintable(refused.error()));

        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
        refused = Catalog::open(path);
        QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QLatin1String("folder")) && refused.error().contains(folder), qPrintable(refused.error()));

        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), before);
        file.close();
        QCOMPARE(entries(), entriesBefore);
        auto reopened = Catalog::open(path);
        QVERIFY(reopened.ok());
        QCOMPARE((*reopened)->photos().under(QStringLiteral("/ro")).value().size(), std::size_t(1));
    }

    // A reader connection sees the writer's committed rows while the writer holds WAL.
    void readerAndWriterConnections()
    {
        const QString path = dbPath(QStringLiteral("rw.sqlite"));
        auto writer = Catalog::open(path);
        auto reader = Catalog::open(path);
        QVERIFY(writer.ok() && reader.ok());
        QVERIFY((*writer)
                    ->transaction([&]() -> Status {
                        return (*writer)->photos().upsert(photo(QStringLiteral("/w/a.jpg"), QStringLiteral("h"))).ok()
                                   ? Status{}
                                   : fail(QStringLiteral("x"));
                    })
                    .ok());
        QCOMPARE((*reader)->photos().under(QStringLiteral("/w")).value().size(), std::size_t(1));
    }

    // A second writer waits for the first (another process, in the product); when the first
    // keeps writing past the wait, the second fails saying so, and changes nothing.
    void secondWriterWaitsThenSaysTheCatalogIsBusy()
    {
        const QString path = dbPath(QStringLiteral("busy.sqlite"));
        auto first = Catalog::open(path);
        auto second = Catalog::open(path);
        QVERIFY(first.ok() && second.ok());
        (*second)->setBusyWait(300);
        QVERIFY((*first)->exec(QStringLiteral("BEGIN IMMEDIATE")).ok());
        QVERIFY((*first)->photos().upsert(photo(QStringLiteral("/b/first.jpg"), QStringLiteral("h1"))).ok());
        QElapsedTimer waited;
        waited.start();
        const Status blocked = (*second)->transaction([&]() -> Status {
            return (*second)->photos().upsert(photo(QStringLiteral("/b/second.jpg"), QStringLiteral("h2"))).ok()
                       ? Status{}
                       : fail(QStringLiteral("x"));
        });
        QVERIFY(!blocked.ok());
        QVERIFY(waited.elapsed() >= 250);   // it waited rather than failing at once
        QVERIFY2(blocked.error().contains(QLatin1String("is busy: another Clade process")), qPrintable(blocked.error()));
        QVERIFY((*first)->exec(QStringLiteral("COMMIT")).ok());
        // Once the first has finished, the same write goes through.
        QVERIFY((*second)
                    ->transaction([&]() -> Status {
                        return (*second)->photos().upsert(photo(QStringLiteral("/b/second.jpg"), QStringLiteral("h2"))).ok()
                                   ? Status{}
                                   : fail(QStringLiteral("x"));
                    })
                    .ok());
        QCOMPARE((*first)->photos().under(QStringLiteral("/b")).value().size(), std::size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
