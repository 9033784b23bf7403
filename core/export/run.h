#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "export/exporter.h"
#include "export/fileops.h"
#include "export/manifest.h"

#include <vector>

// Internal to core/export: carrying out a planned export and keeping its manifest current.
namespace clade::exportrun {

// What planning decided for one action beyond ExportAction itself.
struct Slot
{
    int folder = -1;   // index into Manifest::folders; -1 when the action failed while planning
    exportfs::NameRange names;
};

// Performs every "planned" action of m in order, rewriting the manifest at manifestPath every
// options.manifestFlushEvery actions and at the end. Problems that do not stop the export (a
// manifest rewrite that failed) are appended to messages. Blocking; worker thread.
void execute(exportmanifest::Manifest &m, const std::vector<Slot> &slotList, const QString &manifestPath, const ExportOptions &options,
             Progress *progress, QStringList &messages);

}   // namespace clade::exportrun
