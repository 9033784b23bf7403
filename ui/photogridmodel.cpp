#include "photogridmodel.h"

#include "backgroundtask.h"
#include "clusterlistmodel.h"
#include "thumbnailprovider.h"

#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>
#include <QPixmapCache>

#include <algorithm>
#include <limits>
#include <unordered_set>
#include <utility>

namespace clade {

PhotoGridModel::PhotoGridModel(ThumbnailProvider *thumbnails, QObject *parent) : QAbstractListModel(parent), m_thumbnails(thumbnails)
{
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailProvider::ready, this, &PhotoGridModel::onThumbnailReady);
}

PhotoGridModel::~PhotoGridModel()
{
    m_loader.reset();   // waits for a read in progress; m_reader goes after it
}

void PhotoGridModel::loadGroup(const QString &catalogPath, qint64 runId, int clusterIndex)
{
    // The previous group's records are freed on the loader's thread: tens of thousands of them
    // take milliseconds to free.
    auto previous = std::make_shared<std::vector<PhotoRecord>>(std::exchange(m_all, {}));
    setPhotos({});
    if (!m_loader)
        m_loader = std::make_unique<BackgroundTask>();
    m_loader->start([this, catalogPath, runId, clusterIndex, previous = std::move(previous)](Progress &) -> BackgroundTask::Delivery {
        previous->clear();
        previous->shrink_to_fit();
        if (!m_reader || m_readerPath != catalogPath) {
            m_reader.reset();
            Result<std::unique_ptr<Catalog>> opened = Catalog::open(catalogPath);
            if (!opened)
                return [this, runId, clusterIndex, error = opened.error()] { Q_EMIT groupLoaded(runId, clusterIndex, error); };
            m_reader = std::move(*opened);
            m_readerPath = catalogPath;
        }
        auto members = m_reader->runs().members(runId, clusterIndex);
        // Each member's confidence, for the mark, the tooltip, the order and the filter.
        std::unordered_map<qint64, float> confidence;
        float threshold = kUncertainBelow;
        if (members) {
            auto assignments = m_reader->runs().assignments(runId);
            if (!assignments) {
                members = assignments.takeError();
            } else {
                std::vector<float> all;
                for (const AssignmentRecord &a : *assignments) {
                    all.push_back(a.confidence);
                    if (a.clusterIndex == clusterIndex)
                        confidence.emplace(a.photoId, a.confidence);
                }
                threshold = clade::uncertainThreshold(std::move(all));
            }
        }
        return [this, runId, clusterIndex, members = std::move(members), confidence = std::move(confidence), threshold]() mutable {
            if (members)
                setPhotos(std::move(*members), std::move(confidence), threshold);
            Q_EMIT groupLoaded(runId, clusterIndex, members ? QString() : members.error());
        };
    });
}

bool PhotoGridModel::loadingGroup() const
{
    return m_loader && m_loader->running();
}

void PhotoGridModel::clear()
{
    if (m_loader)
        m_loader->discard();
    setPhotos({});
}

void PhotoGridModel::showPhotos(std::vector<PhotoRecord> photos)
{
    if (m_loader)
        m_loader->discard();
    setPhotos(std::move(photos));
}

void PhotoGridModel::setPhotos(std::vector<PhotoRecord> photos, std::unordered_map<qint64, float> confidence, float uncertainBelow)
{
    m_uncertainBelow = uncertainBelow;
    // The rows scrolled past in the previous cluster are no longer worth decoding.
    if (m_thumbnails)
        m_thumbnails->dropQueued();
    m_all = std::move(photos);
    m_confidence = std::move(confidence);
    arrange();
}

void PhotoGridModel::setConfidenceBelow(double below)
{
    if (below == m_confidenceBelow)
        return;
    m_confidenceBelow = below;
    arrange();
}

bool PhotoGridModel::isBorderline(qint64 photoId) const
{
    const auto it = m_diagnostics.find(photoId);
    return it != m_diagnostics.end() && it->second.margin < DiagnosticsOptions{}.borderlineMargin;
}

int PhotoGridModel::rowOfPhoto(qint64 photoId) const
{
    for (int row = 0; row < int(m_shown.size()); ++row) {
        if (m_all[m_shown[std::size_t(row)]].id == photoId || photosOfRow(row).contains(photoId))
            return row;
    }
    return -1;
}

float PhotoGridModel::confidence(qint64 photoId) const
{
    const auto it = m_confidence.find(photoId);
    return it == m_confidence.end() ? -1.0f : it->second;
}

void PhotoGridModel::setDiagnostics(std::unordered_map<qint64, MemberDiagnostics> photos, QStringList groupNames)
{
    m_diagnostics = std::move(photos);
    m_groupNames = std::move(groupNames);
    if (m_order == PhotoOrder::Borderline)
        arrange();
    else if (!m_shown.empty())
        Q_EMIT dataChanged(index(0), index(int(m_shown.size()) - 1), {Qt::ToolTipRole, MarginRole});
}

void PhotoGridModel::setBursts(std::unordered_map<qint64, qint64> burstOf)
{
    if (burstOf == m_burstOf)
        return;   // e.g. after a correction: the grid keeps its rows and selection
    m_burstOf = std::move(burstOf);
    m_burstSize.clear();
    for (const auto &[photo, representative] : m_burstOf)
        ++m_burstSize[representative];
    arrange();
}

void PhotoGridModel::setCollapseBursts(bool collapse)
{
    if (collapse == m_collapse)
        return;
    m_collapse = collapse;
    arrange();
}

QList<qint64> PhotoGridModel::photosOfRow(int row) const
{
    const PhotoRecord *p = photo(row);
    if (!p)
        return {};
    if (!m_collapse || !m_burstSize.count(p->id))
        return {p->id};
    QList<qint64> ids{p->id};
    for (const PhotoRecord &other : m_all) {
        const auto it = m_burstOf.find(other.id);
        if (other.id != p->id && it != m_burstOf.end() && it->second == p->id)
            ids << other.id;
    }
    return ids;
}

void PhotoGridModel::setOrder(PhotoOrder order)
{
    if (order == m_order)
        return;
    m_order = order;
    arrange();
}

void PhotoGridModel::setFilter(const QString &filter)
{
    if (filter.trimmed() == m_filter)
        return;
    m_filter = filter.trimmed();
    arrange();
}

// Row order as indices into m_all: a group of tens of thousands is arranged without copying
// its records, on the GUI thread.
void PhotoGridModel::arrange()
{
    std::vector<std::size_t> shown;
    shown.reserve(m_all.size());
    // A burst's other photos stand behind its representative, when it is among these photos
    // (search results may hold a burst's photo without it).
    std::unordered_set<qint64> present;
    if (m_collapse && !m_burstOf.empty())
        for (const PhotoRecord &p : m_all)
            present.insert(p.id);
    for (std::size_t i = 0; i < m_all.size(); ++i) {
        const PhotoRecord &p = m_all[i];
        if (m_collapse) {
            const auto it = m_burstOf.find(p.id);
            if (it != m_burstOf.end() && it->second != p.id && present.count(it->second))
                continue;
        }
        if (m_confidenceBelow < 1.0) {
            const float c = confidence(p.id);
            if (c < 0 || c >= m_confidenceBelow)
                continue;
        }
        if (m_filter.isEmpty() || QFileInfo(p.path).fileName().contains(m_filter, Qt::CaseInsensitive))
            shown.push_back(i);
    }
    const auto sortBy = [&](auto less) {
        std::stable_sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t b) { return less(m_all[a], m_all[b]); });
    };
    const auto byName = [](const PhotoRecord &a, const PhotoRecord &b) {
        return QString::localeAwareCompare(QFileInfo(a.path).fileName(), QFileInfo(b.path).fileName()) < 0;
    };
    if (m_order == PhotoOrder::Borderline && !m_diagnostics.empty()) {
        const auto margin = [this](const PhotoRecord &p) {
            const auto it = m_diagnostics.find(p.id);
            return it == m_diagnostics.end() ? std::numeric_limits<float>::max() : it->second.margin;
        };
        sortBy([&](const PhotoRecord &a, const PhotoRecord &b) { return margin(a) < margin(b); });
    } else if (m_order == PhotoOrder::LeastCertain) {
        // Unknown confidence (-1) would come first: it goes last.
        const auto certainty = [this](const PhotoRecord &p) {
            const float c = confidence(p.id);
            return c < 0 ? std::numeric_limits<float>::max() : c;
        };
        sortBy([&](const PhotoRecord &a, const PhotoRecord &b) { return certainty(a) < certainty(b); });
    } else if (m_order == PhotoOrder::FileName) {
        sortBy(byName);
    } else if (m_order == PhotoOrder::DateTaken) {
        sortBy([&](const PhotoRecord &a, const PhotoRecord &b) {
            const bool ka = a.meta.takenAt.isValid(), kb = b.meta.takenAt.isValid();
            if (ka != kb)
                return ka;   // known dates first
            if (ka && a.meta.takenAt != b.meta.takenAt)
                return a.meta.takenAt < b.meta.takenAt;
            return byName(a, b);
        });
    }
    beginResetModel();
    m_shown = std::move(shown);
    m_rowsByKey.clear();   // filled as rows ask for their thumbnails
    endResetModel();
}

Qt::ItemFlags PhotoGridModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsDragEnabled;
    return f;
}

QString PhotoGridModel::photoIdsMimeType()
{
    return QStringLiteral("application/x-clade-photo-ids");
}

QStringList PhotoGridModel::mimeTypes() const
{
    return {photoIdsMimeType()};
}

Qt::DropActions PhotoGridModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

QMimeData *PhotoGridModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList ids;
    for (const QModelIndex &index : indexes) {
        for (qint64 id : photosOfRow(index.row()))
            ids << QString::number(id);
    }
    if (ids.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(photoIdsMimeType(), ids.join(QLatin1Char(' ')).toLatin1());
    return data;
}

QList<qint64> PhotoGridModel::photoIdsFromMime(const QMimeData *data)
{
    QList<qint64> ids;
    if (!data)
        return ids;
    for (const QByteArray &part : data->data(photoIdsMimeType()).split(' ')) {
        bool ok = false;
        const qint64 id = part.toLongLong(&ok);
        if (ok && id > 0)
            ids << id;
    }
    return ids;
}

const PhotoRecord *PhotoGridModel::photo(int row) const
{
    return (row >= 0 && row < int(m_shown.size())) ? &m_all[m_shown[std::size_t(row)]] : nullptr;
}

int PhotoGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

QVariant PhotoGridModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PhotoRecord &photo = m_all[m_shown[std::size_t(index.row())]];
    switch (role) {
    case Qt::DisplayRole:
        if (const auto it = m_burstSize.find(photo.id); m_collapse && it != m_burstSize.end())
            return tr("%1 (+%2)").arg(QFileInfo(photo.path).fileName()).arg(it->second - 1);
        return QFileInfo(photo.path).fileName();
    case Qt::ToolTipRole: return toolTip(photo);
    case Qt::DecorationRole: {
        if (!m_thumbnails)
            return {};
        // Only the rows the view paints ask: they are the ones to tell when it arrives.
        const QString key = thumbnailKey(photo);
        QList<int> &rows = m_rowsByKey[key];
        if (!rows.contains(index.row()))
            rows.append(index.row());
        const QPixmap thumbnail = m_thumbnails->thumbnail(photo.path, key);
        const float c = confidence(photo.id);
        return c >= 0 && c < m_uncertainBelow ? markedUncertain(thumbnail, key) : thumbnail;
    }
    case PathRole: return photo.path;
    case PhotoIdRole: return photo.id;
    case ThumbnailReadyRole: return m_thumbnails && m_thumbnails->isReady(thumbnailKey(photo));
    case MarginRole:
        if (const auto it = m_diagnostics.find(photo.id); it != m_diagnostics.end())
            return it->second.margin;
        return {};
    case ConfidenceRole:
        if (const float c = confidence(photo.id); c >= 0)
            return c;
        return {};
    default: return {};
    }
}

QHash<int, QByteArray> PhotoGridModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(PhotoIdRole, "photoId");
    names.insert(ThumbnailReadyRole, "thumbnailReady");
    names.insert(ConfidenceRole, "confidence");
    return names;
}

// The thumbnail with a small amber "?" in its top right corner; made once per thumbnail.
QPixmap PhotoGridModel::markedUncertain(const QPixmap &thumbnail, const QString &key) const
{
    // Keyed by the pixmap itself too: the placeholder shown first must not stand for the thumbnail.
    const QString markedKey = QStringLiteral("%1#uncertain#%2").arg(key).arg(thumbnail.cacheKey());
    QPixmap marked;
    if (QPixmapCache::find(markedKey, &marked) && marked.size() == thumbnail.size())
        return marked;
    marked = thumbnail;
    QPainter painter(&marked);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal edge = std::max<qreal>(12, std::min(thumbnail.width(), thumbnail.height()) / 7.0) / marked.devicePixelRatio();
    const QRectF badge(marked.width() / marked.devicePixelRatio() - edge - 3, 3, edge, edge);
    painter.setPen(QPen(QColor(90, 60, 0), 1));
    painter.setBrush(QColor(255, 196, 0, 230));
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(int(edge * 0.75));
    painter.setFont(font);
    painter.drawText(badge, Qt::AlignCenter, QStringLiteral("?"));
    painter.end();
    QPixmapCache::insert(markedKey, marked);
    return marked;
}

QString PhotoGridModel::toolTip(const PhotoRecord &photo) const
{
    QStringList lines{photo.path};
    if (photo.meta.takenAt.isValid())
        lines << QLocale().toString(photo.meta.takenAt, QLocale::ShortFormat);
    const QString camera = photo.meta.camera();
    if (!camera.isEmpty())
        lines << camera;
    if (const auto it = m_burstSize.find(photo.id); m_collapse && it != m_burstSize.end())
        lines << tr("Stands for %n photo(s) taken in a burst or nearly the same (Edit › Collapse Bursts shows them all)", nullptr,
                    it->second);
    if (const float c = confidence(photo.id); c >= 0)
        lines << (c < m_uncertainBelow
                      ? tr("Confidence %1: uncertain (below %2)").arg(QString::number(c, 'f', 2), QString::number(m_uncertainBelow, 'f', 2))
                      : tr("Confidence %1").arg(QString::number(c, 'f', 2)));
    if (const auto it = m_diagnostics.find(photo.id); it != m_diagnostics.end()) {
        const MemberDiagnostics &d = it->second;
        lines << tr("Typicality %1 (1 = the group's centre)").arg(QString::number(d.typicality, 'f', 2));
        if (d.margin < DiagnosticsOptions{}.borderlineMargin && d.nearestOther >= 0 && d.nearestOther < m_groupNames.size())
            lines << tr("Borderline: nearly as close to “%1”").arg(m_groupNames[d.nearestOther]);
    }
    return lines.join(QLatin1Char('\n'));
}

void PhotoGridModel::onThumbnailReady(const QString &key)
{
    const auto rows = m_rowsByKey.constFind(key);
    if (rows == m_rowsByKey.constEnd())
        return;
    for (int row : *rows) {
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailReadyRole});
    }
}

}   // namespace clade
