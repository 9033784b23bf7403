#pragma once

#include "common/progress.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

class QProgressBar;

#include <functional>
#include <memory>

namespace clade {

// The one way ui/ runs work off the GUI thread (the export dialog, diagnostics, previews):
// QtConcurrent on a pool of this task's own, a QFutureWatcher to come back. `work` runs on that
// pool with a Progress it should check; it returns what to do with its result on the owner's
// (GUI) thread, which runs when it ends, unless the task was cancelled by start() or by the
// destructor. Progress reports arrive as progressed(), queued. The destructor cancels and waits,
// so `work` may use what its owner owns. One piece of work at a time, in order: start()
// cancels the work before it without waiting (its result is dropped) and queues the next.
class BackgroundTask : public QObject
{
    Q_OBJECT
public:
    using Delivery = std::function<void()>;
    using Work = std::function<Delivery(Progress &)>;

    explicit BackgroundTask(QObject *parent = nullptr);
    ~BackgroundTask() override;

    void start(Work work);
    bool running() const;
    void cancel();          // asks the work to stop; what it returns is still delivered
    void discard();         // asks it to stop and drops its result, without waiting
    void cancelAndWait();   // and waits for it, dropping its result (blocks: for closing)

Q_SIGNALS:
    void progressed(const QString &stage, qint64 done, qint64 total);
    void finished();   // after the delivery of the latest work's result

private:
    void deliver();

    QThreadPool m_pool;
    QFutureWatcher<Delivery> m_watcher;
    std::shared_ptr<Progress> m_progress;
    bool m_dropResult = false;
};

// `bar` follows the task's progress (done of total; a total of 0 shows as 0 of 1).
void showProgressOn(BackgroundTask &task, QProgressBar *bar);

}   // namespace clade
