#include "export/atomicfile.h"

#include "export/fileops.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace clade::atomicfile {
namespace {

using exportfs::errnoText;
using exportfs::Fd;

constexpr mode_t kAnyWrite = S_IWUSR | S_IWGRP | S_IWOTH;

qint64 ns(const timespec &t)
{
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

Stamp stampOf(const struct stat &st)
{
    return {quint64(st.st_dev),          quint64(st.st_ino), qint64(st.st_size), ns(st.st_mtim),      ns(st.st_atim),
            quint32(st.st_mode & 07777), quint32(st.st_uid), quint32(st.st_gid), quint64(st.st_nlink)};
}

QByteArray nativeName(const QString &path)
{
    return QFile::encodeName(path);
}

Status readAll(int fd, qint64 size, QByteArray &out)
{
    out.resize(size);
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::read(fd, out.data() + done, size_t(size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(errnoText(errno));
        if (n == 0)
            break;
        done += n;
    }
    out.truncate(done);
    return {};
}

Status writeAll(int fd, const QByteArray &bytes)
{
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(errnoText(errno));
        done += n;
    }
    return {};
}

// A new hidden file beside path, created with 0666 so that the umask applies as for any new file.
Result<Fd> createTemp(const QString &dir, QByteArray &tempPath)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString name = QStringLiteral("%1/%2%3")
                                 .arg(dir, QLatin1String(kTempPrefix))
                                 .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
        tempPath = nativeName(name);
        Fd fd(::open(tempPath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666));
        if (fd.valid())
            return fd;
        if (errno != EEXIST)
            return fail(QStringLiteral("cannot create a temporary file in %1: %2").arg(dir, errnoText(errno)));
    }
    return fail(QStringLiteral("cannot create a temporary file in %1").arg(dir));
}

// Gives the temp file what it inherits from the file it replaces.
Status adopt(int fd, const Snapshot &before, const ReplaceOptions &options)
{
    if (!before.exists)
        return {};
    if (::fchmod(fd, mode_t(before.stamp.mode)) != 0)
        return fail(QStringLiteral("cannot set permissions: ") + errnoText(errno));
    // Only root or a member of the group may hand a file over; a user's own files keep them anyway.
    if (::fchown(fd, uid_t(before.stamp.uid), gid_t(before.stamp.gid)) != 0 && errno != EPERM)
        return fail(QStringLiteral("cannot set owner: ") + errnoText(errno));
    if (options.keepModifiedTime) {
        const timespec times[2] = {{time_t(before.stamp.atimeNs / 1'000'000'000), long(before.stamp.atimeNs % 1'000'000'000)},
                                   {time_t(before.stamp.mtimeNs / 1'000'000'000), long(before.stamp.mtimeNs % 1'000'000'000)}};
        if (::futimens(fd, times) != 0)
            return fail(QStringLiteral("cannot set times: ") + errnoText(errno));
    }
    return {};
}

Status fill(int fd, const QByteArray &bytes, const Snapshot &before, const ReplaceOptions &options)
{
    if (Status st = writeAll(fd, bytes); !st)
        return fail(QStringLiteral("cannot write: ") + st.error());
    if (Status st = adopt(fd, before, options); !st)
        return st;
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("cannot flush to disk: ") + errnoText(errno));
    return {};
}

// Renames the finished temp file onto path, after checking path is still what was read.
Status publish(const QByteArray &temp, const QString &path, const Snapshot &before)
{
    const QByteArray target = nativeName(path);
    if (!before.exists) {
        if (const int err = exportfs::renameNoReplace(AT_FDCWD, temp, AT_FDCWD, target))
            return fail(err == EEXIST ? QStringLiteral("a file appeared there meanwhile; left alone")
                                      : QStringLiteral("cannot rename into place: ") + errnoText(err));
        return {};
    }
    struct stat st
    { };
    if (::lstat(target.constData(), &st) != 0 || !S_ISREG(st.st_mode) || !stampOf(st).sameContent(before.stamp))
        return fail(QStringLiteral("it changed while it was being updated; left alone"));
    if (::rename(temp.constData(), target.constData()) != 0)
        return fail(QStringLiteral("cannot rename into place: ") + errnoText(errno));
    return {};
}

}   // namespace

Result<Snapshot> read(const QString &path, qint64 maxBytes)
{
    Snapshot snap;
    Fd fd(::open(nativeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) {
        if (errno == ENOENT)
            return snap;
        if (errno == ELOOP)
            return fail(QStringLiteral("%1 is a symbolic link; left alone").arg(path));
        return fail(QStringLiteral("Cannot read %1: %2").arg(path, errnoText(errno)));
    }
    struct stat st
    { };
    if (::fstat(fd.get(), &st) != 0)
        return fail(QStringLiteral("Cannot read %1: %2").arg(path, errnoText(errno)));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("%1 is not a regular file; left alone").arg(path));
    if (st.st_size > maxBytes)
        return fail(QStringLiteral("%1 is larger than %2 MiB; left alone").arg(path).arg(maxBytes >> 20));
    snap.exists = true;
    snap.stamp = stampOf(st);
    if (Status rd = readAll(fd.get(), qint64(st.st_size), snap.bytes); !rd)
        return fail(QStringLiteral("Cannot read %1: %2").arg(path, rd.error()));
    return snap;
}

Status checkWritable(const QString &path)
{
    const QString dir = QFileInfo(path).absolutePath();
    struct stat st
    { };
    if (::stat(nativeName(dir).constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(QStringLiteral("Folder %1 does not exist").arg(dir));
    struct statvfs fs
    { };
    if (::statvfs(nativeName(dir).constData(), &fs) == 0 && (fs.f_flag & ST_RDONLY))
        return fail(QStringLiteral("Folder %1 is on a read-only file system").arg(dir));
    if ((st.st_mode & kAnyWrite) == 0 || ::access(nativeName(dir).constData(), W_OK | X_OK) != 0)
        return fail(QStringLiteral("Folder %1 is read-only").arg(dir));
    if (::lstat(nativeName(path).constData(), &st) != 0)
        return errno == ENOENT ? Status() : fail(QStringLiteral("Cannot inspect %1: %2").arg(path, errnoText(errno)));
    if (S_ISLNK(st.st_mode))
        return fail(QStringLiteral("%1 is a symbolic link; left alone").arg(path));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("%1 is not a regular file; left alone").arg(path));
    if ((st.st_mode & kAnyWrite) == 0 || ::access(nativeName(path).constData(), W_OK) != 0)
        return fail(QStringLiteral("%1 is read-only").arg(path));
    return {};
}

Status replace(const QString &path, const QByteArray &bytes, const Snapshot &before, const ReplaceOptions &options)
{
    const QString dir = QFileInfo(path).absolutePath();
    QByteArray temp;
    auto fd = createTemp(dir, temp);
    if (!fd)
        return fail(QStringLiteral("Cannot write %1: %2").arg(path, fd.error()));
    Status st = fill(fd->get(), bytes, before, options);
    if (st && ::close(fd->release()) != 0)
        st = fail(QStringLiteral("cannot close: ") + errnoText(errno));
    if (st)
        st = publish(temp, path, before);
    if (!st) {
        ::unlink(temp.constData());
        return fail(QStringLiteral("Cannot write %1: %2").arg(path, st.error()));
    }
    if (Fd dirFd(::open(nativeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); dirFd.valid())
        exportfs::syncDir(dirFd.get());
    return {};
}

}   // namespace clade::atomicfile
