#include "export/actions.h"

#include "export/naming.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace clade::exportactions {
namespace {

QByteArray enc(const QString &path)
{
    return QFile::encodeName(path);
}

// Size and modification time match what planning recorded for the source (rename and our
// cross-device copy both keep them).
bool stampMatches(const ExportAction &a, const struct stat &st)
{
    return a.size >= 0 && a.modifiedNs != 0 && qint64(st.st_size) == a.size
           && qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec == a.modifiedNs;
}

QString readLink(const QString &path)
{
    QByteArray target(4096, '\0');
    const ssize_t n = ::readlink(enc(path).constData(), target.data(), size_t(target.size()));
    return n < 0 ? QString() : QFile::decodeName(target.left(n));
}

// Whether the file at path is what the action would have produced.
bool isResultOf(const ExportAction &a, const QString &path)
{
    struct stat dst
    {
    }, src{};
    if (::lstat(enc(path).constData(), &dst) != 0)
        return false;
    switch (a.mode) {
    case ExportMode::Copy: {
        if (!S_ISREG(dst.st_mode) || (a.size >= 0 && qint64(dst.st_size) != a.size))
            return false;
        const auto source = exportfs::hashFile(a.source);
        const auto copy = exportfs::hashAt(AT_FDCWD, enc(path));
        return source && copy && *source == *copy;
    }
    case ExportMode::Symlink: return S_ISLNK(dst.st_mode) && readLink(path) == a.source;
    case ExportMode::Hardlink: return ::stat(enc(a.source).constData(), &src) == 0 && src.st_dev == dst.st_dev && src.st_ino == dst.st_ino;
    case ExportMode::Move: return S_ISREG(dst.st_mode) && !QFileInfo::exists(a.source) && stampMatches(a, dst);
    }
    return false;
}

UndoResult skipped(const QString &message)
{
    return {UndoOutcome::Skipped, message};
}
UndoResult failed(const QString &message)
{
    return {UndoOutcome::Failed, message};
}

UndoResult removeDestination(const ExportAction &a)
{
    if (::unlink(enc(a.destination).constData()) != 0)
        return failed(QStringLiteral("Could not remove %1: %2").arg(a.destination, exportfs::errnoText(errno)));
    return {UndoOutcome::Removed, {}};
}

UndoResult revertCopy(const ExportAction &a, const struct stat &dst)
{
    if (!S_ISREG(dst.st_mode))
        return skipped(QStringLiteral("Kept %1: it is no longer the file the export made").arg(a.destination));
    if (!QFileInfo::exists(a.source))
        return skipped(QStringLiteral("Kept %1: its source %2 no longer exists, so it may be the only copy").arg(a.destination, a.source));
    exportfs::Digest expected{a.size, a.sha256};
    if (a.sha256.isEmpty()) {   // interrupted before the manifest recorded it: compare with the source
        const auto source = exportfs::hashFile(a.source);
        if (!source)
            return skipped(QStringLiteral("Kept %1: cannot verify it (%2)").arg(a.destination, source.error()));
        expected = *source;
    }
    const auto actual = exportfs::hashAt(AT_FDCWD, enc(a.destination));
    if (!actual)
        return failed(actual.error());
    if (!(*actual == expected))
        return skipped(QStringLiteral("Kept %1: it was modified after the export").arg(a.destination));
    return removeDestination(a);
}

UndoResult revertSymlink(const ExportAction &a, const struct stat &dst)
{
    if (!S_ISLNK(dst.st_mode))
        return skipped(QStringLiteral("Kept %1: it is no longer the link the export made").arg(a.destination));
    if (readLink(a.destination) != a.source)
        return skipped(QStringLiteral("Kept %1: it no longer points to %2").arg(a.destination, a.source));
    return removeDestination(a);
}

UndoResult revertHardlink(const ExportAction &a, const struct stat &dst)
{
    struct stat src
    { };
    if (!S_ISREG(dst.st_mode))
        return skipped(QStringLiteral("Kept %1: it is no longer the link the export made").arg(a.destination));
    if (::stat(enc(a.source).constData(), &src) != 0)
        return skipped(QStringLiteral("Kept %1: its source %2 no longer exists, so it may be the only copy").arg(a.destination, a.source));
    if (src.st_dev != dst.st_dev || src.st_ino != dst.st_ino)
        return skipped(QStringLiteral("Kept %1: it is no longer a hard link to %2").arg(a.destination, a.source));
    return removeDestination(a);
}

// Copies the file back across file systems, checks it, then removes the exported one.
UndoResult moveBackAcrossDevices(const ExportAction &a)
{
    const QFileInfo src(a.source);
    auto dir = exportfs::openDir(src.absolutePath());
    if (!dir)
        return failed(dir.error());
    QString chosen;
    auto copied = exportfs::copyInto(a.destination, dir->get(), {src.fileName(), 1, 1}, &chosen);
    if (!copied)
        return failed(QStringLiteral("Could not move %1 back to %2: %3").arg(a.destination, a.source, copied.error()));
    const auto check = exportfs::hashAt(dir->get(), enc(chosen));
    if (!check || !(*check == *copied)) {
        ::unlinkat(dir->get(), enc(chosen).constData(), 0);
        return failed(QStringLiteral("Could not move %1 back: the copy did not verify").arg(a.destination));
    }
    if (::unlink(enc(a.destination).constData()) != 0)
        return {UndoOutcome::Restored,
                QStringLiteral("Restored %1 but could not remove %2: %3").arg(a.source, a.destination, exportfs::errnoText(errno))};
    return {UndoOutcome::Restored, {}};
}

UndoResult revertMove(const ExportAction &a, const struct stat &dst)
{
    struct stat src
    { };
    if (::lstat(enc(a.source).constData(), &src) == 0)
        return skipped(QStringLiteral("Left %1 in place: %2 exists again and is not overwritten").arg(a.destination, a.source));
    if (!S_ISREG(dst.st_mode))
        return skipped(QStringLiteral("Left %1 alone: it is not the file the export moved").arg(a.destination));
    if (a.status == QLatin1String("planned") && a.modifiedNs != 0 && !stampMatches(a, dst))
        return skipped(QStringLiteral("Left %1 alone: it is not the file the export was about to move there").arg(a.destination));
    QString note;
    if (!a.sha256.isEmpty()) {
        const auto now = exportfs::hashAt(AT_FDCWD, enc(a.destination));
        if (now && now->sha256 != a.sha256)
            note = QStringLiteral("Restored %1, which was modified after the export").arg(a.source);
    }
    if (!QDir().mkpath(QFileInfo(a.source).absolutePath()))
        return failed(QStringLiteral("Could not recreate the folder of %1").arg(a.source));
    const int err = exportfs::renameNoReplace(AT_FDCWD, enc(a.destination), AT_FDCWD, enc(a.source));
    if (err == EXDEV)
        return moveBackAcrossDevices(a);
    if (err == EEXIST)
        return skipped(QStringLiteral("Left %1 in place: %2 exists again and is not overwritten").arg(a.destination, a.source));
    if (err != 0)
        return failed(QStringLiteral("Could not move %1 back to %2: %3").arg(a.destination, a.source, exportfs::errnoText(err)));
    return {UndoOutcome::Restored, note};
}

}   // namespace

QString locatePlanned(const ExportAction &a)
{
    const QFileInfo dest(a.destination);
    const QString original = QFileInfo(a.source).fileName();
    int n = 1;
    while (n < 10000 && exportnaming::numberedName(original, n) != dest.fileName())
        ++n;
    for (int k = n; k < 10000 && k <= n + kPlannedNameSlack; ++k) {
        const QString path = dest.absolutePath() + QLatin1Char('/') + exportnaming::numberedName(original, k);
        if (isResultOf(a, path))
            return path;
    }
    return a.destination;
}

UndoResult revert(const ExportAction &a)
{
    if ((a.status != QLatin1String("done") && a.status != QLatin1String("planned")) || a.destination.isEmpty())
        return {};
    struct stat dst
    { };
    if (::lstat(enc(a.destination).constData(), &dst) != 0) {
        const bool movedAway = a.mode == ExportMode::Move && !QFileInfo::exists(a.source);
        if (a.status == QLatin1String("done") && movedAway)
            return skipped(QStringLiteral("Could not restore %1: it is neither there nor at %2").arg(a.source, a.destination));
        return {};   // never happened, or already reverted
    }
    switch (a.mode) {
    case ExportMode::Copy: return revertCopy(a, dst);
    case ExportMode::Symlink: return revertSymlink(a, dst);
    case ExportMode::Hardlink: return revertHardlink(a, dst);
    case ExportMode::Move: return revertMove(a, dst);
    }
    return {};
}

}   // namespace clade::exportactions
