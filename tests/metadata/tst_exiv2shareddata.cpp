// Exiv2MetadataReader against real files in ../shared/data/metadata. Every expected value comes
// from that folder's README table or from `exiv2 -pa` / `exiv2 -pv` / `exiv2 -pp` (Exiv2 0.27.6)
// on the same file; the rationals are written out so the derivation can be checked.

#include "exiv2metadatareader.h"
#include "media/decoder.h"
#include "testsupport.h"

#include <QFile>
#include <QImageReader>
#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace clade;

namespace {

template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toUtf8();
}

bool near(const std::optional<double> &value, double expected, double tolerance = 1e-6)
{
    return value && std::abs(*value - expected) < tolerance;
}

QString file(const char *name)
{
    return clade::test::sharedData(QStringLiteral("metadata/") + QString::fromUtf8(name));
}

}   // namespace

class TestExiv2SharedData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dateTimeOriginalWins();
    void subSecondsAndOffset();
    void sidecarFileKeepsXmpOffset();
    void missingDateIsInvalid_data();
    void missingDateIsInvalid();
    void gpsSignedDegrees_data();
    void gpsSignedDegrees();
    void implausibleAltitudeIsDropped();
    void orientation_data();
    void orientation();
    void keywordsFromIptc_data();
    void keywordsFromIptc();
    void sidecarBesideRealPhoto();
    void camera();
    void lens_data();
    void lens();
    void pixelSizeIsTheFilesOwn();
    void rawPreviewIsJpeg();
    void dngPreviewIsTiff();
    void noPreviewIsAnError();
    void unreadableFilesAreErrors_data();
    void unreadableFilesAreErrors();

private:
    Exiv2MetadataReader m_reader;
    PhotoMetadata readOk(const QString &path);
};

void TestExiv2SharedData::initTestCase()
{
    CLADE_REQUIRE_SHARED("metadata");
}

PhotoMetadata TestExiv2SharedData::readOk(const QString &path)
{
    if (path.isEmpty()) {
        qWarning("shared data file missing");
        return {};
    }
    auto metadata = m_reader.read(path);
    if (!metadata.ok()) {
        qWarning("%s", why(metadata).constData());
        return {};
    }
    return *metadata;
}

void TestExiv2SharedData::dateTimeOriginalWins()
{
    // README: DateTimeOriginal 2003-03-10 17:45:21, DateTimeDigitized 2003-03-20 11:18:21,
    // Image.DateTime, XMP and IPTC dates 2003-03-25 02:02:21.
    const auto m = readOk(file("gwenview_date_exif-datetimeoriginal.jpg"));
    QCOMPARE(m.takenAt, QDateTime(QDate(2003, 3, 10), QTime(17, 45, 21), Qt::LocalTime));
    // Only ModifyDate, DateTimeOriginal and CreateDate, all 2003-03-25 02:02:21.
    const auto only = readOk(file("gwenview_date_exif-datetime-only.jpg"));
    QCOMPARE(only.takenAt, QDateTime(QDate(2003, 3, 25), QTime(2, 2, 21), Qt::LocalTime));
}

void TestExiv2SharedData::subSecondsAndOffset()
{
    // exiv2 -pa: DateTimeOriginal 2023:10:31 11:44:43, SubSecTimeOriginal 432,
    // OffsetTimeOriginal +01:00.
    const auto m = readOk(file("photoprism_iphone_15_pro.heic"));
    QCOMPARE(m.takenAt, QDateTime(QDate(2023, 10, 31), QTime(11, 44, 43, 432), Qt::OffsetFromUTC, 3600));
    QCOMPARE(m.takenAt.offsetFromUtc(), 3600);
}

void TestExiv2SharedData::sidecarFileKeepsXmpOffset()
{
    // README: 2005:09:07 15:07:40-07:00 (xmp:CreateDate). Exiv2 also derives an Exif
    // DateTimeDigitized 2005:09:07 22:07:40 (UTC, no offset) from it, which must not win.
    const auto m = readOk(file("exiv2_BlueSquare.xmp"));
    QCOMPARE(m.takenAt, QDateTime(QDate(2005, 9, 7), QTime(15, 7, 40), Qt::OffsetFromUTC, -7 * 3600));
    QCOMPARE(m.takenAt.offsetFromUtc(), -7 * 3600);
}

void TestExiv2SharedData::missingDateIsInvalid_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("gps-2000, no capture date") << file("photoprism_gps-2000.jpg");
    QTest::newRow("no EXIF at all") << file("exifr_noexif.jpg");
    QTest::newRow("orientation only") << file("recurser_Landscape_3.jpg");
}

void TestExiv2SharedData::missingDateIsInvalid()
{
    QFETCH(QString, path);
    QVERIFY(!path.isEmpty());
    const auto metadata = m_reader.read(path);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QVERIFY2(!metadata->takenAt.isValid(), qPrintable(metadata->takenAt.toString(Qt::ISODate)));
}

void TestExiv2SharedData::gpsSignedDegrees_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<double>("latitude");
    QTest::addColumn<double>("longitude");
    QTest::addColumn<double>("altitude");   // NaN = none
    const double none = std::nan("");
    // exiv2 -pv: N 43/1 28/1 281400000/100000000, E 11/1 53/1 645599999/100000000, no altitude.
    QTest::newRow("DSCN0010") << file("exifpy_jpg_gps_DSCN0010.jpg") << 43 + 28 / 60.0 + 2.814 / 3600 << 11 + 53 / 60.0 + 6.45599999 / 3600
                              << none;
    // S 38/1 24311687/1000000 0/1, E 144/1 11337480/1000000 0/1 (decimal minutes).
    QTest::newRow("gps-2000 south") << file("photoprism_gps-2000.jpg") << -(38 + 24.311687 / 60) << 144 + 11.33748 / 60 << none;
    // N 54/1 5938/100 0/1, W 1/1 5485/100 0/1.
    QTest::newRow("exiftool west") << file("exiftool_GPS.jpg") << 54 + 59.38 / 60 << -(1 + 54.85 / 60) << none;
    // N 36/1 26/1 54/1, W 116/1 51/1 18/1, altitude 1428/100 with ref 1 (below sea level).
    QTest::newRow("Furnace Creek below sea level")
        << file("exiv2_FurnaceCreekInn.jpg") << 36 + 26 / 60.0 + 54 / 3600.0 << -(116 + 51 / 60.0 + 18 / 3600.0) << -14.28;
    // DNG: N 34/1 3/1 3459/100, W 84/1 40/1 5421/100, altitude 584155/2238 ref 0.
    QTest::newRow("iPhone DNG") << file("exiv2_IMG_1361.dng") << 34 + 3 / 60.0 + 34.59 / 3600 << -(84 + 40 / 60.0 + 54.21 / 3600)
                                << 584155 / 2238.0;
}

void TestExiv2SharedData::gpsSignedDegrees()
{
    QFETCH(QString, path);
    QFETCH(double, latitude);
    QFETCH(double, longitude);
    QFETCH(double, altitude);
    QVERIFY(!path.isEmpty());
    const auto metadata = m_reader.read(path);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QVERIFY2(near(metadata->latitude, latitude), qPrintable(QString::number(metadata->latitude.value_or(999), 'f', 8)));
    QVERIFY2(near(metadata->longitude, longitude), qPrintable(QString::number(metadata->longitude.value_or(999), 'f', 8)));
    if (std::isnan(altitude))
        QVERIFY(!metadata->altitude);
    else
        QVERIFY2(near(metadata->altitude, altitude, 1e-6), qPrintable(QString::number(metadata->altitude.value_or(-1))));
}

void TestExiv2SharedData::implausibleAltitudeIsDropped()
{
    // README: GPSAltitude 4294967284/1 (a negative number written as unsigned 32-bit);
    // exiv2 -pv: N 45/1 45/1 102584/10000, E 33/1 13/1 191180/10000.
    const auto m = readOk(file("photoprism_altitude.jpg"));
    QVERIFY(near(m.latitude, 45 + 45 / 60.0 + 10.2584 / 3600));
    QVERIFY(near(m.longitude, 33 + 13 / 60.0 + 19.118 / 3600));
    QVERIFY(!m.altitude);
}

void TestExiv2SharedData::orientation_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("expected");
    // The digit in each name is the stored Orientation (README); 0 is an invalid stored value.
    for (int i = 0; i <= 8; ++i) {
        QTest::addRow("Landscape_%d", i) << clade::test::sharedData(QStringLiteral("metadata/recurser_Landscape_%1.jpg").arg(i)) << i;
        QTest::addRow("Portrait_%d", i) << clade::test::sharedData(QStringLiteral("metadata/recurser_Portrait_%1.jpg").arg(i)) << i;
    }
    for (int i = 1; i <= 8; ++i)
        QTest::addRow("exifr f%dt", i) << clade::test::sharedData(QStringLiteral("metadata/exifr_orientation_f%1t.jpg").arg(i)) << i;
    for (int i = 2; i <= 8; ++i)
        QTest::addRow("webp %d", i) << clade::test::sharedData(QStringLiteral("metadata/pillow_hopper_orientation_%1.webp").arg(i)) << i;
    // Orientation 3 only in XMP (tiff:Orientation), no EXIF.
    QTest::newRow("XMP-only png") << file("pillow_xmp_tags_orientation.png") << 3;
    QTest::newRow("XMP-only avif") << file("pillow_avif_xmp_tags_orientation.avif") << 3;
    QTest::newRow("digiKam writes 0") << file("photoprism_digikam.jpg") << 0;
    QTest::newRow("png eXIf 6") << file("photoprism_rotate_6.png") << 6;
    QTest::newRow("no tag") << file("exifr_noexif.jpg") << 0;
}

void TestExiv2SharedData::orientation()
{
    QFETCH(QString, path);
    QFETCH(int, expected);
    QVERIFY(!path.isEmpty());
    const auto metadata = m_reader.read(path);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->orientation, expected);
}

void TestExiv2SharedData::keywordsFromIptc_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("expected");
    // exiv2 -pi: Iptc.Application2.Keywords in file order; neither file has XMP.
    QTest::newRow("pillow iptc") << file("pillow_iptc.jpg")
                                 << QStringList{"HvK", "2006", "summer", "July", "holiday", "Hungary", "Budapest"};
    QTest::newRow("exiftool IPTC") << file("exiftool_IPTC.jpg") << QStringList{"ExifTool", "Test", "IPTC"};
}

void TestExiv2SharedData::keywordsFromIptc()
{
    QFETCH(QString, path);
    QFETCH(QStringList, expected);
    QVERIFY(!path.isEmpty());
    const auto metadata = m_reader.read(path);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->keywords, expected);
}

// photoprism_photoshop.jpg has "desk, coffee, compuer" in both XMP and IPTC; its sidecar
// photoprism_photoshop.xmp has "desk, coffee, computer". Copies keep the names paired.
void TestExiv2SharedData::sidecarBesideRealPhoto()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photo = dir.filePath(QStringLiteral("photoshop.jpg"));
    QVERIFY(QFile::copy(file("photoprism_photoshop.jpg"), photo));
    const auto alone = readOk(photo);
    QCOMPARE(alone.keywords, (QStringList{"desk", "coffee", "compuer"}));

    QVERIFY(QFile::copy(file("photoprism_photoshop.xmp"), dir.filePath(QStringLiteral("photoshop.xmp"))));
    const auto merged = readOk(photo);
    QCOMPARE(merged.keywords, (QStringList{"desk", "coffee", "compuer", "computer"}));
    QCOMPARE(merged.takenAt, alone.takenAt);   // the photo has its own date
    QVERIFY(merged.takenAt.isValid());
}

void TestExiv2SharedData::camera()
{
    // exiv2 -pa: Make "Canon", Model "Canon EOS 40D"; Make "NIKON CORPORATION", Model "NIKON D70".
    const auto canon = readOk(file("exifpy_jpg_Canon_40D.jpg"));
    QCOMPARE(canon.cameraMake, QStringLiteral("Canon"));
    QCOMPARE(canon.cameraModel, QStringLiteral("Canon EOS 40D"));
    QCOMPARE(canon.camera(), QStringLiteral("Canon EOS 40D"));
    const auto nikon = readOk(file("exifpy_jpg_Nikon_D70.jpg"));
    QCOMPARE(nikon.cameraMake, QStringLiteral("NIKON CORPORATION"));
    QCOMPARE(nikon.camera(), QStringLiteral("NIKON D70"));
    // README: "Apple iPhone 15 Pro" in a HEIC (BMFF support must be on).
    QCOMPARE(readOk(file("photoprism_iphone_15_pro.heic")).camera(), QStringLiteral("Apple iPhone 15 Pro"));
}

void TestExiv2SharedData::lens_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    // exiv2 -pa: Exif.Photo.LensModel.
    QTest::newRow("LensModel") << file("exifr_canon-dslr.jpg") << "EF-S18-55mm f/3.5-5.6 III";
    QTest::newRow("LensModel HEIC") << file("photoprism_iphone_15_pro.heic") << "iPhone 15 Pro back triple camera 2.22mm f/2.2";
    // No LensModel; exiv2 -pa prints Exif.NikonLd2.LensIDNumber as this name.
    QTest::newRow("Nikon maker note") << file("exiftool_Nikon.nef") << "Nikon AF-S DX Zoom-Nikkor 18-70mm f/3.5-4.5G IF-ED";
    QTest::newRow("none") << file("exifpy_jpg_Canon_40D_photoshop_import.jpg") << "";
}

void TestExiv2SharedData::lens()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QVERIFY(!path.isEmpty());
    const auto metadata = m_reader.read(path);
    QVERIFY2(metadata.ok(), why(metadata).constData());
    QCOMPARE(metadata->lens, expected);
}

void TestExiv2SharedData::pixelSizeIsTheFilesOwn()
{
    // README: JPEG 150x91 (a downscale); exiv2 -pa still says PixelXDimension 3504.
    const auto small = readOk(file("exiv2_exiv2-canon-eos-20d.jpg"));
    QCOMPARE(small.pixelWidth, 150);
    QCOMPARE(small.pixelHeight, 91);
    // README: 5184x3456. recurser_Landscape_6 is stored 1200x1800 (ImageMagick) and shows as
    // 1800x1200 once rotated (OpenCV); pixel size is the stored one.
    const auto big = readOk(file("exifr_canon-dslr.jpg"));
    QCOMPARE(big.pixelWidth, 5184);
    QCOMPARE(big.pixelHeight, 3456);
    const auto rotated = readOk(file("recurser_Landscape_6.jpg"));
    QCOMPARE(rotated.pixelWidth, 1200);
    QCOMPARE(rotated.pixelHeight, 1800);
}

void TestExiv2SharedData::rawPreviewIsJpeg()
{
    // exiv2 -pp: Preview 2: image/jpeg, 1620x1080 pixels, 389450 bytes (the largest).
    const QString cr3 = file("exiv2_Canon-R6-pruned.CR3");
    QVERIFY(!cr3.isEmpty());
    const auto preview = m_reader.largestPreview(cr3);
    QVERIFY2(preview.ok(), why(preview).constData());
    QCOMPARE(preview->size(), std::size_t(389450));
    const QByteArray bytes(reinterpret_cast<const char *>(preview->data()), qsizetype(preview->size()));
    QCOMPARE(sniffImageFormat(bytes.left(64)), QStringLiteral("jpeg"));
    QBuffer buffer;
    buffer.setData(bytes);
    QImageReader reader(&buffer, "jpeg");
    QCOMPARE(reader.size(), QSize(1620, 1080));
}

void TestExiv2SharedData::dngPreviewIsTiff()
{
    // exiv2 -pp: Preview 2: image/tiff, 1024x683 pixels, 58162 bytes (Exiv2 wraps DNG previews
    // as TIFF); none of the DNG/NEF/CR2 files here carries a JPEG preview for Exiv2 0.27.
    const auto preview = m_reader.largestPreview(file("photoprism_canon_eos_6d.dng"));
    QVERIFY2(preview.ok(), why(preview).constData());
    QCOMPARE(preview->size(), std::size_t(58162));
    const QByteArray head(reinterpret_cast<const char *>(preview->data()), 64);
    QCOMPARE(sniffImageFormat(head), QStringLiteral("tiff"));
}

void TestExiv2SharedData::noPreviewIsAnError()
{
    // exiv2 -pp lists no preview for this 8 KB ARW (image data stripped).
    const QString arw = file("exifpy_raw_sony_alpha_a7iii_raw_image.ARW");
    const auto preview = m_reader.largestPreview(arw);
    QVERIFY(!preview.ok());
    QVERIFY2(preview.error().contains(arw), qPrintable(preview.error()));
    QVERIFY(m_reader.read(arw).ok());
}

void TestExiv2SharedData::unreadableFilesAreErrors_data()
{
    QTest::addColumn<QString>("path");
    // README: Exiv2 0.27.6 throws 'corrupted image metadata' on the trimmed CR3 stub and
    // 'unknown image type' on X3F; the GPX track is not an image.
    QTest::newRow("CR3 stub") << file("exiftool_CanonRaw.cr3");
    QTest::newRow("X3F") << file("exiftool_Sigma.x3f");
    QTest::newRow("GPX") << file("exiv2_FurnaceCreekInn.gpx");
}

void TestExiv2SharedData::unreadableFilesAreErrors()
{
    QFETCH(QString, path);
    QVERIFY(!path.isEmpty());
    const auto metadata = m_reader.read(path);
    QVERIFY(!metadata.ok());
    QVERIFY2(metadata.error().contains(path), qPrintable(metadata.error()));
    QVERIFY(!m_reader.largestPreview(path).ok());
}

QTEST_GUILESS_MAIN(TestExiv2SharedData)
#include "tst_exiv2shareddata.moc"
