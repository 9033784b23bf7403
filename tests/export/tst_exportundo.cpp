#include "export/exporter.h"
#include "exporttestutil.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;
using namespace clade::exporttest;

// Undo of an export, in every mode: the tree before the export and after the undo must match.
class TestExportUndo : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_base;   // holds photos/ and export/; the unit the before/after listings cover
    QString m_photos;
    QString m_target;

    QString photo(const QString &rel, int variant)
    {
        const QString path = m_photos + QLatin1Char('/') + rel;
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!test::writeJpeg(path, 48, 32, QColor::fromHsv((variant * 47) % 360, 200, 200), 90, variant))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // Sources with clashing names, an existing file and folder in the target, a hostile group.
    std::vector<ExportItem> scene()
    {
        writeBytes(m_target + QStringLiteral("/Cats/photo.jpg"), "precious, not ours");
        QDir().mkpath(m_target + QStringLiteral("/Dogs"));
        return {{photo(QStringLiteral("a/photo.jpg"), 1), QStringLiteral("Cats")},
                {photo(QStringLiteral("b/photo.jpg"), 2), QStringLiteral("Cats")},
                {photo(QStringLiteral("c.jpg"), 3), QStringLiteral("Dogs")},
                {photo(QStringLiteral("d.jpg"), 4), QStringLiteral("New Group")},
                {photo(QStringLiteral("e.jpg"), 5), QStringLiteral("../escape")},
                {photo(QStringLiteral("f.jpg"), 6), QStringLiteral("New Group")}};
    }

    QMap<QString, QString> listing() { return snapshot(m_base, QFileInfo(m_target).canonicalFilePath()); }

    static void addModes()
    {
        QTest::addColumn<QString>("mode");
        for (const char *m : {"copy", "move", "symlink", "hardlink"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }

    static ExportMode modeArg()
    {
        QFETCH(QString, mode);
        return *exportModeFromName(mode);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        m_base = m_tmp.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QLatin1Char('-')
                                + QString::fromLatin1(QTest::currentDataTag()));
        m_photos = m_base + QStringLiteral("/photos");
        m_target = m_base + QStringLiteral("/export");
        QVERIFY(QDir().mkpath(m_photos));
    }

    void undoRestoresTree_data() { addModes(); }
    void undoRestoresTree()
    {
        const ExportMode mode = modeArg();
        const auto items = scene();
        const auto before = listing();
        auto report = exportGroups(items, {m_target, mode});
        QVERIFY(report.ok());
        QCOMPARE(report->done, 6);
        QVERIFY(listing() != before);
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QVERIFY2(undo->messages.isEmpty(), qPrintable(undo->messages.join(QLatin1Char('\n'))));
        QCOMPARE(mode == ExportMode::Move ? undo->restored : undo->removed, 6);
        QCOMPARE(undo->skipped + undo->failed, 0);
        QCOMPARE(listing(), before);
        QCOMPARE(readJson(report->manifestPath).value(QStringLiteral("state")).toString(), QStringLiteral("undone"));
        auto again = undoExport(report->manifestPath);   // idempotent
        QVERIFY(again.ok());
        QCOMPARE(again->removed + again->restored + again->skipped + again->failed, 0);
        QCOMPARE(listing(), before);
    }

    // An export interrupted before its last manifest update: half the actions still read
    // "planned" without hashes, and the last of them never happened.
    void undoInterruptedExport_data() { addModes(); }
    void undoInterruptedExport()
    {
        const ExportMode mode = modeArg();
        const auto items = scene();
        const auto before = listing();
        auto report = exportGroups(items, {m_target, mode});
        QVERIFY(report.ok());
        QJsonObject m = readJson(report->manifestPath);
        QJsonArray actions = m.value(QStringLiteral("actions")).toArray();
        for (int i = actions.size() / 2; i < actions.size(); ++i) {
            QJsonObject a = actions.at(i).toObject();
            a.insert(QStringLiteral("status"), QStringLiteral("planned"));
            a.insert(QStringLiteral("sha256"), QString());   // planning records size and time only
            actions.replace(i, a);
        }
        m.insert(QStringLiteral("actions"), actions);
        m.insert(QStringLiteral("state"), QStringLiteral("in-progress"));
        QVERIFY(writeJson(report->manifestPath, m));
        const ExportAction &last = report->actions.back();
        QVERIFY(mode == ExportMode::Move ? QFile::rename(last.destination, last.source) : QFile::remove(last.destination));
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->removed + undo->restored, 5);
        QCOMPARE(undo->skipped + undo->failed, 0);
        QCOMPARE(listing(), before);
    }

    // Interrupted right after an action whose planned name had been taken meanwhile: the result
    // sits under the next name, and someone else's file under the planned one.
    void undoInterruptedAfterNameTaken_data() { addModes(); }
    void undoInterruptedAfterNameTaken()
    {
        const ExportMode mode = modeArg();
        const auto items = scene();
        auto report = exportGroups(items, {m_target, mode});
        QVERIFY(report.ok());
        const ExportAction &a = report->actions[3];   // "New Group"/d.jpg
        const QString next = QFileInfo(a.destination).absolutePath() + QStringLiteral("/d (2).jpg");
        QVERIFY(QFile::rename(a.destination, next));
        QVERIFY(writeBytes(a.destination, "someone else's file"));
        QJsonObject m = readJson(report->manifestPath);
        QJsonArray actions = m.value(QStringLiteral("actions")).toArray();
        QJsonObject planned = actions.at(3).toObject();
        planned.insert(QStringLiteral("status"), QStringLiteral("planned"));
        planned.insert(QStringLiteral("sha256"), QString());
        actions.replace(3, planned);
        m.insert(QStringLiteral("actions"), actions);
        QVERIFY(writeJson(report->manifestPath, m));
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->removed + undo->restored, 6);
        QCOMPARE(undo->skipped, 0);
        QVERIFY(!QFileInfo::exists(next));
        QCOMPARE(sha256Of(a.destination), QCryptographicHash::hash("someone else's file", QCryptographicHash::Sha256).toHex());
        QVERIFY(QFileInfo::exists(a.source));
    }

    void undoKeepsWhatChanged_data() { addModes(); }
    void undoKeepsWhatChanged()
    {
        const ExportMode mode = modeArg();
        const auto items = scene();
        auto report = exportGroups(items, {m_target, mode});
        QVERIFY(report.ok());
        const ExportAction &changed = report->actions[3];   // "New Group"/d.jpg
        QByteArray marker;
        if (mode == ExportMode::Move) {   // something new now sits where the file came from
            marker = "a new file at the old place";
            QVERIFY(writeBytes(changed.source, marker));
        } else if (mode == ExportMode::Symlink) {
            QVERIFY(QFile::remove(changed.destination));
            QVERIFY(QFile::link(items[0].source, changed.destination));
        } else {   // edited after export (for a hard link: replaced by an edited copy)
            QFile original(changed.destination);
            QVERIFY(original.open(QIODevice::ReadOnly));
            marker = original.readAll() + "edited";
            original.close();
            QVERIFY(QFile::remove(changed.destination));
            QVERIFY(writeBytes(changed.destination, marker));
        }
        const auto kept = snapshot(QFileInfo(changed.destination).absolutePath()).value(QStringLiteral("d.jpg"));
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->skipped, 1);
        QCOMPARE(undo->removed + undo->restored, 5);
        QVERIFY(undo->messages.join(QLatin1Char('\n')).contains(changed.destination));
        QCOMPARE(snapshot(QFileInfo(changed.destination).absolutePath()).value(QStringLiteral("d.jpg")), kept);
        if (mode == ExportMode::Move)
            QCOMPARE(sha256Of(changed.source), QCryptographicHash::hash(marker, QCryptographicHash::Sha256).toHex());
        QCOMPARE(readJson(report->manifestPath).value(QStringLiteral("state")).toString(), QStringLiteral("partly-undone"));
    }

    void undoKeepsCopyWhoseSourceIsGone()
    {
        const auto items = scene();
        auto report = exportGroups(items, {m_target, ExportMode::Copy});
        QVERIFY(report.ok());
        QVERIFY(QFile::remove(items[2].source));
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->skipped, 1);
        QCOMPARE(undo->removed, 5);
        QCOMPARE(sha256Of(report->actions[2].destination).isEmpty(), false);
    }

    void undoRefusesForeignManifests()
    {
        const auto items = scene();
        auto report = exportGroups(items, {m_target, ExportMode::Copy});
        QVERIFY(report.ok());
        // A manifest copied elsewhere does not belong to that folder.
        const QString moved = m_photos + QStringLiteral("/manifest.json");
        QVERIFY(QFile::copy(report->manifestPath, moved));
        QVERIFY(!undoExport(moved).ok());
        QVERIFY(!undoExport(m_photos + QStringLiteral("/none.json")).ok());
        QVERIFY(writeBytes(m_photos + QStringLiteral("/garbage.json"), "{ not json"));
        QVERIFY(!undoExport(m_photos + QStringLiteral("/garbage.json")).ok());
        // An edited destination outside the export's folders is never deleted.
        const QString outside = m_photos + QStringLiteral("/outside-copy.jpg");
        QVERIFY(QFile::copy(items[0].source, outside));
        QJsonObject m = readJson(report->manifestPath);
        QJsonArray actions = m.value(QStringLiteral("actions")).toArray();
        QJsonObject first = actions.at(0).toObject();
        first.insert(QStringLiteral("destination"), outside);
        actions.replace(0, first);
        m.insert(QStringLiteral("actions"), actions);
        QVERIFY(writeJson(report->manifestPath, m));
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->skipped, 1);
        QVERIFY(QFileInfo::exists(outside));
    }

    void undoCleansLeftoverTempFiles()
    {
        const auto items = scene();
        const auto before = listing();
        auto report = exportGroups(items, {m_target, ExportMode::Copy});
        QVERIFY(report.ok());
        QVERIFY(writeBytes(m_target + QStringLiteral("/New Group/.clade-part-0123abcd"), "half a copy"));
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(listing(), before);
    }

    // The manifest's name appears with its whole content: nothing half-written or left over
    // beside it, and exports in the same second into one folder each get their own.
    void manifestAppearsWhole()
    {
        const std::vector<ExportItem> items = {{photo(QStringLiteral("x.jpg"), 1), QStringLiteral("G")}};
        QStringList paths;
        for (int i = 0; i < 3; ++i) {
            auto report = exportGroups(items, {m_target, ExportMode::Copy});
            QVERIFY(report.ok());
            paths << report->manifestPath;
            QVERIFY(readJson(report->manifestPath).contains(QStringLiteral("actions")));
        }
        QCOMPARE(QSet<QString>(paths.cbegin(), paths.cend()).size(), 3);
        const QStringList root = QDir(m_target).entryList(QDir::Files | QDir::Hidden | QDir::System);
        QCOMPARE(root.size(), 3);   // the three manifests, no temp files
        for (const QString &name : root)
            QVERIFY2(name.startsWith(QLatin1String("clade-export-")) && name.endsWith(QLatin1String(".json")), qPrintable(name));
    }

    // An empty manifest (a kill between reserving the name and writing it, where the file system
    // has no hard links) is an export that never began: undo says so and clears it away.
    void undoOfAnEmptyManifest()
    {
        QVERIFY(QDir().mkpath(m_target));
        const QString empty = m_target + QStringLiteral("/clade-export-20261207T060432Z.json");
        QVERIFY(writeBytes(empty, ""));
        auto undo = undoExport(empty);
        QVERIFY(undo.ok());
        QCOMPARE(undo->removed + undo->restored + undo->skipped + undo->failed, 0);
        QVERIFY2(undo->messages.join(QLatin1Char(' ')).contains(QLatin1String("Nothing to undo")),
                 qPrintable(undo->messages.join(QLatin1Char(' '))));
        QVERIFY(!QFileInfo::exists(empty));
        // Any other empty file is not taken for one.
        const QString other = m_target + QStringLiteral("/notes.json");
        QVERIFY(writeBytes(other, ""));
        auto refused = undoExport(other);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QLatin1String("empty")), qPrintable(refused.error()));
        QVERIFY(QFileInfo::exists(other));
    }

    // Moves and hard links onto another file system (tmpfs /dev/shm when it is one).
    void acrossFileSystems()
    {
        QTemporaryDir other(QStringLiteral("/dev/shm/clade-export-test-XXXXXX"));
        if (!other.isValid() || sameDevice(other.path(), m_photos))
            QSKIP("no second file system (/dev/shm) to export to");
        const std::vector<ExportItem> items = {{photo(QStringLiteral("x.jpg"), 1), QStringLiteral("G")},
                                               {photo(QStringLiteral("y.jpg"), 2), QStringLiteral("G")}};
        const auto before = snapshot(m_photos);
        auto hard = exportGroups(items, {other.filePath(QStringLiteral("hard")), ExportMode::Hardlink});
        QVERIFY(hard.ok());
        QCOMPARE(hard->failed, 2);
        QVERIFY2(hard->actions[0].error.contains(QLatin1String("file systems")), qPrintable(hard->actions[0].error));
        auto moved = exportGroups(items, {other.filePath(QStringLiteral("move")), ExportMode::Move});
        QVERIFY(moved.ok());
        QCOMPARE(moved->done, 2);
        for (const auto &a : moved->actions) {
            QVERIFY(!QFileInfo::exists(a.source));
            QCOMPARE(sha256Of(a.destination), a.sha256.toLatin1());
        }
        auto undo = undoExport(moved->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->restored, 2);
        QCOMPARE(snapshot(m_photos), before);
        QVERIFY(!QFileInfo::exists(other.filePath(QStringLiteral("move/G"))));
    }
};

QTEST_GUILESS_MAIN(TestExportUndo)
#include "tst_exportundo.moc"
