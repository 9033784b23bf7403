#pragma once

#include <QString>

namespace clade {

// Where Clade keeps its own files (XDG base directories). Photo folders are never written to.
QString dataDir();              // $XDG_DATA_HOME/clade  (catalog, models)
QString cacheDir();             // $XDG_CACHE_HOME/clade (thumbnails)
QString defaultCatalogPath();   // dataDir()/catalog.sqlite
QString softwareVersion();

// The one form of a photo folder's path that the catalog stores runs and photos under: the
// canonical path (symbolic links resolved) when the folder exists, else its clean absolute
// path; empty for an empty path.
QString catalogFolderKey(const QString &folder);

}   // namespace clade
