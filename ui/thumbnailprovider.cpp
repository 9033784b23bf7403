#include "thumbnailprovider.h"

#include "backgroundtask.h"
#include "opencv/thumbnailcache.h"

#include <QImage>
#include <QMetaObject>
#include <QPainter>
#include <QThread>

#include <algorithm>

namespace clade {

namespace {

constexpr int diskThumbnailSize = 256;   // what the on-disk cache stores by default
constexpr int memoryBudgetKiB = 64 * 1024;

// Runs on a lane's thread: the cached JPEG, scaled to fit edge x edge. Null when it failed.
QImage loadScaled(ThumbnailCache &cache, const QString &path, const QString &key, int edge)
{
    auto file = cache.thumbnail(path, key, std::max(edge, diskThumbnailSize));
    if (!file)
        return {};
    QImage image(*file);
    if (image.isNull() || (image.width() <= edge && image.height() <= edge))
        return image;
    return image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

}   // namespace

ThumbnailProvider::ThumbnailProvider(ThumbnailCache &cache, int edge, QObject *parent)
    : QObject(parent), m_cache(cache), m_edge(edge), m_memory(memoryBudgetKiB)
{
    const int lanes = std::clamp(QThread::idealThreadCount(), 1, 4);
    for (int i = 0; i < lanes; ++i)
        m_lanes.push_back(std::make_unique<BackgroundTask>());
    m_placeholder = makeFrame(false);
    m_broken = makeFrame(true);
}

ThumbnailProvider::~ThumbnailProvider()
{
    m_queue.clear();
    m_lanes.clear();   // each waits for its thumbnail, whose delivery is dropped
}

QPixmap ThumbnailProvider::thumbnail(const QString &path, const QString &key)
{
    if (const QPixmap *pixmap = m_memory.object(key))
        return *pixmap;
    if (m_failed.contains(key))
        return m_broken;
    if (!m_queued.contains(key) && !m_inFlight.contains(key)) {
        m_queue.push_back({path, key});
        m_queued.insert(key);
        pump();
    }
    return m_placeholder;
}

bool ThumbnailProvider::isReady(const QString &key) const
{
    return m_memory.contains(key) || m_failed.contains(key);
}

void ThumbnailProvider::dropQueued()
{
    m_queue.clear();
    m_queued.clear();
}

void ThumbnailProvider::pump()
{
    for (const std::unique_ptr<BackgroundTask> &lane : m_lanes) {
        if (m_queue.empty())
            return;
        if (lane->running())
            continue;
        const Request request = m_queue.back();
        m_queue.pop_back();
        m_queued.remove(request.key);
        m_inFlight.insert(request.key);
        lane->start([this, request](Progress &) -> BackgroundTask::Delivery {
            QImage image = loadScaled(m_cache, request.path, request.key, m_edge);
            return [this, key = request.key, image = std::move(image)] { deliver(key, image); };
        });
    }
}

// From a delivery: a lane is given its next piece of work after it has finished delivering
// this one, not from inside its own delivery.
void ThumbnailProvider::pumpLater()
{
    QMetaObject::invokeMethod(this, &ThumbnailProvider::pump, Qt::QueuedConnection);
}

void ThumbnailProvider::deliver(const QString &key, const QImage &image)
{
    m_inFlight.remove(key);
    if (image.isNull()) {
        m_failed.insert(key);
    } else {
        auto *pixmap = new QPixmap(QPixmap::fromImage(image));
        const qsizetype costKiB = std::max<qsizetype>(1, image.sizeInBytes() / 1024);
        m_memory.insert(key, pixmap, costKiB);
    }
    Q_EMIT ready(key);
    pumpLater();
}

QPixmap ThumbnailProvider::makeFrame(bool broken) const
{
    QPixmap pixmap(m_edge, m_edge);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF frame = QRectF(pixmap.rect()).adjusted(2, 2, -2, -2);
    painter.setPen(QPen(QColor(0, 0, 0, 40), 1));
    painter.setBrush(QColor(0, 0, 0, 18));
    painter.drawRoundedRect(frame, 4, 4);
    if (broken) {
        painter.setPen(QPen(QColor(160, 40, 40, 160), 2));
        const QRectF mark = frame.adjusted(frame.width() / 3, frame.height() / 3, -frame.width() / 3, -frame.height() / 3);
        painter.drawLine(mark.topLeft(), mark.bottomRight());
        painter.drawLine(mark.topRight(), mark.bottomLeft());
    }
    return pixmap;
}

}   // namespace clade
