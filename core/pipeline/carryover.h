#pragma once
// What a re-run of a folder keeps of the user's corrections of its previous run:
//  - names: a renamed group's name goes to the new group that continues it (matchClusters);
//  - locks: a locked group keeps its members and name; its photos are not re-clustered and it
//    counts towards K (the other photos are clustered into K minus the locked groups);
//  - moves (photos placed by hand: moved, merged, split, or put into a created group) are fixed
//    assignments: each such photo goes to the new group that continues its group. Only
//    computed groups are continued by matching; a group made by hand (created, split off, or
//    kept by an earlier re-run), or a computed one that no new group continues, is kept as an
//    extra group (origin "kept") with its hand-placed photos, and groups the user created are
//    kept even when empty. So a correction is never dropped silently, at the cost of more
//    groups than K. A computed group left empty by this is hidden (removed). A name that
//    cannot be carried is recorded as 'unmatched'.
// Photos new to the folder are clustered as usual; they never join a locked group or a group
// made by hand.

#include "catalog/catalog.h"
#include "common/matrix.h"

#include <unordered_map>
#include <vector>

namespace clade {

struct PhotoRecord;

class CarryOver
{
public:
    // The folder's latest finished run other than runId (none: nothing to carry).
    static Result<CarryOver> load(const Catalog &catalog, const QString &folder, qint64 runId);

    int lockedCount() const { return int(m_locked.size()); }
    bool isHeld(qint64 photoId) const;   // a member of a locked group: not re-clustered

    // rows, matrix, labels: the photos clustered by this run (not the held ones) and their new
    // clusters 0..clusters.size()-1, whose records and assignments are given. Adds to them:
    // carried names, hand-placed photos moved to the groups that continue theirs, kept groups,
    // then the locked groups with their held photos (heldRows: held photos still present).
    // Corrections to record with the run (unmatched names, a summary of what was kept) go to
    // `corrections`.
    void apply(qint64 runId, const std::vector<const PhotoRecord *> &rows, const FeatureMatrix &matrix, const std::vector<int> &labels,
               const std::vector<const PhotoRecord *> &heldRows, std::vector<ClusterRecord> &clusters,
               std::vector<AssignmentRecord> &assignments, std::vector<CorrectionRecord> &corrections) const;

private:
    qint64 m_previousRun = 0;
    std::vector<ClusterRecord> m_old;
    std::unordered_map<qint64, AssignmentRecord> m_oldAssignment;   // by photo id
    std::vector<int> m_locked;                                      // old indices, locked and not removed
};

}   // namespace clade
