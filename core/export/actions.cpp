#include "export/actions.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace clade::exportactions {
namespace {

using exportfs::Digest;
using exportfs::NameRange;

QByteArray enc(const QString &path)
{
    return QFile::encodeName(path);
}

Status failWith(const QString &what, const ExportAction &a, const QString &why)
{
    return fail(QStringLiteral("Could not %1 %2: %3").arg(what, a.source, why));
}

void setDone(ExportAction &a, const QString &folderPath, const QString &chosen, const Digest &d)
{
    a.destination = folderPath + QLatin1Char('/') + chosen;
    a.size = d.size;
    a.sha256 = d.sha256;
}

// Across file systems: copy, check the copy against the source's digest, then delete the source.
Status moveAcrossDevices(ExportAction &a, int dirFd, const QString &folderPath, const NameRange &names, const Digest &before)
{
    QString chosen;
    auto copied = exportfs::copyInto(a.source, dirFd, names, &chosen);
    if (!copied)
        return failWith(QStringLiteral("move"), a, copied.error());
    const auto check = exportfs::hashAt(dirFd, enc(chosen));
    if (!(*copied == before) || !check || !(*check == before)) {
        ::unlinkat(dirFd, enc(chosen).constData(), 0);
        return failWith(QStringLiteral("move"), a,
                        QStringLiteral("the copy did not match the source (changed while moving?); source kept"));
    }
    if (::unlink(enc(a.source).constData()) != 0) {
        const int err = errno;
        ::unlinkat(dirFd, enc(chosen).constData(), 0);
        return failWith(QStringLiteral("move"), a,
                        QStringLiteral("cannot remove the source (%1); nothing moved").arg(exportfs::errnoText(err)));
    }
    setDone(a, folderPath, chosen, before);
    return {};
}

Status performMove(ExportAction &a, int dirFd, const QString &folderPath, const NameRange &names)
{
    struct stat st
    { };
    if (::lstat(enc(a.source).constData(), &st) != 0)
        return failWith(QStringLiteral("move"), a, exportfs::errnoText(errno));
    if (!S_ISREG(st.st_mode))
        return failWith(QStringLiteral("move"), a, QStringLiteral("not a regular file (symbolic links are not moved)"));
    const auto before = exportfs::hashFile(a.source);
    if (!before)
        return failWith(QStringLiteral("move"), a, before.error());
    QString chosen;
    const QByteArray src = enc(a.source);
    const int err = exportfs::placeUnique(
        names, [&](const QByteArray &n) { return exportfs::renameNoReplace(AT_FDCWD, src, dirFd, n); }, &chosen);
    if (err == EXDEV)
        return moveAcrossDevices(a, dirFd, folderPath, names, *before);
    if (err != 0)
        return failWith(QStringLiteral("move"), a, exportfs::errnoText(err));
    exportfs::syncDir(dirFd);
    setDone(a, folderPath, chosen, *before);
    return {};
}

Status performLink(ExportAction &a, int dirFd, const QString &folderPath, const NameRange &names)
{
    const bool hard = a.mode == ExportMode::Hardlink;
    const QString what = hard ? QStringLiteral("hard-link") : QStringLiteral("symlink");
    const auto before = exportfs::hashFile(a.source);
    if (!before)
        return failWith(what, a, before.error());
    const QByteArray src = enc(a.source);
    QString chosen;
    const int err = exportfs::placeUnique(
        names,
        [&](const QByteArray &n) {
            const int rc = hard ? ::linkat(AT_FDCWD, src.constData(), dirFd, n.constData(), AT_SYMLINK_FOLLOW)
                                : ::symlinkat(src.constData(), dirFd, n.constData());
            return rc == 0 ? 0 : errno;
        },
        &chosen);
    if (hard && err == EXDEV)
        return failWith(what, a,
                        QStringLiteral("hard links cannot cross file systems, and the target folder is on "
                                       "another one; use copy or symlink instead"));
    if (hard && (err == EPERM || err == EOPNOTSUPP))
        return failWith(what, a, QStringLiteral("the target file system does not support hard links (%1)").arg(exportfs::errnoText(err)));
    if (err != 0)
        return failWith(what, a, exportfs::errnoText(err));
    exportfs::syncDir(dirFd);
    setDone(a, folderPath, chosen, *before);
    return {};
}

}   // namespace

Status perform(ExportAction &a, int dirFd, const QString &folderPath, const NameRange &names)
{
    switch (a.mode) {
    case ExportMode::Copy: {
        QString chosen;
        auto copied = exportfs::copyInto(a.source, dirFd, names, &chosen);
        if (!copied)
            return failWith(QStringLiteral("copy"), a, copied.error());
        setDone(a, folderPath, chosen, *copied);
        return {};
    }
    case ExportMode::Move: return performMove(a, dirFd, folderPath, names);
    case ExportMode::Symlink:
    case ExportMode::Hardlink: return performLink(a, dirFd, folderPath, names);
    }
    return fail(QStringLiteral("unknown export mode"));
}

}   // namespace clade::exportactions
