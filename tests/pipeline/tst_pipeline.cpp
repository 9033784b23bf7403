#include "catalog/catalog.h"
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "cluster/kmeansclusterer.h"
#include "pipeline/pipeline.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include <atomic>

using namespace clade;

namespace {

// The real decoder, counting its calls: proves what an incremental run does not redo.
class CountingDecoder : public ImageDecoder
{
public:
    explicit CountingDecoder(const MetadataReader *metadata) : m_real(metadata) { }
    mutable std::atomic<int> decodes{0};
    Result<RgbImage> decode(const QString &path, const DecodeOptions &options) const override
    {
        ++decodes;
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

class TestPipeline : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    Exiv2MetadataReader m_metadata;
    CountingDecoder m_decoder{&m_metadata};
    VisualDescriptor m_descriptor;
    KMeansClusterer m_kmeans{4};
    int m_folders = 0;

    PipelineServices services() { return {&m_decoder, &m_metadata, &m_descriptor, &m_kmeans}; }

    QString newFolder()
    {
        const QString path = m_work.filePath(QStringLiteral("folder%1").arg(++m_folders));
        QDir().mkpath(path);
        return QFileInfo(path).canonicalFilePath();
    }

    // Three clearly different looks, five photos each.
    QString threeLooks()
    {
        const QString folder = newFolder();
        const QList<QColor> colours = {QColor(200, 30, 30), QColor(30, 160, 40), QColor(30, 60, 200)};
        for (int c = 0; c < colours.size(); ++c) {
            for (int i = 0; i < 5; ++i)
                test::writeJpeg(QStringLiteral("%1/look%2_%3.jpg").arg(folder).arg(c).arg(i), 160, 120, colours[c], 90, i);
        }
        return folder;
    }

private Q_SLOTS:
    // What counts as uncertain: below one half, and never more than the run's least certain
    // quarter (a run whose confidences are all low flags a quarter; a run of clear groups none).
    void uncertainThresholdFollowsTheRun()
    {
        QCOMPARE(uncertainThreshold({}), kUncertainBelow);
        QCOMPARE(uncertainThreshold({0.9f, 0.95f, 0.99f, 0.97f, 0.92f}), kUncertainBelow);   // nothing below it
        std::vector<float> low;
        for (int i = 0; i < 100; ++i)
            low.push_back(0.1f + 0.003f * float(i));   // 0.10 .. 0.397: all below one half
        const float threshold = uncertainThreshold(low);
        QCOMPARE(int(std::count_if(low.begin(), low.end(), [&](float c) { return c < threshold; })), 25);
        QCOMPARE(uncertainThreshold({0.9f, 0.95f, 0.2f, 0.3f, 0.99f, 0.97f, 0.1f, 0.92f}), 0.3f);   // its lower quartile
    }

    void clustersByLookAndStoresTheRun()
    {
        const QString folder = threeLooks();
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        QVERIFY(catalog.ok());
        Pipeline pipeline(**catalog, services());
        Progress progress;
        auto result = pipeline.run({folder, 3, 1, 0}, progress);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
        QCOMPARE(result->clusters.size(), std::size_t(3));
        QVERIFY(!result->semantic);
        QCOMPARE(result->embedded, 15);
        QStringList names;
        for (const ClusterSummary &c : result->clusters) {
            QCOMPARE(c.size, 5);   // each look is one group
            const QString look = QFileInfo(c.members.first()).fileName().left(5);
            for (const QString &m : c.members)
                QCOMPARE(QFileInfo(m).fileName().left(5), look);
            names << c.name;
        }
        // Names come from what is known: the colour of the pixels.
        QVERIFY2(names.join(QLatin1Char(' ')).contains(QStringLiteral("red")), qPrintable(names.join(QStringLiteral(", "))));
        QVERIFY(names.join(QLatin1Char(' ')).contains(QStringLiteral("blue")));
        const auto run = (*catalog)->runs().latest(folder).value();
        QVERIFY(run.has_value());
        QCOMPARE(run->status, RunStatus::Done);
        QCOMPARE(run->modelId, m_descriptor.modelId());
        QCOMPARE(run->seed, quint64(1));
    }

    // A cluster the user named keeps its name through re-runs with another seed and another K;
    // when its photos are gone, the re-run says so instead of dropping the name silently.
    void renamedClusterKeepsItsNameThroughReRuns()
    {
        const QString folder = threeLooks();
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        QVERIFY(catalog.ok());
        Catalog &db = **catalog;
        Pipeline pipeline(db, services());
        Progress progress;
        // The cluster holding most of the red photos (look0_*).
        const auto redCluster = [&db](const PipelineResult &r) -> const ClusterSummary * {
            const ClusterSummary *best = nullptr;
            int bestCount = 0;
            for (const ClusterSummary &c : r.clusters) {
                int red = 0;
                const std::vector<PhotoRecord> members = db.runs().members(r.runId, c.index).value();
                for (const PhotoRecord &p : members)
                    red += QFileInfo(p.path).fileName().startsWith(QLatin1String("look0")) ? 1 : 0;
                if (red > bestCount) {
                    best = &c;
                    bestCount = red;
                }
            }
            return best;
        };
        auto first = pipeline.run({folder, 3, 1, 0}, progress);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error()));
        const ClusterSummary *red = redCluster(*first);
        QVERIFY(red);
        const auto clusters = db.runs().clusters(first->runId).value();
        QVERIFY(db.corrections().rename(clusters[std::size_t(red->index)].id, QStringLiteral("  Sunsets at  the lake ")).ok());
        const auto renamed = db.runs().clusters(first->runId).value();
        QCOMPARE(renamed[std::size_t(red->index)].name, QStringLiteral("Sunsets at the lake"));
        QCOMPARE(db.corrections().list(first->runId).value().size(), std::size_t(1));
        QCOMPARE(db.corrections().list(first->runId).value().front().kind, CorrectionKind::Rename);

        // Same K with other seeds, and a larger K (a look may split: the part that continues the
        // red cluster keeps the name). Merging looks (a smaller K) would make the choice arbitrary.
        for (const auto &[k, seed] : {std::pair{3, 7}, std::pair{4, 2}, std::pair{3, 13}}) {
            auto again = pipeline.run({folder, k, quint64(seed), 0}, progress);
            QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error()));
            const ClusterSummary *next = redCluster(*again);
            QVERIFY(next);
            QVERIFY2(next->name == QStringLiteral("Sunsets at the lake") && next->userNamed,
                     qPrintable(QStringLiteral("K = %1: %2").arg(k).arg(next->name)));
            int userNamed = 0;
            for (const ClusterSummary &c : again->clusters)
                userNamed += c.userNamed ? 1 : 0;
            QCOMPARE(userNamed, 1);
            QVERIFY(again->namesNotCarried.isEmpty());
            const auto corrections = db.corrections().list(again->runId).value();
            QCOMPARE(corrections.size(), std::size_t(1));
            QCOMPARE(corrections.front().kind, CorrectionKind::Carried);
            QCOMPARE(corrections.front().detail.value(QStringLiteral("name")).toString(), QStringLiteral("Sunsets at the lake"));
        }

        // The red photos are deleted: no cluster continues the named one.
        for (int i = 0; i < 5; ++i)
            QVERIFY(QFile::remove(QStringLiteral("%1/look0_%2.jpg").arg(folder).arg(i)));
        auto without = pipeline.run({folder, 2, 1, 0}, progress);
        QVERIFY2(without.ok(), qPrintable(without.ok() ? QString() : without.error()));
        QCOMPARE(without->namesNotCarried, QStringList{QStringLiteral("Sunsets at the lake")});
        for (const ClusterSummary &c : without->clusters)
            QVERIFY(!c.userNamed);
        const auto corrections = db.corrections().list(without->runId).value();
        QCOMPARE(corrections.size(), std::size_t(1));
        QCOMPARE(corrections.front().kind, CorrectionKind::Unmatched);

        // An empty name gives the computed one back, and is itself a recorded correction.
        const auto last = db.runs().clusters(without->runId).value();
        QVERIFY(db.corrections().rename(last[0].id, QStringLiteral("Forest")).ok());
        QCOMPARE(db.runs().clusters(without->runId).value()[0].name, QStringLiteral("Forest"));
        QVERIFY(db.corrections().rename(last[0].id, QString()).ok());
        QCOMPARE(db.runs().clusters(without->runId).value()[0].name, last[0].name);
        QCOMPARE(db.corrections().list(without->runId).value().size(), std::size_t(3));
        QVERIFY(!db.corrections().rename(987654, QStringLiteral("x")).ok());
    }

    void secondRunDecodesNothing()
    {
        const QString folder = threeLooks();
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        Pipeline pipeline(**catalog, services());
        Progress progress;
        QVERIFY(pipeline.run({folder, 3, 0, 0}, progress).ok());
        m_decoder.decodes = 0;
        auto again = pipeline.run({folder, 2, 0, 0}, progress);
        QVERIFY(again.ok());
        QCOMPARE(m_decoder.decodes.load(), 0);
        QCOMPARE(again->scan.unchanged, 15);
        QCOMPARE(again->embedded, 0);
        // One new photo: exactly one decode.
        test::writeJpeg(folder + QStringLiteral("/new.jpg"), 160, 120, Qt::yellow);
        auto third = pipeline.run({folder, 2, 0, 0}, progress);
        QVERIFY(third.ok());
        QCOMPARE(m_decoder.decodes.load(), 1);
    }

    void badArgumentsAndCancelGiveErrors()
    {
        const QString folder = threeLooks();
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        Pipeline pipeline(**catalog, services());
        Progress progress;
        auto tooMany = pipeline.run({folder, 16, 0, 0}, progress);
        QVERIFY(!tooMany.ok());
        QVERIFY(tooMany.error().contains(QStringLiteral("15 readable photos")));
        auto zero = pipeline.run({folder, 0, 0, 0}, progress);
        QVERIFY(!zero.ok());
        Progress cancelled;
        cancelled.cancel();
        auto stopped = pipeline.run({folder, 3, 0, 0}, cancelled);
        QVERIFY(!stopped.ok());
        QVERIFY(!(*catalog)->runs().latest(folder).value().has_value());
    }

    // Every broken, hostile or mislabelled file goes through scan + decode + cluster: no crash,
    // no hang; each unusable file is a recorded problem.
    void malformedFilesNeverStopARun()
    {
        CLADE_REQUIRE_SHARED("malformed");
        const QString folder = newFolder();
        const QDir source(test::sharedData(QStringLiteral("malformed")));
        int copied = 0;
        for (const QFileInfo &f : source.entryInfoList(QDir::Files)) {
            if (f.fileName() != QLatin1String("README.md") && f.fileName() != QLatin1String("MANIFEST.tsv"))
                copied += QFile::copy(f.filePath(), folder + QLatin1Char('/') + f.fileName()) ? 1 : 0;
        }
        for (int i = 0; i < 4; ++i)   // enough readable photos to ask for two groups
            test::writeJpeg(QStringLiteral("%1/good%2.jpg").arg(folder).arg(i), 120, 90, QColor::fromHsv(i * 90, 200, 200));
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        Pipeline pipeline(**catalog, services());
        Progress progress;
        QElapsedTimer timer;
        timer.start();
        auto result = pipeline.run({folder, 2, 0, 0}, progress);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
        int clustered = 0;
        for (const ClusterSummary &c : result->clusters)
            clustered += c.size;
        const auto failed = result->problems.size();
        qInfo("%d malformed files: %d clustered (readable despite damage), %zu problems recorded, %lld ms", copied, clustered - 4, failed,
              timer.elapsed());
        QVERIFY(clustered >= 4);
        QVERIFY(failed > std::size_t(copied / 2));
        for (const ProblemRecord &p : result->problems)
            QVERIFY2(!p.message.isEmpty(), qPrintable(p.path));
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
