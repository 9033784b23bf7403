#pragma once

#include "common/result.h"
#include "export/exporter.h"

#include <QDateTime>
#include <QString>

#include <vector>

// Internal to core/export: the JSON manifest an export leaves in its target root (version 1).
namespace clade::exportmanifest {

inline constexpr int kVersion = 1;

struct Folder
{
    QString path;           // absolute, a direct child of the target root
    bool existed = false;   // true when it was there before the export (never removed by undo)
};

// state: "in-progress", "complete", "cancelled", "undone", "partly-undone".
struct Manifest
{
    qint64 runId = 0;
    ExportMode mode = ExportMode::Copy;
    QDateTime createdUtc;
    QString softwareVersion;
    QString targetRoot;   // canonical
    QString state;
    std::vector<Folder> folders;
    std::vector<ExportAction> actions;
    QStringList undoMessages;
};

QByteArray toJson(const Manifest &manifest);
Result<Manifest> fromJson(const QByteArray &json);

Result<Manifest> read(const QString &path);
// Replaces the manifest atomically: a temp file in the same folder, fsynced, renamed over it.
Status write(const QString &path, const Manifest &manifest);

// Creates <root>/clade-export-<UTC time>.json (with "-2", "-3" ... when taken) holding the
// manifest and returns its path. The name appears with its content or not at all: the content
// is written to a temp file that is hard-linked to the free name, so a kill at any moment leaves
// no empty manifest. Where the file system has no hard links (FAT, exFAT) the name is reserved
// empty and the content renamed over it; read() reports such an empty file as an export that
// never began.
Result<QString> create(const QString &root, const Manifest &manifest);

}   // namespace clade::exportmanifest
