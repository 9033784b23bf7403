#include "backgroundtask.h"

#include "common/threadhandover.h"

#include <QProgressBar>
#include <QtConcurrent/QtConcurrentRun>

namespace clade {

BackgroundTask::BackgroundTask(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);   // one piece of work at a time, in the order started
    connect(&m_watcher, &QFutureWatcher<Delivery>::finished, this, &BackgroundTask::deliver);
}

BackgroundTask::~BackgroundTask()
{
    cancelAndWait();
}

void BackgroundTask::start(Work work)
{
    cancel();   // superseded: it stops at its next check, or is skipped if it has not begun
    auto progress = std::make_shared<Progress>([this](const QString &stage, qint64 done, qint64 total) {
        QMetaObject::invokeMethod(
            this,
            [this, stage, done, total, mark = tsan::HandOverMark()] {
                tsan::takeOver();
                Q_EMIT progressed(stage, done, total);
            },
            Qt::QueuedConnection);
    });
    m_progress = progress;
    m_dropResult = false;
    // setFuture() stops watching the previous future and discards what it still had queued.
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [work = std::move(work), progress, mark = tsan::HandOverMark()]() -> Delivery {
        tsan::takeOver();
        if (progress->cancelled())
            return {};
        Delivery delivery = work(*progress);
        tsan::handOver();   // the result reaches the owner's thread through QFutureWatcher
        return delivery;
    }));
}

// Until the result is delivered: the watcher reports finished before deliver() has run.
bool BackgroundTask::running() const
{
    return m_progress != nullptr;
}

void BackgroundTask::cancel()
{
    if (m_progress)
        m_progress->cancel();
}

void BackgroundTask::discard()
{
    cancel();
    m_dropResult = true;
    m_progress.reset();
}

void BackgroundTask::cancelAndWait()
{
    cancel();
    m_dropResult = true;    // the watcher's finished() may still be queued: deliver() ignores it
    m_pool.waitForDone();   // superseded work too: it may use what the owner owns
    m_progress.reset();
}

void BackgroundTask::deliver()
{
    tsan::takeOver();
    QFuture<Delivery> future = m_watcher.future();
    if (m_dropResult || future.resultCount() == 0)
        return;
    // Taken, not copied: a delivery may carry a large result (a group of 25,000 photos), and a
    // copy of it would be made and freed on the GUI thread.
    const Delivery delivery = future.takeResult();
    m_progress.reset();
    if (delivery)
        delivery();
    Q_EMIT finished();
}

void showProgressOn(BackgroundTask &task, QProgressBar *bar)
{
    QObject::connect(&task, &BackgroundTask::progressed, bar, [bar](const QString &, qint64 done, qint64 total) {
        bar->setRange(0, int(std::max<qint64>(1, total)));
        bar->setValue(int(std::min(done, total)));
    });
}

}   // namespace clade
