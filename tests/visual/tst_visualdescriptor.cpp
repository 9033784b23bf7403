// VisualDescriptor on synthetic scenes: its contract (id, size, norm, determinism, errors) and
// that it groups by look: colour, texture and layout.

#include "opencv/visualdescriptor.h"

#include <QImage>
#include <QPainter>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace clade;

namespace {

RgbImage toRgb(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    RgbImage out;
    out.width = rgb.width();
    out.height = rgb.height();
    for (int y = 0; y < rgb.height(); ++y)
        out.data.insert(out.data.end(), rgb.constScanLine(y), rgb.constScanLine(y) + rgb.width() * 3);
    return out;
}

// A "scene": a base colour with a few shapes in a darker and a lighter shade, varied by seed.
RgbImage scene(QColor base, int seed, int width = 320, int height = 240)
{
    QImage image(width, height, QImage::Format_RGB888);
    image.fill(base);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.scale(width / 320.0, height / 240.0);   // the same picture at any size
    painter.setPen(Qt::NoPen);
    for (int i = 0; i < 4; ++i) {
        const int s = seed * 7 + i * 13;
        painter.setBrush(i % 2 ? base.darker(130 + s % 40) : base.lighter(115 + s % 30));
        painter.drawEllipse(QPoint((s * 37) % 320, (s * 53) % 240), 20 + s % 40, 15 + (s * 3) % 35);
    }
    return toRgb(image);
}

RgbImage stripes(QColor a, QColor b, int period, int phase, int width = 240, int height = 240)
{
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixelColor(x, y, ((x + phase) / period) % 2 ? a : b);
    return toRgb(image);
}

RgbImage smoothBlend(QColor a, QColor b, int width = 240, int height = 240)
{
    QImage image(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const double t = double(x) / (width - 1);
            image.setPixelColor(x, y,
                                QColor(int(a.red() * (1 - t) + b.red() * t), int(a.green() * (1 - t) + b.green() * t),
                                       int(a.blue() * (1 - t) + b.blue() * t)));
        }
    return toRgb(image);
}

double distance(const std::vector<float> &a, const std::vector<float> &b)
{
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += double(a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum);
}

std::vector<float> describe(const VisualDescriptor &d, const RgbImage &image)
{
    auto v = d.describe(image);
    if (!v)
        qFatal("describe failed: %s", qPrintable(v.error()));
    return *v;
}

}   // namespace

class TestVisualDescriptor : public QObject
{
    Q_OBJECT

private:
    VisualDescriptor m_descriptor;

private Q_SLOTS:
    void contract()
    {
        QCOMPARE(m_descriptor.modelId(), QStringLiteral("clade-visual-v1"));
        QVERIFY(!m_descriptor.isSemantic());
        QVERIFY(m_descriptor.inputShortSide() >= 128 && m_descriptor.inputShortSide() <= 160);
        const auto v = describe(m_descriptor, scene(Qt::darkGreen, 1));
        QCOMPARE(int(v.size()), m_descriptor.dimension());
        const double norm = std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0));
        QVERIFY(std::abs(norm - 1.0) < 1e-5);
        for (float x : v)
            QVERIFY(std::isfinite(x));
    }

    void deterministicAndBatchEqualsSingle()
    {
        const std::vector<RgbImage> images = {scene(Qt::red, 1), scene(Qt::blue, 2), stripes(Qt::black, Qt::white, 6, 0)};
        auto batch = m_descriptor.embed(images);
        QVERIFY(batch);
        QCOMPARE(batch->size(), images.size());
        for (std::size_t i = 0; i < images.size(); ++i)
            QCOMPARE((*batch)[i], describe(m_descriptor, images[i]));
        QCOMPARE(*m_descriptor.embed(images), *batch);
    }

    void flatAndTinyImagesWork()
    {
        QImage grey(1, 1, QImage::Format_RGB888);
        grey.fill(QColor(128, 128, 128));
        const auto tiny = describe(m_descriptor, toRgb(grey));
        QCOMPARE(int(tiny.size()), m_descriptor.dimension());
        for (float x : tiny)
            QVERIFY(std::isfinite(x));
        QImage black(300, 200, QImage::Format_RGB888);
        black.fill(Qt::black);
        QVERIFY(m_descriptor.describe(toRgb(black)));
    }

    void badInputIsAnError()
    {
        QVERIFY(!m_descriptor.describe(RgbImage()));
        RgbImage inconsistent;
        inconsistent.width = 10;
        inconsistent.height = 10;
        inconsistent.data.resize(10);
        QVERIFY(!m_descriptor.describe(inconsistent));
        const auto batch = m_descriptor.embed({scene(Qt::red, 1), RgbImage()});
        QVERIFY(!batch);
        QVERIFY2(batch.error().contains(QLatin1String("image 1")), qPrintable(batch.error()));
    }

    void redScenesAreNearerToRedThanToBlue()
    {
        std::vector<std::vector<float>> red, blue;
        for (int seed = 0; seed < 6; ++seed) {
            red.push_back(describe(m_descriptor, scene(QColor(200 - seed * 8, 30 + seed * 5, 35), seed)));
            blue.push_back(describe(m_descriptor, scene(QColor(30, 50 + seed * 6, 190 - seed * 5), seed)));
        }
        double within = 0, across = 0;
        int nWithin = 0, nAcross = 0;
        for (std::size_t i = 0; i < red.size(); ++i)
            for (std::size_t j = 0; j < red.size(); ++j) {
                across += distance(red[i], blue[j]);
                ++nAcross;
                if (i != j) {
                    within += distance(red[i], red[j]) + distance(blue[i], blue[j]);
                    nWithin += 2;
                }
            }
        within /= nWithin;
        across /= nAcross;
        qInfo("mean distance within colour %.3f, across %.3f", within, across);
        QVERIFY(within * 1.2 < across);   // measured: about 1.4
        // And for every scene the nearest other scene has its colour.
        for (std::size_t i = 0; i < red.size(); ++i)
            for (std::size_t j = 0; j < red.size(); ++j)
                if (i != j) {
                    QVERIFY(distance(red[i], red[j]) < distance(red[i], blue[j]) || j == i);
                }
    }

    void textureSeparatesStripesFromSmoothAreas()
    {
        // Same two colours, only the texture differs.
        const auto stripesA = describe(m_descriptor, stripes(QColor(200, 180, 60), QColor(60, 90, 160), 6, 0));
        const auto stripesB = describe(m_descriptor, stripes(QColor(200, 180, 60), QColor(60, 90, 160), 8, 3));
        const auto smooth = describe(m_descriptor, smoothBlend(QColor(200, 180, 60), QColor(60, 90, 160)));
        qInfo("stripes-stripes %.3f, stripes-smooth %.3f", distance(stripesA, stripesB), distance(stripesA, smooth));
        QVERIFY(distance(stripesA, stripesB) < distance(stripesA, smooth));
    }

    void layoutSeparatesSkyAboveFromSkyBelow()
    {
        // Same colours in the same amounts; only where they are differs.
        QImage top(240, 180, QImage::Format_RGB888), bottom(240, 180, QImage::Format_RGB888);
        QPainter(&top).fillRect(0, 0, 240, 90, QColor(90, 150, 230));
        QPainter(&top).fillRect(0, 90, 240, 90, QColor(60, 130, 40));
        QPainter(&bottom).fillRect(0, 90, 240, 90, QColor(90, 150, 230));
        QPainter(&bottom).fillRect(0, 0, 240, 90, QColor(60, 130, 40));
        const auto skyTop = describe(m_descriptor, toRgb(top));
        const auto skyBottom = describe(m_descriptor, toRgb(bottom));
        QVERIFY(distance(skyTop, skyBottom) > 0.2);
    }

    void scaleChangesLittle()
    {
        const auto small = describe(m_descriptor, scene(QColor(120, 160, 60), 3, 320, 240));
        const auto large = describe(m_descriptor, scene(QColor(120, 160, 60), 3, 1280, 960));
        const auto other = describe(m_descriptor, scene(QColor(120, 160, 60), 4, 320, 240));
        qInfo("same scene at 4x size %.3f, another scene %.3f", distance(small, large), distance(small, other));
        QVERIFY(distance(small, large) < distance(small, other));
    }
};

QTEST_GUILESS_MAIN(TestVisualDescriptor)
#include "tst_visualdescriptor.moc"
