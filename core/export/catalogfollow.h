#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "export/exporter.h"

#include <QStringList>

#include <vector>

namespace clade {

class Catalog;

// A move export takes its photos' catalog records along: each record's path follows its file
// into the export folder, so the photo's runs, groups, corrections and embeddings stay attached,
// the gallery finds it, and a later scan of the old folder finds nothing missing. Undo brings the
// paths back. Records are moved from where the files are, not from what the manifest says
// happened, so the catalog agrees with the disk whatever was interrupted:
// - the export registers its manifest in the catalog before a file moves, and moves records
//   after each manifest rewrite;
// - a later open of the catalog (CLI or GUI) reconciles every registered export against its
//   manifest and files, so an export or undo killed midway is finished there;
// - a registration is dropped once its manifest is final (complete, cancelled, undone) and
//   reconciled, or gone.
// A record is never moved onto a path that another record holds; that is reported instead.
// One Catalog connection, used on the calling thread.

struct FollowReport
{
    int moved = 0;          // records whose path changed
    QStringList messages;   // records that could not follow, and why
};

// exportGroups() for items of catalog's photos; a move (not a dry run) is followed.
Result<ExportReport> exportFollowingCatalog(Catalog &catalog, const std::vector<ExportItem> &items, const ExportOptions &options,
                                            Progress *progress = nullptr);

// undoExport(), then the records of the photos it moved back follow them.
Result<UndoReport> undoFollowingCatalog(Catalog &catalog, const QString &manifestPath, Progress *progress = nullptr);

// Notes in the catalog that the records of this manifest's photos follow their files until it
// is final and reconciled (done by the two functions above before they touch a file).
Status registerExport(Catalog &catalog, const QString &manifestPath, qint64 runId = 0);

// Puts the records of one manifest's moved photos where their files are now.
Result<FollowReport> reconcileExport(Catalog &catalog, const QString &manifestPath);

// reconcileExport() for every export registered in the catalog (at open).
Result<FollowReport> reconcilePendingExports(Catalog &catalog);

}   // namespace clade
