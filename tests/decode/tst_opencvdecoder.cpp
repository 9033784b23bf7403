// OpenCvDecoder on files the test writes itself: content sniffing, orientation, reduced JPEG
// decoding, the pixel limit, colour conversions and the embedded-preview path.

#include "decodetestutil.h"
#include "opencv/imageheader.h"
#include "opencv/opencvdecoder.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

using namespace clade;
using namespace clade::test;

class TestOpenCvDecoder : public QObject
{
    Q_OBJECT

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    std::vector<std::uint8_t> bytesOf(const QByteArray &data) const { return {data.begin(), data.end()}; }

    QTemporaryDir m_dir;
    OpenCvDecoder m_decoder;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void zeroByteFileIsAnError()
    {
        QVERIFY(writeFile(path("empty.jpg"), QByteArray()));
        const auto result = m_decoder.decode(path("empty.jpg"));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("empty")), qPrintable(result.error()));
        QVERIFY(!m_decoder.decodeBytes({}));
    }

    void missingFileIsAnError()
    {
        const auto result = m_decoder.decode(path("does-not-exist.jpg"));
        QVERIFY(!result);
        QVERIFY(result.error().contains(QLatin1String("does-not-exist.jpg")));
    }

    void unknownContentIsAnError()
    {
        QVERIFY(writeFile(path("notes.jpg"), "just some text, not a picture\n"));
        const auto result = m_decoder.decode(path("notes.jpg"));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("not an image")), qPrintable(result.error()));
    }

    void formatComesFromContent_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("png named .jpg") << "png-named.jpg" << QByteArray("PNG");
        QTest::newRow("jpeg named .png") << "jpeg-named.png" << QByteArray("JPEG");
        QTest::newRow("bmp named .heic") << "bmp-named.heic" << QByteArray("BMP");
        QTest::newRow("ppm without extension") << "portable-pixmap" << QByteArray("PPM");
    }
    void formatComesFromContent()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, format);
        const QImage picture = quadrants(40, 30);
        QVERIFY(writeFile(path(name), encoded(picture, format.constData())));
        const auto result = m_decoder.decode(path(name));
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        QCOMPARE(result->width, 40);
        QCOMPARE(result->height, 30);
        QVERIFY(meanAbsDiff(*result, toRgbImage(picture)) < 6.0);
    }

    void orientationMakesUpright_data()
    {
        QTest::addColumn<int>("orientation");
        for (int o = 0; o <= 9; ++o)   // 0 and 9 are invalid values: left as stored
            QTest::addRow("orientation %d", o) << o;
    }
    void orientationMakesUpright()
    {
        QFETCH(int, orientation);
        const QImage upright = quadrants(64, 40);
        const QString file = path(QStringLiteral("orient%1.jpg").arg(orientation));
        QVERIFY(writeFile(file, jpegWithOrientation(storedFor(upright, orientation), orientation)));
        for (const bool fromBytes : {false, true}) {
            QFile in(file);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const auto result = fromBytes ? m_decoder.decodeBytes(bytesOf(in.readAll())) : m_decoder.decode(file);
            QVERIFY2(result, result ? "" : qPrintable(result.error()));
            QVERIFY2(meanAbsDiff(*result, toRgbImage(upright)) < 8.0, qPrintable(QStringLiteral("%1x%2, diff %3")
                                                                                     .arg(result->width)
                                                                                     .arg(result->height)
                                                                                     .arg(meanAbsDiff(*result, toRgbImage(upright)))));
        }
    }

    // OpenCV turns TIFFs by their Orientation tag on its own; the decoder must not turn them twice.
    void tiffOrientationAppliedOnce_data()
    {
        QTest::addColumn<int>("orientation");
        for (int o : {1, 2, 3, 6, 7, 8})
            QTest::addRow("orientation %d", o) << o;
    }
    void tiffOrientationAppliedOnce()
    {
        QFETCH(int, orientation);
        const QImage upright = quadrants(64, 40);
        const QImage stored = storedFor(upright, orientation).convertToFormat(QImage::Format_BGR888);
        const cv::Mat bgr(stored.height(), stored.width(), CV_8UC3, const_cast<uchar *>(stored.constBits()),
                          std::size_t(stored.bytesPerLine()));
        std::vector<std::uint8_t> tiff;
        QVERIFY(cv::imencode(".tiff", bgr, tiff));
        // OpenCV writes PlanarConfiguration = 1 (the default); turn that entry into Orientation.
        QVERIFY(tiff[0] == 'I' && tiff[1] == 'I');
        const auto le = [&](std::size_t at, int n) {
            std::uint32_t v = 0;
            for (int i = n - 1; i >= 0; --i)
                v = (v << 8) | tiff[at + std::size_t(i)];
            return v;
        };
        const std::uint32_t ifd = le(4, 4);
        bool patched = false;
        for (std::uint32_t i = 0; i < le(ifd, 2); ++i) {
            const std::size_t entry = ifd + 2 + 12 * i;
            if (le(entry, 2) == 284) {
                tiff[entry] = 274 & 0xFF;
                tiff[entry + 1] = 274 >> 8;
                tiff[entry + 8] = std::uint8_t(orientation);
                patched = true;
            }
        }
        QVERIFY(patched);
        QCOMPARE(readImageHeader(tiff.data(), tiff.size()).orientation, orientation);
        const auto result = m_decoder.decodeBytes(tiff);
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        QVERIFY2(meanAbsDiff(*result, toRgbImage(upright)) < 2.0,
                 qPrintable(QStringLiteral("%1x%2").arg(result->width).arg(result->height)));
        DecodeOptions asStored;
        asStored.applyOrientation = false;
        const auto raw = m_decoder.decodeBytes(tiff, asStored);
        QVERIFY(raw);
        QVERIFY(meanAbsDiff(*raw, toRgbImage(stored)) < 2.0);
    }

    void orientationCanBeLeftAsStored()
    {
        const QImage stored = storedFor(quadrants(64, 40), 6);
        QVERIFY(writeFile(path("keep6.jpg"), jpegWithOrientation(stored, 6)));
        DecodeOptions options;
        options.applyOrientation = false;
        const auto result = m_decoder.decode(path("keep6.jpg"), options);
        QVERIFY(result);
        QVERIFY(meanAbsDiff(*result, toRgbImage(stored)) < 8.0);
    }

    void metadataOrientationWinsOverExif()
    {
        // EXIF says 1, the reader (which also reads XMP) says 6: the reader is believed.
        const QImage upright = quadrants(64, 40);
        QVERIFY(writeFile(path("xmp6.jpg"), jpegWithOrientation(storedFor(upright, 6), 1)));
        ScriptedMetadataReader reader;
        reader.orientation = 6;
        const auto rotated = OpenCvDecoder(&reader).decode(path("xmp6.jpg"));
        QVERIFY(rotated);
        QVERIFY(meanAbsDiff(*rotated, toRgbImage(upright)) < 8.0);
        // A reader that knows nothing leaves the file's own EXIF value in charge.
        QVERIFY(writeFile(path("exif8.jpg"), jpegWithOrientation(storedFor(upright, 8), 8)));
        reader.orientation = 0;
        const auto fromExif = OpenCvDecoder(&reader).decode(path("exif8.jpg"));
        QVERIFY(fromExif);
        QVERIFY(meanAbsDiff(*fromExif, toRgbImage(upright)) < 8.0);
    }

    void reducedJpegDecode_data()
    {
        QTest::addColumn<int>("minShortSide");
        QTest::addColumn<int>("scale");
        // 2001 x 1203 stored: the largest of 1/8, 1/4, 1/2 whose rounded-up short side is enough.
        QTest::newRow("full") << 0 << 1;
        QTest::newRow("eighth") << 151 << 8;
        QTest::newRow("quarter") << 152 << 4;
        QTest::newRow("quarter exact") << 301 << 4;
        QTest::newRow("half") << 302 << 2;
        QTest::newRow("full again") << 603 << 1;
        QTest::newRow("larger than image") << 5000 << 1;
    }
    void reducedJpegDecode()
    {
        QFETCH(int, minShortSide);
        QFETCH(int, scale);
        const QString file = path("large.jpg");
        if (!QFileInfo::exists(file))
            QVERIFY(writeJpeg(file, 2001, 1203, QColor(70, 120, 200), 92, 3));
        DecodeOptions options;
        options.minShortSide = minShortSide;
        const auto reduced = m_decoder.decode(file, options);
        QVERIFY2(reduced, reduced ? "" : qPrintable(reduced.error()));
        QCOMPARE(reduced->width, (2001 + scale - 1) / scale);
        QCOMPARE(reduced->height, (1203 + scale - 1) / scale);
        QVERIFY(std::min(reduced->width, reduced->height) >= std::min(minShortSide, 1203));
        // Close to the full decode scaled down to the same size.
        const auto full = m_decoder.decode(file);
        QVERIFY(full);
        QImage fullImage(full->data.data(), full->width, full->height, full->width * 3, QImage::Format_RGB888);
        const QImage scaled = fullImage.scaled(reduced->width, reduced->height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QVERIFY2(meanAbsDiff(*reduced, toRgbImage(scaled)) < 4.0, qPrintable(QString::number(meanAbsDiff(*reduced, toRgbImage(scaled)))));
    }

    void pixelLimitRefusesBeforeDecoding()
    {
        QVERIFY(writeJpeg(path("small.jpg"), 64, 48, Qt::green));
        DecodeOptions options;
        options.maxPixels = 64 * 48 - 1;
        auto result = m_decoder.decode(path("small.jpg"), options);
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("limit")), qPrintable(result.error()));
        options.maxPixels = 64 * 48;
        QVERIFY(m_decoder.decode(path("small.jpg"), options));

        // A PNG whose header claims 100000 x 100000 and whose pixel data is garbage: the size
        // alone must refuse it (a decoder that tried would fail differently or allocate 30 GB).
        QByteArray png = encoded(quadrants(8, 8), "PNG");
        const char huge[8] = {0, 1, char(0x86), char(0xA0), 0, 1, char(0x86), char(0xA0)};
        png.replace(16, 8, QByteArray(huge, 8));
        QVERIFY(writeFile(path("bomb.png"), png));
        result = m_decoder.decode(path("bomb.png"));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("100000 x 100000")), qPrintable(result.error()));
    }

    void alphaIsCompositedOverWhite()
    {
        QImage image(20, 10, QImage::Format_ARGB32);
        image.fill(QColor(255, 0, 0, 0));   // fully transparent red
        for (int x = 10; x < 20; ++x)
            for (int y = 0; y < 10; ++y)
                image.setPixelColor(x, y, QColor(0, 0, 255, 255));   // opaque blue
        QVERIFY(writeFile(path("alpha.png"), encoded(image, "PNG")));
        const auto result = m_decoder.decode(path("alpha.png"));
        QVERIFY(result);
        const std::uint8_t *left = result->pixel(2, 5), *right = result->pixel(15, 5);
        QCOMPARE(int(left[0]), 255);
        QCOMPARE(int(left[1]), 255);
        QCOMPARE(int(left[2]), 255);
        QCOMPARE(int(right[0]), 0);
        QCOMPARE(int(right[2]), 255);
    }

    void sixteenBitAndGreyBecomeRgb()
    {
        QImage deep(16, 16, QImage::Format_RGBX64);
        deep.fill(QColor::fromRgba64(qRgba64(0x8000, 0x2000, 0xF000, 0xFFFF)));
        QVERIFY(writeFile(path("deep.png"), encoded(deep, "PNG")));
        auto result = m_decoder.decode(path("deep.png"));
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        QVERIFY(std::abs(int(result->pixel(3, 3)[0]) - 0x80) <= 1);
        QVERIFY(std::abs(int(result->pixel(3, 3)[1]) - 0x20) <= 1);
        QVERIFY(std::abs(int(result->pixel(3, 3)[2]) - 0xF0) <= 1);

        QImage grey(16, 16, QImage::Format_Grayscale8);
        grey.fill(QColor(90, 90, 90));
        QVERIFY(writeFile(path("grey.png"), encoded(grey, "PNG")));
        result = m_decoder.decode(path("grey.png"));
        QVERIFY(result);
        QCOMPARE(result->data.size(), std::size_t(16 * 16 * 3));
        QCOMPARE(int(result->pixel(5, 5)[0]), 90);
        QCOMPARE(int(result->pixel(5, 5)[2]), 90);
    }

    void opencvOnlyFormatsDecodeAndHeadersAgree_data()
    {
        QTest::addColumn<QString>("extension");
        QTest::newRow("webp") << ".webp";
        QTest::newRow("tiff") << ".tiff";
        QTest::newRow("jpeg2000") << ".jp2";
        QTest::newRow("bmp") << ".bmp";
        QTest::newRow("png") << ".png";
    }
    void opencvOnlyFormatsDecodeAndHeadersAgree()
    {
        QFETCH(QString, extension);
        cv::Mat bgr(37, 53, CV_8UC3, cv::Scalar(200, 100, 50));
        std::vector<std::uint8_t> bytes;
        QVERIFY(cv::imencode(extension.toStdString(), bgr, bytes));
        const ImageHeader header = readImageHeader(bytes.data(), bytes.size());
        QCOMPARE(header.width, 53);
        QCOMPARE(header.height, 37);
        const auto result = m_decoder.decodeBytes(bytes);
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        QCOMPARE(result->width, 53);
        QVERIFY(std::abs(int(result->pixel(10, 10)[0]) - 50) <= 3);   // RGB order, not BGR
        QVERIFY(std::abs(int(result->pixel(10, 10)[2]) - 200) <= 3);
    }

    void rawNeedsAPreview()
    {
        // An ORF-like RAW (TIFF variant with "IIRO" magic): no pixels without a preview.
        QByteArray raw("IIRO\x08\0\0\0", 8);
        raw.append(QByteArray(64, '\0'));
        QVERIFY(writeFile(path("camera.orf"), raw));
        auto result = m_decoder.decode(path("camera.orf"));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("no decoder for raw-orf")), qPrintable(result.error()));

        ScriptedMetadataReader reader;
        result = OpenCvDecoder(&reader).decode(path("camera.orf"));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("no preview in this file")), qPrintable(result.error()));

        // The preview is stored unrotated; the RAW's orientation (from the reader) applies.
        const QImage upright = quadrants(48, 32);
        reader.preview = bytesOf(encoded(storedFor(upright, 6), "JPEG"));
        reader.orientation = 6;
        result = OpenCvDecoder(&reader).decode(path("camera.orf"));
        QVERIFY2(result, result ? "" : qPrintable(result.error()));
        QVERIFY(meanAbsDiff(*result, toRgbImage(upright)) < 8.0);
        QCOMPARE(reader.previewCalls.load(), 2);
    }

    void formatsWithoutDecoderUseThePreview()
    {
        QByteArray heif("\0\0\0\x18"
                        "ftypheic\0\0\0\0mif1heic",
                        24);
        heif.append(QByteArray(100, '\0'));
        QVERIFY(writeFile(path("phone.jpg"), heif));   // extension lies, content is HEIF
        auto result = m_decoder.decode(path("phone.jpg"));
        QVERIFY(!result);
        QVERIFY2(result.error().contains(QLatin1String("no decoder for heif")), qPrintable(result.error()));
        ScriptedMetadataReader reader;
        reader.preview = bytesOf(encoded(quadrants(30, 20), "JPEG"));
        result = OpenCvDecoder(&reader).decode(path("phone.jpg"));
        QVERIFY(result);
        QCOMPARE(result->width, 30);
        QVERIFY(!m_decoder.decodeBytes(bytesOf(heif)));
    }
};

QTEST_GUILESS_MAIN(TestOpenCvDecoder)
#include "tst_opencvdecoder.moc"
