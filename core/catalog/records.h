#pragma once

#include "media/metadata.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace clade {

enum class PhotoState { Ok = 0, Missing = 1, Failed = 2 };

// One row of `photos`: a file Clade recognised as an image, with what the scan learned.
struct PhotoRecord
{
    qint64 id = 0;
    QString path;          // absolute, clean
    qint64 size = 0;
    qint64 mtimeMs = 0;
    QString hash;          // content hash (hex); identifies renames
    QString format;        // sniffed: "jpeg", "png", "raw-cr2", ...
    int width = 0;         // upright pixel size, 0 until decoded
    int height = 0;
    PhotoMetadata meta;
    QString colour;        // dominant colour word, from the decoded image
    PhotoState state = PhotoState::Ok;
    QString error;         // why state == Failed
};

struct RunRecord
{
    qint64 id = 0;
    QString folder;
    int k = 0;
    QString method;        // "sic", "sic-image-only", "kmeans"
    QString modelId;       // feature extractor used
    quint64 seed = 0;
    QJsonObject params;
    QString softwareVersion;
    QString status;        // "running", "done", "failed", "cancelled", "interrupted" (its process died)
    QString error;
    QDateTime startedAt;
    QDateTime finishedAt;
    bool semantic = false; // names come from a semantic space (CLIP), not from look
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
    QString name;                   // display name
    std::vector<NameScore> nameScores;
    int size = 0;                   // filled when read
};

struct AssignmentRecord
{
    qint64 photoId = 0;
    int clusterIndex = 0;
    float confidence = 0;
    bool manual = false;
};

struct ProblemRecord
{
    QString path;
    QString stage;          // "scan", "metadata", "decode", "embed", ...
    QString message;
};

} // namespace clade
