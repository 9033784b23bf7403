#pragma once

#include "media/metadata.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace clade {

enum class PhotoState { Ok = 0, Missing = 1, Failed = 2 };

// A run's state; the catalog stores its name ("running", "done", "failed", "cancelled",
// "interrupted": its process died). The names are converted here and nowhere else.
enum class RunStatus { Running, Done, Failed, Cancelled, Interrupted };
QString runStatusName(RunStatus status);
// An unknown name (a newer Clade's state) reads as Failed: such a run is not used.
RunStatus parseRunStatus(const QString &name);

// Who made a group; stored as its name ("" computed by the clustering, "user" created by hand,
// "split" made by a split, "kept" kept by a re-run for the user's corrections, see Pipeline).
enum class GroupOrigin { Computed, User, Split, Kept };
QString groupOriginName(GroupOrigin origin);
// An unknown name reads as User: the group is then kept through re-runs, never lost.
GroupOrigin parseGroupOrigin(const QString &name);

// What a correction did; the catalog stores its name. The user's: "rename", "move", "merge",
// "split", "lock", "unlock", "create", "undo", "redo". A re-run's: "carried" (it kept a name),
// "unmatched" (no cluster continues a name), "kept" (it kept locks and moved photos).
enum class CorrectionKind { Rename, Move, Merge, Split, Lock, Unlock, Create, Undo, Redo, Carried, Unmatched, Kept, Unknown };
QString correctionKindName(CorrectionKind kind);
// An unknown name (a newer Clade's) reads as Unknown: listed, never acted on.
CorrectionKind parseCorrectionKind(const QString &name);

// How a run was clustered; stored as its name: "sic", "sic-image-only" (SIC without a semantic
// space), "kmeans". Unknown: a name this version does not know (a newer Clade's run).
enum class ClusterMethod { Sic, SicImageOnly, KMeans, Unknown };
QString clusterMethodName(ClusterMethod method);
ClusterMethod parseClusterMethod(const QString &name);

// One row of `photos`: a file Clade recognised as an image, with what the scan learned.
struct PhotoRecord
{
    qint64 id = 0;
    QString path;   // absolute, clean
    qint64 size = 0;
    qint64 mtimeMs = 0;
    QString hash;     // content hash (hex); identifies renames
    QString format;   // sniffed: "jpeg", "png", "raw-cr2", ...
    int width = 0;    // upright pixel size, 0 until decoded
    int height = 0;
    PhotoMetadata meta;
    QString colour;   // dominant colour word, from the decoded image
    PhotoState state = PhotoState::Ok;
    QString error;   // why state == Failed
};

struct RunRecord
{
    qint64 id = 0;
    QString folder;
    int k = 0;
    ClusterMethod method = ClusterMethod::Unknown;
    QString modelId;   // feature extractor used
    quint64 seed = 0;
    QJsonObject params;
    QString softwareVersion;
    RunStatus status = RunStatus::Running;
    QString error;
    QDateTime startedAt;
    QDateTime finishedAt;
    bool semantic = false;   // names come from a semantic space (CLIP), not from look
};

struct NameScore
{
    QString noun;
    double score = 0;
};

struct ClusterRecord
{
    qint64 id = 0;
    qint64 runId = 0;
    int index = 0;
    QString name;   // display name: the user's name when there is one, else the computed one
    std::vector<NameScore> nameScores;
    int size = 0;             // filled when read
    QString userName;         // the user's rename (empty: none); kept across re-runs by matching
    qint64 carriedFrom = 0;   // storeClusters: the earlier run's cluster whose userName this is
    bool locked = false;      // a re-run keeps its members and name
    // Merged away, or a created group whose creation was undone: no members, not shown. The row
    // stays so that the corrections naming it keep their meaning.
    bool removed = false;
    GroupOrigin origin = GroupOrigin::Computed;
};

// One row of `corrections`: what the user changed, or what a re-run did with it.
struct CorrectionRecord
{
    qint64 id = 0;
    QDateTime at;
    CorrectionKind kind = CorrectionKind::Unknown;
    qint64 runId = 0;
    qint64 clusterId = 0;   // 0: none (an unmatched name's cluster belongs to an earlier run)
    QJsonObject detail;     // rename: from, to; carried/unmatched: name, fromRun, fromCluster; see catalog.h for the rest
};

struct AssignmentRecord
{
    qint64 photoId = 0;
    int clusterIndex = 0;
    float confidence = 0;
    bool manual = false;   // the user put it there: a re-run keeps it in the group that continues this one
};

// What undo and redo put back: the assignments of some photos and the flags of some clusters.
struct ClusterState
{
    int index = 0;
    QString userName;
    bool locked = false;
    bool removed = false;
};
struct RunState
{
    qint64 runId = 0;
    std::vector<AssignmentRecord> assignments;
    std::vector<ClusterState> clusters;
};

struct ProblemRecord
{
    QString path;
    QString stage;   // "scan", "metadata", "decode", "embed", ...
    QString message;
    QDateTime at;   // when it was last met (UTC); invalid for one not read from the catalog
};

// The records as JSON, as the CLI prints them and the table export writes them (names of the
// enums as stored; dates in ISO 8601 with milliseconds; a seed as a string, as JSON numbers
// cannot hold every 64-bit value).
QJsonObject toJson(const RunRecord &run);
QJsonArray toJson(const std::vector<NameScore> &names);   // [{noun, score}], best first
QJsonObject toJson(const ClusterRecord &cluster);         // index, name, size, names
QJsonObject toJson(const CorrectionRecord &correction);
QJsonObject toJson(const ProblemRecord &problem);   // path, stage, error, at

}   // namespace clade
