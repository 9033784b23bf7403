#include "uncertainqueue.h"

#include "clusterlistmodel.h"
#include "mainwindow.h"
#include "photogridmodel.h"
#include "catalog/catalog.h"
#include "pipeline/pipeline.h"

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListView>

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace clade {

UncertainQueue::UncertainQueue(const Catalog &catalog, MainWindow &window) : QObject(&window), m_catalog(catalog), m_window(window) { }

qint64 UncertainQueue::takePendingPhoto()
{
    return std::exchange(m_pendingPhoto, 0);
}

bool UncertainQueue::next()
{
    const qint64 runId = m_window.shownRun();
    if (runId == 0) {
        Q_EMIT message(tr("There are no groups yet."));
        return false;
    }
    auto assignments = m_catalog.runs().assignments(runId);
    if (!assignments) {
        Q_EMIT message(tr("Cannot read the groups: %1").arg(assignments.error()));
        return false;
    }
    ClusterListModel &clusters = *m_window.clusterModel();
    PhotoGridModel &photos = *m_window.photoModel();
    QListView &clusterView = *m_window.clusterView();
    QListView &photoView = *m_window.photoView();
    // The queue: (group's row in the list, confidence, photo id), in that order.
    struct Entry
    {
        int row;
        float confidence;
        qint64 photo;
        int group;
        auto operator<=>(const Entry &) const = default;
    };
    std::vector<Entry> queue;
    std::unordered_map<int, int> rowOfGroup;
    for (int row = 0; row < clusters.rowCount(); ++row)
        rowOfGroup.emplace(clusters.clusterIndex(row), row);
    std::vector<float> confidences;
    for (const AssignmentRecord &a : *assignments)
        confidences.push_back(a.confidence);
    const float threshold = uncertainThreshold(std::move(confidences));
    for (const AssignmentRecord &a : *assignments) {
        const auto row = rowOfGroup.find(a.clusterIndex);
        if (row != rowOfGroup.end() && (a.confidence < threshold || photos.isBorderline(a.photoId)))
            queue.push_back({row->second, a.confidence, a.photoId, a.clusterIndex});
    }
    if (queue.empty()) {
        Q_EMIT message(tr("No photo of this run is uncertain or borderline."));
        return false;
    }
    std::sort(queue.begin(), queue.end());
    // From the current photo on; before the first entry of the current group when there is none.
    const PhotoRecord *current = photos.photo(photoView.currentIndex().row());
    const int currentRow = clusterView.currentIndex().row();
    Entry here{currentRow, -1.0f, 0, 0};
    if (current && currentRow >= 0) {
        // A collapsed burst's row shows its representative: the queued photo it stands for counts.
        const qint64 id = photos.photosOfRow(photoView.currentIndex().row()).contains(m_lastUncertain) ? m_lastUncertain : current->id;
        const auto it = std::find_if(queue.begin(), queue.end(), [&](const Entry &e) { return e.photo == id; });
        here = it != queue.end() ? *it : Entry{currentRow, std::max(0.0f, photos.confidence(current->id)), current->id, 0};
    }
    auto next = std::upper_bound(queue.begin(), queue.end(), here);
    if (next == queue.end())
        next = queue.begin();   // around again
    m_lastUncertain = next->photo;
    const qsizetype position = next - queue.begin() + 1;
    Q_EMIT message(tr("Uncertain photo %1 of %2 in this run (confidence %3).")
                       .arg(position)
                       .arg(queue.size())
                       .arg(QString::number(next->confidence, 'f', 2)));
    // A filter that hides it would make the step invisible.
    if (photos.confidenceBelow() < 1.0 && next->confidence >= photos.confidenceBelow())
        m_window.confidenceFilter()->setValue(0.0);
    if (next->row == currentRow && !photos.loadingGroup()) {
        int row = photos.rowOfPhoto(next->photo);
        if (row < 0 && !m_window.photoFilter()->text().isEmpty()) {
            m_window.photoFilter()->clear();
            row = photos.rowOfPhoto(next->photo);
        }
        if (row >= 0)
            photoView.setCurrentIndex(photos.index(row));
        return row >= 0;
    }
    m_pendingPhoto = next->photo;
    clusterView.setCurrentIndex(clusters.index(next->row));   // loads it; the window then selects the photo
    return true;
}

}   // namespace clade
