#pragma once

#include <QCache>
#include <QObject>
#include <QPixmap>
#include <QSet>

#include <deque>
#include <memory>
#include <vector>

namespace clade {

class BackgroundTask;
class ThumbnailCache;

// Serves thumbnails to item models, fitted into edge x edge pixels. They are made off the GUI
// thread through the on-disk ThumbnailCache and kept in memory. Requests are served newest
// first, so the rows the user looks at now win over rows scrolled past. Up to four are made at
// once, each on a BackgroundTask of its own (a lane): one task runs one piece of work at a
// time, and thumbnails of a screenful want several cores. GUI thread only.
class ThumbnailProvider : public QObject
{
    Q_OBJECT

public:
    // cache is not owned, is thread-safe and must outlive this object.
    ThumbnailProvider(ThumbnailCache &cache, int edge, QObject *parent = nullptr);
    ~ThumbnailProvider() override;   // waits for the thumbnails being made

    int edge() const { return m_edge; }
    // The thumbnail when ready (a "broken" mark when it could not be made); otherwise queues
    // the photo and returns the placeholder, and ready(key) follows.
    QPixmap thumbnail(const QString &path, const QString &key);
    bool isReady(const QString &key) const;
    // Forgets queued requests that have not started, e.g. when a view shows other photos now.
    void dropQueued();
    bool isIdle() const { return m_queue.empty() && m_inFlight.isEmpty(); }

Q_SIGNALS:
    void ready(const QString &key);

private:
    struct Request
    {
        QString path;
        QString key;
    };

    void pump();
    void pumpLater();
    void deliver(const QString &key, const QImage &image);
    QPixmap makeFrame(bool broken) const;

    ThumbnailCache &m_cache;
    int m_edge;
    std::vector<std::unique_ptr<BackgroundTask>> m_lanes;
    QCache<QString, QPixmap> m_memory;   // cost in KiB
    std::deque<Request> m_queue;         // newest at the back
    QSet<QString> m_queued;
    QSet<QString> m_inFlight;
    QSet<QString> m_failed;
    QPixmap m_placeholder;
    QPixmap m_broken;
};

}   // namespace clade
