#include "common/paths.h"

#include <QDir>
#include <QStandardPaths>

namespace clade {

QString dataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/clade");
}

QString cacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/clade");
}

QString defaultCatalogPath()
{
    return dataDir() + QStringLiteral("/catalog.sqlite");
}

QString softwareVersion()
{
    return QStringLiteral(CLADE_VERSION);
}

} // namespace clade
