// The catalog's own safety nets on real SQLite files: clade-cli check finds planted damage and
// repairs only what loses nothing the user made; a damaged file is refused and left byte for
// byte as it was; a migration keeps a backup of the catalog as it was before.

#include "catalog/catalog.h"
#include "catalog/integrity.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace clade;

namespace {

QByteArray digest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

PhotoRecord photo(const QString &path, const QString &hash)
{
    PhotoRecord p;
    p.path = path;
    p.size = 1;
    p.hash = hash;
    p.format = QStringLiteral("jpeg");
    return p;
}

// A catalog with one finished run of two photos, and two planted faults: an assignment of a
// photo that is not there (written with foreign keys off, as a crashed older build might
// have) and one embedding of the wrong size for its model.
QString plantFaults(const QString &path)
{
    auto catalog = Catalog::open(path);
    if (!catalog)
        return catalog.error();
    Catalog &c = **catalog;
    const qint64 a = c.photos().upsert(photo(QStringLiteral("/p/a.jpg"), QStringLiteral("ha"))).value();
    const qint64 b = c.photos().upsert(photo(QStringLiteral("/p/b.jpg"), QStringLiteral("hb"))).value();
    RunRecord run;
    run.folder = QStringLiteral("/p");
    run.k = 1;
    run.method = ClusterMethod::KMeans;
    run.modelId = QStringLiteral("m");
    const qint64 runId = c.runs().create(run).value();
    std::vector<ClusterRecord> clusters(1);
    clusters[0].index = 0;
    clusters[0].name = QStringLiteral("group");
    if (!c.runs().storeClusters(runId, clusters, {{a, 0, 1.0f, false}, {b, 0, 0.5f, false}}) || !c.runs().finish(runId, RunStatus::Done))
        return QStringLiteral("cannot store the run");
    for (qint64 id : {a, b})
        if (!c.features().put(id, QStringLiteral("m"), {1, 0, 0, 0}))
            return QStringLiteral("cannot store a feature");
    const qint64 extra = c.photos().upsert(photo(QStringLiteral("/p/c.jpg"), QStringLiteral("hc"))).value();
    if (!c.features().put(extra, QStringLiteral("m"), {1, 0, 0}))   // 3, where the model's are 4
        return QStringLiteral("cannot store a feature");
    const QString orphan = QStringLiteral("PRAGMA foreign_keys = OFF; INSERT INTO assignments (run_id, photo_id, cluster_id, confidence) "
                                          "SELECT %1, 999999, id, 0.1 FROM clusters WHERE run_id = %1; PRAGMA foreign_keys = ON;")
                               .arg(runId);
    if (!c.exec(orphan))
        return QStringLiteral("cannot plant the orphan");
    return {};
}

int countRows(const QString &path, const char *sql)
{
    auto catalog = Catalog::open(path);
    if (!catalog)
        return -1;
    sqlite3_stmt *q = nullptr;
    if (sqlite3_prepare_v2((*catalog)->handle(), sql, -1, &q, nullptr) != SQLITE_OK)
        return -1;
    const int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    return n;
}

}   // namespace

class TestIntegrity : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // check reports without touching anything; --repair removes the orphan and the wrong-size
    // embedding and nothing else; a second check finds the catalog sound.
    void checkFindsAndRepairsPlantedFaults()
    {
        const QString file = path(QStringLiteral("faults.sqlite"));
        QCOMPARE(plantFaults(file), QString());
        {
            auto catalog = Catalog::open(file);
            QVERIFY(catalog.ok());
            auto report = checkCatalog(**catalog, false);
            QVERIFY(report.ok());
            QVERIFY(report->sound());
            QVERIFY(!report->ok());
            QStringList checks;
            for (const IntegrityFinding &f : report->findings) {
                checks << f.check;
                QVERIFY(!f.repaired);
            }
            QVERIFY2(checks.contains(QStringLiteral("features")), qPrintable(checks.join(u' ')));
            QVERIFY2(checks.contains(QStringLiteral("assignments")) || checks.contains(QStringLiteral("foreign-keys")),
                     qPrintable(checks.join(u' ')));
        }
        QCOMPARE(countRows(file, "SELECT count(*) FROM assignments"), 3);   // a report changes nothing
        QCOMPARE(countRows(file, "SELECT count(*) FROM features"), 3);
        {
            auto catalog = Catalog::open(file);
            auto report = checkCatalog(**catalog, true);
            QVERIFY(report.ok());
            QVERIFY2(report->ok(), qPrintable(QJsonDocument(report->toJson()).toJson()));
        }
        QCOMPARE(countRows(file, "SELECT count(*) FROM assignments"), 2);   // the user's run is whole
        QCOMPARE(countRows(file, "SELECT count(*) FROM features"), 2);
        QCOMPARE(countRows(file, "SELECT count(*) FROM photos"), 3);
        auto catalog = Catalog::open(file);
        auto again = checkCatalog(**catalog, false);
        QVERIFY(again.ok() && again->ok());
        QVERIFY(again->findings.empty());
    }

    // The same through clade-cli: exit 1 and JSON findings, then --repair, then exit 0.
    void cliCheckAndRepair()
    {
        const QString file = path(QStringLiteral("cli.sqlite"));
        QCOMPARE(plantFaults(file), QString());
        const auto cli = [&](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral(CLADE_CLI_PATH), args);
            p.waitForFinished(60000);
            return std::pair{p.exitCode(), p.readAllStandardOutput()};
        };
        auto [code, out] = cli({QStringLiteral("check"), QStringLiteral("--catalog"), file, QStringLiteral("--json")});
        QCOMPARE(code, 1);
        const QJsonObject report = QJsonDocument::fromJson(out).object();
        QVERIFY2(!report.isEmpty(), out.constData());
        QVERIFY(out.contains("features"));
        auto repaired = cli({QStringLiteral("check"), QStringLiteral("--catalog"), file, QStringLiteral("--repair")});
        QVERIFY2(repaired.first == 0, repaired.second.constData());
        QCOMPARE(cli({QStringLiteral("check"), QStringLiteral("--catalog"), file}).first, 0);
    }

    // A truncated copy and a file with a garbage page are refused (or reported damaged) with a
    // clear message, and neither file changes by a byte.
    void damagedFilesAreLeftAsTheyAre()
    {
        const QString good = path(QStringLiteral("good.sqlite"));
        QCOMPARE(plantFaults(good), QString());
        QFile source(good);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray bytes = source.readAll();
        QVERIFY(bytes.size() > 4 * 4096);

        const QString truncated = path(QStringLiteral("truncated.sqlite"));
        QByteArray cut = bytes.left(bytes.size() / 2 + 100);
        QFile t(truncated);
        QVERIFY(t.open(QIODevice::WriteOnly) && t.write(cut) == cut.size());
        t.close();
        const QString garbage = path(QStringLiteral("garbage.sqlite"));
        QByteArray junk = bytes;
        for (int i = 0; i < 4096; ++i)   // the second page: the schema's tables start there
            junk[4096 + i] = char(i * 131 % 251);
        QFile g(garbage);
        QVERIFY(g.open(QIODevice::WriteOnly) && g.write(junk) == junk.size());
        g.close();

        for (const QString &file : {truncated, garbage}) {
            const QByteArray before = digest(file);
            {
                auto catalog = Catalog::open(file);
                if (catalog) {
                    auto report = checkCatalog(**catalog, true);   // even asked to repair
                    QVERIFY2(!report || !report->sound(), qPrintable(file));
                } else {
                    QVERIFY2(catalog.error().contains(QStringLiteral("damaged")), qPrintable(catalog.error()));
                    QVERIFY2(catalog.error().contains(file), qPrintable(catalog.error()));
                }
            }   // closed
            QCOMPARE(digest(file), before);
        }
    }

    // Opening a v4 catalog upgrades it, and the catalog as it was is kept beside it.
    void migrationKeepsABackup()
    {
        const QString file = path(QStringLiteral("v4.sqlite"));
        {
            std::vector<Catalog::Migration> upTo(Catalog::migrations().begin(), Catalog::migrations().begin() + 4);
            auto old = Catalog::open(file, upTo);
            QVERIFY(old.ok());
            QVERIFY((*old)->photos().upsert(photo(QStringLiteral("/p/kept.jpg"), QStringLiteral("hk"))).ok());
        }
        {
            auto current = Catalog::open(file);
            QVERIFY(current.ok());
            QCOMPARE((*current)->schemaVersion().value(), Catalog::currentVersion());
            const QString backup = (*current)->migrationBackup();
            QVERIFY(!backup.isEmpty());
            QVERIFY2(backup.startsWith(file + QStringLiteral(".v4-backup-")), qPrintable(backup));
            QVERIFY(QFile::exists(backup));
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open_v2(backup.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
            sqlite3_stmt *q = nullptr;
            QCOMPARE(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT value FROM meta WHERE key = 'schema_version'), "
                                        "(SELECT count(*) FROM photos WHERE path = '/p/kept.jpg')",
                                        -1, &q, nullptr),
                     SQLITE_OK);
            QCOMPARE(sqlite3_step(q), SQLITE_ROW);
            QCOMPARE(sqlite3_column_int(q, 0), 4);
            QCOMPARE(sqlite3_column_int(q, 1), 1);
            sqlite3_finalize(q);
            sqlite3_close(db);
        }
        // Opening the current catalog again migrates nothing and keeps no new copy.
        auto again = Catalog::open(file);
        QVERIFY(again.ok());
        QVERIFY((*again)->migrationBackup().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIntegrity)
#include "tst_integrity.moc"
