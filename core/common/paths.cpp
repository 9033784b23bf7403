#include "common/paths.h"

#include <QDir>
#include <QFileInfo>
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

QString catalogFolderKey(const QString &folder)
{
    if (folder.isEmpty())
        return {};
    const QFileInfo info(folder);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

}   // namespace clade
