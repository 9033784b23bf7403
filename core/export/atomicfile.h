#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

// Replacing a user's file without ever leaving it half-written: used by the keyword writer for
// sidecars and for photos with embedded keywords, and by the run table export. Plain POSIX.
// Blocking file I/O; any thread, one call per file at a time.
namespace clade::atomicfile {

// Identity and attributes of a file when it was read, to notice a change before replacing it.
struct Stamp
{
    quint64 device = 0;
    quint64 inode = 0;
    qint64 size = -1;
    qint64 mtimeNs = 0;
    qint64 atimeNs = 0;
    quint32 mode = 0;   // permission bits
    quint32 uid = 0;
    quint32 gid = 0;
    quint64 links = 0;
    bool sameContent(const Stamp &o) const { return device == o.device && inode == o.inode && size == o.size && mtimeNs == o.mtimeNs; }
};

struct Snapshot
{
    bool exists = false;
    QByteArray bytes;
    Stamp stamp;
};

// The file's bytes (up to maxBytes, else an error) and stamp; exists == false when there is no
// file. Symbolic links and anything but a regular file are refused.
Result<Snapshot> read(const QString &path, qint64 maxBytes);

// Why path cannot be written, checked before anything is touched: its folder is missing, not
// writable or on a read-only file system, or the file is read-only. A folder or file without
// any write permission bit counts as read-only even for root, who could write it anyway: the
// owner marked it so.
Status checkWritable(const QString &path);

struct ReplaceOptions
{
    bool keepModifiedTime = false;   // give the new file the old one's access and modification time
};

// Writes bytes to a hidden temp file in path's folder, fsyncs it and renames it into place.
// When before.exists, path must still be the file `before` describes (else nothing is
// replaced: someone else changed it meanwhile); the new file keeps its permission bits (and its
// owner and group where the process may set them). When !before.exists, a file that appeared
// at path meanwhile is never replaced. On failure path is untouched and the temp file removed.
Status replace(const QString &path, const QByteArray &bytes, const Snapshot &before, const ReplaceOptions &options = {});

// Name prefix of the temp files; a crash can leave one behind.
inline constexpr char kTempPrefix[] = ".clade-tmp-";

}   // namespace clade::atomicfile
