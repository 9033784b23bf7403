// ThumbnailCache with the real OpenCV decoder behind a counting wrapper: made once, keyed by
// content and size, upright, never enlarged, atomic, and safe under concurrent calls.

#include "opencv/opencvdecoder.h"
#include "opencv/thumbnailcache.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace clade;

namespace {

// Counts decode() calls; optionally slow, so that concurrent callers really overlap.
class CountingDecoder : public ImageDecoder
{
public:
    mutable std::atomic<int> decodes{0};
    int delayMs = 0;

    Result<RgbImage> decode(const QString &path, const DecodeOptions &options) const override
    {
        ++decodes;
        if (delayMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
        return m_real.decode(path, options);
    }
    Result<RgbImage> decodeBytes(const std::vector<std::uint8_t> &bytes, const DecodeOptions &options) const override
    {
        ++decodes;
        return m_real.decodeBytes(bytes, options);
    }

private:
    OpenCvDecoder m_real;
};

QSize imageSize(const QString &path)
{
    QImageReader reader(path);
    return reader.format() == "jpeg" ? reader.size() : QSize();
}

}   // namespace

class TestThumbnailCache : public QObject
{
    Q_OBJECT

private:
    QString photo(const QString &name) const { return m_photos.filePath(name); }

    QTemporaryDir m_photos;
    QTemporaryDir m_cache;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_photos.isValid() && m_cache.isValid());
        QVERIFY(clade::test::writeJpeg(photo("wide.jpg"), 1200, 800, QColor(200, 80, 40)));
        QVERIFY(clade::test::writeJpeg(photo("small.jpg"), 100, 80, QColor(20, 80, 200)));
    }

    void madeOnceThenReused()
    {
        CountingDecoder decoder;
        ThumbnailCache cache(decoder, m_cache.filePath("once"));
        const auto first = cache.thumbnail(photo("wide.jpg"), "abc123", 256);
        QVERIFY2(first, first ? "" : qPrintable(first.error()));
        QVERIFY(first->startsWith(m_cache.filePath("once")));
        QCOMPARE(imageSize(*first), QSize(256, 171));
        QCOMPARE(decoder.decodes.load(), 1);

        const auto second = cache.thumbnail(photo("wide.jpg"), "abc123", 256);
        QVERIFY(second);
        QCOMPARE(*second, *first);
        QCOMPARE(decoder.decodes.load(), 1);

        // A new cache object on the same folder (next run of the app) finds it on disk too.
        ThumbnailCache again(decoder, m_cache.filePath("once"));
        QCOMPARE(*again.thumbnail(photo("wide.jpg"), "abc123", 256), *first);
        QCOMPARE(decoder.decodes.load(), 1);
    }

    void keyedByContentAndSize()
    {
        CountingDecoder decoder;
        ThumbnailCache cache(decoder, m_cache.filePath("keys"));
        const auto a = cache.thumbnail(photo("wide.jpg"), "key-a", 256);
        const auto bigger = cache.thumbnail(photo("wide.jpg"), "key-a", 512);
        const auto otherContent = cache.thumbnail(photo("wide.jpg"), "key-b", 256);
        QVERIFY(a && bigger && otherContent);
        QCOMPARE(decoder.decodes.load(), 3);
        QVERIFY(*a != *bigger && *a != *otherContent);
        QCOMPARE(imageSize(*bigger), QSize(512, 341));
        // The same content under another path (a renamed photo) reuses the thumbnail.
        QVERIFY(QFile::copy(photo("wide.jpg"), photo("renamed.jpg")));
        QCOMPARE(*cache.thumbnail(photo("renamed.jpg"), "key-a", 256), *a);
        QCOMPARE(decoder.decodes.load(), 3);
    }

    void uprightAndNeverEnlarged()
    {
        // EXIF orientation 6 on a stored landscape: the thumbnail is portrait.
        QFile in(photo("wide.jpg"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray jpeg = in.readAll();
        const QByteArray tiff("II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0", 26);
        const QByteArray app1 = QByteArray("Exif\0\0", 6) + tiff;
        jpeg.insert(2, QByteArray("\xFF\xE1\0", 3) + char(app1.size() + 2) + app1);
        QFile out(photo("rotated.jpg"));
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(jpeg) == jpeg.size());
        out.close();

        CountingDecoder decoder;
        ThumbnailCache cache(decoder, m_cache.filePath("upright"));
        QCOMPARE(imageSize(*cache.thumbnail(photo("rotated.jpg"), "rot", 300)), QSize(200, 300));
        QCOMPARE(imageSize(*cache.thumbnail(photo("small.jpg"), "small", 256)), QSize(100, 80));
    }

    void failuresAreReportedAndNotCached()
    {
        CountingDecoder decoder;
        ThumbnailCache cache(decoder, m_cache.filePath("fail"));
        QFile junk(photo("junk.jpg"));
        QVERIFY(junk.open(QIODevice::WriteOnly) && junk.write("not a jpeg") > 0);
        junk.close();
        auto result = cache.thumbnail(photo("junk.jpg"), "junk", 256);
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("junk.jpg")), qPrintable(result.error()));
        QVERIFY(!QFile::exists(cache.pathFor("junk", 256)));
        QVERIFY(!cache.thumbnail(photo("junk.jpg"), "junk", 256));
        QCOMPARE(decoder.decodes.load(), 2);
        QVERIFY(!cache.thumbnail(photo("wide.jpg"), QString(), 256));
    }

    void oddKeysStayInsideTheFolder()
    {
        CountingDecoder decoder;
        ThumbnailCache cache(decoder, m_cache.filePath("odd"));
        const auto result = cache.thumbnail(photo("wide.jpg"), "../../etc/passwd", 64);
        QVERIFY(result);
        QVERIFY(QFileInfo(*result).canonicalFilePath().startsWith(QDir(m_cache.filePath("odd")).canonicalPath()));
        QCOMPARE(imageSize(*result), QSize(64, 43));
    }

    void concurrentCallsDecodeOnce()
    {
        CountingDecoder decoder;
        decoder.delayMs = 100;
        ThumbnailCache cache(decoder, m_cache.filePath("threads"));
        constexpr int kThreads = 8;
        std::vector<QString> paths(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                const auto r = cache.thumbnail(photo("wide.jpg"), "shared", 128);
                paths[std::size_t(i)] = r ? *r : QString();
            });
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(decoder.decodes.load(), 1);
        for (const QString &p : paths)
            QCOMPARE(p, paths[0]);
        QCOMPARE(imageSize(paths[0]), QSize(128, 85));
        // Only finished thumbnails are left: no temporary files.
        QDirIterator it(m_cache.filePath("threads"), QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QVERIFY2(it.next().endsWith(QLatin1String(".jpg")), qPrintable(it.filePath()));
            ++files;
        }
        QCOMPARE(files, 1);
    }
};

QTEST_GUILESS_MAIN(TestThumbnailCache)
#include "tst_thumbnailcache.moc"
