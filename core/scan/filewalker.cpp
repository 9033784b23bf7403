#include "scan/filewalker.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace clade {

namespace {

void walk(const QString &folder, QSet<QString> &visited, WalkResult &out, Progress &progress)
{
    if (progress.cancelled())
        return;
    const QString canonical = QFileInfo(folder).canonicalFilePath();
    if (canonical.isEmpty()) {
        out.problems.push_back({folder, QStringLiteral("folder vanished during the scan")});
        return;
    }
    if (visited.contains(canonical)) {
        out.problems.push_back({folder, QStringLiteral("symbolic link loop (already scanned as %1); skipped").arg(canonical)});
        return;
    }
    visited.insert(canonical);
    QDir dir(folder);
    if (!dir.isReadable()) {
        out.problems.push_back({folder, QStringLiteral("folder is not readable; skipped")});
        return;
    }
    const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
    for (const QFileInfo &entry : entries) {
        if (entry.isDir()) {
            walk(entry.filePath(), visited, out, progress);
        } else if (entry.isFile()) {
            out.files.push_back({entry.filePath(), entry.size(), entry.lastModified().toMSecsSinceEpoch()});
        } else if (entry.isSymLink() && !entry.exists()) {
            out.problems.push_back({entry.filePath(), QStringLiteral("broken symbolic link; skipped")});
        }
    }
    progress.report(QStringLiteral("Scanning"), qint64(out.files.size()), 0);
}

}   // namespace

WalkResult walkFolder(const QString &root, Progress &progress)
{
    WalkResult out;
    QSet<QString> visited;
    walk(QDir::cleanPath(root), visited, out, progress);
    return out;
}

}   // namespace clade
