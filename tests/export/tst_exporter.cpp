#include "export/exporter.h"
#include "exporttestutil.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace clade;
using namespace clade::exporttest;

class TestExporter : public QObject
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

    static void checkInside(const QString &root, const QString &destination)
    {
        const QFileInfo info(destination);
        QVERIFY2(info.exists() || info.isSymLink(), qPrintable(destination));
        const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
        QCOMPARE(QFileInfo(folder).absolutePath(), QFileInfo(root).canonicalFilePath());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        const QString id = QString::fromLatin1(QTest::currentTestFunction()) + QString::fromLatin1(QTest::currentDataTag());
        m_photos = m_tmp.filePath(id + QStringLiteral("/photos"));
        m_target = m_tmp.filePath(id + QStringLiteral("/export"));
        QVERIFY(QDir().mkpath(m_photos));
    }

    void modeNames()
    {
        for (ExportMode mode : {ExportMode::Copy, ExportMode::Move, ExportMode::Symlink, ExportMode::Hardlink})
            QCOMPARE(exportModeFromName(exportModeName(mode)), std::optional<ExportMode>(mode));
        QCOMPARE(exportModeFromName(QStringLiteral("HardLink")), std::optional<ExportMode>(ExportMode::Hardlink));
        QVERIFY(!exportModeFromName(QStringLiteral("teleport")));
        QVERIFY(!exportModeFromName(QString()));
    }

    void eachMode_data()
    {
        QTest::addColumn<QString>("mode");
        for (const char *m : {"copy", "move", "symlink", "hardlink"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }

    void eachMode()
    {
        QFETCH(QString, mode);
        const std::vector<ExportItem> items = {{photo(QStringLiteral("a.jpg"), 1), QStringLiteral("Cats")},
                                               {photo(QStringLiteral("b.jpg"), 2), QStringLiteral("Dogs")},
                                               {photo(QStringLiteral("sub/c.jpg"), 3), QStringLiteral("Cats")}};
        QMap<QString, QByteArray> hashes;
        for (const auto &item : items)
            hashes[item.source] = sha256Of(item.source);
        ExportOptions opts{m_target, *exportModeFromName(mode), false, 42};
        auto report = exportGroups(items, opts);
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error()));
        QCOMPARE(report->done, 3);
        QCOMPARE(report->failed, 0);
        QCOMPARE(report->actions[2].destination, QFileInfo(m_target).canonicalFilePath() + QStringLiteral("/Cats/c.jpg"));
        for (const ExportAction &a : report->actions) {
            QCOMPARE(a.status, QStringLiteral("done"));
            QCOMPARE(a.sha256.toLatin1(), hashes[a.source]);
            checkInside(m_target, a.destination);
            const QFileInfo dst(a.destination);
            QCOMPARE(dst.isSymLink(), opts.mode == ExportMode::Symlink);
            if (opts.mode == ExportMode::Symlink)
                QCOMPARE(dst.symLinkTarget(), a.source);
            QCOMPARE(QFileInfo::exists(a.source), opts.mode != ExportMode::Move);
            QCOMPARE(sha256Of(a.destination), hashes[a.source]);
            struct stat s
            {
            }, d{};
            if (opts.mode == ExportMode::Hardlink) {
                QCOMPARE(::stat(QFile::encodeName(a.source).constData(), &s), 0);
                QCOMPARE(::stat(QFile::encodeName(a.destination).constData(), &d), 0);
                QCOMPARE(s.st_ino, d.st_ino);
            }
        }
        const QJsonObject m = readJson(report->manifestPath);
        QCOMPARE(QFileInfo(report->manifestPath).absolutePath(), QFileInfo(m_target).canonicalFilePath());
        QVERIFY(QFileInfo(report->manifestPath).fileName().startsWith(QLatin1String("clade-export-")));
        QCOMPARE(m.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(m.value(QStringLiteral("runId")).toString(), QStringLiteral("42"));
        QCOMPARE(m.value(QStringLiteral("mode")).toString(), mode);
        QCOMPARE(m.value(QStringLiteral("state")).toString(), QStringLiteral("complete"));
        QVERIFY(!m.value(QStringLiteral("softwareVersion")).toString().isEmpty());
        QVERIFY(!m.value(QStringLiteral("time")).toString().isEmpty());
        const QJsonArray actions = m.value(QStringLiteral("actions")).toArray();
        QCOMPARE(actions.size(), 3);
        const QJsonObject first = actions.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        QCOMPARE(first.value(QStringLiteral("sha256")).toString().toLatin1(), hashes[items[0].source]);
        QCOMPARE(qint64(first.value(QStringLiteral("size")).toDouble()), QFileInfo(report->actions[0].destination).size());
    }

    void collisionsNeverOverwrite()
    {
        const QString existing = m_target + QStringLiteral("/Cats/photo.jpg");
        QVERIFY(writeBytes(existing, "not a photo, but precious"));
        const QString taken2 = m_target + QStringLiteral("/Cats/photo (2).jpg");
        QVERIFY(writeBytes(taken2, "also precious"));
        const std::vector<ExportItem> items = {{photo(QStringLiteral("x/photo.jpg"), 1), QStringLiteral("Cats")},
                                               {photo(QStringLiteral("y/photo.jpg"), 2), QStringLiteral("Cats")},
                                               {photo(QStringLiteral("z/PHOTO.jpg"), 3), QStringLiteral("Cats")}};
        auto report = exportGroups(items, {m_target, ExportMode::Copy});
        QVERIFY(report.ok());
        QCOMPARE(report->done, 3);
        QSet<QString> names;
        for (const auto &a : report->actions)
            names.insert(QFileInfo(a.destination).fileName());
        // PHOTO.jpg would be the same file as photo.jpg on a case-insensitive file system.
        QCOMPARE(names, (QSet<QString>{QStringLiteral("photo (3).jpg"), QStringLiteral("photo (4).jpg"), QStringLiteral("PHOTO (5).jpg")}));
        QCOMPARE(sha256Of(existing), QCryptographicHash::hash("not a photo, but precious", QCryptographicHash::Sha256).toHex());
        QCOMPARE(sha256Of(taken2), QCryptographicHash::hash("also precious", QCryptographicHash::Sha256).toHex());
        for (size_t i = 0; i < items.size(); ++i)
            QCOMPARE(sha256Of(report->actions[i].destination), sha256Of(items[i].source));
    }

    void sanitizedNames_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("Beach 2021") << QStringLiteral("Beach 2021");
        QTest::newRow("empty") << QString() << QStringLiteral("Unnamed");
        QTest::newRow("dotdot") << QStringLiteral("..") << QStringLiteral("Unnamed");
        QTest::newRow("dot") << QStringLiteral(".") << QStringLiteral("Unnamed");
        QTest::newRow("traversal") << QStringLiteral("../../etc") << QStringLiteral("_.._etc");
        QTest::newRow("slashes") << QStringLiteral("a/b\\c") << QStringLiteral("a_b_c");
        QTest::newRow("hidden") << QStringLiteral(".hidden") << QStringLiteral("hidden");
        QTest::newRow("controls") << QStringLiteral("tab\there\nnew\x01") << QStringLiteral("tab_here_new_");
        QTest::newRow("trailing") << QStringLiteral("name. . ") << QStringLiteral("name");
        QTest::newRow("device") << QStringLiteral("CON") << QStringLiteral("CON_");
        QTest::newRow("nfd") << QStringLiteral("Cafe\u0301") << QStringLiteral("Caf\u00e9");
        QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + QStringLiteral("x") << QStringLiteral("_x");
        QTest::newRow("bidi") << QStringLiteral("a\u202Egpj.exe") << QStringLiteral("a_gpj.exe");
    }

    void sanitizedNames()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(sanitizeFolderName(input), expected);
    }

    void hostileGroupNamesStayInside()
    {
        // A symlink squatting on a group's name must not lead the export outside the root.
        const QString outside = m_tmp.filePath(QString::fromLatin1(QTest::currentTestFunction()) + QStringLiteral("/outside"));
        QVERIFY(QDir().mkpath(outside));
        QVERIFY(QDir().mkpath(m_target));
        QVERIFY(QFile::link(outside, m_target + QStringLiteral("/Evil")));
        QVERIFY(writeBytes(m_target + QStringLiteral("/Plain"), "a file where a folder would go"));
        const QStringList groups = {QStringLiteral("/"),
                                    QStringLiteral("\\"),
                                    QStringLiteral(".."),
                                    QStringLiteral("."),
                                    QStringLiteral("../../outside"),
                                    QStringLiteral("a/../../b"),
                                    QStringLiteral(".hidden"),
                                    QStringLiteral("..."),
                                    QStringLiteral("tab\tnew\nline\x01\x7f"),
                                    QString::fromUtf8("\xff\xfe\xc3\x28 bad utf8"),
                                    QString(300, QLatin1Char('a')),
                                    QString(300, QChar(0xe9)),
                                    QString::fromUtf8("\xf0\x9f\x93\xb7").repeated(100),
                                    QStringLiteral("Cats"),
                                    QStringLiteral("cats"),
                                    QStringLiteral("CATS"),
                                    QStringLiteral("Caf\u00e9"),
                                    QStringLiteral("Cafe\u0301"),
                                    QString(),
                                    QStringLiteral("   "),
                                    QString(QChar(0xdc00)),
                                    QStringLiteral("Evil"),
                                    QStringLiteral("Plain"),
                                    QStringLiteral("Unnamed")};
        std::vector<ExportItem> items;
        for (int i = 0; i < groups.size(); ++i)
            items.push_back({photo(QStringLiteral("p%1.jpg").arg(i), i), groups[i]});
        const auto outsideBefore = snapshot(outside);
        auto report = exportGroups(items, {m_target, ExportMode::Copy});
        QVERIFY(report.ok());
        QCOMPARE(report->done, int(groups.size()));
        QSet<QString> folderKeys;
        for (const auto &a : report->actions) {
            checkInside(m_target, a.destination);
            const QString folder = QFileInfo(QFileInfo(a.destination).absolutePath()).fileName();
            QVERIFY2(!folder.startsWith(QLatin1Char('.')), qPrintable(folder));
            QVERIFY2(folder.toUtf8().size() <= 120, qPrintable(folder));
            QVERIFY(!folder.contains(QLatin1Char('\\')));
            QVERIFY2(folder.isValidUtf16(), qPrintable(folder));
            for (QChar c : folder)
                QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(folder));
            QVERIFY(QFileInfo(QFileInfo(a.destination).absolutePath()).isDir());
            QVERIFY(!QFileInfo(QFileInfo(a.destination).absolutePath()).isSymLink());
            folderKeys.insert(folder.normalized(QString::NormalizationForm_C).toCaseFolded());
        }
        QCOMPARE(folderKeys.size(), int(groups.size()));   // distinct groups, distinct folders
        QCOMPARE(snapshot(outside), outsideBefore);
        QCOMPARE(QFileInfo(m_target + QStringLiteral("/Plain")).size(), qint64(30));
    }

    void dryRunTouchesNothing()
    {
        const std::vector<ExportItem> items = {{photo(QStringLiteral("a.jpg"), 1), QStringLiteral("One")},
                                               {photo(QStringLiteral("b.jpg"), 2), QStringLiteral("Two")}};
        const QString base = QFileInfo(m_photos).absolutePath();
        for (ExportMode mode : {ExportMode::Copy, ExportMode::Move, ExportMode::Symlink, ExportMode::Hardlink}) {
            const auto before = snapshot(base);
            auto report = exportGroups(items, {m_target, mode, true});
            QVERIFY(report.ok());
            QCOMPARE(snapshot(base), before);
            QVERIFY(!QFileInfo::exists(m_target));
            QVERIFY(report->manifestPath.isEmpty());
            QCOMPARE(report->actions.size(), size_t(2));
            QCOMPARE(report->actions[0].status, QStringLiteral("planned"));
            QCOMPARE(report->actions[1].destination,
                     QDir::cleanPath(QFileInfo(m_target).absoluteFilePath()) + QStringLiteral("/Two/b.jpg"));
        }
    }
};

QTEST_GUILESS_MAIN(TestExporter)
#include "tst_exporter.moc"
