// The run bar during a real run: AppCore runs the pipeline on its worker thread over real
// JPEGs, and the bar, wired as MainWindow wires it, shows the embedding rate and the time left.
#include "catalog/catalog.h"
#include "service/etaestimator.h"
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "cluster/kmeansclusterer.h"
#include "runbar.h"
#include "service/appcore.h"
#include "testsupport.h"

#include <QDir>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace clade;

namespace {

// The real decoder, made slow enough that embedding lasts long enough to have a rate whatever
// the machine's speed (EtaEstimator needs half a second of a stage).
class SlowDecoder : public ImageDecoder
{
public:
    explicit SlowDecoder(const MetadataReader *metadata) : m_real(metadata) { }
    Result<RgbImage> decode(const QString &path, const DecodeOptions &options) const override
    {
        QThread::msleep(25);
        return m_real.decode(path, options);
    }
    Result<RgbImage> decodeBytes(const std::vector<std::uint8_t> &bytes, const DecodeOptions &options) const override
    {
        return m_real.decodeBytes(bytes, options);
    }

private:
    OpenCvDecoder m_real;
};

}   // namespace

class TestRunBar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The progress bar shows only while a run works: idle, an empty bar looked like a text box.
    void progressBarShowsOnlyWhileRunning()
    {
        RunBar bar;
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        auto *progress = bar.findChild<QProgressBar *>();
        QVERIFY(progress);
        QVERIFY(!progress->isVisible());
        bar.setRunning(true);
        QVERIFY(progress->isVisible());
        bar.showProgress(QStringLiteral("Embedding"), 3, 10, -1, -1);
        QCOMPARE(progress->value(), 300);
        bar.setRunning(false);
        bar.showMessage(QStringLiteral("Done."), true);
        QVERIFY(!progress->isVisible());
        QCOMPARE(bar.statusText(), QStringLiteral("Done."));
    }

    void statusNamesRateAndTimeLeft();
    void otherStagesShowNoRate();
    void rateFollowsStepwiseProgress();
    void runShowsRateWhileEmbedding();
};

void TestRunBar::statusNamesRateAndTimeLeft()
{
    RunBar bar;
    bar.setRunning(true);
    bar.showProgress(QStringLiteral("Embedding"), 40, 100, 75000, 2.54);
    const QString text = bar.statusText();
    QVERIFY2(text.contains(QStringLiteral("2.5 images/s")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("1 min 15 s left")), qPrintable(text));
    bar.showProgress(QStringLiteral("Embedding"), 50, 100, 10000, 12.4);
    QVERIFY2(bar.statusText().contains(QStringLiteral("12 images/s")), qPrintable(bar.statusText()));
    // Unknown yet: neither a rate nor a time.
    bar.showProgress(QStringLiteral("Embedding"), 0, 100, -1, -1);
    QVERIFY(!bar.statusText().contains(QStringLiteral("/s")));
    QVERIFY(!bar.statusText().contains(QStringLiteral("left")));
}

void TestRunBar::otherStagesShowNoRate()
{
    RunBar bar;
    bar.setRunning(true);
    bar.showProgress(QStringLiteral("Scanning"), 10, 100, 5000, 30);
    QVERIFY2(!bar.statusText().contains(QStringLiteral("images/s")), qPrintable(bar.statusText()));
    QVERIFY(bar.statusText().contains(QStringLiteral("left")));
}

// Embedding reports once per batch; the rate is items over the time between reports that moved
// the count, and it follows a change of pace without jumping to it.
void TestRunBar::rateFollowsStepwiseProgress()
{
    EtaEstimator eta;
    eta.update(QStringLiteral("Embedding"), 0, 160, 0);
    QCOMPARE(eta.itemsPerSecond(), -1.0);
    eta.update(QStringLiteral("Embedding"), 16, 160, 2000);   // 8 per second
    QCOMPARE(eta.itemsPerSecond(), 8.0);
    eta.update(QStringLiteral("Embedding"), 16, 160, 2500);   // no progress: no new sample
    QCOMPARE(eta.itemsPerSecond(), 8.0);
    const qint64 left = eta.update(QStringLiteral("Embedding"), 32, 160, 3000);   // 16 in 1 s
    QVERIFY2(eta.itemsPerSecond() > 8.0 && eta.itemsPerSecond() < 16.0, qPrintable(QString::number(eta.itemsPerSecond())));
    QCOMPARE(left, qint64(128 * 1000 / eta.itemsPerSecond() + 0.5));
    eta.update(QStringLiteral("Clustering"), 0, 0, 3100);
    QCOMPARE(eta.itemsPerSecond(), -1.0);   // a new stage has no rate yet
}

void TestRunBar::runShowsRateWhileEmbedding()
{
    QTemporaryDir work;
    const QString folder = work.filePath(QStringLiteral("photos"));
    QDir().mkpath(folder);
    constexpr int photos = 96;
    for (int i = 0; i < photos; ++i)
        QVERIFY(test::writeJpeg(QStringLiteral("%1/p%2.jpg").arg(folder).arg(i), 200, 150, QColor::fromHsv(i * 5, 180, 200), 90, i));
    Exiv2MetadataReader metadata;
    SlowDecoder decoder(&metadata);
    AppCore controller(work.filePath(QStringLiteral("catalog.sqlite")), &decoder, &metadata);
    controller.loadEngine([] {
        Engine engine;
        engine.extractor = std::make_unique<VisualDescriptor>();
        engine.clusterer = std::make_unique<KMeansClusterer>(2);
        return Result<Engine>(std::move(engine));
    });
    RunBar bar;
    QObject::connect(&controller, &AppCore::runProgress, &bar, &RunBar::showProgress);
    QStringList embeddingTexts;
    double lastRate = -1;
    QObject::connect(&controller, &AppCore::runProgress, &bar, [&](const QString &stage, qint64, qint64, qint64, double perSecond) {
        if (stage == QLatin1String("Embedding")) {
            embeddingTexts << bar.statusText();
            lastRate = perSecond > 0 ? perSecond : lastRate;
        }
    });
    QSignalSpy finished(&controller, &AppCore::runFinished);
    QSignalSpy failed(&controller, &AppCore::runFailed);
    PipelineOptions options;
    options.folder = folder;
    options.k = 3;
    ThreadLayout layout;
    layout.decodeThreads = 1;   // 96 photos x 25 ms over at most two decoding threads: over 1 s
    options.layout = layout;
    bar.setRunning(true);
    QVERIFY(controller.startRun(options));
    QVERIFY(finished.wait(60000));
    QVERIFY(failed.isEmpty());
    QVERIFY(!embeddingTexts.isEmpty());
    QVERIFY2(lastRate > 0, "no embedding rate was reported");
    const auto withRate = std::count_if(embeddingTexts.cbegin(), embeddingTexts.cend(),
                                        [](const QString &t) { return t.contains(QStringLiteral("images/s")); });
    QVERIFY2(withRate > 0, qPrintable(embeddingTexts.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestRunBar)
#include "tst_runbar.moc"
