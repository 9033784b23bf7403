#include "opencv/thumbnailcache.h"

#include "opencv/imageops.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <exception>

namespace clade {

namespace {

constexpr int kQuality = 85;

bool isFileNameSafe(const QString &key)
{
    if (key.isEmpty() || key.size() > 128)
        return false;
    return std::all_of(key.begin(), key.end(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
               || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') || c == QLatin1Char('-');
    });
}

QString fileKey(const QString &contentKey)
{
    if (isFileNameSafe(contentKey))
        return contentKey;
    return QString::fromLatin1(QCryptographicHash::hash(contentKey.toUtf8(), QCryptographicHash::Sha1).toHex());
}

int clampedSize(int size)
{
    return std::clamp(size, 16, 4096);
}

Status writeAtomically(const QString &target, const std::vector<std::uint8_t> &bytes)
{
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return fail(QStringLiteral("cannot create the thumbnail folder %1").arg(QFileInfo(target).absolutePath()));
    QSaveFile file(target);   // writes a temporary file and renames it over target on commit()
    if (!file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write thumbnail %1: %2").arg(target, file.errorString()));
    const auto length = qint64(bytes.size());
    if (file.write(reinterpret_cast<const char *>(bytes.data()), length) != length || !file.commit())
        return fail(QStringLiteral("cannot write thumbnail %1: %2").arg(target, file.errorString()));
    return {};
}

}   // namespace

ThumbnailCache::ThumbnailCache(const ImageDecoder &decoder, QString dir) : m_decoder(decoder), m_dir(std::move(dir)) { }

QString ThumbnailCache::pathFor(const QString &contentKey, int size) const
{
    const QString key = fileKey(contentKey);
    // Two-character fan-out keeps folders small for libraries of many thousands of photos.
    return QStringLiteral("%1/%2/%3_%4.jpg").arg(m_dir, key.left(2), key).arg(clampedSize(size));
}

Result<QString> ThumbnailCache::thumbnail(const QString &photoPath, const QString &contentKey, int size)
{
    if (contentKey.isEmpty())
        return fail(QStringLiteral("%1: no content key for the thumbnail").arg(photoPath));
    size = clampedSize(size);
    const QString target = pathFor(contentKey, size);
    {
        std::unique_lock lock(m_mutex);
        m_finished.wait(lock, [&] { return !m_inFlight.contains(target); });
        if (QFileInfo(target).size() > 0)
            return target;
        m_inFlight.insert(target);
    }
    Result<QString> result = fail(QStringLiteral("%1: thumbnail failed").arg(photoPath));
    try {
        result = make(photoPath, target, size);
    } catch (const std::exception &e) {
        result = fail(QStringLiteral("%1: thumbnail failed: %2").arg(photoPath, QString::fromUtf8(e.what())));
    }
    {
        std::lock_guard lock(m_mutex);
        m_inFlight.remove(target);
    }
    m_finished.notify_all();
    return result;
}

Result<QString> ThumbnailCache::make(const QString &photoPath, const QString &target, int size) const
{
    DecodeOptions options;
    options.minShortSide = size;   // a short side >= size guarantees a long side >= size
    auto image = m_decoder.decode(photoPath, options);
    if (!image)
        return image.takeError();
    const RgbImage small = scaledToLongSide(*image, size);
    if (small.isNull())
        return fail(QStringLiteral("%1: could not scale the image for its thumbnail").arg(photoPath));
    auto bytes = encodeJpeg(small, kQuality);
    if (!bytes)
        return fail(QStringLiteral("%1: %2").arg(photoPath, bytes.error()));
    if (Status written = writeAtomically(target, *bytes); !written)
        return written.takeError();
    return target;
}

}   // namespace clade
