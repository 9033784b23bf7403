#pragma once

#include "catalog/catalog.h"
#include "cluster/diagnostics.h"

#include <QAbstractListModel>
#include <QHash>

#include <vector>

namespace clade {

class ThumbnailProvider;

// The clusters of one stored run (without those merged away): display name with size and a
// lock mark, cover thumbnail (the most typical member) as decoration, and the name scores as
// tooltip. A drop target for photos. Reads from the GUI's own catalog
// connection; GUI thread only.
class ClusterListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1,   // QString: the cluster name alone
        SizeRole,                      // int: number of photos
        ClusterIndexRole,              // int: index of the cluster within its run
        CoverPathRole,                 // QString: path of the cover photo, empty when none
        LockedRole,                    // bool: a re-run keeps its photos and name
        CohesionRole,                  // double, once diagnostics are in (setDiagnostics); else invalid
        BimodalRole,                   // bool: looks like two groups (a split may help)
    };

    explicit ClusterListModel(ThumbnailProvider *thumbnails, QObject *parent = nullptr);

    // Replaces the contents with the clusters of runId; on an error the model is left empty.
    Status load(const Catalog &catalog, qint64 runId);
    void clear();
    // Cohesion, borderline count and the bimodality hint per cluster index, shown in the
    // tooltips; computed off the GUI thread by the owner. Cleared by load().
    void setDiagnostics(std::vector<ClusterDiagnostics> diagnostics);
    bool hasDiagnostics() const { return !m_diagnostics.empty(); }
    qint64 runId() const { return m_runId; }
    int clusterIndex(int row) const;
    int rowOfCluster(int clusterIndex) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // An edited name is not stored here: renameRequested asks the owner to store it and reload.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QHash<int, QByteArray> roleNames() const override;
    // Photos dragged from the grid (PhotoGridModel::mimeData) and dropped on a group:
    // movePhotosRequested asks the owner to move them.
    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column, const QModelIndex &parent) override;

    static QString photoCountText(int count);

Q_SIGNALS:
    void renameRequested(qint64 runId, int clusterIndex, const QString &name);
    void movePhotosRequested(const QList<qint64> &photoIds, int clusterIndex);

private:
    struct Row
    {
        ClusterRecord cluster;
        QString coverPath;
        QString coverKey;
    };

    QString displayName(const Row &row) const;
    QString toolTip(const Row &row) const;
    const ClusterDiagnostics *diagnostics(const Row &row) const;   // null until known
    void onThumbnailReady(const QString &key);

    ThumbnailProvider *m_thumbnails;
    qint64 m_runId = 0;
    std::vector<Row> m_rows;
    std::vector<ClusterDiagnostics> m_diagnostics;   // by cluster index
};

// The key the thumbnail caches use for a photo: its content hash, or its path when unknown.
QString thumbnailKey(const PhotoRecord &photo);

}   // namespace clade
