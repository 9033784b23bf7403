// Catalog: runs, clusters and assignments.
#include "catalog/catalog.h"

#include "catalog/runowner.h"
#include "catalog/statement.h"
#include "common/paths.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

namespace clade {

namespace {

const char *const kRunColumns =
    "id, folder, k, method, model_id, seed, params, software_version, semantic, status, error, started_at, finished_at";

RunRecord readRun(const Statement &q)
{
    RunRecord r;
    r.id = q.int64(0);
    r.folder = q.text(1);
    r.k = int(q.int64(2));
    r.method = parseClusterMethod(q.text(3));
    r.modelId = q.text(4);
    r.seed = quint64(q.int64(5));
    r.params = QJsonDocument::fromJson(q.text(6).toUtf8()).object();
    r.softwareVersion = q.text(7);
    r.semantic = q.int64(8) != 0;
    r.status = parseRunStatus(q.text(9));
    r.error = q.text(10);
    r.startedAt = QDateTime::fromMSecsSinceEpoch(q.int64(11));
    if (!q.isNull(12))
        r.finishedAt = QDateTime::fromMSecsSinceEpoch(q.int64(12));
    return r;
}

QString namesToJson(const std::vector<NameScore> &names)
{
    return QString::fromUtf8(QJsonDocument(toJson(names)).toJson(QJsonDocument::Compact));
}

std::vector<NameScore> namesFromJson(const QString &json)
{
    std::vector<NameScore> names;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        names.push_back({v[QLatin1String("noun")].toString(), v[QLatin1String("score")].toDouble()});
    return names;
}

}   // namespace

Result<qint64> RunStore::create(const RunRecord &r)
{
    // Tidying other processes' dead runs must not stop this one; open() reports such failures.
    (void)recoverStale();
    Statement q(m_db, "INSERT INTO runs (folder, k, method, model_id, seed, params, software_version, semantic, status, "
                      "started_at, owner_host, owner_pid, owner_start) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?) RETURNING id");
    q.bind(1, r.folder).bind(2, r.k).bind(3, clusterMethodName(r.method)).bind(4, r.modelId).bind(5, qint64(r.seed));
    q.bind(6, QString::fromUtf8(QJsonDocument(r.params).toJson(QJsonDocument::Compact)));
    q.bind(7, r.softwareVersion.isEmpty() ? softwareVersion() : r.softwareVersion)
        .bind(8, qint64(r.semantic))
        .bind(9, QDateTime::currentMSecsSinceEpoch());
    const RunOwner &owner = currentRunOwner();
    q.bind(10, owner.host).bind(11, owner.pid).bind(12, owner.startToken);
    Result<bool> row = q.step();
    if (!row)
        return row.takeError();
    return q.int64(0);
}

Status RunStore::finish(qint64 runId, RunStatus status, const QString &error)
{
    Statement q(m_db, "UPDATE runs SET status=?, error=?, finished_at=? WHERE id=?");
    return q.bind(1, runStatusName(status)).bind(2, error).bind(3, QDateTime::currentMSecsSinceEpoch()).bind(4, runId).run();
}

Status RunStore::setParams(qint64 runId, const QJsonObject &params)
{
    Statement q(m_db, "UPDATE runs SET params=? WHERE id=?");
    return q.bind(1, QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact))).bind(2, runId).run();
}

Result<std::optional<RunRecord>> RunStore::get(qint64 runId) const
{
    const QByteArray sql = QByteArray("SELECT ") + kRunColumns + " FROM runs WHERE id = ?";
    Statement q(m_db, sql.constData());
    q.bind(1, runId);
    return firstRow<RunRecord>(q, readRun);
}

Result<std::optional<RunRecord>> RunStore::latest(const QString &folder) const
{
    const QByteArray sql =
        QByteArray("SELECT ") + kRunColumns + " FROM runs WHERE status = 'done' AND (?1 IS NULL OR folder = ?1) ORDER BY id DESC LIMIT 1";
    Statement q(m_db, sql.constData());
    q.bind(1, folder.isEmpty() ? QString() : folder);
    return firstRow<RunRecord>(q, readRun);
}

Result<std::vector<RunRecord>> RunStore::all() const
{
    const QByteArray sql = QByteArray("SELECT ") + kRunColumns + " FROM runs ORDER BY id";
    Statement q(m_db, sql.constData());
    return collectRows<RunRecord>(q, readRun);
}

Result<int> RunStore::recoverStale()
{
    struct Candidate
    {
        qint64 id;
        RunOwner owner;
    };
    Statement running(m_db, "SELECT id, owner_host, owner_pid, owner_start FROM runs WHERE status = 'running'");
    Result<std::vector<Candidate>> candidates = collectRows<Candidate>(running, [](const Statement &q) {
        return Candidate{q.int64(0), RunOwner{q.text(1), q.int64(2), q.text(3)}};
    });
    if (!candidates)
        return candidates.takeError();
    int marked = 0;
    for (const Candidate &c : *candidates) {
        if (ownerState(c.owner) != OwnerState::Gone)
            continue;
        // The owner columns in the WHERE clause keep a row that changed meanwhile untouched.
        Statement mark(m_db, "UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? "
                             "WHERE id = ? AND status = 'running' AND owner_host = ? AND owner_pid = ?");
        mark.bind(
            1, QStringLiteral("Interrupted: its process (PID %1 on %2) ended before the run finished").arg(c.owner.pid).arg(c.owner.host));
        mark.bind(2, QDateTime::currentMSecsSinceEpoch()).bind(3, c.id).bind(4, c.owner.host).bind(5, c.owner.pid);
        if (Status s = mark.run(); !s)
            return s.takeError();
        marked += sqlite3_changes(m_db);
    }
    return marked;
}

Status RunStore::setComputedName(qint64 runId, int clusterIndex, const QString &name, const std::vector<NameScore> &scores)
{
    Statement q(m_db, "UPDATE clusters SET name = ?, name_scores = ? WHERE run_id = ? AND idx = ?");
    if (Status s = q.bind(1, name).bind(2, namesToJson(scores)).bind(3, runId).bind(4, clusterIndex).run(); !s)
        return s;
    if (sqlite3_changes(m_db) != 1)
        return fail(QStringLiteral("Run %1 has no group %2").arg(runId).arg(clusterIndex));
    return {};
}

Status RunStore::storeClusters(qint64 runId, const std::vector<ClusterRecord> &clusters, const std::vector<AssignmentRecord> &assignments)
{
    return m_catalog.transaction([&]() -> Status {
        std::vector<qint64> ids(clusters.size(), 0);
        Statement insert(m_db, "INSERT INTO clusters (run_id, idx, name, name_scores, user_name, locked, removed, origin) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?, '')) RETURNING id");
        for (std::size_t i = 0; i < clusters.size(); ++i) {
            const ClusterRecord &c = clusters[i];
            if (c.index != int(i))
                return fail(QStringLiteral("Cluster indices must be 0..k-1 in order"));
            insert.reset();
            insert.bind(1, runId).bind(2, c.index).bind(3, c.name).bind(4, namesToJson(c.nameScores));
            if (c.userName.isEmpty())
                insert.bindNull(5);
            else
                insert.bind(5, c.userName);
            insert.bind(6, qint64(c.locked)).bind(7, qint64(c.removed)).bind(8, groupOriginName(c.origin));
            if (Result<bool> row = insert.step(); !row)
                return row.takeError();
            ids[i] = insert.int64(0);
            if (c.carriedFrom != 0) {
                CorrectionRecord carried{0,
                                         QDateTime::currentDateTimeUtc(),
                                         CorrectionKind::Carried,
                                         runId,
                                         ids[i],
                                         {{QStringLiteral("name"), c.userName}, {QStringLiteral("fromCluster"), c.carriedFrom}}};
                if (Status s = m_catalog.corrections().record(carried); !s)
                    return s;
            }
        }
        Statement assign(m_db, "INSERT INTO assignments (run_id, photo_id, cluster_id, confidence, manual) VALUES (?, ?, ?, ?, ?)");
        for (const AssignmentRecord &a : assignments) {
            if (a.clusterIndex < 0 || a.clusterIndex >= int(ids.size()))
                return fail(QStringLiteral("Assignment to a cluster index out of range: %1").arg(a.clusterIndex));
            assign.reset();
            assign.bind(1, runId).bind(2, a.photoId).bind(3, ids[std::size_t(a.clusterIndex)]);
            assign.bind(4, double(a.confidence)).bind(5, qint64(a.manual));
            if (Status s = assign.run(); !s)
                return s;
        }
        return {};
    });
}

Result<std::vector<ClusterRecord>> RunStore::clusters(qint64 runId) const
{
    Statement q(m_db, "SELECT c.id, c.idx, coalesce(c.user_name, c.name), c.name_scores, "
                      "(SELECT count(*) FROM assignments a WHERE a.cluster_id = c.id), coalesce(c.user_name, ''), "
                      "c.locked, c.removed, c.origin "
                      "FROM clusters c WHERE c.run_id = ? ORDER BY c.idx");
    q.bind(1, runId);
    return collectRows<ClusterRecord>(q, [runId](const Statement &r) {
        return ClusterRecord{r.int64(0), runId, int(r.int64(1)), r.text(2),       namesFromJson(r.text(3)),   int(r.int64(4)),
                             r.text(5),  0,     r.int64(6) != 0, r.int64(7) != 0, parseGroupOrigin(r.text(8))};
    });
}

Status CorrectionStore::rename(qint64 clusterId, const QString &name)
{
    const QString trimmed = name.simplified();
    return m_catalog.transaction([&]() -> Status {
        Statement q(m_db, "SELECT run_id, coalesce(user_name, name) FROM clusters WHERE id = ?");
        q.bind(1, clusterId);
        Result<bool> row = q.step();
        if (!row)
            return row.takeError();
        if (!*row)
            return fail(QStringLiteral("There is no cluster %1").arg(clusterId));
        const qint64 runId = q.int64(0);
        const QString before = q.text(1);
        Statement update(m_db, "UPDATE clusters SET user_name = ? WHERE id = ?");
        if (trimmed.isEmpty())
            update.bindNull(1);
        else
            update.bind(1, trimmed);
        update.bind(2, clusterId);
        if (Status s = update.run(); !s)
            return s;
        return record({0,
                       QDateTime::currentDateTimeUtc(),
                       CorrectionKind::Rename,
                       runId,
                       clusterId,
                       {{QStringLiteral("from"), before}, {QStringLiteral("to"), trimmed}}});
    });
}

Status CorrectionStore::record(const CorrectionRecord &c)
{
    Statement q(m_db, "INSERT INTO corrections (at_ms, kind, run_id, cluster_id, detail) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, (c.at.isValid() ? c.at : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch())
        .bind(2, correctionKindName(c.kind))
        .bind(3, c.runId);
    if (c.clusterId == 0)
        q.bindNull(4);
    else
        q.bind(4, c.clusterId);
    q.bind(5, QString::fromUtf8(QJsonDocument(c.detail).toJson(QJsonDocument::Compact)));
    return q.run();
}

Result<std::vector<CorrectionRecord>> CorrectionStore::list(qint64 runId) const
{
    Statement q(m_db, "SELECT id, at_ms, kind, run_id, coalesce(cluster_id, 0), detail FROM corrections WHERE run_id = ? ORDER BY id");
    q.bind(1, runId);
    return collectRows<CorrectionRecord>(q, [](const Statement &r) {
        return CorrectionRecord{r.int64(0), QDateTime::fromMSecsSinceEpoch(r.int64(1)),          parseCorrectionKind(r.text(2)), r.int64(3),
                                r.int64(4), QJsonDocument::fromJson(r.text(5).toUtf8()).object()};
    });
}

Result<QStringList> CorrectionStore::namesNotCarried(qint64 runId) const
{
    Result<std::vector<CorrectionRecord>> all = list(runId);
    if (!all)
        return all.takeError();
    QStringList names;
    for (const CorrectionRecord &c : *all) {
        if (c.kind == CorrectionKind::Unmatched)
            names << c.detail.value(QStringLiteral("name")).toString();
    }
    return names;
}

Result<std::vector<AssignmentRecord>> RunStore::assignments(qint64 runId) const
{
    Statement q(m_db, "SELECT a.photo_id, c.idx, a.confidence, a.manual FROM assignments a "
                      "JOIN clusters c ON c.id = a.cluster_id WHERE a.run_id = ? ORDER BY a.photo_id");
    q.bind(1, runId);
    return collectRows<AssignmentRecord>(q, [](const Statement &r) {
        return AssignmentRecord{r.int64(0), int(r.int64(1)), float(r.real(2)), r.int64(3) != 0};
    });
}

}   // namespace clade
