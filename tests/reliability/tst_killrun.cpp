// kill -9 of the real clade-cli at many points of `cluster` and `export --mode move`: the catalog
// stays sound, the next run resumes without redoing finished work, and no photo is lost.
// Built twice: tst_killrun clusters with k-means on the visual features; tst_killsic
// (CLADE_KILL_SIC) embeds with the tiny CLIP model of ../shared/data/clip-parity, so the kills
// also land in vocabulary embedding, SIC training (one progress line per epoch) and naming.
#include "killrun.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace clade::test;

namespace {

constexpr int kPhotos = 60;
constexpr int kGroups = 5;
const QString kCli = QStringLiteral(CLADE_CLI_PATH);
#ifdef CLADE_KILL_SIC
constexpr bool kSic = true;
#else
constexpr bool kSic = false;
#endif
const QString kTextRows = QStringLiteral("SELECT model_id || ':' || vocabulary || ':' || idx, rowid FROM text_features");

// The largest `done` of a progress line "Stage done/total" for that stage, or -1.
int lastDone(const QStringList &lines, const QString &stage)
{
    static const QRegularExpression re(QStringLiteral("^(.+) (\\d+)/(\\d+)(, about .+ left)?$"));   // progress lines may say the time left
    int done = -1;
    for (const QString &line : lines) {
        const QRegularExpressionMatch m = re.match(line);
        if (m.hasMatch() && m.captured(1) == stage)
            done = std::max(done, m.captured(2).toInt());
    }
    return done;
}

QHash<QString, QString> keyed(const QStringList &rows)
{
    QHash<QString, QString> out;
    for (const QString &row : rows) {
        if (row.startsWith(QLatin1String("error:")))   // killed before the catalog or its schema existed
            continue;
        out.insert(row.section(QLatin1Char('|'), 0, 0), row.section(QLatin1Char('|'), 1));
    }
    return out;
}

}   // namespace

class TestKillRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QTemporaryDir m_dataHome;   // XDG_DATA_HOME of the children (the CLIP tokenizer's vocabulary)
    QString m_photos;
    QStringList m_clusterArgs;
    int m_referenceLines = 0;
    QStringList m_referenceText;   // the reference run's progress lines
    qint64 m_referenceMs = 0;
    int m_killsSurvived = 0;

    QString catalogFor(const QString &name) const { return m_work.filePath(name + QStringLiteral(".sqlite")); }

    static bool hasSchema(const QString &catalog)
    {
        return !sqlRows(catalog, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'photos'")).isEmpty();
    }

    // Sound whatever the moment of the kill: integrity, foreign keys, no duplicates, complete runs.
    static void verifyCatalog(const QString &catalog)
    {
        QCOMPARE(sqlRows(catalog, QStringLiteral("PRAGMA integrity_check")), QStringList{QStringLiteral("ok")});
        QCOMPARE(sqlRows(catalog, QStringLiteral("PRAGMA foreign_key_check")), QStringList{});
        // Killed while the file was being created, before the first schema step committed (one
        // transaction): no table but the bookkeeping one, and the next open creates the schema.
        if (!hasSchema(catalog)) {
            QCOMPARE(sqlRows(catalog, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name != 'meta'")),
                     QStringList{QStringLiteral("0")});
            return;
        }
        const QStringList duplicates =
            sqlRows(catalog, QStringLiteral("SELECT hash, group_concat(id || ':' || path || ':' || state || ':' "
                                            "|| size || ':' || mtime_ms, ' ; ') FROM photos GROUP BY hash HAVING COUNT(*) > 1"));
        QVERIFY2(duplicates.isEmpty(), qPrintable(catalog + QLatin1String(": ") + duplicates.join(QLatin1Char('\n'))));
        QCOMPARE(sqlRows(catalog, QStringLiteral("SELECT r.id FROM runs r WHERE r.status = 'done' AND ("
                                                 "(SELECT COUNT(*) FROM clusters c WHERE c.run_id = r.id) != r.k OR "
                                                 "(SELECT COUNT(*) FROM assignments a WHERE a.run_id = r.id) = 0)")),
                 QStringList{});
        QCOMPARE(sqlRows(catalog, QStringLiteral("SELECT a.run_id FROM assignments a JOIN clusters c ON c.id = a.cluster_id "
                                                 "WHERE c.run_id != a.run_id")),
                 QStringList{});
    }

    void killClusterAndResume(const QString &name, KillPoint point)
    {
        const QString catalog = catalogFor(name);
        const ChildOutcome killed = runAndKill(kCli, m_clusterArgs + QStringList{QStringLiteral("--catalog"), catalog}, point);
        // Killed before the catalog file existed, or before its schema committed: nothing was
        // written, nothing to compare.
        if (QFile::exists(catalog))
            verifyCatalog(catalog);
        const bool written = QFile::exists(catalog) && hasSchema(catalog);
        const QHash<QString, QString> photosBefore =
            written ? keyed(sqlRows(catalog, QStringLiteral("SELECT path, id FROM photos"))) : QHash<QString, QString>();
        const QHash<QString, QString> featuresBefore =
            written ? keyed(sqlRows(catalog, QStringLiteral("SELECT photo_id, created_at FROM features"))) : QHash<QString, QString>();
        // Progress is reported before each batch, after the earlier batches were committed.
        QVERIFY2(photosBefore.size() >= lastDone(killed.lines, QStringLiteral("Reading metadata")), qPrintable(name));
        QVERIFY2(featuresBefore.size() >= lastDone(killed.lines, QStringLiteral("Embedding")), qPrintable(name));
        // Cached noun embeddings: a recomputed row would be replaced and get a new rowid.
        const QHash<QString, QString> nounsBefore = written ? keyed(sqlRows(catalog, kTextRows)) : QHash<QString, QString>();
        QVERIFY2(nounsBefore.size() >= lastDone(killed.lines, QStringLiteral("Embedding vocabulary")), qPrintable(name));

        const ChildOutcome resumed =
            runToEnd(kCli, m_clusterArgs + QStringList{QStringLiteral("--json"), QStringLiteral("--catalog"), catalog});
        QVERIFY2(resumed.exitCode == 0, qPrintable(name + QLatin1String(": ") + resumed.lines.join(QLatin1Char('\n'))));
        const QJsonObject json = QJsonDocument::fromJson(resumed.out).object();
        int clustered = 0;
        const QJsonArray clusters = json.value(QStringLiteral("clusters")).toArray();
        for (const QJsonValue &c : clusters)
            clustered += c.toObject().value(QStringLiteral("size")).toInt();
        QCOMPARE(clustered, kPhotos);
        // The killed process's run (if it got that far) was marked 'interrupted' by the next open.
        QCOMPARE(sqlRows(catalog, QStringLiteral("SELECT count(*) FROM runs WHERE status = 'running'")), QStringList{QStringLiteral("0")});
        QCOMPARE(json.value(QStringLiteral("scan")).toObject().value(QStringLiteral("unchanged")).toInt(), int(photosBefore.size()));
        verifyCatalog(catalog);
        const QHash<QString, QString> photosAfter = keyed(sqlRows(catalog, QStringLiteral("SELECT path, id FROM photos")));
        const QHash<QString, QString> featuresAfter = keyed(sqlRows(catalog, QStringLiteral("SELECT photo_id, created_at FROM features")));
        QCOMPARE(photosAfter.size(), qsizetype(kPhotos));
        QCOMPARE(featuresAfter.size(), qsizetype(kPhotos));
        for (auto it = photosBefore.cbegin(); it != photosBefore.cend(); ++it)
            QCOMPARE(photosAfter.value(it.key()), it.value());
        for (auto it = featuresBefore.cbegin(); it != featuresBefore.cend(); ++it)
            QCOMPARE(featuresAfter.value(it.key()), it.value());   // kept, not recomputed
        const QHash<QString, QString> nounsAfter = keyed(sqlRows(catalog, kTextRows));
        QCOMPARE(nounsAfter.isEmpty(), !kSic);
        for (auto it = nounsBefore.cbegin(); it != nounsBefore.cend(); ++it)
            QCOMPARE(nounsAfter.value(it.key()), it.value());
        if (kSic)   // the semantic run, not a fallback: named from nouns
            QCOMPARE(json.value(QStringLiteral("method")).toString(), QStringLiteral("sic"));
        m_killsSurvived += killed.killed && !QTest::currentTestFailed() ? 1 : 0;
        if (killed.killed)
            qInfo("%s: killed at %lld ms after \"%s\"", qPrintable(name), killed.elapsedMs,
                  qPrintable(killed.lines.isEmpty() ? QStringLiteral("(nothing)") : killed.lines.last()));
    }

    // Returns how long the export ran.
    qint64 killMoveAndUndo(const QString &name, qint64 runId, const QHash<QString, QByteArray> &original, KillPoint point)
    {
        const QString target = m_work.filePath(name);
        const QStringList args = {QStringLiteral("export"),
                                  QStringLiteral("--run"),
                                  QString::number(runId),
                                  QStringLiteral("--to"),
                                  target,
                                  QStringLiteral("--mode"),
                                  QStringLiteral("move"),
                                  QStringLiteral("--catalog"),
                                  catalogFor(QStringLiteral("reference"))};
        const QString catalog = catalogFor(QStringLiteral("reference"));
        const QHash<QString, QString> recordsBefore = keyed(sqlRows(catalog, QStringLiteral("SELECT path, id FROM photos")));
        const ChildOutcome killed = runAndKill(kCli, args, point);
        QMultiHash<QByteArray, QString> where;
        const QHash<QString, QByteArray> left = treeHashes(m_photos);
        const QHash<QString, QByteArray> moved = treeHashes(target, {QStringLiteral("clade-export-")});
        for (auto it = left.cbegin(); it != left.cend(); ++it)
            where.insert(it.value(), it.key());
        for (auto it = moved.cbegin(); it != moved.cend(); ++it)
            where.insert(it.value(), QStringLiteral("target/") + it.key());
        [&] {
            if (point.afterLine < 0 && point.afterMs < 0) {   // the uninterrupted baseline moved everything
                QVERIFY2(killed.exitCode == 0, qPrintable(killed.lines.join(QLatin1Char('\n'))));
                QCOMPARE(moved.size(), qsizetype(kPhotos));
            }
            QCOMPARE(where.size(), original.size());   // nothing extra, nothing missing
            for (auto it = original.cbegin(); it != original.cend(); ++it)
                QVERIFY2(where.count(it.value()) == 1, qPrintable(name + QLatin1String(": ") + it.key()));
        }();

        // The catalog's next opening (any command) finishes what the kill left: every photo's
        // record is where its file is, the same records as before.
        [&] {
            const ChildOutcome opened = runToEnd(kCli, {QStringLiteral("problems"), QStringLiteral("--catalog"), catalog});
            QVERIFY2(opened.exitCode == 0, qPrintable(opened.lines.join(QLatin1Char('\n'))));
            const QHash<QString, QString> records = keyed(sqlRows(catalog, QStringLiteral("SELECT path, id FROM photos")));
            QCOMPARE(records.size(), recordsBefore.size());
            for (auto it = records.cbegin(); it != records.cend(); ++it)
                QVERIFY2(QFileInfo(it.key()).isFile(), qPrintable(name + QLatin1String(": the catalog lists ") + it.key()));
        }();

        [&] {
            const QStringList manifests = QDir(target).entryList({QStringLiteral("clade-export-*.json")}, QDir::Files);
            QVERIFY(manifests.size() <= 1);
            if (!manifests.isEmpty()) {
                const ChildOutcome undone =
                    runToEnd(kCli, {QStringLiteral("export"), QStringLiteral("--undo"), target + QLatin1Char('/') + manifests.first(),
                                    QStringLiteral("--catalog"), catalog});
                QVERIFY2(undone.exitCode == 0, qPrintable(name + QLatin1String(": ") + undone.lines.join(QLatin1Char('\n'))));
            }
            QCOMPARE(treeHashes(m_photos), original);
            QCOMPARE(treeHashes(target, {QStringLiteral("clade-export-")}).size(), 0);
            // After undo every record has its original path.
            QCOMPARE(keyed(sqlRows(catalog, QStringLiteral("SELECT path, id FROM photos"))), recordsBefore);
        }();
        m_killsSurvived += killed.killed && !QTest::currentTestFailed() ? 1 : 0;
        return killed.elapsedMs;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        m_photos = m_work.filePath(QStringLiteral("photos"));
        for (int i = 0; i < kPhotos; ++i) {
            const int group = i % kGroups;
            const QString dir = m_photos + QStringLiteral("/g%1").arg(group);
            QVERIFY(QDir().mkpath(dir));
            QVERIFY(writeJpeg(QStringLiteral("%1/p%2.jpg").arg(dir).arg(i), 640, 480, QColor::fromHsv(group * 360 / kGroups, 200, 210), 90,
                              i / kGroups));
        }
        m_clusterArgs = {
            QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("4"), QStringLiteral("--seed"), QStringLiteral("7"),
            QStringLiteral("--method")};
        if (kSic) {
            CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/weights.safetensors");
            QVERIFY(m_dataHome.isValid());
            const QString models = m_dataHome.filePath(QStringLiteral("clade/models"));
            QVERIFY(QDir().mkpath(models));
            QVERIFY(QFile::copy(sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")),
                                models + QStringLiteral("/bpe_simple_vocab_16e6.txt.gz")));
            qputenv("XDG_DATA_HOME", QFile::encodeName(m_dataHome.path()));   // inherited by the children
            m_clusterArgs << QStringLiteral("sic") << QStringLiteral("--model")
                          << sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights.safetensors"));
        } else {
            m_clusterArgs << QStringLiteral("kmeans");
        }
        QElapsedTimer timer;
        timer.start();
        const ChildOutcome reference =
            runToEnd(kCli, m_clusterArgs + QStringList{QStringLiteral("--catalog"), catalogFor(QStringLiteral("reference"))});
        m_referenceMs = timer.elapsed();
        QVERIFY2(reference.exitCode == 0, qPrintable(reference.lines.join(QLatin1Char('\n'))));
        m_referenceLines = int(reference.lines.size());
        m_referenceText = reference.lines;
        QVERIFY2(lastDone(reference.lines, QStringLiteral("Embedding")) == kPhotos, qPrintable(reference.lines.join(QLatin1Char('\n'))));
        verifyCatalog(catalogFor(QStringLiteral("reference")));
        qInfo("reference run: %lld ms, %d progress lines", m_referenceMs, m_referenceLines);
    }

    // After each progress line (every stage boundary and embedding batch).
    void killClusterAtProgressLines()
    {
        // k-means (about 10 lines): every line. SIC (about 120): every line outside training, the
        // first, second, middle and last epoch, and the last line (naming).
        static const QRegularExpression epoch(QStringLiteral("^SIC: training.* (\\d+)/(\\d+)(, about .+ left)?$"));
        QList<int> lines;
        for (int line = 1; line <= m_referenceLines; ++line) {
            const QRegularExpressionMatch m = epoch.match(m_referenceText.value(line - 1));
            const int e = m.hasMatch() ? m.captured(1).toInt() : -1;
            if (e < 0 || e <= 2 || e == m.captured(2).toInt() / 2 || e == m.captured(2).toInt() || line == m_referenceLines)
                lines << line;
        }
        for (int line : std::as_const(lines)) {
            if (QTest::currentTestFailed())
                return;
            killClusterAndResume(QStringLiteral("line%1").arg(line), {line, -1});
        }
    }

    // At ten moments spread over the measured run, which also lands inside transactions.
    void killClusterAtTimes()
    {
        for (int i = 1; i <= 10 && !QTest::currentTestFailed(); ++i)
            killClusterAndResume(QStringLiteral("time%1").arg(i), {-1, int(m_referenceMs * i / 11)});
    }

    // What a kill between creating the file and committing the first schema step leaves: a
    // SQLite file with at most the bookkeeping table. It is sound, and the next run completes.
    void killedBeforeTheSchemaCommitted()
    {
        const QString catalog = catalogFor(QStringLiteral("schemaless"));
        QFile file(catalog);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QCOMPARE(sqlRows(catalog, QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")),
                 QStringList{});
        verifyCatalog(catalog);
        QVERIFY(!hasSchema(catalog));
        const ChildOutcome resumed =
            runToEnd(kCli, m_clusterArgs + QStringList{QStringLiteral("--json"), QStringLiteral("--catalog"), catalog});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.lines.join(QLatin1Char('\n'))));
        int clustered = 0;
        for (const QJsonValue &c : QJsonDocument::fromJson(resumed.out).object().value(QStringLiteral("clusters")).toArray())
            clustered += c.toObject().value(QStringLiteral("size")).toInt();
        QCOMPARE(clustered, kPhotos);
        QVERIFY(hasSchema(catalog));
        verifyCatalog(catalog);
    }

    void killMoveExport()
    {
        if (kSic)
            QSKIP("export does not depend on the clustering method: tst_killrun kills it");
        const QStringList done =
            sqlRows(catalogFor(QStringLiteral("reference")), QStringLiteral("SELECT id FROM runs WHERE status = 'done'"));
        QCOMPARE(done.size(), 1);
        const qint64 runId = done.first().toLongLong();
        const QHash<QString, QByteArray> original = treeHashes(m_photos);
        QCOMPARE(original.size(), qsizetype(kPhotos));
        const qint64 fullMs = killMoveAndUndo(QStringLiteral("complete"), runId, original, {});   // not killed: the baseline
        for (int line : {1, 2, 5, 15, 30, 45, 59}) {
            if (QTest::currentTestFailed())
                return;
            killMoveAndUndo(QStringLiteral("move-line%1").arg(line), runId, original, {line, -1});
        }
        for (int i = 1; i <= 6; ++i) {
            if (QTest::currentTestFailed())
                return;
            killMoveAndUndo(QStringLiteral("move-time%1").arg(i), runId, original, {-1, int(fullMs * i / 7)});
        }
    }

    void cleanupTestCase() { qInfo("kill points survived: %d", m_killsSurvived); }
};

QTEST_GUILESS_MAIN(TestKillRun)
#include "tst_killrun.moc"
