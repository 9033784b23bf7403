// The text rules inside metadata (dates, XMP GPS, keywords, sidecars), without Exiv2.

#include "metadatatext.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace clade;
using namespace clade::metadatatext;

class TestMetadataText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseDateTime_data();
    void parseDateTime();
    void xmpCoordinate_data();
    void xmpCoordinate();
    void signedDegreesRejectsOutOfRange();
    void decodeText_data();
    void decodeText();
    void appendKeywordsDeduplicates();
    void findSidecar();
    void mergeSidecarFillsOnlyGaps();

private:
    static bool touch(const QString &path);
};

void TestMetadataText::parseDateTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("subSeconds");
    QTest::addColumn<QString>("offset");
    QTest::addColumn<QString>("expected");   // ISO with ms; empty = invalid
    QTest::addColumn<int>("spec");           // Qt::TimeSpec when valid

    QTest::newRow("exif") << "2003:03:10 17:45:21"
                          << ""
                          << ""
                          << "2003-03-10T17:45:21.000" << int(Qt::LocalTime);
    QTest::newRow("exif subsec+offset") << "2023:10:31 11:44:43"
                                        << "432"
                                        << "+01:00"
                                        << "2023-10-31T11:44:43.432+01:00" << int(Qt::OffsetFromUTC);
    QTest::newRow("exif one subsec digit") << "2023:10:31 11:44:43"
                                           << "4"
                                           << ""
                                           << "2023-10-31T11:44:43.400" << int(Qt::LocalTime);
    QTest::newRow("exif negative offset") << "2020:01:02 03:04:05"
                                          << ""
                                          << "-05:30"
                                          << "2020-01-02T03:04:05.000-05:30" << int(Qt::OffsetFromUTC);
    QTest::newRow("bad offset ignored") << "2020:01:02 03:04:05"
                                        << ""
                                        << "+99:00"
                                        << "2020-01-02T03:04:05.000" << int(Qt::LocalTime);
    QTest::newRow("xmp offset") << "2005-09-07T15:07:40-07:00"
                                << ""
                                << ""
                                << "2005-09-07T15:07:40.000-07:00" << int(Qt::OffsetFromUTC);
    QTest::newRow("xmp fraction") << "2015-06-11T10:29:26.69"
                                  << ""
                                  << ""
                                  << "2015-06-11T10:29:26.690" << int(Qt::LocalTime);
    QTest::newRow("xmp Z") << "2005-12-17T22:03:32Z"
                           << ""
                           << ""
                           << "2005-12-17T22:03:32.000+00:00" << int(Qt::UTC);
    QTest::newRow("xmp minutes only") << "2007-11-19T00:00-08:00"
                                      << ""
                                      << ""
                                      << "2007-11-19T00:00:00.000-08:00" << int(Qt::OffsetFromUTC);
    QTest::newRow("text offset wins") << "2009-06-03T17:02:22+02:00"
                                      << ""
                                      << "-05:00"
                                      << "2009-06-03T17:02:22.000+02:00" << int(Qt::OffsetFromUTC);
    QTest::newRow("text fraction wins") << "2015-06-11T10:29:26.69"
                                        << "123"
                                        << ""
                                        << "2015-06-11T10:29:26.690" << int(Qt::LocalTime);
    QTest::newRow("date only") << "2003-08-31"
                               << ""
                               << ""
                               << "2003-08-31T00:00:00.000" << int(Qt::LocalTime);
    QTest::newRow("zero date") << "0000:00:00 00:00:00"
                               << ""
                               << ""
                               << "" << 0;
    QTest::newRow("blank date") << "    :  :     :  :  "
                                << ""
                                << ""
                                << "" << 0;
    QTest::newRow("empty") << ""
                           << ""
                           << ""
                           << "" << 0;
    QTest::newRow("year only") << "2003"
                               << ""
                               << ""
                               << "" << 0;
    QTest::newRow("30 February") << "2003:02:30 10:00:00"
                                 << ""
                                 << ""
                                 << "" << 0;
    QTest::newRow("hour 25") << "2003:03:10 25:00:00"
                             << ""
                             << ""
                             << "" << 0;
    QTest::newRow("impossible GPS-style") << "1999:99:99 99:99:99"
                                          << ""
                                          << ""
                                          << "" << 0;
    QTest::newRow("words") << "last tuesday"
                           << ""
                           << ""
                           << "" << 0;
}

void TestMetadataText::parseDateTime()
{
    QFETCH(QString, text);
    QFETCH(QString, subSeconds);
    QFETCH(QString, offset);
    QFETCH(QString, expected);
    QFETCH(int, spec);
    const QDateTime parsed = metadatatext::parseDateTime(text, subSeconds, offset);
    if (expected.isEmpty()) {
        QVERIFY2(!parsed.isValid(), qPrintable(parsed.toString(Qt::ISODateWithMs)));
        return;
    }
    QVERIFY(parsed.isValid());
    QCOMPARE(int(parsed.timeSpec()), spec);
    QString iso = parsed.toString(Qt::ISODateWithMs);
    if (iso.endsWith(QLatin1Char('Z'))) {   // Qt turns a zero offset into UTC and writes Z
        iso.chop(1);
        iso += QStringLiteral("+00:00");
    }
    QCOMPARE(iso, expected);
}

void TestMetadataText::xmpCoordinate_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("degrees");
    QTest::newRow("decimal minutes N") << "43,28.0469N" << true << 43 + 28.0469 / 60;
    QTest::newRow("decimal minutes S") << "38,24.31168800S" << true << -(38 + 24.311688 / 60);
    QTest::newRow("seconds W") << "116,51,18W" << true << -(116 + 51 / 60.0 + 18 / 3600.0);
    QTest::newRow("lower-case ref") << "10,30e" << true << 10.5;
    QTest::newRow("latitude over 90") << "91,0N" << false << 0.0;
    QTest::newRow("longitude over 180") << "181,0E" << false << 0.0;
    QTest::newRow("no ref") << "43,28.0469" << false << 0.0;
    QTest::newRow("decimal degrees") << "43.5" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
}

void TestMetadataText::xmpCoordinate()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(double, degrees);
    const auto parsed = parseXmpCoordinate(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QVERIFY2(std::abs(*parsed - degrees) < 1e-9, qPrintable(QString::number(*parsed, 'f', 9)));
}

void TestMetadataText::signedDegreesRejectsOutOfRange()
{
    QVERIFY(std::abs(*signedDegrees(43, 28, 2.814, QStringLiteral("N"), 90) - 43.467448333) < 1e-8);
    QVERIFY(*signedDegrees(1, 54.85, 0, QStringLiteral("W"), 180) < 0);
    QVERIFY(*signedDegrees(1, 54.85, 0, QString(), 180) > 0);
    QVERIFY(!signedDegrees(90, 30, 0, QStringLiteral("N"), 90));
    QVERIFY(!signedDegrees(-5, 0, 0, QStringLiteral("N"), 90));
    QVERIFY(!signedDegrees(std::nan(""), 0, 0, QStringLiteral("N"), 90));
}

void TestMetadataText::decodeText_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("utf8") << QByteArray("Cr\xc3\xa9mieux") << QStringLiteral("Cr\u00e9mieux");
    QTest::newRow("latin1") << QByteArray("Cr\xe9mieux") << QStringLiteral("Cr\u00e9mieux");
    QTest::newRow("nul padding") << QByteArray("Canon\0\0\0garbage", 16) << QStringLiteral("Canon");
    QTest::newRow("spaces") << QByteArray("  NIKON D70   ") << QStringLiteral("NIKON D70");
    QTest::newRow("only nul") << QByteArray("\0\0", 2) << QString();
}

void TestMetadataText::decodeText()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(metadatatext::decodeText(bytes), expected);
}

void TestMetadataText::appendKeywordsDeduplicates()
{
    QStringList keywords = {QStringLiteral("Dog")};
    appendKeywords(keywords, {QStringLiteral("dog"), QStringLiteral(" cat "), QString(), QStringLiteral("Cat"), QStringLiteral("bird")});
    QCOMPARE(keywords, (QStringList{QStringLiteral("Dog"), QStringLiteral("cat"), QStringLiteral("bird")}));
}

bool TestMetadataText::touch(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write("x") == 1;
}

void TestMetadataText::findSidecar()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString photo = dir.filePath(QStringLiteral("photo.jpg"));
    QVERIFY(touch(photo));
    QCOMPARE(metadatatext::findSidecar(photo), QString());

    QVERIFY(touch(dir.filePath(QStringLiteral("photo.xmp"))));
    QCOMPARE(metadatatext::findSidecar(photo), dir.filePath(QStringLiteral("photo.xmp")));
    // darktable's photo.ext.xmp names exactly one photo, so it wins over photo.xmp.
    QVERIFY(touch(dir.filePath(QStringLiteral("photo.jpg.xmp"))));
    QCOMPARE(metadatatext::findSidecar(photo), dir.filePath(QStringLiteral("photo.jpg.xmp")));
    QCOMPARE(metadatatext::findSidecar(dir.filePath(QStringLiteral("photo.xmp"))), QString());

    const QString raw = dir.filePath(QStringLiteral("IMG_1.CR2"));
    QVERIFY(touch(raw));
    QVERIFY(touch(dir.filePath(QStringLiteral("IMG_1.XMP"))));
    QCOMPARE(metadatatext::findSidecar(raw), dir.filePath(QStringLiteral("IMG_1.XMP")));

    // A folder named like a sidecar is not one.
    const QString other = dir.filePath(QStringLiteral("other.jpg"));
    QVERIFY(touch(other));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("other.xmp")));
    QCOMPARE(metadatatext::findSidecar(other), QString());
}

void TestMetadataText::mergeSidecarFillsOnlyGaps()
{
    PhotoMetadata sidecar;
    sidecar.takenAt = QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5), Qt::LocalTime);
    sidecar.latitude = 10.0;
    sidecar.longitude = 20.0;
    sidecar.altitude = 30.0;
    sidecar.keywords = {QStringLiteral("beach"), QStringLiteral("Sun")};

    PhotoMetadata empty;
    empty.keywords = {QStringLiteral("sun")};
    mergeSidecar(empty, sidecar);
    QCOMPARE(empty.takenAt, sidecar.takenAt);
    QCOMPARE(empty.latitude, sidecar.latitude);
    QCOMPARE(empty.altitude, sidecar.altitude);
    QCOMPARE(empty.keywords, (QStringList{QStringLiteral("sun"), QStringLiteral("beach")}));

    PhotoMetadata full;
    full.takenAt = QDateTime(QDate(1999, 9, 9), QTime(9, 9, 9), QTimeZone(3600));
    full.latitude = -1.0;
    full.longitude = -2.0;
    mergeSidecar(full, sidecar);
    QCOMPARE(full.takenAt, QDateTime(QDate(1999, 9, 9), QTime(9, 9, 9), QTimeZone(3600)));
    QCOMPARE(full.latitude, std::optional<double>(-1.0));
    QCOMPARE(full.longitude, std::optional<double>(-2.0));
    QVERIFY(!full.altitude);
    QCOMPARE(full.keywords, sidecar.keywords);
}

QTEST_GUILESS_MAIN(TestMetadataText)
#include "tst_metadatatext.moc"
