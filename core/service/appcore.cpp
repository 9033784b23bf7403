#include "appcore.h"

#include "common/threadhandover.h"

#include "pipeline/search.h"

#include <QMetaObject>

#include <algorithm>

namespace clade {

namespace {

// Throttles progress reports so that a fast stage does not flood the caller's queue.
// Used on the worker thread only.
struct ProgressThrottle
{
    QElapsedTimer clock;
    QString stage;

    bool pass(const QString &newStage, qint64 done, qint64 total)
    {
        const bool stageChanged = newStage != stage;
        if (!stageChanged && done < total && clock.isValid() && clock.elapsed() < 100)
            return false;
        stage = newStage;
        clock.start();
        return true;
    }
};

EngineInfo describe(const Engine &engine, int generation)
{
    EngineInfo info;
    info.loaded = true;
    info.generation = generation;
    info.semantic = engine.semantic;
    info.canEncodeText = bool(engine.encodeText);
    info.description = engine.description;
    if (engine.extractor)
        info.modelId = engine.extractor->modelId();
    if (engine.clusterer) {
        info.method = clusterMethodName(engine.clusterer->method());
        info.hyperparameters = engine.clusterer->hyperparameters();
    }
    return info;
}

}   // namespace

struct AppCore::Worker
{
    QString catalogPath;
    const ImageDecoder *decoder = nullptr;
    const MetadataReader *metadata = nullptr;
    Engine engine;
    int generation = 0;                 // engines loaded so far
    std::unique_ptr<Catalog> catalog;   // the one writing connection, opened on first use

    Result<Catalog *> writer()
    {
        if (!catalog) {
            Result<std::unique_ptr<Catalog>> opened = Catalog::open(catalogPath);
            if (!opened)
                return opened.takeError();
            catalog = std::move(*opened);
        }
        return catalog.get();
    }

    Result<CorrectionStep> correct(const CorrectionRequest &r)
    {
        Result<Catalog *> db = writer();
        if (!db)
            return db.takeError();
        Corrections corrections(**db, r.runId);
        switch (r.kind) {
        case CorrectionRequest::Kind::Rename: return corrections.rename(r.group, r.name);
        case CorrectionRequest::Kind::Move: return corrections.move(r.photos, r.target);
        case CorrectionRequest::Kind::Merge: return corrections.merge(r.group, r.target);
        case CorrectionRequest::Kind::Split: return corrections.split(r.group, r.parts, r.seed);
        case CorrectionRequest::Kind::SetLocked: return corrections.setLocked(r.group, r.locked);
        case CorrectionRequest::Kind::Create: return corrections.create(r.name);
        case CorrectionRequest::Kind::Undo:
        case CorrectionRequest::Kind::Redo: {
            const bool undo = r.kind == CorrectionRequest::Kind::Undo;
            if (Status s = undo ? corrections.undo(r.step) : corrections.redo(r.step); !s)
                return s.takeError();
            return r.step;
        }
        }
        return fail(QStringLiteral("Unknown correction"));
    }

    Result<SearchResults> search(const SearchRequest &r)
    {
        Result<Catalog *> db = writer();
        if (!db)
            return db.takeError();
        QString modelId = engine.extractor ? engine.extractor->modelId() : QString();
        Result<std::vector<float>> query = fail(QStringLiteral("Unknown search"));
        SearchCut cut = photoSearchCut();
        switch (r.kind) {
        case SearchRequest::Kind::Text:
            query = engine.encodeText ? engine.encodeText(r.text)
                                      : Result<std::vector<float>>(fail(QStringLiteral("Search by description needs a CLIP model")));
            cut = textSearchCut();
            break;
        case SearchRequest::Kind::Photo: query = catalogPhotoQuery(**db, modelId, r.photoId); break;
        case SearchRequest::Kind::Group: {
            // The group's centre lives in its run's features: the catalog is searched under them.
            Result<std::optional<RunRecord>> run = (*db)->runs().get(r.runId);
            if (!run || !*run)
                return fail(run ? QStringLiteral("Run %1 does not exist").arg(r.runId) : run.error());
            modelId = (*run)->modelId;
            query = groupQuery(**db, r.runId, r.group);
            break;
        }
        }
        if (!query)
            return query.takeError();
        Result<std::vector<SearchHit>> hits = searchCatalog(**db, modelId, *query, cut);
        if (!hits)
            return hits.takeError();
        SearchResults results;
        results.total = int(hits->size());
        const std::size_t from = std::size_t(std::clamp(r.offset, 0, results.total));
        const std::size_t to = std::min(hits->size(), from + std::size_t(std::max(r.limit, 0)));
        for (std::size_t i = from; i < to; ++i) {
            Result<std::optional<PhotoRecord>> photo = (*db)->photos().byId((*hits)[i].photoId);
            if (!photo)
                return photo.takeError();
            if (*photo) {
                results.photos.push_back(std::move(**photo));
                results.scores.push_back((*hits)[i].score);
            }
        }
        return results;
    }
};

AppCore::AppCore(QString catalogPath, const ImageDecoder *decoder, const MetadataReader *metadata, QObject *parent)
    : QObject(parent), m_catalogPath(std::move(catalogPath)), m_worker(std::make_unique<Worker>()), m_workerContext(new QObject)
{
    m_worker->catalogPath = m_catalogPath;
    m_worker->decoder = decoder;
    m_worker->metadata = metadata;
    m_thread.setObjectName(QStringLiteral("clade-core"));
    m_workerContext->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_workerContext, &QObject::deleteLater);
    m_thread.start();
}

AppCore::~AppCore()
{
    if (m_progress)
        m_progress->cancel();
    // Requests still queued are dropped with the worker's event loop; the one in progress ends.
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    // The worker thread has ended, so what it owned can go from here.
    m_worker.reset();
}

void AppCore::post(std::function<std::function<void()>(Worker &)> work)
{
    ++m_pending;
    QMetaObject::invokeMethod(
        m_workerContext,
        [this, work = std::move(work), mark = tsan::HandOverMark()] {
            tsan::takeOver();
            if (QThread::currentThread()->isInterruptionRequested())
                return;
            std::function<void()> answer = work(*m_worker);
            QMetaObject::invokeMethod(
                this,
                [this, answer = std::move(answer), mark = tsan::HandOverMark()] {
                    tsan::takeOver();
                    answer();
                    answered();
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void AppCore::answered()
{
    if (--m_pending == 0)
        Q_EMIT idle();
}

void AppCore::loadEngine(EngineLoader loader)
{
    post([this, loader = std::move(loader)](Worker &worker) -> std::function<void()> {
        Result<Engine> engine = loader();
        if (!engine)
            return [this, message = engine.error()] { Q_EMIT engineFailed(message); };
        worker.engine = std::move(*engine);
        return [this, info = describe(worker.engine, ++worker.generation)] {
            m_engine = info;
            Q_EMIT engineChanged(m_engine);
        };
    });
}

void AppCore::setHyperparameters(std::vector<std::pair<QString, double>> values)
{
    post([this, values = std::move(values)](Worker &worker) -> std::function<void()> {
        Status set = worker.engine.clusterer ? applyHyperparameters(*worker.engine.clusterer, values)
                                             : Status(fail(QStringLiteral("There is no clusterer to set up")));
        return [this, message = set ? QString() : set.error(), info = describe(worker.engine, worker.generation)] {
            m_engine = info;
            if (!message.isEmpty())
                Q_EMIT settingsFailed(message);
            Q_EMIT engineChanged(m_engine);
        };
    });
}

bool AppCore::startRun(const PipelineOptions &options)
{
    if (m_running)
        return false;
    m_running = true;
    m_eta.reset();
    m_clock.start();
    auto throttle = std::make_shared<ProgressThrottle>();
    // Timestamped on the worker, when the work was done, not when this thread gets to it.
    const QElapsedTimer clock = m_clock;
    m_progress = std::make_shared<Progress>([this, throttle, clock](const QString &stage, qint64 done, qint64 total) {
        if (!throttle->pass(stage, done, total))
            return;
        const qint64 atMs = clock.elapsed();
        QMetaObject::invokeMethod(
            this,
            [this, stage, done, total, atMs, mark = tsan::HandOverMark()] {
                tsan::takeOver();
                onProgress(stage, done, total, atMs);
            },
            Qt::QueuedConnection);
    });
    post([this, options, progress = m_progress](Worker &worker) -> std::function<void()> {
        const auto stopped = [this](std::function<void()> say) {
            return [this, say = std::move(say)] {
                m_running = false;
                m_progress.reset();
                say();
            };
        };
        Result<Catalog *> db = worker.writer();
        if (!db)
            return stopped([this, message = db.error()] { Q_EMIT runFailed(message); });
        if (!worker.engine.extractor || !worker.engine.clusterer)
            return stopped([this] { Q_EMIT runFailed(QStringLiteral("No model is loaded")); });
        Pipeline pipeline(**db, {worker.decoder, worker.metadata, worker.engine.extractor.get(), worker.engine.clusterer.get()});
        Result<PipelineResult> result = pipeline.run(options, *progress);
        // A cancel that came too late to stop the run still leaves a finished run behind.
        if (result)
            return stopped([this, made = std::move(*result)] {
                Q_EMIT runResult(made);
                Q_EMIT runFinished(made.runId);
            });
        if (progress->cancelled())
            return stopped([this] { Q_EMIT runCancelled(); });
        return stopped([this, message = result.error()] { Q_EMIT runFailed(message); });
    });
    Q_EMIT runStarted();
    return true;
}

void AppCore::cancelRun()
{
    if (m_running && m_progress)
        m_progress->cancel();
}

void AppCore::onProgress(const QString &stage, qint64 done, qint64 total, qint64 atMs)
{
    if (!m_running)
        return;
    const qint64 eta = m_eta.update(stage, done, total, atMs);
    Q_EMIT runProgress(stage, done, total, eta, m_eta.itemsPerSecond());
}

quint64 AppCore::correct(CorrectionRequest request)
{
    const quint64 ticket = ++m_lastTicket;
    post([this, ticket, request = std::move(request)](Worker &worker) -> std::function<void()> {
        return [this, ticket, request, step = worker.correct(request)] { Q_EMIT corrected(ticket, request, step); };
    });
    return ticket;
}

quint64 AppCore::search(SearchRequest request)
{
    const quint64 ticket = ++m_lastTicket;
    post([this, ticket, request = std::move(request)](Worker &worker) -> std::function<void()> {
        return [this, ticket, request, results = worker.search(request)] { Q_EMIT searched(ticket, request, results); };
    });
    return ticket;
}

quint64 AppCore::diagnose(qint64 runId)
{
    const quint64 ticket = ++m_lastTicket;
    post([this, ticket, runId](Worker &worker) -> std::function<void()> {
        Result<Catalog *> db = worker.writer();
        Result<RunDiagnostics> diagnostics = db ? diagnoseRun(**db, runId) : Result<RunDiagnostics>(db.takeError());
        return [this, ticket, runId, diagnostics = std::move(diagnostics)] { Q_EMIT diagnosed(ticket, runId, diagnostics); };
    });
    return ticket;
}

quint64 AppCore::renameRun(qint64 runId)
{
    const quint64 ticket = ++m_lastTicket;
    post([this, ticket, runId](Worker &worker) -> std::function<void()> {
        Result<std::vector<ClusterRecord>> clusters = fail(QStringLiteral("Naming groups by meaning needs a CLIP model"));
        if (worker.engine.renameRun) {
            Result<Catalog *> db = worker.writer();
            Progress progress;
            clusters = db ? worker.engine.renameRun(**db, runId, &progress) : Result<std::vector<ClusterRecord>>(db.takeError());
        }
        return [this, ticket, runId, clusters = std::move(clusters)] { Q_EMIT renamed(ticket, runId, clusters); };
    });
    return ticket;
}

}   // namespace clade
