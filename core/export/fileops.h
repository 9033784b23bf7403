#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <functional>

// Internal to core/export: POSIX file operations that never replace an existing name.
// Directory handles are opened without following symlinks, and every name is placed relative to
// such a handle, so a folder swapped for a symlink cannot redirect a write outside the target.
namespace clade::exportfs {

struct Digest
{
    qint64 size = -1;
    QString sha256;   // lower-case hex
    bool operator==(const Digest &) const = default;
};

QString errnoText(int err);

// Owns a file descriptor.
class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) { }
    Fd(Fd &&other) noexcept : m_fd(other.release()) { }
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd();
    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release();

private:
    int m_fd = -1;
};

Result<Digest> hashFile(const QString &path);               // follows symlinks
Result<Digest> hashAt(int dirFd, const QByteArray &name);   // does not follow a symlink

Result<Fd> openDir(const QString &path);   // fails on a symlink
struct Subdir
{
    Fd fd;
    bool created = false;
};
Result<Subdir> openOrCreateSubdir(int parentFd, const QString &name);
void syncDir(int dirFd);

// Candidate names numberedName(fileName, first) ... numberedName(fileName, last).
struct NameRange
{
    QString fileName;
    int first = 1;
    int last = 9999;
};

// Tries attempt(name) for each candidate until one returns 0; EEXIST moves on to the next,
// any other errno stops. Returns 0 (chosen set) or the errno of the last attempt.
int placeUnique(const NameRange &names, const std::function<int(const QByteArray &)> &attempt, QString *chosen);

// rename() that fails with EEXIST instead of replacing (renameat2 RENAME_NOREPLACE, or link +
// unlink where the file system lacks it). Returns 0 or errno.
int renameNoReplace(int oldDirFd, const QByteArray &oldName, int newDirFd, const QByteArray &newName);

// Copies source into dirFd under the first free candidate name: data goes to a hidden temp file
// that is fsynced and then renamed into place, so a failure never leaves a partial file under a
// final name. Keeps permissions and times. Returns the digest of the bytes copied.
Result<Digest> copyInto(const QString &source, int dirFd, const NameRange &names, QString *chosen);

// Name prefix of copyInto's temp files; a crash can leave one behind for undo to clean.
inline constexpr char kPartPrefix[] = ".clade-part-";

}   // namespace clade::exportfs
