// VisualDescriptor on real labelled photos (../shared/data/labeled-dev, Imagenette): photos of
// one class must be nearer each other, on average and as nearest neighbours, than chance says.
// The descriptor sees look, not meaning, so the margins asserted are modest; they are set well
// below what was measured (printed by the test) so that they hold robustly.

#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "testsupport.h"

#include <QDir>
#include <QtTest>

#include <cmath>

using namespace clade;

namespace {

constexpr int kPerClass = 60;

struct Labelled
{
    std::vector<std::vector<float>> vectors;
    std::vector<int> labels;
    int classes = 0;
};

double distance(const std::vector<float> &a, const std::vector<float> &b)
{
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += double(a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum);
}

}   // namespace

class TestVisualClusters : public QObject
{
    Q_OBJECT

private:
    Labelled m_data;

    void load()
    {
        const OpenCvDecoder decoder;
        VisualDescriptor descriptor;
        DecodeOptions options;
        options.minShortSide = descriptor.inputShortSide();
        const QDir root(test::sharedData(QStringLiteral("labeled-dev")));
        for (const QString &label : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QDir folder(root.filePath(label));
            const QStringList files = folder.entryList(QDir::Files, QDir::Name).mid(0, kPerClass);
            for (const QString &name : files) {
                const auto image = decoder.decode(folder.filePath(name), options);
                QVERIFY2(image, image ? "" : qPrintable(image.error()));
                auto vector = descriptor.describe(*image);
                QVERIFY(vector);
                m_data.vectors.push_back(std::move(*vector));
                m_data.labels.push_back(m_data.classes);
            }
            ++m_data.classes;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        CLADE_REQUIRE_SHARED("labeled-dev");
        load();
        QCOMPARE(m_data.classes, 10);
        QCOMPARE(int(m_data.vectors.size()), 10 * kPerClass);
    }

    void sameClassIsNearerOnAverage()
    {
        const auto &v = m_data.vectors;
        double within = 0, across = 0;
        qint64 nWithin = 0, nAcross = 0;
        for (std::size_t i = 0; i < v.size(); ++i)
            for (std::size_t j = i + 1; j < v.size(); ++j) {
                const double d = distance(v[i], v[j]);
                if (m_data.labels[i] == m_data.labels[j]) {
                    within += d;
                    ++nWithin;
                } else {
                    across += d;
                    ++nAcross;
                }
            }
        within /= double(nWithin);
        across /= double(nAcross);
        qInfo("labeled-dev: mean distance within a class %.4f, across classes %.4f (ratio %.3f)", within, across, across / within);
        QVERIFY(across > within * 1.03);   // measured: 1.072 on the first 60 per class
    }

    void nearestNeighbourSharesTheClassMoreOftenThanChance()
    {
        const auto &v = m_data.vectors;
        int hits = 0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            std::size_t best = i;
            double bestDistance = 1e9;
            for (std::size_t j = 0; j < v.size(); ++j)
                if (j != i && distance(v[i], v[j]) < bestDistance) {
                    bestDistance = distance(v[i], v[j]);
                    best = j;
                }
            hits += m_data.labels[best] == m_data.labels[i];
        }
        const double accuracy = double(hits) / double(v.size());
        qInfo("labeled-dev: leave-one-out 1-NN accuracy %.3f (chance %.3f)", accuracy, 1.0 / m_data.classes);
        QVERIFY(accuracy > 2.0 / m_data.classes);   // measured: 0.442
    }
};

QTEST_GUILESS_MAIN(TestVisualClusters)
#include "tst_visualclusters.moc"
