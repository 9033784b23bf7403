#include "export/exporter.h"

#include "export/actions.h"
#include "export/fileops.h"
#include "export/manifest.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <cerrno>
#include <unistd.h>

namespace clade {
namespace {

using exportactions::UndoOutcome;
using exportmanifest::Manifest;

// The manifest must sit in the root it names, so a stray or edited manifest cannot make undo
// delete files elsewhere.
Status checkRoot(const Manifest &m, const QString &manifestPath)
{
    const QString here = QFileInfo(QFileInfo(manifestPath).absolutePath()).canonicalFilePath();
    if (here.isEmpty() || here != QFileInfo(m.targetRoot).canonicalFilePath() || here != m.targetRoot)
        return fail(QStringLiteral("Manifest %1 does not belong to the folder it is in (it names %2)").arg(manifestPath, m.targetRoot));
    return {};
}

// Group folders undo may touch: direct children of the root that are real folders (or gone).
QSet<QString> trustedFolders(const Manifest &m)
{
    QSet<QString> trusted;
    for (const auto &f : m.folders) {
        const QFileInfo info(f.path);
        const bool child = QDir::cleanPath(f.path) == f.path && info.absolutePath() == m.targetRoot
                           && info.fileName() != QLatin1String("..") && info.fileName() != QLatin1String(".");
        if (child && !info.isSymLink() && (!info.exists() || info.canonicalFilePath() == f.path))
            trusted.insert(f.path);
    }
    return trusted;
}

bool destinationTrusted(const ExportAction &a, const QSet<QString> &trusted)
{
    const QFileInfo info(a.destination);
    return QDir::cleanPath(a.destination) == a.destination && trusted.contains(info.absolutePath())
           && info.fileName() != QLatin1String("..") && info.fileName() != QLatin1String(".");
}

void count(UndoReport &r, UndoOutcome outcome)
{
    r.removed += outcome == UndoOutcome::Removed;
    r.restored += outcome == UndoOutcome::Restored;
    r.skipped += outcome == UndoOutcome::Skipped;
    r.failed += outcome == UndoOutcome::Failed;
}

// Removes a group folder the export created, with temp files a crash may have left, if empty.
void removeFolder(const QString &path, UndoReport &r)
{
    QDir dir(path);
    if (!dir.exists())
        return;
    const QStringList parts =
        dir.entryList({QString::fromLatin1(exportfs::kPartPrefix) + QLatin1Char('*')}, QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &part : parts)
        QFile::remove(dir.filePath(part));
    if (::rmdir(QFile::encodeName(path).constData()) != 0)
        r.messages.append(QStringLiteral("Kept folder %1: %2").arg(path, exportfs::errnoText(errno)));
}

// Reverts the actions, newest first. Returns false when cancelled.
bool revertAll(Manifest &m, const QSet<QString> &trusted, UndoReport &r, Progress *progress)
{
    const qint64 total = qint64(m.actions.size());
    for (qint64 i = total - 1; i >= 0; --i) {
        if (progress && progress->cancelled())
            return false;
        ExportAction &a = m.actions[size_t(i)];
        if (a.status != QLatin1String("done") && a.status != QLatin1String("planned"))
            continue;
        exportactions::UndoResult result;
        if (destinationTrusted(a, trusted)) {
            if (a.status == QLatin1String("planned"))
                a.destination = exportactions::locatePlanned(a);
            result = exportactions::revert(a);
        } else
            result = {UndoOutcome::Skipped, QStringLiteral("Left %1 alone: it is outside the export's folders").arg(a.destination)};
        count(r, result.outcome);
        if (!result.message.isEmpty())
            r.messages.append(result.message);
        if (result.outcome != UndoOutcome::Skipped && result.outcome != UndoOutcome::Failed)
            a.status = QStringLiteral("undone");
        if (progress)
            progress->report(QStringLiteral("undo"), total - i, total);
    }
    return true;
}

}   // namespace

Result<UndoReport> undoExport(const QString &manifestPath, Progress *progress)
{
    // An empty manifest of ours is an export killed between reserving its name and writing it
    // (only on file systems without hard links): nothing was done, so there is nothing to undo.
    const QFileInfo info(manifestPath);
    if (info.isFile() && !info.isSymLink() && info.size() == 0 && info.fileName().startsWith(QLatin1String("clade-export-"))
        && info.fileName().endsWith(QLatin1String(".json"))) {
        UndoReport r;
        r.messages.append(
            QStringLiteral("Nothing to undo: the export was stopped before it began; removed its empty manifest %1").arg(manifestPath));
        if (!QFile::remove(manifestPath))
            r.messages.append(QStringLiteral("Could not remove %1").arg(manifestPath));
        return r;
    }
    auto manifest = exportmanifest::read(manifestPath);
    if (!manifest)
        return manifest.takeError();
    Manifest &m = *manifest;
    if (Status st = checkRoot(m, manifestPath); !st)
        return st.takeError();
    UndoReport r;
    if (m.state == QLatin1String("undone"))
        r.messages.append(QStringLiteral("This export was already undone; checked again"));
    const QSet<QString> trusted = trustedFolders(m);
    const bool finished = revertAll(m, trusted, r, progress);
    if (finished) {
        for (const auto &f : m.folders) {
            if (!f.existed && trusted.contains(f.path))
                removeFolder(f.path, r);
        }
    }
    const bool clean = finished && r.skipped == 0 && r.failed == 0;
    m.state = clean ? QStringLiteral("undone") : QStringLiteral("partly-undone");
    m.undoMessages = r.messages;
    if (Status st = exportmanifest::write(manifestPath, m); !st)
        r.messages.append(st.error());
    return r;
}

}   // namespace clade
