// Exiv2MetadataReader on files the test writes itself: plain JPEGs, JPEGs with an XMP packet,
// XMP sidecars, bad input, and concurrent reads. Needs no shared data.

#include "exiv2metadatareader.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <ctime>
#include <thread>

using namespace clade;

namespace {

struct XmpFields
{
    QString orientation;
    QString dateTimeOriginal;
    QString latitude;
    QString longitude;
    QStringList subjects;
    QString customNamespace;
    QString createDate;   // xmp:CreateDate   // an Exiv2-unknown namespace, registered while parsing
};

QByteArray xmpPacket(const XmpFields &f)
{
    QByteArray attributes;
    const auto attribute = [&](const char *name, const QString &value) {
        if (!value.isEmpty())
            attributes += QByteArray("\n    ") + name + "=\"" + value.toUtf8() + "\"";
    };
    attribute("tiff:Orientation", f.orientation);
    attribute("exif:DateTimeOriginal", f.dateTimeOriginal);
    attribute("exif:GPSLatitude", f.latitude);
    attribute("exif:GPSLongitude", f.longitude);
    attribute("xmp:CreateDate", f.createDate);
    QByteArray custom;
    if (!f.customNamespace.isEmpty()) {
        custom = "\n    xmlns:" + f.customNamespace.toUtf8() + "=\"http://example.org/clade-test/" + f.customNamespace.toUtf8() + "/\"";
        attributes += "\n    " + f.customNamespace.toUtf8() + ":Marker=\"1\"";
    }
    QByteArray bag;
    for (const QString &s : f.subjects)
        bag += "<rdf:li>" + s.toUtf8() + "</rdf:li>";
    return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
           "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
           " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
           "  <rdf:Description rdf:about=\"\"\n"
           "    xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"\n"
           "    xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n"
           "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
           "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
           + custom + attributes + ">\n" + (bag.isEmpty() ? QByteArray() : "   <dc:subject><rdf:Bag>" + bag + "</rdf:Bag></dc:subject>\n")
           + "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A real JPEG from Qt with an XMP APP1 segment put right after SOI, as cameras and editors do.
bool writeJpegWithXmp(const QString &path, const QByteArray &packet, int width = 64, int height = 48)
{
    if (!clade::test::writeJpeg(path, width, height, QColor(40, 120, 200)))
        return false;
    const QByteArray jpeg = readFile(path);
    const QByteArray payload = QByteArray("http://ns.adobe.com/xap/1.0/", 29) + packet;
    const int length = payload.size() + 2;
    if (!jpeg.startsWith("\xFF\xD8") || length > 0xFFFF)
        return false;
    QByteArray segment("\xFF\xE1", 2);
    segment += char(length >> 8);
    segment += char(length & 0xFF);
    return writeFile(path, jpeg.left(2) + segment + payload + jpeg.mid(2));
}

// The error of a failed Result, for QVERIFY2 messages (which are evaluated either way).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toUtf8();
}

const XmpFields kFields = {QStringLiteral("6"),
                           QStringLiteral("2020-05-06T07:08:09+02:00"),
                           QStringLiteral("43,28.0469N"),
                           QStringLiteral("11,53.1076W"),
                           {QStringLiteral("alpha"), QStringLiteral("beta")},
                           QString(),
                           QString()};

}   // namespace

class TestExiv2MetadataReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void missingFileIsAnError();
    void directoryIsAnError();
    void notAnImageIsAnError();
    void plainJpegHasNoMetadata();
    void urlLikeRelativeNameIsALocalFile();
    void xmpInsideJpeg();
    void sidecarFillsGaps();
    void sidecarNamedWithExtension();
    void photoDateBeatsSidecar();
    void brokenSidecarIsIgnored();
    void concurrentReadsAgree();

private:
    QTemporaryDir m_dir;
    Exiv2MetadataReader m_reader;
    QString path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }
};

void TestExiv2MetadataReader::initTestCase()
{
    // Away from UTC, so that a time read in the wrong zone cannot pass by coincidence.
    qputenv("TZ", "America/New_York");
    tzset();
}

void TestExiv2MetadataReader::init()
{
    QVERIFY(m_dir.isValid());
}

void TestExiv2MetadataReader::missingFileIsAnError()
{
    const QString missing = path("missing.jpg");
    const auto metadata = m_reader.read(missing);
    QVERIFY(!metadata.ok());
    QVERIFY2(metadata.error().contains(missing), qPrintable(metadata.error()));
    const auto preview = m_reader.largestPreview(missing);
    QVERIFY(!preview.ok());
    QVERIFY(preview.error().contains(missing));
}

void TestExiv2MetadataReader::directoryIsAnError()
{
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("folder.jpg")));
    const auto metadata = m_reader.read(path("folder.jpg"));
    QVERIFY(!metadata.ok());
    QVERIFY(metadata.error().contains(path("folder.jpg")));
}

void TestExiv2MetadataReader::notAnImageIsAnError()
{
    const QString fake = path("fake.jpg");
    QVERIFY(writeFile(fake, "this is a text file, not a JPEG\n"));
    const auto metadata = m_reader.read(fake);
    QVERIFY(!metadata.ok());
    QVERIFY2(metadata.error().contains(fake), qPrintable(metadata.error()));
    QVERIFY(!m_reader.largestPreview(fake).ok());
}

void TestExiv2MetadataReader::plainJpegHasNoMetadata()
{
    const QString jpeg = path("fotó plain.jpg");   // non-ASCII name on purpose
    QVERIFY(clade::test::writeJpeg(jpeg, 200, 120, Qt::darkGreen));
    const auto metadata = m_reader.read(jpeg);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QVERIFY(!metadata->takenAt.isValid());
    QCOMPARE(metadata->orientation, 0);
    QCOMPARE(metadata->pixelWidth, 200);
    QCOMPARE(metadata->pixelHeight, 120);
    QVERIFY(!metadata->latitude && !metadata->longitude && !metadata->altitude);
    QVERIFY(metadata->keywords.isEmpty());
    QVERIFY(metadata->camera().isEmpty());
    const auto preview = m_reader.largestPreview(jpeg);
    QVERIFY(!preview.ok());
    QVERIFY2(preview.error().contains(jpeg), qPrintable(preview.error()));
}

// "http://x.jpg" is a valid relative path (folder "http:", empty segment, file); Exiv2 must
// read the local file, not go to the network.
void TestExiv2MetadataReader::urlLikeRelativeNameIsALocalFile()
{
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("http:")));
    QVERIFY(clade::test::writeJpeg(m_dir.filePath(QStringLiteral("http:/x.jpg")), 40, 30, Qt::gray));
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir.path()));
    const auto metadata = m_reader.read(QStringLiteral("http://x.jpg"));
    QVERIFY(QDir::setCurrent(previous));
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->pixelWidth, 40);
    QCOMPARE(metadata->pixelHeight, 30);
}

void TestExiv2MetadataReader::xmpInsideJpeg()
{
    const QString jpeg = path("xmp.jpg");
    QVERIFY(writeJpegWithXmp(jpeg, xmpPacket(kFields), 80, 40));
    const auto metadata = m_reader.read(jpeg);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->orientation, 6);
    QCOMPARE(metadata->keywords, kFields.subjects);
    QCOMPARE(metadata->takenAt, QDateTime(QDate(2020, 5, 6), QTime(7, 8, 9), Qt::OffsetFromUTC, 7200));
    QCOMPARE(metadata->takenAt.offsetFromUtc(), 7200);
    QVERIFY(metadata->latitude && std::abs(*metadata->latitude - (43 + 28.0469 / 60)) < 1e-9);
    QVERIFY(metadata->longitude && std::abs(*metadata->longitude + (11 + 53.1076 / 60)) < 1e-9);
    QCOMPARE(metadata->pixelWidth, 80);
    QCOMPARE(metadata->pixelHeight, 40);
}

void TestExiv2MetadataReader::sidecarFillsGaps()
{
    const QString jpeg = path("photo.jpg");
    const QString sidecar = path("photo.xmp");
    QVERIFY(clade::test::writeJpeg(jpeg, 64, 64, Qt::red));
    // Lightroom-style: the capture time as xmp:CreateDate only. Exiv2 also turns it into an
    // Exif DateTimeDigitized shifted to UTC without offset, which must not win.
    XmpFields fields = kFields;
    fields.dateTimeOriginal.clear();
    fields.createDate = QStringLiteral("2020-05-06T07:08:09+02:00");
    QVERIFY(writeFile(sidecar, xmpPacket(fields)));
    const QByteArray before = readFile(sidecar);
    const QDateTime modified = QFileInfo(sidecar).lastModified();
    const QStringList filesBefore = QDir(m_dir.path()).entryList(QDir::Files);

    const auto metadata = m_reader.read(jpeg);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->keywords, kFields.subjects);
    QCOMPARE(metadata->takenAt, QDateTime(QDate(2020, 5, 6), QTime(7, 8, 9), Qt::OffsetFromUTC, 7200));
    QCOMPARE(metadata->takenAt.offsetFromUtc(), 7200);
    QVERIFY(metadata->latitude && metadata->longitude && *metadata->longitude < 0);
    // Orientation belongs to the pixels of the file itself, not to the sidecar.
    QCOMPARE(metadata->orientation, 0);

    // Read only: the sidecar and the folder are untouched.
    QCOMPARE(readFile(sidecar), before);
    QCOMPARE(QFileInfo(sidecar).lastModified(), modified);
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), filesBefore);
}

void TestExiv2MetadataReader::sidecarNamedWithExtension()
{
    const QString jpeg = path("darktable.jpg");
    QVERIFY(clade::test::writeJpeg(jpeg, 32, 32, Qt::blue));
    XmpFields fields;
    fields.subjects = {QStringLiteral("from photo.jpg.xmp")};
    QVERIFY(writeFile(path("darktable.jpg.xmp"), xmpPacket(fields)));
    const auto metadata = m_reader.read(jpeg);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->keywords, fields.subjects);
}

void TestExiv2MetadataReader::photoDateBeatsSidecar()
{
    const QString jpeg = path("both.jpg");
    QVERIFY(writeJpegWithXmp(jpeg, xmpPacket(kFields)));
    XmpFields other;
    other.dateTimeOriginal = QStringLiteral("1999-12-31T23:59:58");
    other.latitude = QStringLiteral("10,0S");
    other.longitude = QStringLiteral("20,0E");
    other.subjects = {QStringLiteral("Beta"), QStringLiteral("gamma")};
    QVERIFY(writeFile(path("both.xmp"), xmpPacket(other)));
    const auto metadata = m_reader.read(jpeg);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->takenAt, QDateTime(QDate(2020, 5, 6), QTime(7, 8, 9), Qt::OffsetFromUTC, 7200));
    QVERIFY(metadata->latitude && *metadata->latitude > 43);
    QCOMPARE(metadata->keywords, (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
}

void TestExiv2MetadataReader::brokenSidecarIsIgnored()
{
    const QString jpeg = path("broken.jpg");
    QVERIFY(writeJpegWithXmp(jpeg, xmpPacket(kFields)));
    QVERIFY(writeFile(path("broken.xmp"), "<?xpacket begin=\"\"?><x:xmpmeta><rdf:RDF><unclosed"));
    const auto metadata = m_reader.read(jpeg);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->keywords, kFields.subjects);
    QCOMPARE(metadata->orientation, 6);
}

// Each file carries its own unknown XMP namespace, so several threads register namespaces with
// Exiv2's XMP toolkit at the same time: the case that needs the lock given to XmpParser.
void TestExiv2MetadataReader::concurrentReadsAgree()
{
    constexpr int files = 12;
    constexpr int threads = 4;
    QStringList paths;
    for (int i = 0; i < files; ++i) {
        XmpFields fields = kFields;
        fields.orientation = QString::number(1 + i % 8);
        fields.subjects = {QStringLiteral("file%1").arg(i), QStringLiteral("shared")};
        fields.customNamespace = QStringLiteral("cladeT%1").arg(i);
        paths << m_dir.filePath(QStringLiteral("mt%1.jpg").arg(i));
        QVERIFY(writeJpegWithXmp(paths.last(), xmpPacket(fields)));
    }
    std::vector<QStringList> problems(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int round = 0; round < 5; ++round) {
                for (int k = 0; k < files; ++k) {
                    const int i = (k + t * 3) % files;
                    const auto metadata = m_reader.read(paths[i]);
                    if (!metadata.ok())
                        problems[t] << metadata.error();
                    else if (metadata->orientation != 1 + i % 8 || metadata->keywords.value(0) != QStringLiteral("file%1").arg(i)
                             || !metadata->takenAt.isValid())
                        problems[t] << QStringLiteral("wrong values for %1").arg(paths[i]);
                }
            }
        });
    }
    for (auto &worker : workers)
        worker.join();
    for (const QStringList &p : problems)
        QVERIFY2(p.isEmpty(), qPrintable(p.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestExiv2MetadataReader)
#include "tst_exiv2metadatareader.moc"
