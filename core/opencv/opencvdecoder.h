#pragma once

#include "media/decoder.h"
#include "media/metadata.h"

namespace clade {

// Decodes image files with OpenCV's imgcodecs into upright 8-bit RGB.
// - The format is recognised from the content (sniffImageFormat), never the extension.
// - The stored size is read from the header first; images over options.maxPixels are refused
//   before any pixel is decoded.
// - JPEGs are decoded at 1/2, 1/4 or 1/8 scale when options.minShortSide allows it.
// - Orientation: the MetadataReader's value when one is given and knows it (it also reads XMP),
//   else the EXIF orientation in the file (JPEG, PNG eXIf, WebP EXIF, TIFF).
// - RAW files and formats OpenCV 4.6 cannot decode (HEIF, AVIF, JPEG XL, PSD, GIF ...) are
//   decoded from the MetadataReader's largest embedded preview, when a reader is given.
// Thread-safe: no mutable state; the MetadataReader must be thread-safe (as its interface says)
// and outlive the decoder.
class OpenCvDecoder : public ImageDecoder
{
public:
    explicit OpenCvDecoder(const MetadataReader *previews = nullptr);

    Result<RgbImage> decode(const QString &path, const DecodeOptions &options = {}) const override;
    Result<RgbImage> decodeBytes(const std::vector<std::uint8_t> &bytes, const DecodeOptions &options = {}) const override;

    // Formats this decoder can turn into pixels by itself (without a MetadataReader).
    static bool canDecodeFormat(const QString &format);

private:
    Result<RgbImage> decodePreview(const QString &path, const QString &format, const DecodeOptions &options) const;
    int metadataOrientation(const QString &path) const;

    const MetadataReader *m_previews;
};

}   // namespace clade
