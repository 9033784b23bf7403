#include "export/fileops.h"

#include "export/naming.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace clade::exportfs {
namespace {

constexpr qsizetype kChunk = 1 << 20;

ssize_t readSome(int fd, char *buf, size_t len)
{
    ssize_t n;
    do {
        n = ::read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

// Returns 0 or errno.
int writeAll(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        const ssize_t n = ::write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        buf += n;
        len -= size_t(n);
    }
    return 0;
}

// Streams fd to its end, hashing and (when out >= 0) writing every chunk. Returns 0 or errno;
// *readError tells which side failed.
int pump(int in, int out, QCryptographicHash &hash, qint64 *size, bool *readError)
{
    std::vector<char> buf(kChunk);
    *size = 0;
    for (;;) {
        const ssize_t n = readSome(in, buf.data(), buf.size());
        if (n < 0) {
            *readError = true;
            return errno;
        }
        if (n == 0)
            return 0;
        hash.addData(QByteArrayView(buf.data(), n));
        *size += n;
        if (out >= 0) {
            if (const int err = writeAll(out, buf.data(), size_t(n))) {
                *readError = false;
                return err;
            }
        }
    }
}

Result<Digest> hashFd(int fd, const QString &what)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    Digest d;
    bool readError = true;
    if (const int err = pump(fd, -1, hash, &d.size, &readError))
        return fail(QStringLiteral("Could not read %1: %2").arg(what, errnoText(err)));
    d.sha256 = QString::fromLatin1(hash.result().toHex());
    return d;
}

Result<Fd> createTemp(int dirFd, QByteArray *name)
{
    for (int i = 0; i < 100; ++i) {
        *name = QByteArray(kPartPrefix) + QByteArray::number(QRandomGenerator::system()->generate64(), 16);
        const int fd = ::openat(dirFd, name->constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            return Fd(fd);
        if (errno != EEXIST)
            return fail(errnoText(errno));
    }
    return fail(QStringLiteral("no free temporary name"));
}

// Copies data, permissions and times from in to out and flushes out to disk. Returns an error text.
QString fillTemp(int in, const struct stat &st, int out, Digest *digest)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    bool readError = false;
    if (const int err = pump(in, out, hash, &digest->size, &readError))
        return (readError ? QStringLiteral("reading the source failed: ") : QStringLiteral("writing failed: ")) + errnoText(err);
    digest->sha256 = QString::fromLatin1(hash.result().toHex());
    ::fchmod(out, st.st_mode & 0777);
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    ::futimens(out, times);
    if (::fsync(out) != 0)
        return QStringLiteral("flushing to disk failed: ") + errnoText(errno);
    return {};
}

}   // namespace

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

Fd &Fd::operator=(Fd &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

Fd::~Fd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int Fd::release()
{
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

Result<Digest> hashFile(const QString &path)
{
    Fd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));   // never block on a FIFO
    if (!fd.valid())
        return fail(QStringLiteral("Could not open %1: %2").arg(path, errnoText(errno)));
    return hashFd(fd.get(), path);
}

Result<Digest> hashAt(int dirFd, const QByteArray &name)
{
    Fd fd(::openat(dirFd, name.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd.valid())
        return fail(QStringLiteral("Could not open %1: %2").arg(QFile::decodeName(name), errnoText(errno)));
    return hashFd(fd.get(), QFile::decodeName(name));
}

Result<Fd> openDir(const QString &path)
{
    Fd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return fail(QStringLiteral("Could not open folder %1: %2").arg(path, errnoText(errno)));
    return fd;
}

Result<Subdir> openOrCreateSubdir(int parentFd, const QString &name)
{
    const QByteArray encoded = QFile::encodeName(name);
    Subdir sub;
    if (::mkdirat(parentFd, encoded.constData(), 0777) == 0)
        sub.created = true;
    else if (errno != EEXIST)
        return fail(QStringLiteral("Could not create folder %1: %2").arg(name, errnoText(errno)));
    sub.fd = Fd(::openat(parentFd, encoded.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub.fd.valid())
        return fail(QStringLiteral("Could not open folder %1: %2").arg(name, errnoText(errno)));
    if (sub.created)
        syncDir(parentFd);
    return sub;
}

void syncDir(int dirFd)
{
    ::fsync(dirFd);   // best effort: some file systems reject fsync on directories
}

int placeUnique(const NameRange &names, const std::function<int(const QByteArray &)> &attempt, QString *chosen)
{
    int err = EEXIST;
    for (int n = names.first; n <= names.last; ++n) {
        const QString candidate = exportnaming::numberedName(names.fileName, n);
        err = attempt(QFile::encodeName(candidate));
        if (err == 0) {
            *chosen = candidate;
            return 0;
        }
        if (err != EEXIST)
            return err;
    }
    return err;
}

int renameNoReplace(int oldDirFd, const QByteArray &oldName, int newDirFd, const QByteArray &newName)
{
    if (::renameat2(oldDirFd, oldName.constData(), newDirFd, newName.constData(), RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return errno;
    // No RENAME_NOREPLACE here: link() also refuses an existing name.
    if (::linkat(oldDirFd, oldName.constData(), newDirFd, newName.constData(), 0) != 0)
        return errno;
    if (::unlinkat(oldDirFd, oldName.constData(), 0) != 0) {
        const int err = errno;
        ::unlinkat(newDirFd, newName.constData(), 0);
        return err;
    }
    return 0;
}

Result<Digest> copyInto(const QString &source, int dirFd, const NameRange &names, QString *chosen)
{
    Fd in(::open(QFile::encodeName(source).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    struct stat st
    { };
    if (!in.valid() || ::fstat(in.get(), &st) != 0)
        return fail(QStringLiteral("cannot read source: ") + errnoText(errno));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("source is not a regular file"));
    QByteArray tempName;
    auto out = createTemp(dirFd, &tempName);
    if (!out)
        return fail(QStringLiteral("cannot create a file in the destination folder: ") + out.error());
    Digest digest;
    QString problem = fillTemp(in.get(), st, out->get(), &digest);
    if (problem.isEmpty() && ::close(out->release()) != 0)
        problem = QStringLiteral("writing failed: ") + errnoText(errno);
    if (problem.isEmpty()) {
        const int err = placeUnique(
            names, [&](const QByteArray &n) { return renameNoReplace(dirFd, tempName, dirFd, n); }, chosen);
        if (err != 0)
            problem = QStringLiteral("cannot name the copy: ") + errnoText(err);
    }
    if (!problem.isEmpty()) {
        ::unlinkat(dirFd, tempName.constData(), 0);
        return fail(problem);
    }
    syncDir(dirFd);
    return digest;
}

}   // namespace clade::exportfs
