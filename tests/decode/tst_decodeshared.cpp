// OpenCvDecoder on the shared corpus: real camera orientations (recurser_*), and every broken,
// hostile or mislabelled file in ../shared/data/malformed.

#include "decodetestutil.h"
#include "opencv/imageheader.h"
#include "opencv/opencvdecoder.h"
#include "testsupport.h"

#include <QDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

using namespace clade;
using namespace clade::test;

class TestDecodeShared : public QObject
{
    Q_OBJECT

private:
    static QStringList imageFiles(const QString &folder)
    {
        QStringList files;
        const QDir dir(sharedData(folder));
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
            if (name != QLatin1String("README.md") && name != QLatin1String("MANIFEST.tsv"))
                files << dir.filePath(name);
        return files;
    }

    OpenCvDecoder m_decoder;

private Q_SLOTS:
    void cameraOrientationsComeOutUpright_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addColumn<int>("orientation");
        for (const QString &shape : {QStringLiteral("Landscape"), QStringLiteral("Portrait")})
            for (int o = 0; o <= 8; ++o)
                QTest::newRow(qPrintable(QStringLiteral("%1_%2").arg(shape).arg(o))) << shape << o;
    }
    void cameraOrientationsComeOutUpright()
    {
        CLADE_REQUIRE_SHARED("metadata/recurser_Landscape_1.jpg");
        QFETCH(QString, shape);
        QFETCH(int, orientation);
        const auto file = [&](int o) { return sharedData(QStringLiteral("metadata/recurser_%1_%2.jpg").arg(shape).arg(o)); };
        const auto reference = m_decoder.decode(file(1));
        QVERIFY(reference);
        QCOMPARE(reference->width > reference->height, shape == QLatin1String("Landscape"));
        const auto result = m_decoder.decode(file(orientation));   // 0 is an invalid value: as stored
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        const double diff = meanAbsDiff(*result, *reference);
        QVERIFY2(diff < 6.0, qPrintable(QStringLiteral("%1x%2 vs %3x%4, mean abs diff %5")
                                            .arg(result->width)
                                            .arg(result->height)
                                            .arg(reference->width)
                                            .arg(reference->height)
                                            .arg(diff)));
    }

    // Other writers and formats: every orientation decodes to the same upright picture.
    // (OpenCV 4.6 ignores EXIF in WebP, so those rows test the decoder's own EXIF reading.)
    void otherOrientationSetsAgree_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<int>("first");
        QTest::newRow("exifr tiny jpeg") << "metadata/exifr_orientation_f%1t.jpg" << 1;
        QTest::newRow("pillow webp") << "metadata/pillow_hopper_orientation_%1.webp" << 2;
    }
    void otherOrientationSetsAgree()
    {
        QFETCH(QString, pattern);
        QFETCH(int, first);
        CLADE_REQUIRE_SHARED("metadata");
        const auto reference = m_decoder.decode(sharedData(pattern.arg(first)));
        QVERIFY2(reference, reference ? "" : qPrintable(reference.error()));
        for (int o = first + 1; o <= 8; ++o) {
            const auto result = m_decoder.decode(sharedData(pattern.arg(o)));
            QVERIFY2(result, result ? "" : qPrintable(result.error()));
            const double diff = meanAbsDiff(*result, *reference);
            QVERIFY2(
                diff < 12.0,
                qPrintable(
                    QStringLiteral("orientation %1: %2x%3, mean abs diff %4").arg(o).arg(result->width).arg(result->height).arg(diff)));
        }
    }

    void everyMalformedFileEndsInAResult()
    {
        CLADE_REQUIRE_SHARED("malformed");
        const QStringList files = imageFiles(QStringLiteral("malformed"));
        QVERIFY(files.size() > 200);
        int decoded = 0, refused = 0;
        for (const QString &file : files) {
            const auto result = m_decoder.decode(file);
            if (result) {
                ++decoded;
                QVERIFY(!result->isNull());
                QCOMPARE(result->data.size(), std::size_t(result->width) * result->height * 3);
            } else {
                ++refused;
                QVERIFY(!result.error().isEmpty());
            }
        }
        qInfo("malformed: %d files, %d decoded, %d refused with an error", int(files.size()), decoded, refused);
        QCOMPARE(decoded + refused, int(files.size()));
        QVERIFY(decoded > 0);
        QVERIFY(refused > 0);
    }

    void decompressionBombsAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("gif canvas") << "pillow_decompression_bomb.gif";
        QTest::newRow("gif extents") << "pillow_decompression_bomb_extents.gif";
        QTest::newRow("bmp really big") << "pillow_bmp_b_reallybig.bmp";
        QTest::newRow("zero width gif") << "pillow_zero_width.gif";
        QTest::newRow("zero height j2k") << "pillow_zero_height.j2k";
    }
    void decompressionBombsAreRefused()
    {
        CLADE_REQUIRE_SHARED("malformed");
        QFETCH(QString, name);
        const auto result = m_decoder.decode(sharedData(QStringLiteral("malformed/") + name));
        QVERIFY(!result);
        qInfo("%s", qPrintable(result.error()));
    }

    void extremeAspectRatioDecodesOrIsLimited_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("jpeg") << "gwenview_1x10k.jpg";
        QTest::newRow("png") << "gwenview_1x10k.png";
    }
    void extremeAspectRatioDecodesOrIsLimited()
    {
        CLADE_REQUIRE_SHARED("malformed");
        QFETCH(QString, name);
        const QString file = sharedData(QStringLiteral("malformed/") + name);
        const auto result = m_decoder.decode(file);
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        QCOMPARE(result->width, 1);
        QCOMPARE(result->height, 10000);
        DecodeOptions small;
        small.maxPixels = 9999;
        const auto limited = m_decoder.decode(file, small);
        QVERIFY(!limited);
        QVERIFY(limited.error().contains(QLatin1String("limit")));
    }

    void wrongExtensionsDecodeByContent_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("decodable");
        QTest::newRow("jpeg as gif") << "gwenview_jpg-with-gif-extension.gif" << true;
        QTest::newRow("png as jpeg") << "gwenview_png-with-jpeg-extension.jpg" << true;
        QTest::newRow("jpeg as heic") << "photoprism_wrong.heic" << true;
        QTest::newRow("jpeg as png") << "photoprism_this-is-a-jpeg.png" << true;
        QTest::newRow("heif as jpeg") << "exifpy_heic_heic_hdlr_box.jpg" << false;
    }
    void wrongExtensionsDecodeByContent()
    {
        CLADE_REQUIRE_SHARED("malformed");
        QFETCH(QString, name);
        QFETCH(bool, decodable);
        const auto result = m_decoder.decode(sharedData(QStringLiteral("malformed/") + name));
        QVERIFY2(bool(result) == decodable, result ? "decoded" : qPrintable(result.error()));
        if (!decodable)
            QVERIFY2(result.error().contains(QLatin1String("no decoder for heif")), qPrintable(result.error()));
    }

    void emptyFileIsAnError()
    {
        CLADE_REQUIRE_SHARED("malformed/gwenview_empty.png");
        const auto result = m_decoder.decode(sharedData(QStringLiteral("malformed/gwenview_empty.png")));
        QVERIFY(!result);
        QVERIFY(result.error().contains(QLatin1String("empty")));
    }

    // RAW files must be recognised as RAW (so their embedded preview is used), including the
    // TIFF-based ones whose IFD0 a TIFF decoder would happily turn into a thumbnail.
    void rawFilesSniffAsRaw()
    {
        CLADE_REQUIRE_SHARED("metadata");
        static const QStringList rawExtensions = {"dng", "nef", "arw", "cr2", "cr3", "crw", "rw2",
                                                  "raf", "mrw", "x3f", "iiq", "orf", "pef"};
        int checked = 0;
        for (const QString &file : imageFiles(QStringLiteral("metadata"))) {
            if (!rawExtensions.contains(QFileInfo(file).suffix().toLower()))
                continue;
            QFile in(file);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QString format = sniffImageFormat(in.read(4096));
            QVERIFY2(isRawFormat(format), qPrintable(QStringLiteral("%1 sniffed as '%2'").arg(file, format)));
            ++checked;
        }
        QVERIFY(checked >= 10);
    }

    // The size check runs on our own header parser; it must agree with OpenCV on every real file
    // OpenCV can read, or the decoder would refuse good photos or let bombs through.
    void headerSizesAgreeWithOpenCv()
    {
        CLADE_REQUIRE_SHARED("metadata");
        int compared = 0;
        for (const QString &folder : {QStringLiteral("metadata"), QStringLiteral("malformed")})
            for (const QString &file : imageFiles(folder)) {
                if (file.endsWith(QLatin1String("reallybig.bmp")))
                    continue;   // OpenCV throws on it; covered above
                QFile in(file);
                QVERIFY(in.open(QIODevice::ReadOnly));
                const QByteArray bytes = in.readAll();
                const ImageHeader header =
                    readImageHeader(reinterpret_cast<const std::uint8_t *>(bytes.constData()), std::size_t(bytes.size()));
                cv::Mat mat;
                try {
                    mat = cv::imread(file.toStdString(), cv::IMREAD_UNCHANGED);
                } catch (const cv::Exception &) {
                    continue;
                }
                if (mat.empty())
                    continue;
                ++compared;
                // OpenCV turns TIFFs by their Orientation tag itself; the header has the stored size.
                const bool turned = header.format == QLatin1String("tiff") && header.orientation >= 5;
                QVERIFY2((turned ? header.height : header.width) == mat.cols && (turned ? header.width : header.height) == mat.rows,
                         qPrintable(QStringLiteral("%1 (%2): header %3x%4, OpenCV %5x%6")
                                        .arg(file, header.format)
                                        .arg(header.width)
                                        .arg(header.height)
                                        .arg(mat.cols)
                                        .arg(mat.rows)));
            }
        qInfo("header sizes compared with OpenCV on %d files", compared);
        QVERIFY(compared > 100);
    }
};

QTEST_GUILESS_MAIN(TestDecodeShared)
#include "tst_decodeshared.moc"
