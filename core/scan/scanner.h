#pragma once

#include "catalog/catalog.h"
#include "common/progress.h"
#include "media/metadata.h"

namespace clade {

struct ScanStats
{
    int files = 0;    // regular files seen
    int images = 0;   // recognised as images by content
    int added = 0;
    int changed = 0;   // size or mtime differed: metadata and features redone
    int unchanged = 0;
    int renamed = 0;   // same content hash at a new path
    int removed = 0;   // marked missing
    int failed = 0;    // per-file problems recorded
    int metadataReads = 0;
};

// Walks a folder recursively and brings the catalog's photo rows up to date.
// Hidden folders are skipped, symlink loops detected, unreadable or vanishing files recorded
// as problems; an unchanged file costs one stat and no read. Runs on the worker thread.
class Scanner
{
public:
    Scanner(Catalog &catalog, const MetadataReader *metadata);
    Result<ScanStats> scan(const QString &folder, Progress &progress);

private:
    Catalog &m_catalog;
    const MetadataReader *m_metadata;
};

}   // namespace clade
