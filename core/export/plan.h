#pragma once

#include "catalog/catalog.h"
#include "common/result.h"
#include "export/exporter.h"

#include <QStringList>

#include <vector>

namespace clade {

// What exporting a finished run would take: its groups and their photos. One function for the
// CLI's export and the Export dialog, so both export the same files and report the same errors.
struct ExportGroup
{
    int index = 0;       // the cluster's index in the run
    QString name;        // the group's name: the default folder name
    QStringList files;   // members whose file is present, in the catalog's order
};

struct ExportPlan
{
    qint64 runId = 0;
    QString folder;                    // the run's photo folder
    std::vector<ExportGroup> groups;   // the run's groups in order; removed groups are left out
    int missing = 0;                   // members whose file is gone: left out, and said so

    // One item per file. `folderNames` overrides the group names by position (an empty or
    // absent entry keeps the group's name), as edited in the dialog.
    std::vector<ExportItem> items(const QStringList &folderNames = {}) const;
    qsizetype fileCount() const;
};

// Fails (with the reason) when the run does not exist, did not finish, or cannot be read.
Result<ExportPlan> planRunExport(const Catalog &catalog, qint64 runId);

}   // namespace clade
