#pragma once

#include "etaestimator.h"
#include "pipeline/pipeline.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>

#include <memory>

namespace clade {

// Runs the pipeline on one long-lived worker thread, which owns its own catalog connection and
// the services' extractor while a run lasts. The public API and all signals are on the GUI
// thread; only plain values cross between the threads.
class RunController : public QObject
{
    Q_OBJECT

public:
    // services are not owned and must outlive this object; the worker uses them while a run lasts.
    RunController(QString catalogPath, PipelineServices services, QObject *parent = nullptr);
    ~RunController() override;   // cancels a run in progress and waits for the worker

    bool isRunning() const { return m_running; }
    // Starts a run; false (and nothing happens) while one is already running.
    bool start(const PipelineOptions &options);
    // Asks the running pipeline to stop at its next check; cancelled() follows.
    void cancel();

Q_SIGNALS:
    void started();
    // etaMs: estimated time left in this stage, -1 while unknown; perSecond: the stage's items
    // (photos while embedding) per second, smoothed, -1 while unknown.
    void progressChanged(const QString &stage, qint64 done, qint64 total, qint64 etaMs, double perSecond);
    void finished(qint64 runId);
    void cancelled();
    void failed(const QString &message);

private:
    struct Outcome
    {
        qint64 runId = 0;
        bool cancelled = false;
        QString error;
    };

    Outcome work(const PipelineOptions &options, Progress &progress);   // worker thread
    void onProgress(const QString &stage, qint64 done, qint64 total, qint64 atMs);
    void onDone(const Outcome &outcome);
    std::shared_ptr<Progress> makeProgress();

    QString m_catalogPath;
    PipelineServices m_services;
    QThread m_thread;
    QObject *m_workerContext;               // lives on m_thread; runs the queued work
    std::unique_ptr<Catalog> m_catalog;     // the worker's writer connection, opened lazily there
    std::shared_ptr<Progress> m_progress;   // of the current run
    EtaEstimator m_eta;
    QElapsedTimer m_clock;                  // started before a run; read by the worker too
    bool m_running = false;
};

} // namespace clade
