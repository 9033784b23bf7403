#pragma once

#include <QString>

namespace clade {

// Where Clade keeps its own files (XDG base directories). Photo folders are never written to.
QString dataDir();              // $XDG_DATA_HOME/clade  (catalog, models)
QString cacheDir();             // $XDG_CACHE_HOME/clade (thumbnails)
QString defaultCatalogPath();   // dataDir()/catalog.sqlite
QString softwareVersion();

} // namespace clade
