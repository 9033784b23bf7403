// AppCore against real components: a real catalog file, real JPEGs, the look-based extractor and
// k-means. Every request goes to the one worker thread and is answered on this one, in order.

#include "cluster/kmeansclusterer.h"
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "service/appcore.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <atomic>

using namespace clade;

namespace {

// The look-based engine; `loadedOn` gets the thread that built it.
EngineLoader lookEngine(std::shared_ptr<std::atomic<QThread *>> loadedOn = {})
{
    return [loadedOn]() -> Result<Engine> {
        if (loadedOn)
            loadedOn->store(QThread::currentThread());
        Engine engine;
        engine.extractor = std::make_unique<VisualDescriptor>();
        engine.clusterer = std::make_unique<KMeansClusterer>();
        engine.description = QStringLiteral("by look");
        return engine;
    };
}

double valueOf(const EngineInfo &info, const QString &key)
{
    for (const Hyperparameter &p : info.hyperparameters)
        if (p.key == key)
            return p.value;
    return -1;
}

}   // namespace

class TestAppCore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_folder;
    Exiv2MetadataReader m_metadata;
    OpenCvDecoder m_decoder{&m_metadata};

    QString catalogPath(const QString &name) const { return m_dir.filePath(name + QStringLiteral(".sqlite")); }

    // A finished run of the folder through `core`; 0 on failure.
    qint64 run(AppCore &core, int k = 3)
    {
        QSignalSpy finished(&core, &AppCore::runFinished);
        QSignalSpy failed(&core, &AppCore::runFailed);
        PipelineOptions options;
        options.folder = m_folder;
        options.k = k;
        if (!core.startRun(options))
            return 0;
        if (!finished.wait(60000) && failed.isEmpty())
            return 0;
        return finished.isEmpty() ? 0 : finished.first().first().toLongLong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_folder = m_dir.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(m_folder));
        const QColor bases[] = {QColor(200, 40, 30), QColor(30, 140, 60), QColor(40, 60, 200)};
        for (int family = 0; family < 3; ++family)
            for (int variant = 0; variant < 6; ++variant)
                QVERIFY(test::writeJpeg(QStringLiteral("%1/p%2-%3.jpg").arg(m_folder).arg(family).arg(variant), 160, 120, bases[family], 90,
                                        variant));
    }

    // The model is built on the worker, never on the caller's thread, and what the caller
    // learns of it is a copy.
    void engineIsLoadedOnTheWorker()
    {
        AppCore core(catalogPath(QStringLiteral("load")), &m_decoder, &m_metadata);
        QVERIFY(!core.engine().loaded);
        auto loadedOn = std::make_shared<std::atomic<QThread *>>(nullptr);
        QSignalSpy changed(&core, &AppCore::engineChanged);
        core.loadEngine(lookEngine(loadedOn));
        QCOMPARE(core.pending(), 1);
        QVERIFY(changed.wait(10000));
        QVERIFY(loadedOn->load() != nullptr);
        QVERIFY(loadedOn->load() != QThread::currentThread());
        QVERIFY(core.engine().loaded);
        QCOMPARE(core.engine().generation, 1);
        QVERIFY(!core.engine().semantic);
        QVERIFY(!core.engine().canEncodeText);
        QCOMPARE(core.engine().method, QStringLiteral("kmeans"));
        QCOMPARE(valueOf(core.engine(), QStringLiteral("restarts")), 10.0);
        QCOMPARE(core.pending(), 0);
    }

    // A load that fails says why and keeps the engine in use; a run still works with it.
    void failedLoadKeepsTheEngine()
    {
        AppCore core(catalogPath(QStringLiteral("fail")), &m_decoder, &m_metadata);
        QSignalSpy changed(&core, &AppCore::engineChanged);
        QSignalSpy failed(&core, &AppCore::engineFailed);
        core.loadEngine(lookEngine());
        core.loadEngine([]() -> Result<Engine> { return fail(QStringLiteral("weights.safetensors: checksum mismatch")); });
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(failed.first().first().toString(), QStringLiteral("weights.safetensors: checksum mismatch"));
        QVERIFY(core.engine().loaded);
        QCOMPARE(core.engine().generation, 1);
        QVERIFY(run(core) > 0);
    }

    void runWithoutAnEngineFailsClearly()
    {
        AppCore core(catalogPath(QStringLiteral("none")), &m_decoder, &m_metadata);
        QSignalSpy failed(&core, &AppCore::runFailed);
        QSignalSpy idle(&core, &AppCore::idle);
        PipelineOptions options;
        options.folder = m_folder;
        options.k = 2;
        QVERIFY(core.startRun(options));
        QVERIFY(core.isRunning());
        QVERIFY(!core.startRun(options));   // one run at a time
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().toString(), QStringLiteral("No model is loaded"));
        QVERIFY(!core.isRunning());
        QTRY_COMPARE(idle.size(), 1);
    }

    // Settings reach the worker's clusterer in order with the other requests; a refused value
    // says why and leaves the value before it.
    void settingsGoToTheWorkersClusterer()
    {
        AppCore core(catalogPath(QStringLiteral("settings")), &m_decoder, &m_metadata);
        QSignalSpy refused(&core, &AppCore::settingsFailed);
        core.loadEngine(lookEngine());
        core.setHyperparameters({{QStringLiteral("restarts"), 3}});
        QTRY_COMPARE(valueOf(core.engine(), QStringLiteral("restarts")), 3.0);
        const qint64 runId = run(core, 2);
        QVERIFY(runId > 0);
        core.setHyperparameters({{QStringLiteral("restarts"), 0}});
        QTRY_COMPARE(refused.size(), 1);
        QVERIFY2(refused.first().first().toString().contains(QStringLiteral("restarts")), qPrintable(refused.first().first().toString()));
        QCOMPARE(valueOf(core.engine(), QStringLiteral("restarts")), 3.0);
        // The run recorded the setting it used.
        auto catalog = Catalog::open(core.catalogPath());
        QVERIFY(catalog.ok());
        QCOMPARE((*catalog)->runs().get(runId).value()->params.value(QStringLiteral("restarts")).toDouble(), 3.0);
    }

    // Corrections, their undo, searches and diagnostics are answered in the order they were
    // asked, each with its ticket; the catalog holds what the answers say.
    void requestsAreAnsweredInOrder()
    {
        AppCore core(catalogPath(QStringLiteral("order")), &m_decoder, &m_metadata);
        core.loadEngine(lookEngine());
        const qint64 runId = run(core);
        QVERIFY(runId > 0);
        auto reader = Catalog::open(core.catalogPath());
        QVERIFY(reader.ok());
        const std::size_t groups = (*reader)->runs().clusters(runId).value().size();

        QList<quint64> order;
        std::optional<CorrectionStep> created;
        QString refusal;
        connect(&core, &AppCore::corrected, this,
                [&](quint64 ticket, const CorrectionRequest &request, const Result<CorrectionStep> &step) {
                    order << ticket;
                    if (request.kind == CorrectionRequest::Kind::Create && step)
                        created = *step;
                    if (!step)
                        refusal = step.error();
                });
        std::vector<PhotoRecord> found;
        connect(&core, &AppCore::searched, this, [&](quint64 ticket, const SearchRequest &, const Result<SearchResults> &results) {
            order << ticket;
            QVERIFY2(results.ok(), qPrintable(results.ok() ? QString() : results.error()));
            found = results->photos;
            QCOMPARE(results->scores.size(), results->photos.size());
            QVERIFY(results->total >= int(results->photos.size()));
        });
        bool diagnosed = false;
        connect(&core, &AppCore::diagnosed, this, [&](quint64 ticket, qint64 id, const Result<RunDiagnostics> &result) {
            order << ticket;
            diagnosed = id == runId && result.ok() && result->clusters.size() == groups + 1;   // after the new group
        });

        CorrectionRequest create;
        create.kind = CorrectionRequest::Kind::Create;
        create.runId = runId;
        create.name = QStringLiteral("Keepers");
        const quint64 first = core.correct(create);
        CorrectionRequest merge;   // refused by the worker: a group into itself
        merge.kind = CorrectionRequest::Kind::Merge;
        merge.runId = runId;
        merge.group = 0;
        merge.target = 0;
        const quint64 second = core.correct(merge);
        const PhotoRecord probe = (*reader)->runs().members(runId, 0).value().front();
        SearchRequest like;
        like.kind = SearchRequest::Kind::Photo;
        like.runId = runId;
        like.photoId = probe.id;
        const quint64 third = core.search(like);
        const quint64 fourth = core.diagnose(runId);
        QCOMPARE(core.pending(), 4);
        QTRY_COMPARE(core.pending(), 0);
        QCOMPARE(order, (QList<quint64>{first, second, third, fourth}));
        QVERIFY(created.has_value());
        QVERIFY(!refusal.isEmpty());
        QCOMPARE((*reader)->runs().clusters(runId).value().size(), groups + 1);
        QCOMPARE((*reader)->runs().clusters(runId).value()[std::size_t(created->madeClusters.front())].userName, QStringLiteral("Keepers"));
        QVERIFY(!found.empty());
        QCOMPARE(found.front().id, probe.id);   // a photo is most like itself
        QVERIFY(diagnosed);

        // A move into the new group and its undo, through the worker too.
        const int made = created->madeClusters.front();
        std::optional<CorrectionStep> moved;
        connect(&core, &AppCore::corrected, this, [&](quint64, const CorrectionRequest &request, const Result<CorrectionStep> &step) {
            if (request.kind == CorrectionRequest::Kind::Move && step)
                moved = *step;
        });
        CorrectionRequest move;
        move.kind = CorrectionRequest::Kind::Move;
        move.runId = runId;
        move.photos = {probe.id};
        move.target = made;
        core.correct(move);
        QTRY_COMPARE(core.pending(), 0);
        QVERIFY(moved.has_value());
        QCOMPARE((*reader)->runs().members(runId, made).value().size(), std::size_t(1));
        CorrectionRequest undo;
        undo.kind = CorrectionRequest::Kind::Undo;
        undo.runId = runId;
        undo.step = *moved;
        core.correct(undo);
        QTRY_COMPARE(core.pending(), 0);
        QVERIFY((*reader)->runs().members(runId, made).value().empty());
        const auto back = (*reader)->runs().members(runId, 0).value();
        QVERIFY(std::any_of(back.begin(), back.end(), [&probe](const PhotoRecord &p) { return p.id == probe.id; }));
    }

    // Destroying the core with requests queued behind slow work neither hangs nor delivers
    // answers to a caller that is gone.
    void destructionDropsQueuedRequests()
    {
        int answers = 0;
        QElapsedTimer clock;
        {
            AppCore core(catalogPath(QStringLiteral("drop")), &m_decoder, &m_metadata);
            connect(&core, &AppCore::engineChanged, this, [&answers] { ++answers; });
            connect(&core, &AppCore::diagnosed, this, [&answers] { ++answers; });
            core.loadEngine([]() -> Result<Engine> {
                QThread::msleep(300);
                return lookEngine()();
            });
            for (int i = 0; i < 50; ++i)
                core.diagnose(1);
            clock.start();
        }
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QCoreApplication::processEvents();
        QCOMPARE(answers, 0);
    }
};

QTEST_GUILESS_MAIN(TestAppCore)
#include "tst_appcore.moc"
