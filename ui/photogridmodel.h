#pragma once

#include "catalog/catalog.h"
#include "cluster/diagnostics.h"
#include "pipeline/pipeline.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>

#include <memory>
#include <unordered_map>
#include <vector>

namespace clade {

class BackgroundTask;
class ThumbnailProvider;

// How the grid orders a group's photos: most typical first (the clustering's confidence, as
// stored), by the date taken (unknown dates last), by file name, borderline first (smallest
// margin to another group first; needs diagnostics, else as stored), or least certain first (the
// clustering's confidence, lowest first).
enum class PhotoOrder { Typicality, DateTaken, FileName, Borderline, LeastCertain };

// The photos of one cluster of a stored run, for a QListView in icon mode. Thumbnails are asked
// for only when the view asks for a row's decoration (the rows it paints); until they arrive
// the row shows a placeholder. GUI thread only.
class PhotoGridModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        PathRole = Qt::UserRole + 1,   // QString: absolute path
        PhotoIdRole,                   // qint64: catalog id
        ThumbnailReadyRole,            // bool: the decoration is the real thumbnail (or a failure mark)
        MarginRole,                    // float: typicality minus the cosine to the nearest other group; invalid until known
        ConfidenceRole,                // float: the clustering's confidence in the photo's group; invalid when unknown
    };

    explicit PhotoGridModel(ThumbnailProvider *thumbnails, QObject *parent = nullptr);
    ~PhotoGridModel() override;

    // Replaces the contents with the members of one cluster, read off the GUI thread (a group
    // can hold tens of thousands of photos): the model is empty at once, the members are read on
    // a connection of the model's own to `catalogPath` and shown when they arrive;
    // groupLoaded() follows. A newer call or clear() supersedes a read still going on (no
    // groupLoaded() for it).
    void loadGroup(const QString &catalogPath, qint64 runId, int clusterIndex);
    bool loadingGroup() const;
    void clear();
    // Shows these photos in this order (e.g. search results, best first).
    void showPhotos(std::vector<PhotoRecord> photos);
    const PhotoRecord *photo(int row) const;
    // The rows shown: the group's photos whose file name contains `filter` (case-insensitive),
    // in `order`. Both stay when another group is loaded.
    void setOrder(PhotoOrder order);
    void setFilter(const QString &filter);
    // Only photos whose confidence is below `below` (1 or more: all photos; photos of unknown
    // confidence, e.g. search results, are then hidden). Stays when another group is loaded.
    void setConfidenceBelow(double below);
    double confidenceBelow() const { return m_confidenceBelow; }
    // The clustering's confidence in the photo's group, or a negative number when unknown.
    float confidence(qint64 photoId) const;
    // Below this confidence a photo of the loaded run is uncertain (pipeline.h,
    // uncertainThreshold; kUncertainBelow until a group has loaded).
    float uncertainThreshold() const { return m_uncertainBelow; }
    // Diagnostics (setDiagnostics) found the photo nearly as close to another group.
    bool isBorderline(qint64 photoId) const;
    // The row showing the photo (its burst's row when collapsed), or -1.
    int rowOfPhoto(qint64 photoId) const;
    PhotoOrder order() const { return m_order; }
    // Per photo id, and the display names of the run's groups by index (for "nearly as close to
    // …"). Kept across loads of other groups of the same run; the owner replaces them.
    void setDiagnostics(std::unordered_map<qint64, MemberDiagnostics> photos, QStringList groupNames);
    // Bursts and near-duplicates (photo id -> its set's representative, RunDiagnostics::burstOf).
    // While collapsed (the default) only representatives are rows, shown as "name (+N)"; a
    // dragged representative carries its whole set.
    void setBursts(std::unordered_map<qint64, qint64> burstOf);
    void setCollapseBursts(bool collapse);
    bool collapsesBursts() const { return m_collapse; }
    // The photos a row stands for: its set when collapsed, else the photo alone.
    QList<qint64> photosOfRow(int row) const;
    int totalCount() const { return int(m_all.size()); }   // before the filter

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Dragging photos carries their catalog ids (ClusterListModel takes the drop).
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;
    static QString photoIdsMimeType();
    static QList<qint64> photoIdsFromMime(const QMimeData *data);

Q_SIGNALS:
    // The end of loadGroup(): the members are shown, or `error` says why not (the model is empty).
    void groupLoaded(qint64 runId, int clusterIndex, const QString &error);

private:
    void setPhotos(std::vector<PhotoRecord> photos, std::unordered_map<qint64, float> confidence = {},
                   float uncertainBelow = kUncertainBelow);
    void arrange();   // m_shown from m_all, the order and the filter
    void onThumbnailReady(const QString &key);
    QString toolTip(const PhotoRecord &photo) const;
    QPixmap markedUncertain(const QPixmap &thumbnail, const QString &key) const;

    ThumbnailProvider *m_thumbnails;
    std::vector<PhotoRecord> m_all;     // as loaded: most typical first
    std::vector<std::size_t> m_shown;   // the rows: indices into m_all
    PhotoOrder m_order = PhotoOrder::Typicality;
    std::unordered_map<qint64, MemberDiagnostics> m_diagnostics;
    std::unordered_map<qint64, qint64> m_burstOf;
    std::unordered_map<qint64, int> m_burstSize;   // by representative
    bool m_collapse = true;
    QStringList m_groupNames;
    QString m_filter;
    double m_confidenceBelow = 1.0;
    std::unordered_map<qint64, float> m_confidence;   // of the loaded group's photos
    float m_uncertainBelow = kUncertainBelow;         // the loaded run's uncertainThreshold()
    mutable QHash<QString, QList<int>> m_rowsByKey;   // thumbnail key -> rows that asked for it
    // loadGroup(): its reader is used by one task at a time and outlives them (the loader is
    // reset first in the destructor).
    std::unique_ptr<Catalog> m_reader;
    QString m_readerPath;
    std::unique_ptr<BackgroundTask> m_loader;
};

}   // namespace clade
