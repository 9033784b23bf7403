#include "clip/clippreprocess.h"
#include "clip/safetensors.h"
#include "testsupport.h"

#include <QImage>
#include <QTest>

#include <cstring>

using namespace clade;

namespace {

RgbImage fromQImage(const QImage &source)
{
    const QImage image = source.convertToFormat(QImage::Format_RGB888);
    RgbImage out;
    out.width = image.width();
    out.height = image.height();
    out.data.resize(std::size_t(out.width) * std::size_t(out.height) * 3);
    for (int y = 0; y < out.height; ++y)
        std::memcpy(out.data.data() + std::size_t(y) * std::size_t(out.width) * 3, image.constScanLine(y), std::size_t(out.width) * 3);
    return out;
}

}   // namespace

class TstClipPreprocess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Pillow's bicubic, reimplemented, against what OpenAI's _transform(224) produced with
    // Pillow 9.4. Measured when written: every crop identical (max difference 0 levels on all
    // four images, the 1.5x upscale img3 included); the normalised img0 tensor identical bit
    // for bit. libtorch's antialiased bicubic would differ by up to 2 levels when shrinking
    // and 10 when enlarging (clip-parity README, section 5).
    void matchesPillowCrops_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : {"img0_640x480", "img1_300x800", "img2_1024x256", "img3_150x100"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void matchesPillowCrops()
    {
        CLADE_REQUIRE_SHARED("clip-parity/preprocess/expected.safetensors");
        QFETCH(QString, name);
        const QImage png(test::sharedData(QStringLiteral("clip-parity/preprocess/%1.png").arg(name)));
        QVERIFY(!png.isNull());
        const RgbImage crop = clippre::resizeAndCrop(fromQImage(png), 224);
        QCOMPARE(crop.width, 224);
        QCOMPARE(crop.height, 224);
        auto expected = SafeTensorsFile::open(test::sharedData(QStringLiteral("clip-parity/preprocess/expected.safetensors")));
        QVERIFY2(expected.ok(), qPrintable(expected.ok() ? QString() : expected.error()));
        const auto ref = (*expected)->toInt64(name.left(4) + QStringLiteral("_uint8_crop"));
        QVERIFY2(ref.ok(), qPrintable(ref.ok() ? QString() : ref.error()));
        QCOMPARE(ref->size(), crop.data.size());
        int maxDiff = 0;
        double sumDiff = 0;
        for (std::size_t i = 0; i < crop.data.size(); ++i) {
            const int diff = std::abs(int(crop.data[i]) - int((*ref)[i]));
            maxDiff = std::max(maxDiff, diff);
            sumDiff += diff;
        }
        qInfo("%s: max %d levels, mean %.4f", qPrintable(name), maxDiff, sumDiff / double(crop.data.size()));
        QCOMPARE(maxDiff, 0);
    }

    void normalisesLikeTorchvision()
    {
        CLADE_REQUIRE_SHARED("clip-parity/preprocess/expected.safetensors");
        const QImage png(test::sharedData(QStringLiteral("clip-parity/preprocess/img0_640x480.png")));
        const RgbImage crop = clippre::resizeAndCrop(fromQImage(png), 224);
        std::vector<float> tensor(3 * 224 * 224);
        clippre::normalizeInto(crop, tensor.data());
        auto expected = SafeTensorsFile::open(test::sharedData(QStringLiteral("clip-parity/preprocess/expected.safetensors")));
        QVERIFY(expected.ok());
        const auto ref = (*expected)->toFloat(QStringLiteral("img0"));
        QVERIFY(ref.ok());
        QCOMPARE(ref->size(), tensor.size());
        for (std::size_t i = 0; i < tensor.size(); ++i)
            QVERIFY2(tensor[i] == (*ref)[i], qPrintable(QStringLiteral("element %1").arg(i)));
    }

    void keepsFlatColourAndSize()
    {
        RgbImage image;
        image.width = 37;
        image.height = 91;
        image.data.assign(std::size_t(37 * 91 * 3), 0);
        for (std::size_t i = 0; i < image.data.size(); i += 3) {
            image.data[i] = 200;
            image.data[i + 1] = 17;
            image.data[i + 2] = 255;
        }
        const RgbImage out = clippre::resizeAndCrop(image, 64);
        QCOMPARE(out.width, 64);
        QCOMPARE(out.height, 64);
        for (std::size_t i = 0; i < out.data.size(); i += 3) {
            QCOMPARE(int(out.data[i]), 200);
            QCOMPARE(int(out.data[i + 1]), 17);
            QCOMPARE(int(out.data[i + 2]), 255);
        }
        QVERIFY(clippre::resizeAndCrop(RgbImage{}, 64).isNull());
    }
};

QTEST_GUILESS_MAIN(TstClipPreprocess)
#include "tst_clippreprocess.moc"
