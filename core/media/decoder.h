#pragma once

#include "common/image.h"
#include "common/result.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace clade {

struct DecodeOptions
{
    // Smallest short side the caller needs; the decoder may decode JPEGs at reduced scale
    // (1/2, 1/4, 1/8) as long as the short side stays >= this. 0 = full resolution.
    int minShortSide = 0;
    // Refuse images with more pixels than this (decompression bombs).
    std::int64_t maxPixels = 250'000'000;
    // Apply the EXIF orientation so the result is upright.
    bool applyOrientation = true;
};

// Decodes image files to upright RGB. Implemented by the OpenCV adapter (clade_opencv),
// which falls back to the embedded preview (via a MetadataReader) for RAW files.
// Thread-safe: called from the decode thread pool.
class ImageDecoder
{
public:
    virtual ~ImageDecoder() = default;
    virtual Result<RgbImage> decode(const QString &path, const DecodeOptions &options = {}) const = 0;
    virtual Result<RgbImage> decodeBytes(const std::vector<std::uint8_t> &bytes, const DecodeOptions &options = {}) const = 0;
};

// Recognises image files by their first bytes (magic numbers), whatever their extension.
// Returns a lower-case format name ("jpeg", "png", "tiff", "webp", "heif", "raw-cr2", ...) or
// an empty string when the bytes are not an image format Clade knows.
QString sniffImageFormat(const QByteArray &head);
bool isRawFormat(const QString &format);

}   // namespace clade
