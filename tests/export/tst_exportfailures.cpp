#include "export/exporter.h"
#include "exporttestutil.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace clade;
using namespace clade::exporttest;

// Exports where something goes wrong: bad sources, unwritable folders, failing writes, cancel.
class TestExportFailures : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
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

    std::vector<ExportItem> photos(int n)
    {
        std::vector<ExportItem> items;
        for (int i = 0; i < n; ++i)
            items.push_back({photo(QStringLiteral("p%1.jpg").arg(i), i), QStringLiteral("Group %1").arg(i % 2)});
        return items;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        const QString id = QString::fromLatin1(QTest::currentTestFunction());
        m_photos = m_tmp.filePath(id + QStringLiteral("/photos"));
        m_target = m_tmp.filePath(id + QStringLiteral("/export"));
        QVERIFY(QDir().mkpath(m_photos));
    }

    void oneBadItemDoesNotStopTheRest()
    {
        const QString folderAsSource = m_photos + QStringLiteral("/a-folder");
        QVERIFY(QDir().mkpath(folderAsSource));
        const QString good = photo(QStringLiteral("good.jpg"), 1);
        const std::vector<ExportItem> items = {{m_photos + QStringLiteral("/missing.jpg"), QStringLiteral("G")},
                                               {folderAsSource, QStringLiteral("G")},
                                               {QString(), QStringLiteral("G")},
                                               {good, QStringLiteral("G")}};
        for (ExportMode mode : {ExportMode::Copy, ExportMode::Move}) {
            auto report = exportGroups(items, {m_target + exportModeName(mode), mode});
            QVERIFY(report.ok());
            QCOMPARE(report->failed, 3);
            QCOMPARE(report->done, 1);
            QVERIFY(report->actions[0].error.contains(QLatin1String("does not exist")));
            QVERIFY(report->actions[1].error.contains(QLatin1String("not a regular file")));
            QCOMPARE(report->actions[3].status, QStringLiteral("done"));
            const QJsonArray actions = readJson(report->manifestPath).value(QStringLiteral("actions")).toArray();
            QCOMPARE(actions.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
            if (mode == ExportMode::Move)   // put it back for the next round
                QVERIFY(QFile::rename(report->actions[3].destination, good));
        }
    }

    void movingTheSameSourceTwice()
    {
        const QString good = photo(QStringLiteral("twice.jpg"), 1);
        auto report = exportGroups({{good, QStringLiteral("A")}, {good, QStringLiteral("B")}}, {m_target, ExportMode::Move});
        QVERIFY(report.ok());
        QCOMPARE(report->done, 1);
        QCOMPARE(report->failed, 1);
        QVERIFY2(report->actions[1].error.contains(QLatin1String("No such file")), qPrintable(report->actions[1].error));
        QVERIFY(QFileInfo::exists(report->actions[0].destination));
    }

    // Someone creates the planned name between planning and the action: it is not overwritten.
    void nameTakenDuringExport_data()
    {
        QTest::addColumn<QString>("mode");
        for (const char *m : {"copy", "move", "symlink", "hardlink"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }

    void nameTakenDuringExport()
    {
        QFETCH(QString, mode);
        m_target += mode;
        const std::vector<ExportItem> items = {{photo(QStringLiteral("p0.jpg"), 0), QStringLiteral("G")},
                                               {photo(QStringLiteral("p1.jpg"), 1), QStringLiteral("G")}};
        const QByteArray hash1 = sha256Of(items[1].source);
        const QString intruder = m_target + QStringLiteral("/G/p1.jpg");
        Progress progress([&](const QString &, qint64 done, qint64) {
            if (done == 1)
                writeBytes(intruder, "arrived during the export");
        });
        auto report = exportGroups(items, {m_target, *exportModeFromName(mode)}, &progress);
        QVERIFY(report.ok());
        QCOMPARE(report->done, 2);
        QCOMPARE(QFileInfo(report->actions[1].destination).fileName(), QStringLiteral("p1 (2).jpg"));
        QCOMPARE(sha256Of(report->actions[1].destination), hash1);
        const QByteArray intruderHash = QCryptographicHash::hash("arrived during the export", QCryptographicHash::Sha256).toHex();
        QCOMPARE(sha256Of(intruder), intruderHash);
        const auto m = readJson(report->manifestPath).value(QStringLiteral("actions")).toArray();
        QCOMPARE(m.at(1).toObject().value(QStringLiteral("destination")).toString(), report->actions[1].destination);
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->removed + undo->restored, 2);
        QCOMPARE(sha256Of(intruder), intruderHash);
        QCOMPARE(sha256Of(items[1].source), hash1);
    }

    void badTargetIsAnError()
    {
        QVERIFY(writeBytes(m_target, "a file, not a folder"));
        auto report = exportGroups(photos(1), {m_target, ExportMode::Copy});
        QVERIFY(!report.ok());
        QVERIFY(report.error().contains(m_target));
        QVERIFY(!exportGroups(photos(1), {QString(), ExportMode::Copy}).ok());
    }

    // Runs as nobody when the suite runs as root (CI): root writes into any folder.
    void readOnlyTarget()
    {
        CLADE_RUN_AS_NOBODY();
        const auto items = photos(4);
        const QString locked = m_target + QStringLiteral("/Group 0");
        QVERIFY(QDir().mkpath(locked));
        QVERIFY(QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner));
        auto report = exportGroups(items, {m_target, ExportMode::Copy});
        QVERIFY(report.ok());
        QCOMPARE(report->failed, 2);
        QCOMPARE(report->done, 2);
        for (const auto &a : report->actions) {
            if (a.status == QLatin1String("failed"))
                QVERIFY2(a.error.contains(a.source) && a.error.contains(QLatin1String("ermission")), qPrintable(a.error));
        }
        QVERIFY(QDir(locked).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
        // A read-only root: no manifest can be written, so nothing at all is touched.
        const QString lockedRoot = m_tmp.filePath(QStringLiteral("lockedroot"));
        QVERIFY(QDir().mkpath(lockedRoot));
        QVERIFY(QFile::setPermissions(lockedRoot, QFile::ReadOwner | QFile::ExeOwner));
        auto refused = exportGroups(items, {lockedRoot, ExportMode::Move});
        QVERIFY(!refused.ok());
        for (const auto &item : items)
            QVERIFY(QFileInfo::exists(item.source));
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile::setPermissions(lockedRoot, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

    // A file-size limit makes write() fail part-way, as a full disk would.
    void writeFailureLeavesNoPartialFile()
    {
        QByteArray big(1 << 20, '\0');
        for (char &c : big)
            c = char(QRandomGenerator::global()->bounded(256));
        const QString bigPath = m_photos + QStringLiteral("/big.raw");
        QVERIFY(writeBytes(bigPath, big));
        const QString small = photo(QStringLiteral("small.jpg"), 1);
        struct rlimit old
        { };
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limited = old;
        limited.rlim_cur = 256 * 1024;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
        auto report = exportGroups({{bigPath, QStringLiteral("G")}, {small, QStringLiteral("G")}}, {m_target, ExportMode::Copy});
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(report.ok());
        QCOMPARE(report->actions[0].status, QStringLiteral("failed"));
        QVERIFY2(report->actions[0].error.contains(QLatin1String("writing failed")), qPrintable(report->actions[0].error));
        QCOMPARE(report->actions[1].status, QStringLiteral("done"));
        const QStringList left = QDir(m_target + QStringLiteral("/G")).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(left, QStringList{QStringLiteral("small.jpg")});   // no big.raw, no temp file
        QCOMPARE(sha256Of(bigPath), QCryptographicHash::hash(big, QCryptographicHash::Sha256).toHex());
    }

    void manifestWrittenFirstAndKeptCurrent()
    {
        const auto items = photos(6);
        QString manifest;
        QStringList problems;
        qint64 reports = 0;
        Progress progress([&](const QString &, qint64 done, qint64 total) {
            ++reports;
            if (total != 6 || done != reports)
                problems << QStringLiteral("progress %1/%2 at report %3").arg(done).arg(total).arg(reports);
            const QStringList found = QDir(m_target).entryList({QStringLiteral("clade-export-*.json")}, QDir::Files);
            if (found.size() != 1) {
                problems << QStringLiteral("no manifest during the export");
                return;
            }
            manifest = m_target + QLatin1Char('/') + found.first();
            const QJsonArray actions = readJson(manifest).value(QStringLiteral("actions")).toArray();
            // With flushEvery 2: all 6 listed from the start; the manifest is behind by at most 2.
            int recorded = 0;
            for (const auto &a : actions)
                recorded += a.toObject().value(QStringLiteral("status")).toString() == QLatin1String("done");
            if (actions.size() != 6 || recorded > done - 1 || recorded < done - 2)
                problems << QStringLiteral("manifest has %1 of %2 done after %3").arg(recorded).arg(actions.size()).arg(done);
        });
        ExportOptions opts{m_target, ExportMode::Copy};
        opts.manifestFlushEvery = 2;
        auto report = exportGroups(items, opts, &progress);
        QVERIFY(report.ok());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QCOMPARE(reports, qint64(6));
        QCOMPARE(report->manifestPath, manifest);
        const QJsonObject m = readJson(manifest);
        QCOMPARE(m.value(QStringLiteral("state")).toString(), QStringLiteral("complete"));
        for (const auto &a : m.value(QStringLiteral("actions")).toArray())
            QCOMPARE(a.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        QVERIFY(!QFileInfo::exists(manifest + QStringLiteral(".tmp")));
    }

    void cancelLeavesConsistentManifest()
    {
        const auto items = photos(5);
        const auto before = snapshot(m_photos);
        Progress *self = nullptr;
        Progress progress([&self](const QString &, qint64 done, qint64) {
            if (done == 2)
                self->cancel();
        });
        self = &progress;
        auto report = exportGroups(items, {m_target, ExportMode::Move}, &progress);
        QVERIFY(report.ok());
        QVERIFY(report->cancelled);
        QCOMPARE(report->done, 2);
        const QJsonObject m = readJson(report->manifestPath);
        QCOMPARE(m.value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        const QJsonArray actions = m.value(QStringLiteral("actions")).toArray();
        for (int i = 0; i < 5; ++i) {
            const QString status = actions.at(i).toObject().value(QStringLiteral("status")).toString();
            QCOMPARE(status, i < 2 ? QStringLiteral("done") : QStringLiteral("cancelled"));
            QCOMPARE(QFileInfo::exists(items[size_t(i)].source), i >= 2);
        }
        auto undo = undoExport(report->manifestPath);
        QVERIFY(undo.ok());
        QCOMPARE(undo->restored, 2);
        QCOMPARE(snapshot(m_photos), before);
    }
};

QTEST_GUILESS_MAIN(TestExportFailures)
#include "tst_exportfailures.moc"
