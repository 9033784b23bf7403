#pragma once

#include "common/progress.h"
#include "common/result.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace clade {

enum class ExportMode { Copy, Move, Symlink, Hardlink };

QString exportModeName(ExportMode mode);                             // "copy", "move", "symlink", "hardlink"
std::optional<ExportMode> exportModeFromName(const QString &name);   // case-insensitive

// One file to export; group is the cluster's display name (any text, sanitised here).
struct ExportItem
{
    QString source;
    QString group;
};

// Action statuses: "planned" (not yet attempted), "done", "failed" (error says why),
// "cancelled" (never attempted because the export was cancelled), "undone" (reverted by undo).
struct ExportAction
{
    QString source;        // absolute path
    QString destination;   // absolute path inside the target root
    ExportMode mode = ExportMode::Copy;
    QString status;
    QString error;
    qint64 size = -1;        // of the source before the action (from planning on); -1 while unknown
    QString sha256;          // hex SHA-256 of the source before the action; empty until done
    qint64 modifiedNs = 0;   // source's modification time at planning, ns since the epoch; 0 unknown
};

struct ExportOptions
{
    QString targetRoot;
    ExportMode mode = ExportMode::Copy;
    bool dryRun = false;
    qint64 runId = 0;
    // The manifest is rewritten at least every this many actions (and every 2 s while actions
    // finish). 0: automatic, max(16, actions / 200), which bounds the rewrites of a huge export.
    int manifestFlushEvery = 0;
    // Called on the exporting thread once the manifest is on disk, before any file is touched;
    // an error stops the export there (nothing moved). catalogfollow.h uses it to register a move.
    std::function<Status(const QString &manifestPath)> started{};
    // Called after each manifest rewrite with the manifest's actions and the range [from, to) of
    // those carried out since the previous call: a move's catalog paths follow the files.
    std::function<void(const std::vector<ExportAction> &actions, size_t from, size_t to)> flushed{};
};

struct ExportReport
{
    QString manifestPath;   // empty for a dry run
    std::vector<ExportAction> actions;
    int done = 0;
    int failed = 0;
    bool cancelled = false;
    QStringList messages;   // problems that did not stop the export (e.g. a manifest rewrite failed)
};

// Exports each item into <targetRoot>/<sanitised group>/<file name>, never overwriting: an
// existing name gets a " (n)" suffix. The manifest is written before any file is touched and
// kept current, so undoExport() works on an interrupted export too. One failing file fails only
// its action; the Result is an error only when nothing could be started (bad target root,
// manifest not writable). Blocking file I/O: call on a worker thread.
Result<ExportReport> exportGroups(const std::vector<ExportItem> &items, const ExportOptions &options, Progress *progress = nullptr);

struct UndoReport
{
    int restored = 0;   // moved files put back
    int removed = 0;    // copies and links removed
    int skipped = 0;    // left alone on purpose; messages say why
    int failed = 0;
    QStringList messages;
};

// Reverts the export a manifest describes: removes the copies and links it made (only when they
// are still what it made), moves moved files back (never over an existing file), and removes the
// group folders it created when they are empty. Safe to run again; the manifest is kept and
// marked undone. Blocking file I/O: call on a worker thread.
Result<UndoReport> undoExport(const QString &manifestPath, Progress *progress = nullptr);

// A single safe path component for a group name: no separators, no leading dots, no control or
// bidi-control characters, no trailing dots/spaces, at most 120 UTF-8 bytes, NFC, never empty.
QString sanitizeFolderName(const QString &name);

}   // namespace clade
