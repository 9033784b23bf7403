#pragma once

#include "domain/records.h"
#include "common/matrix.h"
#include "common/result.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;

namespace clade {

class Catalog;

// The catalog's tables are reached through four stores that share the catalog's one connection
// (and so its thread rule): photos (with their per-file problems), features, runs (with their
// groups and assignments) and corrections. A store lives as long as its Catalog.

// Photos and the per-file problems of scans and runs.
class PhotoStore
{
public:
    Result<std::vector<PhotoRecord>> under(const QString &folder, bool includeMissing = false) const;
    Result<std::optional<PhotoRecord>> byPath(const QString &path) const;
    Result<std::optional<PhotoRecord>> byId(qint64 id) const;
    Result<qint64> upsert(const PhotoRecord &photo);   // keyed by path; returns the id
    Status move(qint64 id, const QString &newPath, qint64 size, qint64 mtimeMs);
    // Only the path changes: the file was moved by Clade (an export), content and times with it.
    Status relocate(qint64 id, const QString &newPath);
    Status setState(qint64 id, PhotoState state, const QString &error = {});
    Status setDecodedInfo(qint64 id, const QString &colour);   // decoded fine: colour word, state Ok

    // Per-file problems: the latest one per (path, stage); cleared when the stage succeeds.
    Status recordProblem(const QString &path, const QString &stage, const QString &message);
    Status clearProblems(const QString &path);
    Result<std::vector<ProblemRecord>> problemsUnder(const QString &folder) const;

private:
    friend class Catalog;
    PhotoStore(Catalog &catalog, sqlite3 *db) : m_catalog(catalog), m_db(db) { }
    Catalog &m_catalog;
    sqlite3 *m_db;
};

// The stored vectors of a list of photos as one matrix: row i is photo i's, zero where found[i]
// is false (no features under the model).
struct FeatureRows
{
    FeatureMatrix matrix;
    std::vector<bool> found;
    std::size_t foundCount = 0;
    // Drops the rows not found and those `keep` rejects (by index into the photo list), in
    // place: the matrix keeps the others' rows in order. Returns the kept indices.
    template<typename Keep>
    std::vector<std::size_t> compact(Keep keep);
};

// Embeddings: per photo and model id, and the text embeddings of a vocabulary per model.
class FeatureStore
{
public:
    Status put(qint64 photoId, const QString &modelId, const std::vector<float> &vector);
    Result<std::unordered_map<qint64, std::vector<float>>> get(const QString &modelId, const std::vector<qint64> &photoIds) const;
    // The same read streamed into one preallocated photoIds.size() x dim matrix: a million
    // photos of 512 numbers take their 2 GB once, not again in per-photo vectors. An error when
    // a stored row is damaged or not dim long.
    Result<FeatureRows> rows(const QString &modelId, const std::vector<qint64> &photoIds, std::size_t dim) const;
    Status removeAll(qint64 photoId);   // its content changed: every model must embed it again
    Result<std::vector<qint64>> photosWith(const QString &modelId, const std::vector<qint64> &photoIds) const;
    // Every present (not missing) photo with features under modelId, in one scan by photo id:
    // the ids, and their vectors as the rows of one matrix (search across the whole catalog).
    // An error when a row is damaged or the rows differ in size.
    Result<std::pair<std::vector<qint64>, FeatureMatrix>> allPresent(const QString &modelId) const;

    // One row per noun, in vocabulary order.
    Status putText(const QString &modelId, const QString &vocabulary, int firstIndex, const QStringList &nouns,
                   const FeatureMatrix &vectors);
    Result<int> textCount(const QString &modelId, const QString &vocabulary) const;
    // Rows 0..count-1 in order; an error when a row is missing or damaged.
    Result<FeatureMatrix> text(const QString &modelId, const QString &vocabulary, int count, int dim) const;

private:
    friend class Catalog;
    FeatureStore(Catalog &catalog, sqlite3 *db) : m_catalog(catalog), m_db(db) { }
    Catalog &m_catalog;
    sqlite3 *m_db;
};

// Runs, their groups and assignments.
class RunStore
{
public:
    // Records this process as the run's owner; first marks stale runs (see recoverStale).
    Result<qint64> create(const RunRecord &run);
    Status finish(qint64 runId, RunStatus status, const QString &error = {});
    // Replaces the run's recorded parameters (a clusterer adds what it chose while running).
    Status setParams(qint64 runId, const QJsonObject &params);
    Result<std::optional<RunRecord>> get(qint64 runId) const;
    Result<std::optional<RunRecord>> latest(const QString &folder = {}) const;   // latest "done" run
    Result<std::vector<RunRecord>> all() const;
    // Marks 'interrupted' every 'running' run whose owning process has certainly ended (same
    // host, and its PID is gone or belongs to another process now). Runs of live processes, of
    // other hosts and of catalogs written before owners were recorded are left alone. Returns
    // how many were marked. Catalog::open calls it; it writes only when it finds such a run.
    Result<int> recoverStale();
    // The groups and assignments of a finished run, in one transaction; a group that carries the
    // user's name of an earlier run records a "carried" correction.
    Status storeClusters(qint64 runId, const std::vector<ClusterRecord> &clusters, const std::vector<AssignmentRecord> &assignments);
    Result<std::vector<ClusterRecord>> clusters(qint64 runId) const;
    Result<std::vector<AssignmentRecord>> assignments(qint64 runId) const;
    // Most typical first (by confidence); limit < 0: all of them.
    Result<std::vector<PhotoRecord>> members(qint64 runId, int clusterIndex, int limit = -1) const;
    // Replaces a group's computed name and its scores (named again from another vocabulary); a
    // name the user gave stays the one shown.
    Status setComputedName(qint64 runId, int clusterIndex, const QString &name, const std::vector<NameScore> &scores);

private:
    friend class Catalog;
    RunStore(Catalog &catalog, sqlite3 *db) : m_catalog(catalog), m_db(db) { }
    Catalog &m_catalog;
    sqlite3 *m_db;
};

// The user's corrections of a run, by cluster index (catalogcorrections.cpp), and their record.
// Each runs in one transaction and is recorded as a correction row; every photo it places is
// marked manual, so a re-run keeps it with the group that continues its target. What a
// correction means (which photos go where, how a split part is named) is decided by
// core/pipeline/corrections; these store it.
class CorrectionStore
{
public:
    // Sets (or with an empty name, clears) the user's name of a cluster and records it; a
    // re-run carries it to the matching cluster (Pipeline).
    Status rename(qint64 clusterId, const QString &name);
    Status record(const CorrectionRecord &correction);
    Result<std::vector<CorrectionRecord>> list(qint64 runId) const;
    // The user's names that no group of this run continues (its 'unmatched' corrections).
    Result<QStringList> namesNotCarried(qint64 runId) const;

    // create: a new empty group with the user's name (origin "user"); returns its index.
    Result<int> createCluster(qint64 runId, const QString &name);
    // move: detail {to, photos}.
    Status movePhotos(qint64 runId, const std::vector<qint64> &photoIds, int toIndex);
    // merge: every member of fromIndex goes into intoIndex, marked manual, as are `alsoManual`
    // (photos of intoIndex); fromIndex is removed. Detail {from, into, photos (those moved)}.
    Status mergeClusters(qint64 runId, int fromIndex, int intoIndex, const std::vector<qint64> &alsoManual);
    // split: parts[0] stays in `index`, every further part becomes a new group (origin "split")
    // named as `names` says (one per further part). Every member must be in the group. Returns
    // the new indices. Detail {cluster, into, parts}.
    Result<std::vector<int>> splitCluster(qint64 runId, int index, const std::vector<std::vector<qint64>> &parts, const QStringList &names);
    // lock / unlock: detail {index}.
    Status setLocked(qint64 runId, int index, bool locked);
    // Undo and redo: the assignments of some photos and the flags of some clusters, read before
    // or after a correction, and put back (recorded with `kind`, Undo or Redo).
    Result<RunState> runState(qint64 runId, const std::vector<qint64> &photoIds, const std::vector<int> &clusterIndices) const;
    Status restoreRunState(const RunState &state, CorrectionKind kind);
    // The id of group `index` of the run; an error when there is none or it was removed.
    Result<qint64> clusterId(qint64 runId, int index) const;

private:
    friend class Catalog;
    CorrectionStore(Catalog &catalog, sqlite3 *db) : m_catalog(catalog), m_db(db) { }
    Status assignManually(qint64 runId, const std::vector<qint64> &photoIds, qint64 clusterId);
    Catalog &m_catalog;
    sqlite3 *m_db;
};

// The SQLite catalog: WAL, foreign keys, versioned schema with cumulative migrations.
// One Catalog object = one connection, used by one thread at a time. The worker owns a
// writer connection; the GUI opens readers of its own (WAL lets them read while it writes).
class Catalog
{
public:
    // One schema step: brings the database from version - 1 to version, inside a transaction.
    struct Migration
    {
        int version;
        std::function<Status(Catalog &)> apply;
    };

    static Result<std::unique_ptr<Catalog>> open(const QString &path);
    // For tests of the migration mechanism: open with another list of steps.
    static Result<std::unique_ptr<Catalog>> open(const QString &path, const std::vector<Migration> &migrations);
    static const std::vector<Migration> &migrations();
    static int currentVersion();

    ~Catalog();
    Catalog(const Catalog &) = delete;
    Catalog &operator=(const Catalog &) = delete;

    QString path() const { return m_path; }
    // Where open() kept a copy of the catalog before upgrading its schema; empty when it did not
    // upgrade. Callers say it to the user.
    QString migrationBackup() const { return m_migrationBackup; }
    Result<int> schemaVersion() const;
    Status exec(const QString &sql);
    // Runs work inside BEGIN IMMEDIATE .. COMMIT; rolls back when it fails. When another
    // connection (another process) is writing, it waits for it up to the busy wait (15 s), then
    // fails with a message saying the catalog is busy.
    Status transaction(const std::function<Status()> &work);
    void setBusyWait(int ms);

    // Small named values kept with the catalog (its meta table, beside the schema version), e.g.
    // the move exports whose photos' paths still have to follow their files.
    Status setMeta(const QString &key, const QString &value);
    Status removeMeta(const QString &key);
    Result<std::vector<std::pair<QString, QString>>> metaWithPrefix(const QString &prefix) const;

    PhotoStore &photos() { return m_photos; }
    const PhotoStore &photos() const { return m_photos; }
    FeatureStore &features() { return m_features; }
    const FeatureStore &features() const { return m_features; }
    RunStore &runs() { return m_runs; }
    const RunStore &runs() const { return m_runs; }
    CorrectionStore &corrections() { return m_corrections; }
    const CorrectionStore &corrections() const { return m_corrections; }

    sqlite3 *handle() const { return m_db; }

private:
    Catalog(sqlite3 *db, QString path);
    Status migrate(const std::vector<Migration> &migrations);
    Status backupTo(const QString &path) const;   // a complete copy, by SQLite's backup API

    sqlite3 *m_db = nullptr;
    QString m_path;
    QString m_migrationBackup;
    int m_busyWaitMs = 0;
    PhotoStore m_photos;
    FeatureStore m_features;
    RunStore m_runs;
    CorrectionStore m_corrections;
};

template<typename Keep>
std::vector<std::size_t> FeatureRows::compact(Keep keep)
{
    std::vector<std::size_t> kept;
    const std::size_t cols = matrix.cols;
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (!found[i] || !keep(i))
            continue;
        if (kept.size() != i)
            std::copy(matrix.row(i), matrix.row(i) + cols, matrix.row(kept.size()));
        kept.push_back(i);
    }
    matrix.rows = kept.size();
    matrix.values.resize(kept.size() * cols);   // capacity kept: no second copy at the peak
    return kept;
}

}   // namespace clade
