#pragma once

#include "media/metadata.h"

namespace clade {

// MetadataReader backed by Exiv2 0.27: EXIF, XMP and IPTC from the file itself, merged with an
// XMP sidecar (photo.xmp or photo.ext.xmp) when one lies beside it. Sidecars are only read.
// Every Exiv2 exception is caught here and returned as an Error naming the file.
// Thread-safe: read() and largestPreview() may run on several threads at once. Exiv2 0.27's
// parsing step is serialised process-wide (its XMP toolkit drops packets when parsing runs
// concurrently); value conversion and preview copying run in parallel. The first construction
// sets up Exiv2 process-wide (XMP toolkit lock, log handler, BMFF support).
// Exiv2's own warnings go to the "clade.exiv2" logging category at debug level, so they stay
// off stderr unless enabled with QT_LOGGING_RULES="clade.exiv2.debug=true".
class Exiv2MetadataReader : public MetadataReader
{
public:
    Exiv2MetadataReader();

    Result<PhotoMetadata> read(const QString &path) const override;
    // The largest embedded preview that is a recognised image format (JPEG for most RAW files,
    // TIFF for some DNG/NEF/CR2 previews); an Error when the file has none.
    Result<std::vector<std::uint8_t>> largestPreview(const QString &path) const override;
};

}   // namespace clade
