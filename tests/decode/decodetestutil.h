#pragma once

// Helpers shared by the decode tests: real image files written by Qt, EXIF orientation spliced
// into a real JPEG, a scriptable MetadataReader, and image comparison.

#include "common/image.h"
#include "media/metadata.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTransform>

#include <atomic>
#include <cmath>
#include <cstdlib>

namespace clade::test {

// An asymmetric picture: four saturated quadrants, so every flip and rotation is visible.
inline QImage quadrants(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB888);
    QPainter painter(&image);
    painter.fillRect(0, 0, width / 2, height / 2, QColor(220, 30, 30));
    painter.fillRect(width / 2, 0, width - width / 2, height / 2, QColor(30, 200, 40));
    painter.fillRect(0, height / 2, width / 2, height - height / 2, QColor(30, 40, 210));
    painter.fillRect(width / 2, height / 2, width - width / 2, height - height / 2, QColor(240, 240, 240));
    return image;
}

// The stored picture whose EXIF orientation `orientation` displays as `upright`.
inline QImage storedFor(const QImage &upright, int orientation)
{
    const auto rotated = [&](int degrees) { return upright.transformed(QTransform().rotate(degrees)); };
    switch (orientation) {
    case 2: return upright.mirrored(true, false);
    case 3: return rotated(180);
    case 4: return upright.mirrored(false, true);
    case 5: return rotated(90).mirrored(true, false);
    case 6: return rotated(270);
    case 7: return rotated(270).mirrored(true, false);
    case 8: return rotated(90);
    default: return upright;
    }
}

inline QByteArray encoded(const QImage &image, const char *format, int quality = 95)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, quality);
    return bytes;
}

// A JPEG with an APP1 EXIF segment holding only IFD0 Orientation (little-endian TIFF).
inline QByteArray jpegWithOrientation(const QImage &stored, int orientation)
{
    QByteArray tiff("II*\0\x08\0\0\0", 8);
    const auto le16 = [&](int v) { tiff.append(char(v & 0xFF)).append(char((v >> 8) & 0xFF)); };
    le16(1);   // one entry
    le16(274);
    le16(3);
    le16(1);
    le16(0);   // Orientation, SHORT, count 1
    le16(orientation);
    le16(0);
    le16(0);
    le16(0);   // no next IFD
    const QByteArray app1 = QByteArray("Exif\0\0", 6) + tiff;
    QByteArray segment("\xFF\xE1", 2);
    segment.append(char((app1.size() + 2) >> 8)).append(char((app1.size() + 2) & 0xFF)).append(app1);
    QByteArray jpeg = encoded(stored, "JPEG");
    jpeg.insert(2, segment);
    return jpeg;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

inline RgbImage toRgbImage(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    RgbImage out;
    out.width = rgb.width();
    out.height = rgb.height();
    for (int y = 0; y < rgb.height(); ++y)
        out.data.insert(out.data.end(), rgb.constScanLine(y), rgb.constScanLine(y) + rgb.width() * 3);
    return out;
}

// Mean absolute difference per channel value; a large number when the sizes differ.
inline double meanAbsDiff(const RgbImage &a, const RgbImage &b)
{
    if (a.width != b.width || a.height != b.height || a.data.size() != b.data.size() || a.data.empty())
        return 1e9;
    double sum = 0;
    for (std::size_t i = 0; i < a.data.size(); ++i)
        sum += std::abs(int(a.data[i]) - int(b.data[i]));
    return sum / double(a.data.size());
}

// A MetadataReader whose answers the test sets; counts calls (thread-safe like the real one).
class ScriptedMetadataReader : public MetadataReader
{
public:
    int orientation = 0;
    std::vector<std::uint8_t> preview;   // empty: largestPreview() fails
    mutable std::atomic<int> previewCalls{0};

    Result<PhotoMetadata> read(const QString &) const override
    {
        PhotoMetadata metadata;
        metadata.orientation = orientation;
        return metadata;
    }
    Result<std::vector<std::uint8_t>> largestPreview(const QString &) const override
    {
        ++previewCalls;
        if (preview.empty())
            return fail(QStringLiteral("no preview in this file"));
        return preview;
    }
};

}   // namespace clade::test
