#include "clusterlistmodel.h"

#include "thumbnailprovider.h"

#include <QPixmap>

namespace clade {

QString thumbnailKey(const PhotoRecord &photo)
{
    return photo.hash.isEmpty() ? photo.path : photo.hash;
}

ClusterListModel::ClusterListModel(ThumbnailProvider *thumbnails, QObject *parent)
    : QAbstractListModel(parent)
    , m_thumbnails(thumbnails)
{
    if (m_thumbnails)
        connect(m_thumbnails, &ThumbnailProvider::ready, this, &ClusterListModel::onThumbnailReady);
}

Status ClusterListModel::load(const Catalog &catalog, qint64 runId)
{
    auto clusters = catalog.clusters(runId);
    if (!clusters) {
        clear();
        return clusters.takeError();
    }
    std::vector<Row> rows;
    rows.reserve(clusters->size());
    for (const ClusterRecord &cluster : *clusters) {
        Row row{cluster, {}, {}};
        auto members = catalog.clusterMembers(runId, cluster.index);
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
    endResetModel();
    return {};
}

void ClusterListModel::clear()
{
    beginResetModel();
    m_runId = 0;
    m_rows.clear();
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
    case Qt::DisplayRole:
        return displayName(row) + QLatin1Char('\n') + photoCountText(row.cluster.size);
    case Qt::ToolTipRole:
        return toolTip(row);
    case Qt::DecorationRole:
        if (!m_thumbnails || row.coverPath.isEmpty())
            return {};
        return m_thumbnails->thumbnail(row.coverPath, row.coverKey);
    case Qt::EditRole:
    case NameRole:
        return displayName(row);
    case SizeRole:
        return row.cluster.size;
    case ClusterIndexRole:
        return row.cluster.index;
    case CoverPathRole:
        return row.coverPath;
    default:
        return {};
    }
}

Qt::ItemFlags ClusterListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractListModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsEditable;
    return f;
}

bool ClusterListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const Row &row = m_rows[std::size_t(index.row())];
    const QString name = value.toString().simplified();
    if (name == displayName(row))
        return false;
    Q_EMIT renameRequested(row.cluster.id, name);
    return true;
}

QHash<int, QByteArray> ClusterListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(SizeRole, "size");
    names.insert(ClusterIndexRole, "clusterIndex");
    names.insert(CoverPathRole, "coverPath");
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

QString ClusterListModel::toolTip(const Row &row) const
{
    QStringList lines{displayName(row), photoCountText(row.cluster.size)};
    if (!row.cluster.userName.isEmpty())
        lines << tr("Named by you: running again keeps the name on the group that continues this one.");
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

} // namespace clade
