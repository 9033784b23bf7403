// The overlapped embed stage: decode workers feed the inference thread through a bounded queue.
// Real JPEGs, the real OpenCV decoder and visual descriptor, a real catalog file.
#include "catalog/catalog.h"
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "pipeline/decodefeeder.h"
#include "cluster/kmeansclusterer.h"
#include "pipeline/pipeline.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <functional>

using namespace clade;

namespace {

// The real decoder, slowed by a different amount per file so that workers finish out of order,
// counting calls and the decodes in flight; onDecode runs on the decoding thread.
class ShuffledDecoder : public ImageDecoder
{
public:
    mutable std::atomic<int> decodes{0};
    mutable std::atomic<int> inFlight{0};
    std::function<void(int)> onDecode;

    Result<RgbImage> decode(const QString &path, const DecodeOptions &options) const override
    {
        ++inFlight;
        const int n = ++decodes;
        QThread::msleep(qHash(path) % 7);
        Result<RgbImage> image = m_real.decode(path, options);
        if (onDecode)
            onDecode(n);
        --inFlight;
        return image;
    }
    Result<RgbImage> decodeBytes(const std::vector<std::uint8_t> &bytes, const DecodeOptions &options) const override
    {
        return m_real.decodeBytes(bytes, options);
    }

private:
    OpenCvDecoder m_real;
};

ThreadLayout overlapped(int threads)
{
    ThreadLayout layout;
    layout.decodeThreads = threads;
    layout.batchesAhead = 2;
    return layout;
}

}   // namespace

class TestOverlap : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    Exiv2MetadataReader m_metadata;
    ShuffledDecoder m_decoder;
    VisualDescriptor m_descriptor;
    int m_folders = 0;
    static constexpr int photoCount = 53;   // three batches and a partial one

    // Every photo a different colour and shape, so a feature on the wrong photo shows.
    QString distinctPhotos(int count)
    {
        const QString folder = m_work.filePath(QStringLiteral("folder%1").arg(++m_folders));
        QDir().mkpath(folder);
        for (int i = 0; i < count; ++i) {
            const QColor colour = QColor::fromHsv((i * 37) % 360, 80 + (i * 53) % 170, 90 + (i * 29) % 160);
            test::writeJpeg(QStringLiteral("%1/p%2.jpg").arg(folder).arg(i, 3, 10, QLatin1Char('0')), 160 + i, 120, colour, 90, i);
        }
        return QFileInfo(folder).canonicalFilePath();
    }

    std::unique_ptr<Catalog> scanned(const QString &folder, const QString &name)
    {
        auto catalog = Catalog::open(m_work.filePath(name));
        if (!catalog)
            return nullptr;
        Pipeline pipeline(**catalog, services());
        Progress progress;
        if (!pipeline.scan(folder, progress))
            return nullptr;
        return std::move(*catalog);
    }

    PipelineServices services() { return {&m_decoder, &m_metadata, &m_descriptor, nullptr}; }

    // The embed stage with two decode threads, uncancelled.
    Result<int> embedOverlapped(Catalog &catalog, const QString &folder)
    {
        Pipeline pipeline(catalog, services());
        PipelineOptions options;
        options.layout = overlapped(2);
        Progress progress;
        return pipeline.embed(folder, options, progress);
    }

    // Stored features by path.
    QHash<QString, std::vector<float>> stored(const Catalog &catalog, const QString &folder)
    {
        QHash<QString, std::vector<float>> out;
        const std::vector<PhotoRecord> photos = catalog.photos().under(folder).value();
        std::vector<qint64> ids;
        for (const PhotoRecord &p : photos)
            ids.push_back(p.id);
        const auto features = catalog.features().get(m_descriptor.modelId(), ids).value();
        for (const PhotoRecord &p : photos) {
            if (features.count(p.id))
                out.insert(p.path, features.at(p.id));
        }
        return out;
    }

private Q_SLOTS:
    void featuresLandOnTheirOwnPhoto_data();
    void featuresLandOnTheirOwnPhoto();
    void cancelStopsWithinOneBatchAndResumes();
    void cancelWhileDecodingLeavesNoWorkerBehind();
    void decodeFailuresAreRecordedAndSkipped();
    void filesGoneOrChangedAfterTheScan();
    void feederDecodesEachPhotoOnceAndStaysAhead();
    void layoutsLeaveTheModelItsCores();
};

void TestOverlap::featuresLandOnTheirOwnPhoto_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("ahead");
    QTest::newRow("alternating, 1 thread") << 1 << 0;
    QTest::newRow("overlapped, 1 thread") << 1 << 2;
    QTest::newRow("overlapped, 4 threads") << 4 << 2;
    QTest::newRow("overlapped, 3 threads, 5 ahead") << 3 << 5;
}

// Each stored vector equals the descriptor of that photo decoded on its own: whatever order the
// workers finish in, no feature lands on another photo.
void TestOverlap::featuresLandOnTheirOwnPhoto()
{
    QFETCH(int, threads);
    QFETCH(int, ahead);
    const QString folder = distinctPhotos(photoCount);
    auto catalog = scanned(folder, QStringLiteral("own%1.sqlite").arg(m_folders));
    QVERIFY(catalog);
    Pipeline pipeline(*catalog, services());
    PipelineOptions options;
    options.layout = overlapped(threads);
    options.layout->batchesAhead = ahead;
    Progress progress;
    auto embedded = pipeline.embed(folder, options, progress);
    QVERIFY2(embedded.ok(), qPrintable(embedded.ok() ? QString() : embedded.error()));
    QCOMPARE(*embedded, photoCount);
    const auto features = stored(*catalog, folder);
    QCOMPARE(qint64(features.size()), qint64(photoCount));
    DecodeOptions decodeOptions;
    decodeOptions.minShortSide = m_descriptor.inputShortSide();
    QSet<QByteArray> distinct;
    for (auto it = features.cbegin(); it != features.cend(); ++it) {
        auto image = m_decoder.decode(it.key(), decodeOptions);
        QVERIFY(image.ok());
        auto alone = m_descriptor.embed({*image});
        QVERIFY(alone.ok());
        QVERIFY2(alone->front() == it.value(), qPrintable(it.key()));
        distinct.insert(QByteArray(reinterpret_cast<const char *>(it.value().data()), qsizetype(it.value().size() * sizeof(float))));
    }
    QCOMPARE(qint64(distinct.size()), qint64(photoCount));   // the check above could not pass by accident
}

void TestOverlap::cancelStopsWithinOneBatchAndResumes()
{
    constexpr int photoCount = 150;   // several batches whatever the extractor's batch size
    const QString folder = distinctPhotos(photoCount);
    auto catalog = scanned(folder, QStringLiteral("cancel.sqlite"));
    QVERIFY(catalog);
    Pipeline pipeline(*catalog, services());
    PipelineOptions options;
    options.layout = overlapped(2);
    qint64 doneAtCancel = -1;
    Progress *self = nullptr;
    Progress progress([&](const QString &stage, qint64 done, qint64) {
        if (stage == QLatin1String("Embedding") && done > 0 && doneAtCancel < 0) {
            doneAtCancel = done;   // the first batch is stored: cancel now
            self->cancel();
        }
    });
    self = &progress;
    m_decoder.decodes = 0;
    auto first = pipeline.embed(folder, options, progress);
    QVERIFY(!first.ok());
    QVERIFY2(first.error().contains(QStringLiteral("Cancelled")), qPrintable(first.error()));
    QVERIFY(doneAtCancel > 0 && doneAtCancel < photoCount);
    // Nothing was stored after the cancel, and decoding stopped well before the end.
    QCOMPARE(qint64(stored(*catalog, folder).size()), doneAtCancel);
    // The cancel came after the first batch: decoding went at most two batches beyond it.
    QVERIFY2(m_decoder.decodes.load() <= 3 * doneAtCancel && m_decoder.decodes.load() < photoCount,
             qPrintable(QStringLiteral("%1 decodes, cancelled at %2").arg(m_decoder.decodes.load()).arg(doneAtCancel)));
    QCOMPARE(m_decoder.inFlight.load(), 0);

    m_decoder.decodes = 0;
    Progress again;
    auto second = pipeline.embed(folder, options, again);
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error()));
    QCOMPARE(qint64(*second), photoCount - doneAtCancel);
    QCOMPARE(qint64(m_decoder.decodes.load()), photoCount - doneAtCancel);   // nothing decoded twice
    QCOMPARE(qint64(stored(*catalog, folder).size()), qint64(photoCount));
}

// A cancel that arrives while the first batch is still decoding: embed returns a cancelled
// result, stores nothing, and no worker is still decoding when it returns.
void TestOverlap::cancelWhileDecodingLeavesNoWorkerBehind()
{
    const QString folder = distinctPhotos(40);
    auto catalog = scanned(folder, QStringLiteral("cancel-decoding.sqlite"));
    QVERIFY(catalog);
    Pipeline pipeline(*catalog, services());
    PipelineOptions options;
    options.layout = overlapped(3);
    Progress progress;
    m_decoder.decodes = 0;
    m_decoder.onDecode = [&progress](int n) {
        if (n == 3)
            progress.cancel();
    };
    auto result = pipeline.embed(folder, options, progress);
    m_decoder.onDecode = nullptr;
    QVERIFY(!result.ok());
    QCOMPARE(m_decoder.inFlight.load(), 0);
    QVERIFY(m_decoder.decodes.load() < 16);
    QCOMPARE(qint64(stored(*catalog, folder).size()), qint64(0));
}

void TestOverlap::decodeFailuresAreRecordedAndSkipped()
{
    const QString folder = distinctPhotos(20);
    QFile truncated(folder + QStringLiteral("/truncated.jpg"));
    QFile source(folder + QStringLiteral("/p000.jpg"));
    QVERIFY(source.open(QIODevice::ReadOnly) && truncated.open(QIODevice::WriteOnly));
    truncated.write(source.read(300));
    truncated.close();
    QFile text(folder + QStringLiteral("/notes.jpg"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not a picture, whatever the name says\n");
    text.close();
    auto catalog = scanned(folder, QStringLiteral("failures.sqlite"));
    QVERIFY(catalog);
    auto embedded = embedOverlapped(*catalog, folder);
    QVERIFY2(embedded.ok(), qPrintable(embedded.ok() ? QString() : embedded.error()));
    QCOMPARE(*embedded, 20);
    const auto features = stored(*catalog, folder);
    QCOMPARE(qint64(features.size()), qint64(20));
    QVERIFY(!features.contains(truncated.fileName()));
    const auto problems = catalog->photos().problemsUnder(folder).value();
    QStringList failed;
    for (const ProblemRecord &p : problems) {
        QVERIFY(!p.message.isEmpty());
        failed << QFileInfo(p.path).fileName();
    }
    // The text file may already be refused by the scan (its bytes are no image); the truncated
    // JPEG gets through the scan and fails to decode.
    QVERIFY2(failed.contains(QStringLiteral("truncated.jpg")), qPrintable(failed.join(QLatin1Char(' '))));
    QVERIFY2(failed.contains(QStringLiteral("notes.jpg")), qPrintable(failed.join(QLatin1Char(' '))));
}

// Between the scan and the decoding, photos are deleted, overwritten with something else,
// truncated, and a whole sub-folder disappears (a memory card pulled out): each is a problem of
// its own, the rest are embedded, and the next full run completes without them.
void TestOverlap::filesGoneOrChangedAfterTheScan()
{
    const QString folder = distinctPhotos(24);
    const QString card = folder + QStringLiteral("/card");
    QVERIFY(QDir().mkpath(card));
    for (int i = 0; i < 8; ++i)
        QVERIFY(test::writeJpeg(QStringLiteral("%1/c%2.jpg").arg(card).arg(i), 150, 110, QColor::fromHsv(i * 45, 120, 200), 90, i + 40));
    auto catalog = scanned(folder, QStringLiteral("vanishing.sqlite"));
    QVERIFY(catalog);
    QCOMPARE(qint64(catalog->photos().under(folder).value().size()), qint64(32));

    QVERIFY(QDir(card).removeRecursively());
    const QString deleted = folder + QStringLiteral("/p005.jpg");
    const QString replaced = folder + QStringLiteral("/p006.jpg");
    const QString truncated = folder + QStringLiteral("/p007.jpg");
    QVERIFY(QFile::remove(deleted));
    QFile text(replaced);
    QVERIFY(text.open(QIODevice::WriteOnly | QIODevice::Truncate));
    text.write("overwritten with notes after the scan\n");
    text.close();
    QVERIFY(QFile::resize(truncated, 250));

    auto embedded = embedOverlapped(*catalog, folder);
    QVERIFY2(embedded.ok(), qPrintable(embedded.ok() ? QString() : embedded.error()));
    QCOMPARE(*embedded, 21);
    const auto features = stored(*catalog, folder);
    QCOMPARE(qint64(features.size()), qint64(21));
    QHash<QString, QString> problems;
    const std::vector<ProblemRecord> recorded = catalog->photos().problemsUnder(folder).value();   // not a temporary's member in range-for
    for (const ProblemRecord &p : recorded)
        problems.insert(p.path, p.message);
    const QStringList gone = {deleted, replaced, truncated};
    for (const QString &path : gone)
        QVERIFY2(!problems.value(path).isEmpty(), qPrintable(path + QLatin1String(" has no problem recorded")));
    for (int i = 0; i < 8; ++i)
        QVERIFY2(!problems.value(QStringLiteral("%1/c%2.jpg").arg(card).arg(i)).isEmpty(), qPrintable(QString::number(i)));
    qInfo("deleted: %s | replaced: %s | truncated: %s", qPrintable(problems.value(deleted)), qPrintable(problems.value(replaced)),
          qPrintable(problems.value(truncated)));

    KMeansClusterer kmeans;
    Pipeline clustering(*catalog, {&m_decoder, &m_metadata, &m_descriptor, &kmeans});
    Progress progress;
    auto result = clustering.run({folder, 3, 0, 0}, progress);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
    int clustered = 0;
    for (const ClusterSummary &c : result->clusters)
        clustered += c.size;
    QCOMPARE(clustered, 21);
    const std::vector<PhotoRecord> photos = catalog->photos().under(folder, true).value();
    for (const PhotoRecord &p : photos) {
        if (p.path == deleted || p.path.startsWith(card + QLatin1Char('/')))
            QCOMPARE(p.state, PhotoState::Missing);
    }
}

// Batches come back whole and in input order, every photo is decoded exactly once (workers and
// the waiting consumer never both take one), and nothing beyond batchesAhead is decoded early.
void TestOverlap::feederDecodesEachPhotoOnceAndStaysAhead()
{
    const QString folder = distinctPhotos(45);
    std::vector<DecodeJob> jobs;
    const QStringList names = QDir(folder).entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name);
    for (int i = 0; i < names.size(); ++i)
        jobs.push_back({qint64(i), folder + QLatin1Char('/') + names[i]});
    FeederOptions options;
    options.batchSize = 7;
    options.threads = 3;
    options.batchesAhead = 2;
    m_decoder.decodes = 0;
    DecodeFeeder feeder(m_decoder, DecodeOptions{}, jobs, options);
    QCOMPARE(feeder.batchCount(), std::size_t(7));
    qint64 expectedId = 0;
    while (auto batch = feeder.next()) {
        // Only this batch and the two after it were ever handed out for decoding.
        const qint64 handedOut = std::min<qint64>(qint64(jobs.size()), expectedId + 3 * 7);
        QVERIFY(m_decoder.decodes.load() <= handedOut);
        QVERIFY(batch->size() == 7 || expectedId + qint64(batch->size()) == qint64(jobs.size()));
        for (const DecodedPhoto &photo : *batch) {
            QCOMPARE(photo.photoId, expectedId++);
            QVERIFY2(photo.error.isEmpty() && !photo.image.isNull(), qPrintable(photo.path));
        }
    }
    QCOMPARE(expectedId, qint64(jobs.size()));
    QCOMPARE(m_decoder.decodes.load(), int(jobs.size()));
}

void TestOverlap::layoutsLeaveTheModelItsCores()
{
    for (int cores : {1, 2, 3, 4, 8, 16, 64}) {
        const ThreadLayout cpu = defaultThreadLayout(cores, InferenceKind::CpuModel);
        QVERIFY(cpu.inferenceThreads >= 1 && cpu.decodeThreads >= 1);
        QVERIFY(cpu.inferenceThreads >= cpu.decodeThreads);   // the model keeps most cores
        QVERIFY(cpu.inferenceThreads <= cores);
        // Decoding that overlaps inference never takes a core the model's threads use.
        if (cpu.batchesAhead > 0)
            QVERIFY(cpu.inferenceThreads + cpu.decodeThreads <= cores);
        const ThreadLayout gpu = defaultThreadLayout(cores, InferenceKind::GpuModel);
        QCOMPARE(gpu.decodeThreads, cores);
        QVERIFY(gpu.batchesAhead > 0);
        QVERIFY(!describe(cpu).isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestOverlap)
#include "tst_overlap.moc"
