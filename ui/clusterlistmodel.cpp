#include "clusterlistmodel.h"

#include "photogridmodel.h"
#include "thumbnailprovider.h"

#include <QMimeData>
#include <QPixmap>

namespace clade {

QString thumbnailKey(const PhotoRecord &photo)
{
    return photo.hash.isEmpty() ? photo.path : photo.hash;
}

ClusterListModel::ClusterListModel(ThumbnailProvider *thumbnails, QObject *parent) : QAbstractListModel(parent), m_thumbnails(thumbnails)
{
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailProvider::ready, this, &ClusterListModel::onThumbnailReady);
}

Status ClusterListModel::load(const Catalog &catalog, qint64 runId)
{
    auto clusters = catalog.runs().clusters(runId);
    if (!clusters) {
        clear();
        return clusters.takeError();
    }
    std::vector<Row> rows;
    rows.reserve(clusters->size());
    for (const ClusterRecord &cluster : *clusters) {
        if (cluster.removed)
            continue;
        Row row{cluster, {}, {}};
        auto members = catalog.runs().members(runId, cluster.index, 1);   // the cover
        if (!members) {
            clear();
            return members.takeError();
        }
        if (!members->empty()) {
            row.coverPath = members->front().path;
            row.coverKey = thumbnailKey(members->front());
        }
        rows.push_back(std::move(row));
    }
    beginResetModel();
    m_runId = runId;
    m_rows = std::move(rows);
    m_diagnostics.clear();
    endResetModel();
    return {};
}

void ClusterListModel::setDiagnostics(std::vector<ClusterDiagnostics> diagnostics)
{
    m_diagnostics = std::move(diagnostics);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {Qt::ToolTipRole, Qt::DisplayRole, CohesionRole, BimodalRole});
}

void ClusterListModel::clear()
{
    beginResetModel();
    m_runId = 0;
    m_rows.clear();
    m_diagnostics.clear();
    endResetModel();
}

int ClusterListModel::clusterIndex(int row) const
{
    return (row >= 0 && row < int(m_rows.size())) ? m_rows[row].cluster.index : -1;
}

int ClusterListModel::rowOfCluster(int clusterIndex) const
{
    for (int row = 0; row < int(m_rows.size()); ++row) {
        if (m_rows[row].cluster.index == clusterIndex)
            return row;
    }
    return -1;
}

int ClusterListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ClusterListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: {
        QString second = photoCountText(row.cluster.size);
        if (row.cluster.locked)
            second = tr("%1 · locked").arg(second);
        if (const ClusterDiagnostics *d = diagnostics(row); d && d->looksBimodal)
            second = tr("%1 · split?").arg(second);
        return displayName(row) + QLatin1Char('\n') + second;
    }
    case CohesionRole:
        if (const ClusterDiagnostics *d = diagnostics(row))
            return d->cohesion;
        return {};
    case BimodalRole:
        if (const ClusterDiagnostics *d = diagnostics(row))
            return d->looksBimodal;
        return {};
    case Qt::ToolTipRole: return toolTip(row);
    case Qt::DecorationRole:
        if (!m_thumbnails || row.coverPath.isEmpty())
            return {};
        return m_thumbnails->thumbnail(row.coverPath, row.coverKey);
    case Qt::EditRole:
    case NameRole: return displayName(row);
    case SizeRole: return row.cluster.size;
    case ClusterIndexRole: return row.cluster.index;
    case CoverPathRole: return row.coverPath;
    case LockedRole: return row.cluster.locked;
    default: return {};
    }
}

Qt::ItemFlags ClusterListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsEditable | Qt::ItemIsDropEnabled;
    return f;
}

QStringList ClusterListModel::mimeTypes() const
{
    return {PhotoGridModel::photoIdsMimeType()};
}

Qt::DropActions ClusterListModel::supportedDropActions() const
{
    return Qt::MoveAction | Qt::CopyAction;
}

bool ClusterListModel::canDropMimeData(const QMimeData *data, Qt::DropAction, int row, int, const QModelIndex &parent) const
{
    // Only onto a group (not between two), and only photos.
    return data && data->hasFormat(PhotoGridModel::photoIdsMimeType()) && row < 0 && parent.isValid() && parent.row() < int(m_rows.size());
}

bool ClusterListModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const QList<qint64> ids = PhotoGridModel::photoIdsFromMime(data);
    if (ids.isEmpty())
        return false;
    Q_EMIT movePhotosRequested(ids, m_rows[std::size_t(parent.row())].cluster.index);
    return true;
}

bool ClusterListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const Row &row = m_rows[std::size_t(index.row())];
    const QString name = value.toString().simplified();
    if (name == displayName(row))
        return false;
    Q_EMIT renameRequested(m_runId, row.cluster.index, name);
    return true;
}

QHash<int, QByteArray> ClusterListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(SizeRole, "size");
    names.insert(ClusterIndexRole, "clusterIndex");
    names.insert(CoverPathRole, "coverPath");
    names.insert(LockedRole, "locked");
    return names;
}

QString ClusterListModel::photoCountText(int count)
{
    // English needs no translation file to read right; other languages use the %n plural forms.
    return count == 1 ? tr("1 photo") : tr("%n photos", nullptr, count);
}

QString ClusterListModel::displayName(const Row &row) const
{
    if (!row.cluster.name.trimmed().isEmpty())
        return row.cluster.name;
    return tr("Group %1").arg(row.cluster.index + 1);
}

const ClusterDiagnostics *ClusterListModel::diagnostics(const Row &row) const
{
    const auto i = std::size_t(row.cluster.index);
    return i < m_diagnostics.size() && m_diagnostics[i].size > 0 ? &m_diagnostics[i] : nullptr;
}

QString ClusterListModel::toolTip(const Row &row) const
{
    QStringList lines{displayName(row), photoCountText(row.cluster.size)};
    if (!row.cluster.userName.isEmpty())
        lines << tr("Named by you: running again keeps the name on the group that continues this one.");
    if (row.cluster.locked)
        lines << tr("Locked: running again keeps its photos and name.");
    if (const ClusterDiagnostics *d = diagnostics(row)) {
        lines
            << tr("Cohesion %1 (1 = all alike) · %n borderline photo(s)", nullptr, d->borderline).arg(QString::number(d->cohesion, 'f', 2));
        if (d->looksBimodal)
            lines << tr("Looks like two groups: Group › Split may help.");
    }
    for (const NameScore &score : row.cluster.nameScores)
        lines << tr("%1: %2").arg(score.noun, QString::number(score.score, 'f', 2));
    return lines.join(QLatin1Char('\n'));
}

void ClusterListModel::onThumbnailReady(const QString &key)
{
    for (int row = 0; row < int(m_rows.size()); ++row) {
        if (m_rows[row].coverKey == key) {
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole});
        }
    }
}

}   // namespace clade
