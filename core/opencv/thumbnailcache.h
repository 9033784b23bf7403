#pragma once

#include "common/paths.h"
#include "common/result.h"
#include "media/decoder.h"

#include <QSet>
#include <QString>

#include <condition_variable>
#include <mutex>

namespace clade {

// Upright JPEG thumbnails on disk, keyed by the photo's content (hash) and the size, so a
// renamed or moved photo keeps its thumbnail and an edited one gets a new one.
// Each thumbnail is made once: later calls return the existing file without decoding, and
// concurrent calls for the same key wait for the one making it. Files are written to a
// temporary name and renamed into place, so a reader never sees half a file.
// Thread-safe: call from any number of decode-pool threads. The decoder must outlive the cache.
class ThumbnailCache
{
public:
    explicit ThumbnailCache(const ImageDecoder &decoder, QString dir = cacheDir() + QStringLiteral("/thumbnails"));
    ThumbnailCache(const ThumbnailCache &) = delete;
    ThumbnailCache &operator=(const ThumbnailCache &) = delete;

    // Path of the JPEG thumbnail whose long side is size (or the photo's own size when it is
    // smaller: thumbnails are never enlarged). contentKey: the photo's content hash; any
    // string works, it is hashed again when it is not a plain file-name-safe token.
    // Blocks while decoding; size is clamped to 16..4096.
    Result<QString> thumbnail(const QString &photoPath, const QString &contentKey, int size = 256);

    // Where thumbnail() puts (or finds) the file for this key and size; does not create it.
    QString pathFor(const QString &contentKey, int size) const;
    QString directory() const { return m_dir; }

private:
    Result<QString> make(const QString &photoPath, const QString &target, int size) const;

    const ImageDecoder &m_decoder;
    QString m_dir;
    std::mutex m_mutex;
    std::condition_variable m_finished;
    QSet<QString> m_inFlight;   // target paths being made; guarded by m_mutex
};

}   // namespace clade
