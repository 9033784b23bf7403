#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace clade {

// What we know about a photo from its EXIF/XMP/IPTC metadata. Every field is optional.
struct PhotoMetadata
{
    QDateTime takenAt;   // DateTimeOriginal wins over other dates; invalid when unknown
    QString cameraMake;
    QString cameraModel;
    QString lens;
    int orientation = 0;               // EXIF orientation 1..8; 0 = unknown/absent
    std::optional<double> latitude;    // degrees, south negative
    std::optional<double> longitude;   // degrees, west negative
    std::optional<double> altitude;    // metres
    QStringList keywords;              // existing dc:subject / IPTC keywords
    int pixelWidth = 0;                // as stored in the file, before orientation; 0 = unknown
    int pixelHeight = 0;

    QString camera() const;   // "Make Model" without the make repeated in the model
};

// Reads metadata and embedded previews. Implemented by the Exiv2 adapter (clade_exiv2).
// Thread-safe: may be called from several decode threads at once.
class MetadataReader
{
public:
    virtual ~MetadataReader() = default;
    virtual Result<PhotoMetadata> read(const QString &path) const = 0;
    // The largest embedded preview (e.g. the JPEG inside a RAW file), encoded bytes.
    virtual Result<std::vector<std::uint8_t>> largestPreview(const QString &path) const = 0;
};

}   // namespace clade
