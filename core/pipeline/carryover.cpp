#include "pipeline/carryover.h"

#include "cluster/clustermatching.h"

#include <algorithm>

namespace clade {

Result<CarryOver> CarryOver::load(const Catalog &catalog, const QString &folder, qint64 runId)
{
    CarryOver carry;
    Result<std::optional<RunRecord>> previous = catalog.runs().latest(folder);
    if (!previous)
        return previous.takeError();
    if (!*previous || (*previous)->id == runId)
        return carry;
    carry.m_previousRun = (*previous)->id;
    Result<std::vector<ClusterRecord>> old = catalog.runs().clusters(carry.m_previousRun);
    if (!old)
        return old.takeError();
    carry.m_old = std::move(*old);
    Result<std::vector<AssignmentRecord>> assignments = catalog.runs().assignments(carry.m_previousRun);
    if (!assignments)
        return assignments.takeError();
    for (const AssignmentRecord &a : *assignments)
        carry.m_oldAssignment.emplace(a.photoId, a);
    for (const ClusterRecord &c : carry.m_old) {
        if (c.locked && !c.removed)
            carry.m_locked.push_back(c.index);
    }
    return carry;
}

bool CarryOver::isHeld(qint64 photoId) const
{
    const auto it = m_oldAssignment.find(photoId);
    return it != m_oldAssignment.end() && std::find(m_locked.begin(), m_locked.end(), it->second.clusterIndex) != m_locked.end();
}

void CarryOver::apply(qint64 runId, const std::vector<const PhotoRecord *> &rows, const FeatureMatrix &matrix,
                      const std::vector<int> &labels, const std::vector<const PhotoRecord *> &heldRows,
                      std::vector<ClusterRecord> &clusters, std::vector<AssignmentRecord> &assignments,
                      std::vector<CorrectionRecord> &corrections) const
{
    if (m_previousRun == 0)
        return;
    const int oldK = int(m_old.size());
    const int newK = int(clusters.size());
    // Only computed groups are matched. Locked groups are not (their photos are not in `rows`),
    // nor groups made by hand (created, split off, kept): their members are the user's choice,
    // and a new cluster that shares a few photos with one must not take its name.
    const auto byHand = [](const ClusterRecord &c) { return c.origin != GroupOrigin::Computed; };
    std::vector<int> oldLabels(rows.size(), -1);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto it = m_oldAssignment.find(rows[i]->id);
        if (it != m_oldAssignment.end() && !byHand(m_old[std::size_t(it->second.clusterIndex)]))
            oldLabels[i] = it->second.clusterIndex;
    }
    const std::vector<int> match = matchClusters(matrix, labels, newK, oldLabels, oldK);
    std::vector<int> continuedBy(std::size_t(oldK), -1);
    for (int c = 0; c < newK; ++c) {
        if (match[std::size_t(c)] >= 0)
            continuedBy[std::size_t(match[std::size_t(c)])] = c;
    }

    auto appendCluster = [&](const ClusterRecord &old, GroupOrigin origin, bool locked) {
        ClusterRecord kept;
        kept.index = int(clusters.size());
        kept.name = old.name;
        kept.nameScores = old.nameScores;
        kept.userName = old.userName;
        kept.carriedFrom = old.userName.isEmpty() ? 0 : old.id;
        kept.locked = locked;
        kept.origin = origin;
        clusters.push_back(kept);
        return kept.index;
    };

    // Groups holding hand-placed photos, or made by the user, that no new group continues.
    std::vector<bool> handPlaced(std::size_t(oldK), false);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto it = m_oldAssignment.find(rows[i]->id);
        if (it != m_oldAssignment.end() && it->second.manual)
            handPlaced[std::size_t(it->second.clusterIndex)] = true;
    }
    int keptGroups = 0;
    for (const ClusterRecord &old : m_old) {
        const auto o = std::size_t(old.index);
        if (old.removed || old.locked || continuedBy[o] >= 0)
            continue;
        if (handPlaced[o] || old.origin == GroupOrigin::User) {
            continuedBy[o] = appendCluster(old, GroupOrigin::Kept, false);
            ++keptGroups;
        }
    }

    // Names follow the group that continues theirs.
    for (int o = 0; o < oldK; ++o) {
        const ClusterRecord &old = m_old[std::size_t(o)];
        const int c = continuedBy[std::size_t(o)];
        if (old.userName.isEmpty() || old.locked || old.removed)   // a merged-away name was given up
            continue;
        if (c >= 0 && c < newK) {
            clusters[std::size_t(c)].userName = old.userName;
            clusters[std::size_t(c)].carriedFrom = old.id;
        } else if (c < 0) {
            corrections.push_back({0,
                                   QDateTime::currentDateTimeUtc(),
                                   CorrectionKind::Unmatched,
                                   runId,
                                   0,
                                   {{QStringLiteral("name"), old.userName},
                                    {QStringLiteral("fromRun"), m_previousRun},
                                    {QStringLiteral("fromCluster"), old.id}}});
        }
    }

    // Hand-placed photos are fixed assignments.
    int moved = 0;
    for (AssignmentRecord &a : assignments) {
        const auto it = m_oldAssignment.find(a.photoId);
        if (it == m_oldAssignment.end() || !it->second.manual)
            continue;
        const int c = continuedBy[std::size_t(it->second.clusterIndex)];
        if (c < 0)
            continue;   // its group was locked (then the photo is held, not here) or removed
        a.clusterIndex = c;
        a.confidence = 1;
        a.manual = true;
        ++moved;
    }

    // A computed group whose photos all went to the groups the user put them in is hidden
    // (unless it carries a name): K counts groups that hold something.
    std::vector<int> size(clusters.size(), 0);
    for (const AssignmentRecord &a : assignments)
        ++size[std::size_t(a.clusterIndex)];
    for (int c = 0; c < newK; ++c) {
        if (size[std::size_t(c)] == 0 && clusters[std::size_t(c)].userName.isEmpty())
            clusters[std::size_t(c)].removed = true;
    }

    // Locked groups, with their photos that are still here.
    int lockedPhotos = 0;
    for (int o : m_locked) {
        const int c = appendCluster(m_old[std::size_t(o)], m_old[std::size_t(o)].origin, true);
        for (const PhotoRecord *p : heldRows) {
            const AssignmentRecord &old = m_oldAssignment.at(p->id);
            if (old.clusterIndex == o) {
                assignments.push_back({p->id, c, old.confidence, old.manual});
                ++lockedPhotos;
            }
        }
    }
    if (moved > 0 || keptGroups > 0 || !m_locked.empty())
        corrections.push_back({0,
                               QDateTime::currentDateTimeUtc(),
                               CorrectionKind::Kept,
                               runId,
                               0,
                               {{QStringLiteral("fromRun"), m_previousRun},
                                {QStringLiteral("handPlacedPhotos"), moved},
                                {QStringLiteral("keptGroups"), keptGroups},
                                {QStringLiteral("lockedGroups"), int(m_locked.size())},
                                {QStringLiteral("lockedPhotos"), lockedPhotos}}});
}

}   // namespace clade
