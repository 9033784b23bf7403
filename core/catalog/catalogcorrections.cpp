// Catalog: the user's corrections of a run (moves, merges, splits, locks, new groups) and the
// state that undo and redo put back. Renames are in catalogruns.cpp.
#include "catalog/catalog.h"

#include "catalog/statement.h"

#include <QJsonArray>

#include <sqlite3.h>

#include <set>

namespace clade {

namespace {

QJsonArray idArray(const std::vector<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

}   // namespace

// The id of cluster `index` of the run; an error naming it when it does not exist or was removed.
Result<qint64> CorrectionStore::clusterId(qint64 runId, int index) const
{
    Statement q(m_db, "SELECT id, removed FROM clusters WHERE run_id = ? AND idx = ?");
    q.bind(1, runId).bind(2, index);
    Result<bool> row = q.step();
    if (!row)
        return row.takeError();
    if (!*row || q.int64(1) != 0)
        return fail(QStringLiteral("Run %1 has no group %2").arg(runId).arg(index));
    return q.int64(0);
}

Result<int> CorrectionStore::createCluster(qint64 runId, const QString &name)
{
    const QString trimmed = name.simplified();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("A new group needs a name"));
    int index = 0;
    Status s = m_catalog.transaction([&]() -> Status {
        Statement next(m_db, "SELECT coalesce(max(idx) + 1, 0) FROM clusters WHERE run_id = ?");
        next.bind(1, runId);
        if (Result<bool> row = next.step(); !row)
            return row.takeError();
        index = int(next.int64(0));
        Statement insert(m_db, "INSERT INTO clusters (run_id, idx, name, user_name, origin) VALUES (?, ?, ?, ?, ?) RETURNING id");
        insert.bind(1, runId).bind(2, index).bind(3, trimmed).bind(4, trimmed).bind(5, groupOriginName(GroupOrigin::User));
        Result<bool> row = insert.step();
        if (!row)
            return row.takeError();
        return record(
            {0, {}, CorrectionKind::Create, runId, insert.int64(0), {{QStringLiteral("index"), index}, {QStringLiteral("name"), trimmed}}});
    });
    if (!s)
        return s.takeError();
    return index;
}

Status CorrectionStore::assignManually(qint64 runId, const std::vector<qint64> &photoIds, qint64 clusterId)
{
    Statement update(m_db, "UPDATE assignments SET cluster_id = ?, manual = 1, confidence = 1 WHERE run_id = ? AND photo_id = ?");
    for (qint64 photo : photoIds) {
        update.reset();
        update.bind(1, clusterId).bind(2, runId).bind(3, photo);
        if (Status s = update.run(); !s)
            return s;
        if (sqlite3_changes(m_db) != 1)
            return fail(QStringLiteral("Photo %1 is not in run %2").arg(photo).arg(runId));
    }
    return {};
}

Status CorrectionStore::movePhotos(qint64 runId, const std::vector<qint64> &photoIds, int toIndex)
{
    if (photoIds.empty())
        return fail(QStringLiteral("No photo to move"));
    return m_catalog.transaction([&]() -> Status {
        Result<qint64> to = clusterId(runId, toIndex);
        if (!to)
            return to.takeError();
        if (Status s = assignManually(runId, photoIds, *to); !s)
            return s;
        return record(
            {0, {}, CorrectionKind::Move, runId, *to, {{QStringLiteral("to"), toIndex}, {QStringLiteral("photos"), idArray(photoIds)}}});
    });
}

Status CorrectionStore::mergeClusters(qint64 runId, int fromIndex, int intoIndex, const std::vector<qint64> &alsoManual)
{
    if (fromIndex == intoIndex)
        return fail(QStringLiteral("A group cannot be merged into itself"));
    return m_catalog.transaction([&]() -> Status {
        Result<qint64> from = clusterId(runId, fromIndex);
        if (!from)
            return from.takeError();
        Result<qint64> into = clusterId(runId, intoIndex);
        if (!into)
            return into.takeError();
        Statement members(m_db, "SELECT photo_id FROM assignments WHERE cluster_id = ? ORDER BY photo_id");
        members.bind(1, *from);
        Result<std::vector<qint64>> photos = collectRows<qint64>(members, [](const Statement &r) { return r.int64(0); });
        if (!photos)
            return photos.takeError();
        if (Status s = assignManually(runId, *photos, *into); !s)
            return s;
        if (Status s = assignManually(runId, alsoManual, *into); !s)
            return s;
        Statement remove(m_db, "UPDATE clusters SET removed = 1, locked = 0 WHERE id = ?");
        remove.bind(1, *from);
        if (Status s = remove.run(); !s)
            return s;
        return record(
            {0,
             {},
             CorrectionKind::Merge,
             runId,
             *into,
             {{QStringLiteral("from"), fromIndex}, {QStringLiteral("into"), intoIndex}, {QStringLiteral("photos"), idArray(*photos)}}});
    });
}

Result<std::vector<int>> CorrectionStore::splitCluster(qint64 runId, int index, const std::vector<std::vector<qint64>> &parts,
                                                       const QStringList &names)
{
    if (parts.size() < 2)
        return fail(QStringLiteral("A split needs at least two parts"));
    if (std::size_t(names.size()) != parts.size() - 1)
        return fail(QStringLiteral("A split into %1 parts needs %2 names for the new groups").arg(parts.size()).arg(parts.size() - 1));
    std::vector<int> made;
    Status s = m_catalog.transaction([&]() -> Status {
        Result<qint64> source = clusterId(runId, index);
        if (!source)
            return source.takeError();
        Statement next(m_db, "SELECT coalesce(max(idx) + 1, 0) FROM clusters WHERE run_id = ?");
        next.bind(1, runId);
        if (Result<bool> row = next.step(); !row)
            return row.takeError();
        int nextIndex = int(next.int64(0));
        Statement insert(m_db, "INSERT INTO clusters (run_id, idx, name, origin) VALUES (?, ?, ?, ?) RETURNING id");
        QJsonArray partsJson;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            if (parts[p].empty())
                return fail(QStringLiteral("Part %1 of the split is empty").arg(p + 1));
            qint64 target = *source;
            if (p > 0) {
                insert.reset();
                insert.bind(1, runId).bind(2, nextIndex).bind(3, names[qsizetype(p - 1)]).bind(4, groupOriginName(GroupOrigin::Split));
                Result<bool> row = insert.step();
                if (!row)
                    return row.takeError();
                target = insert.int64(0);
                made.push_back(nextIndex++);
            }
            Statement member(m_db, "SELECT 1 FROM assignments WHERE run_id = ? AND photo_id = ? AND cluster_id = ?");
            for (qint64 photo : parts[p]) {
                member.reset();
                member.bind(1, runId).bind(2, photo).bind(3, *source);
                Result<bool> in = member.step();
                if (!in)
                    return in.takeError();
                if (!*in)
                    return fail(QStringLiteral("Photo %1 is not in group %2").arg(photo).arg(index));
            }
            if (Status a = assignManually(runId, parts[p], target); !a)
                return a;
            partsJson.append(idArray(parts[p]));
        }
        QJsonArray into{index};
        for (int m : made)
            into.append(m);
        return record({0,
                       {},
                       CorrectionKind::Split,
                       runId,
                       *source,
                       {{QStringLiteral("cluster"), index}, {QStringLiteral("into"), into}, {QStringLiteral("parts"), partsJson}}});
    });
    if (!s)
        return s.takeError();
    return made;
}

Status CorrectionStore::setLocked(qint64 runId, int index, bool locked)
{
    return m_catalog.transaction([&]() -> Status {
        Result<qint64> id = clusterId(runId, index);
        if (!id)
            return id.takeError();
        Statement update(m_db, "UPDATE clusters SET locked = ? WHERE id = ?");
        update.bind(1, qint64(locked)).bind(2, *id);
        if (Status s = update.run(); !s)
            return s;
        return record({0, {}, locked ? CorrectionKind::Lock : CorrectionKind::Unlock, runId, *id, {{QStringLiteral("index"), index}}});
    });
}

Result<RunState> CorrectionStore::runState(qint64 runId, const std::vector<qint64> &photoIds, const std::vector<int> &clusterIndices) const
{
    RunState state;
    state.runId = runId;
    Statement photo(m_db, "SELECT c.idx, a.confidence, a.manual FROM assignments a JOIN clusters c ON c.id = a.cluster_id "
                          "WHERE a.run_id = ? AND a.photo_id = ?");
    for (qint64 id : std::set<qint64>(photoIds.begin(), photoIds.end())) {
        photo.reset();
        photo.bind(1, runId).bind(2, id);
        Result<bool> row = photo.step();
        if (!row)
            return row.takeError();
        if (!*row)
            return fail(QStringLiteral("Photo %1 is not in run %2").arg(id).arg(runId));
        state.assignments.push_back({id, int(photo.int64(0)), float(photo.real(1)), photo.int64(2) != 0});
    }
    Statement cluster(m_db, "SELECT coalesce(user_name, ''), locked, removed FROM clusters WHERE run_id = ? AND idx = ?");
    for (int index : std::set<int>(clusterIndices.begin(), clusterIndices.end())) {
        cluster.reset();
        cluster.bind(1, runId).bind(2, index);
        Result<bool> row = cluster.step();
        if (!row)
            return row.takeError();
        if (!*row)
            return fail(QStringLiteral("Run %1 has no group %2").arg(runId).arg(index));
        state.clusters.push_back({index, cluster.text(0), cluster.int64(1) != 0, cluster.int64(2) != 0});
    }
    return state;
}

Status CorrectionStore::restoreRunState(const RunState &state, CorrectionKind kind)
{
    return m_catalog.transaction([&]() -> Status {
        Statement cluster(m_db, "UPDATE clusters SET user_name = nullif(?, ''), locked = ?, removed = ? WHERE run_id = ? AND idx = ?");
        for (const ClusterState &c : state.clusters) {
            cluster.reset();
            cluster.bind(1, c.userName).bind(2, qint64(c.locked));   // empty or null: no user name
            cluster.bind(3, qint64(c.removed)).bind(4, state.runId).bind(5, c.index);
            if (Status s = cluster.run(); !s)
                return s;
        }
        Statement assign(m_db, "UPDATE assignments SET cluster_id = (SELECT id FROM clusters WHERE run_id = ?1 AND idx = ?2), "
                               "confidence = ?3, manual = ?4 WHERE run_id = ?1 AND photo_id = ?5");
        QJsonArray photos;
        for (const AssignmentRecord &a : state.assignments) {
            assign.reset();
            assign.bind(1, state.runId).bind(2, a.clusterIndex).bind(3, double(a.confidence));
            assign.bind(4, qint64(a.manual)).bind(5, a.photoId);
            if (Status s = assign.run(); !s)
                return s;
            photos.append(a.photoId);
        }
        QJsonArray clusters;
        for (const ClusterState &c : state.clusters)
            clusters.append(c.index);
        return record({0, {}, kind, state.runId, 0, {{QStringLiteral("photos"), photos}, {QStringLiteral("clusters"), clusters}}});
    });
}

}   // namespace clade
