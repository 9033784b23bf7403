#include "runcontroller.h"

#include <QMetaObject>

namespace clade {

namespace {

// Throttles progress reports so that a fast stage does not flood the GUI thread's queue.
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

} // namespace

RunController::RunController(QString catalogPath, PipelineServices services, QObject *parent)
    : QObject(parent)
    , m_catalogPath(std::move(catalogPath))
    , m_services(services)
    , m_workerContext(new QObject)
{
    m_thread.setObjectName(QStringLiteral("clade-pipeline"));
    m_workerContext->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_workerContext, &QObject::deleteLater);
    m_thread.start();
}

RunController::~RunController()
{
    if (m_progress)
        m_progress->cancel();
    m_thread.quit();
    m_thread.wait();
    // The worker thread has ended, so its catalog connection can be closed from here.
    m_catalog.reset();
}

bool RunController::start(const PipelineOptions &options)
{
    if (m_running)
        return false;
    m_running = true;
    m_eta.reset();
    m_clock.start();
    m_progress = makeProgress();
    auto progress = m_progress;
    QMetaObject::invokeMethod(m_workerContext, [this, options, progress] {
        const Outcome outcome = work(options, *progress);
        QMetaObject::invokeMethod(this, [this, outcome] { onDone(outcome); }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
    Q_EMIT started();
    return true;
}

void RunController::cancel()
{
    if (m_running && m_progress)
        m_progress->cancel();
}

std::shared_ptr<Progress> RunController::makeProgress()
{
    auto throttle = std::make_shared<ProgressThrottle>();
    // Timestamped on the worker, when the work was done, not when the GUI thread gets to it.
    const QElapsedTimer clock = m_clock;
    return std::make_shared<Progress>([this, throttle, clock](const QString &stage, qint64 done, qint64 total) {
        if (!throttle->pass(stage, done, total))
            return;
        const qint64 atMs = clock.elapsed();
        QMetaObject::invokeMethod(this, [this, stage, done, total, atMs] { onProgress(stage, done, total, atMs); },
                                  Qt::QueuedConnection);
    });
}

RunController::Outcome RunController::work(const PipelineOptions &options, Progress &progress)
{
    Outcome outcome;
    if (!m_catalog) {
        auto catalog = Catalog::open(m_catalogPath);
        if (!catalog) {
            outcome.error = catalog.error();
            return outcome;
        }
        m_catalog = std::move(catalog.value());
    }
    Pipeline pipeline(*m_catalog, m_services);
    auto result = pipeline.run(options, progress);
    // A cancel that came too late to stop the run still leaves a finished run behind.
    if (result)
        outcome.runId = result->runId;
    else if (progress.cancelled())
        outcome.cancelled = true;
    else
        outcome.error = result.error();
    return outcome;
}

void RunController::onProgress(const QString &stage, qint64 done, qint64 total, qint64 atMs)
{
    if (!m_running)
        return;
    const qint64 eta = m_eta.update(stage, done, total, atMs);
    Q_EMIT progressChanged(stage, done, total, eta, m_eta.itemsPerSecond());
}

void RunController::onDone(const Outcome &outcome)
{
    m_running = false;
    m_progress.reset();
    if (outcome.cancelled)
        Q_EMIT cancelled();
    else if (!outcome.error.isEmpty())
        Q_EMIT failed(outcome.error);
    else
        Q_EMIT finished(outcome.runId);
}

} // namespace clade
