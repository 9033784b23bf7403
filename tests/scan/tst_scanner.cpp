#include "catalog/catalog.h"
#include "scan/scanner.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace clade;

namespace {

// Counts reads, so a test can prove that an unchanged rescan reads no file's metadata.
class CountingMetadataReader : public MetadataReader
{
public:
    mutable std::atomic<int> reads{0};
    Result<PhotoMetadata> read(const QString &) const override
    {
        ++reads;
        PhotoMetadata m;
        m.cameraModel = QStringLiteral("Test camera");
        return m;
    }
    Result<std::vector<std::uint8_t>> largestPreview(const QString &) const override { return fail(QStringLiteral("no preview")); }
};

}   // namespace

class TestScanner : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::unique_ptr<Catalog> m_catalog;
    CountingMetadataReader m_reader;
    QString m_root;

    ScanStats scan()
    {
        Progress progress;
        Scanner scanner(*m_catalog, &m_reader);
        auto stats = scanner.scan(m_root, progress);
        if (!stats.ok())
            qFatal("scan failed: %s", qPrintable(stats.error()));
        return *stats;
    }

    void writePhotos(const QString &folder, int count)
    {
        QDir().mkpath(folder);
        for (int i = 0; i < count; ++i)
            QVERIFY(
                test::writeJpeg(QStringLiteral("%1/p%2.jpg").arg(folder).arg(i), 64, 48, QColor::fromHsv(i * 40 % 360, 200, 200), 90, i));
    }

private Q_SLOTS:
    void init()
    {
        m_root = QDir(m_work.path()).filePath(QStringLiteral("photos-%1").arg(QDateTime::currentMSecsSinceEpoch()));
        QDir().mkpath(m_root);
        m_root = QFileInfo(m_root).canonicalFilePath();
        m_catalog = std::move(Catalog::open(m_root + QStringLiteral(".sqlite")).value());
        m_reader.reads = 0;
    }

    void firstScanFindsImagesByContentAndSkipsHidden()
    {
        writePhotos(m_root, 3);
        writePhotos(m_root + QStringLiteral("/sub/deeper"), 2);
        writePhotos(m_root + QStringLiteral("/.hidden"), 2);
        // A JPEG named .txt is found by content; a text file named .jpg is a problem; notes are ignored.
        QVERIFY(QFile::copy(m_root + QStringLiteral("/p0.jpg"), m_root + QStringLiteral("/disguised.txt")));
        QFile fake(m_root + QStringLiteral("/fake.jpg"));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write("this is not a picture");
        fake.close();
        QFile notes(m_root + QStringLiteral("/notes.md"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("# notes");
        notes.close();

        const ScanStats stats = scan();
        QCOMPARE(stats.images, 6);
        QCOMPARE(stats.added, 6);
        QCOMPARE(stats.failed, 1);
        QCOMPARE(m_reader.reads.load(), 6);
        const auto photos = m_catalog->photos().under(m_root).value();
        QCOMPARE(photos.size(), std::size_t(6));
        for (const PhotoRecord &p : photos) {
            QVERIFY(!p.path.contains(QStringLiteral("/.hidden/")));
            QCOMPARE(p.format, QStringLiteral("jpeg"));
            QCOMPARE(p.hash.size(), 32);
        }
        const auto problems = m_catalog->photos().problemsUnder(m_root).value();
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY(problems[0].path.endsWith(QStringLiteral("fake.jpg")));
    }

    void unchangedRescanReadsNothing()
    {
        writePhotos(m_root, 5);
        QCOMPARE(scan().added, 5);
        m_reader.reads = 0;
        const ScanStats again = scan();
        QCOMPARE(again.unchanged, 5);
        QCOMPARE(again.added + again.changed + again.renamed + again.removed, 0);
        QCOMPARE(m_reader.reads.load(), 0);
    }

    void changedRenamedAndRemovedFiles()
    {
        writePhotos(m_root, 4);
        scan();
        const qint64 renamedId = m_catalog->photos().byPath(m_root + QStringLiteral("/p1.jpg")).value()->id;
        const qint64 changedId = m_catalog->photos().byPath(m_root + QStringLiteral("/p2.jpg")).value()->id;
        QVERIFY(m_catalog->features().put(renamedId, QStringLiteral("m"), {1.0f}).ok());
        QVERIFY(m_catalog->features().put(changedId, QStringLiteral("m"), {2.0f}).ok());

        QDir().mkpath(m_root + QStringLiteral("/moved"));
        QVERIFY(QFile::rename(m_root + QStringLiteral("/p1.jpg"), m_root + QStringLiteral("/moved/renamed.jpg")));
        QVERIFY(test::writeJpeg(m_root + QStringLiteral("/p2.jpg"), 80, 60, Qt::yellow, 80, 9));
        QVERIFY(QFile::remove(m_root + QStringLiteral("/p3.jpg")));

        const ScanStats stats = scan();
        QCOMPARE(stats.renamed, 1);
        QCOMPARE(stats.changed, 1);
        QCOMPARE(stats.removed, 1);
        QCOMPARE(stats.unchanged, 1);
        // The renamed photo keeps its row and its embedding; the changed one must be embedded again.
        const auto renamed = m_catalog->photos().byPath(m_root + QStringLiteral("/moved/renamed.jpg")).value();
        QVERIFY(renamed.has_value());
        QCOMPARE(renamed->id, renamedId);
        QCOMPARE(m_catalog->features().photosWith(QStringLiteral("m"), {renamedId, changedId}).value(), std::vector<qint64>{renamedId});
        // The removed photo is marked, not deleted: its assignments stay meaningful.
        const auto removed = m_catalog->photos().byPath(m_root + QStringLiteral("/p3.jpg")).value();
        QVERIFY(removed.has_value());
        QCOMPARE(removed->state, PhotoState::Missing);
        QCOMPARE(m_catalog->photos().under(m_root).value().size(), std::size_t(3));

        // Back again: the missing photo is revived.
        QVERIFY(test::writeJpeg(m_root + QStringLiteral("/p3.jpg"), 64, 48, Qt::red, 90, 3));
        QCOMPARE(scan().removed, 0);
        QCOMPARE(m_catalog->photos().under(m_root).value().size(), std::size_t(4));
    }

    void symlinkLoopsAndBrokenLinksAreReportedNotFollowed()
    {
        writePhotos(m_root + QStringLiteral("/a"), 2);
        QVERIFY(QFile::link(m_root, m_root + QStringLiteral("/a/loop")));
        QVERIFY(QFile::link(m_root + QStringLiteral("/nowhere.jpg"), m_root + QStringLiteral("/a/broken.jpg")));
        const ScanStats stats = scan();
        QCOMPARE(stats.images, 2);
        const auto problems = m_catalog->photos().problemsUnder(m_root).value();
        QCOMPARE(problems.size(), std::size_t(2));
        QStringList messages;
        for (const auto &p : problems)
            messages << p.message;
        QVERIFY(messages.join(QLatin1Char(' ')).contains(QStringLiteral("loop")));
        QVERIFY(messages.join(QLatin1Char(' ')).contains(QStringLiteral("broken")));
    }

    // Runs as nobody when the suite runs as root (CI): root reads any file.
    void unreadableFileIsAProblemNotAStop()
    {
        CLADE_RUN_AS_NOBODY();
        writePhotos(m_root, 2);
        const QString locked = m_root + QStringLiteral("/p1.jpg");
        QFile::setPermissions(locked, QFileDevice::Permissions());
        QFile probe(locked);
        QVERIFY2(!probe.open(QIODevice::ReadOnly), "the file is still readable after chmod 000");
        const ScanStats stats = scan();
        QCOMPARE(stats.images, 1);
        QCOMPARE(stats.failed, 1);
        QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void missingFolderIsAnError()
    {
        Progress progress;
        Scanner scanner(*m_catalog, &m_reader);
        auto result = scanner.scan(m_root + QStringLiteral("/does-not-exist"), progress);
        QVERIFY(!result.ok());
        QVERIFY(result.error().contains(QStringLiteral("does not exist")));
    }
};

QTEST_GUILESS_MAIN(TestScanner)
#include "tst_scanner.moc"
