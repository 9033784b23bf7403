#pragma once

#include <QString>

#include <cstddef>
#include <cstdint>

namespace clade {

// What an image file's header says, read without decoding any pixel. Used to refuse
// decompression bombs before a decoder allocates, to pick a reduced JPEG scale, and to find the
// EXIF orientation in formats whose decoder ignores it. Pure byte parsing, no library calls;
// every read is bounds-checked because the input is untrusted. Thread-safe (no state).
struct ImageHeader
{
    QString format;   // sniffImageFormat() of the first bytes; empty when unknown
    int width = 0;    // stored size, before orientation; 0 when the header gives none
    int height = 0;
    int orientation = 0;   // EXIF orientation 1..8 stored in the file; 0 = none or invalid

    bool hasSize() const { return width > 0 && height > 0; }
    std::int64_t pixels() const { return std::int64_t(width) * height; }
};

ImageHeader readImageHeader(const std::uint8_t *data, std::size_t size);

// EXIF orientation (1..8) from a TIFF structure (an EXIF block without its "Exif\0\0" prefix);
// 0 when absent or invalid.
int tiffOrientation(const std::uint8_t *data, std::size_t size);

}   // namespace clade
