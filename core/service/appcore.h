#pragma once
// The application core: one worker thread that alone owns the loaded model (the engine), the
// clusterer and the catalog's write connection. Runs, corrections, splits, searches, text
// encoding, diagnostics, settings changes and model loads are queued requests, done one after
// another on that thread and answered by signals carrying Results on the caller's thread.
// Qt Core only: the GUI and the CLI both use it.

#include "pipeline/corrections.h"
#include "pipeline/pipeline.h"
#include "pipeline/rundiagnostics.h"
#include "service/etaestimator.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace clade {

// The model-dependent services. app/ builds one (with CLIP, or the look-based fallback); from
// then on only AppCore's worker touches it.
struct Engine
{
    std::unique_ptr<FeatureExtractor> extractor;
    std::unique_ptr<Clusterer> clusterer;
    // CLIP's text tower ("dog on a beach"); empty without CLIP.
    std::function<Result<std::vector<float>>(const QString &text)> encodeText;
    // Names a stored run's groups again from the engine's vocabulary, without clustering again
    // (CLIP only; empty otherwise). Called on the worker with its catalog connection.
    std::function<Result<std::vector<ClusterRecord>>(Catalog &catalog, qint64 runId, Progress *progress)> renameRun;
    bool semantic = false;   // CLIP present: names by meaning; else grouped by look
    QString description;     // one line for the user: what features and method are used
};

// Builds an engine; called on the worker (it may read and checksum hundreds of MB of weights).
using EngineLoader = std::function<Result<Engine>()>;

// What the caller may know of the worker's engine: plain values, copied when it changes.
struct EngineInfo
{
    bool loaded = false;
    int generation = 0;   // counts loads: a new engine has its clusterer's defaults again
    bool semantic = false;
    bool canEncodeText = false;
    QString modelId;   // the feature extractor's (a CLIP model's id, or the look descriptor's)
    QString description;
    QString method;                                // the clusterer's, empty without one
    std::vector<Hyperparameter> hyperparameters;   // the clusterer's, with current values
};

// One correction of a stored run (see Corrections), or the undo or redo of an earlier one.
struct CorrectionRequest
{
    enum class Kind { Rename, Move, Merge, Split, SetLocked, Create, Undo, Redo };
    Kind kind = Kind::Rename;
    qint64 runId = 0;
    int group = -1;               // Rename, Merge (from), Split, SetLocked
    int target = -1;              // Move (to), Merge (into)
    std::vector<qint64> photos;   // Move
    int parts = 2;                // Split
    quint64 seed = 0;             // Split: its k-means's seed
    bool locked = true;           // SetLocked
    QString name;                 // Rename (empty: the computed name again), Create
    CorrectionStep step;          // Undo, Redo
};

// "Photos like this" across the whole catalog: a text (CLIP's text tower), one photo's features
// (both under the loaded model) or a group's centre (under its run's model). The hits are cut
// adaptively (pipeline/search.h); offset and limit page through them.
struct SearchRequest
{
    enum class Kind { Text, Photo, Group };
    Kind kind = Kind::Text;
    qint64 runId = 0;   // the run shown when it was asked for; Group: the group's run
    QString text;
    qint64 photoId = 0;
    int group = -1;
    int offset = 0;
    int limit = 10000;   // a page; the window shows them all
};

struct SearchResults
{
    std::vector<PhotoRecord> photos;   // this page, best first
    std::vector<float> scores;         // their cosines to the query, -1..1
    int total = 0;                     // hits the adaptive cut kept, over all pages
};

class AppCore : public QObject
{
    Q_OBJECT

public:
    // catalogPath: the worker opens its own (writing) connection to it, on first use. decoder
    // and metadata are not owned, must outlive this object and be thread-safe (previews use
    // the decoder too).
    AppCore(QString catalogPath, const ImageDecoder *decoder, const MetadataReader *metadata, QObject *parent = nullptr);
    // Cancels a run in progress, drops queued requests and waits for the worker.
    ~AppCore() override;

    // Replaces the engine with what `loader` builds, on the worker, after the requests before
    // it. engineChanged() or engineFailed() answers; until then engine() is the old one.
    void loadEngine(EngineLoader loader);
    const EngineInfo &engine() const { return m_engine; }
    // Sets the clusterer's settings (key, value); engineChanged() follows, or settingsFailed()
    // with the first refused value (those before it are kept).
    void setHyperparameters(std::vector<std::pair<QString, double>> values);

    // Starts a run after the requests before it; false while one is running.
    bool startRun(const PipelineOptions &options);
    // Asks the running pipeline to stop at its next check; runCancelled() follows.
    void cancelRun();
    bool isRunning() const { return m_running; }

    // Each answers with the signal of the same name; the ticket tells answers apart.
    quint64 correct(CorrectionRequest request);
    quint64 search(SearchRequest request);
    quint64 diagnose(qint64 runId);
    // The run's groups named again from the loaded vocabulary (Engine::renameRun): renamed().
    quint64 renameRun(qint64 runId);

    // Requests sent and not yet answered (a run counts as one).
    int pending() const { return m_pending; }
    // The catalog path the worker writes to.
    QString catalogPath() const { return m_catalogPath; }

Q_SIGNALS:
    void engineChanged(const clade::EngineInfo &info);
    void engineFailed(const QString &message);
    void settingsFailed(const QString &message);

    void runStarted();
    // etaMs: estimated time left in this stage, -1 while unknown; perSecond: the stage's items
    // (photos while embedding) per second, smoothed, -1 while unknown.
    void runProgress(const QString &stage, qint64 done, qint64 total, qint64 etaMs, double perSecond);
    // What the run made (the CLI prints it), then runFinished() with its id.
    void runResult(const clade::PipelineResult &result);
    void runFinished(qint64 runId);
    void runCancelled();
    void runFailed(const QString &message);

    void corrected(quint64 ticket, const clade::CorrectionRequest &request, const clade::Result<clade::CorrectionStep> &step);
    // The page of hits asked for, best first, or why not.
    void searched(quint64 ticket, const clade::SearchRequest &request, const clade::Result<clade::SearchResults> &results);
    void diagnosed(quint64 ticket, qint64 runId, const clade::Result<clade::RunDiagnostics> &diagnostics);
    // The run's groups as now stored, or why they could not be named again.
    void renamed(quint64 ticket, qint64 runId, const clade::Result<std::vector<clade::ClusterRecord>> &clusters);
    // Every answer has been delivered (pending() is 0).
    void idle();

private:
    struct Worker;   // what the worker thread owns; only touched there

    // Queues `work` on the worker; its returned function is called back on this object's thread.
    void post(std::function<std::function<void()>(Worker &)> work);
    void answered();
    void onProgress(const QString &stage, qint64 done, qint64 total, qint64 atMs);

    QString m_catalogPath;
    std::unique_ptr<Worker> m_worker;
    QThread m_thread;
    QObject *m_workerContext;   // lives on m_thread; runs the queued work
    EngineInfo m_engine;
    std::shared_ptr<Progress> m_progress;   // of the current run
    EtaEstimator m_eta;
    QElapsedTimer m_clock;
    bool m_running = false;
    int m_pending = 0;
    quint64 m_lastTicket = 0;
};

}   // namespace clade
