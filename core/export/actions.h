#pragma once

#include "common/result.h"
#include "export/exporter.h"
#include "export/fileops.h"

// Internal to core/export: carrying out one export action, and reverting one.
namespace clade::exportactions {

// Performs action.mode for action.source into the folder dirFd (whose path is folderPath) under
// the first free name of names. On success sets destination, size and sha256 (of the source as
// it was before the action). Blocking; worker thread.
Status perform(ExportAction &action, int dirFd, const QString &folderPath, const exportfs::NameRange &names);

enum class UndoOutcome { Nothing, Removed, Restored, Skipped, Failed };
struct UndoResult
{
    UndoOutcome outcome = UndoOutcome::Nothing;
    QString message;
};

// Names after the planned one that an interrupted action may have used (taken meanwhile).
inline constexpr int kPlannedNameSlack = 8;

// For a "planned" action of an interrupted export: where its result lies if it happened, the
// planned destination or one of the next numbered names; the planned destination when none is.
QString locatePlanned(const ExportAction &action);

// Reverts one action whose destination lies in a verified folder of the target root. Works for
// "done" and for "planned" actions (which may or may not have happened). Never deletes a file that
// is not verifiably what the export made, never overwrites. Blocking; worker thread.
UndoResult revert(const ExportAction &action);

}   // namespace clade::exportactions
