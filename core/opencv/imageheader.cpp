#include "opencv/imageheader.h"

#include "media/decoder.h"

#include <QByteArray>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace clade {

namespace {

// Bounds-checked reads: out-of-range reads give 0, which every caller treats as "unknown".
class Bytes
{
public:
    Bytes(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) { }

    std::size_t size() const { return m_size; }
    bool has(std::size_t offset, std::size_t count) const { return offset <= m_size && count <= m_size - offset; }
    std::uint8_t at(std::size_t offset) const { return has(offset, 1) ? m_data[offset] : 0; }
    bool matches(std::size_t offset, const char *text) const
    {
        const std::size_t length = std::strlen(text);
        return has(offset, length) && std::memcmp(m_data + offset, text, length) == 0;
    }
    Bytes from(std::size_t offset, std::size_t count) const
    {
        if (offset > m_size)
            return Bytes(m_data, 0);
        return Bytes(m_data + offset, std::min(count, m_size - offset));
    }
    std::uint64_t read(std::size_t offset, int count, bool little) const
    {
        if (!has(offset, std::size_t(count)))
            return 0;
        std::uint64_t value = 0;
        for (int i = 0; i < count; ++i) {
            const int index = little ? count - 1 - i : i;
            value = (value << 8) | m_data[offset + std::size_t(index)];
        }
        return value;
    }
    std::uint32_t be16(std::size_t o) const { return std::uint32_t(read(o, 2, false)); }
    std::uint32_t be32(std::size_t o) const { return std::uint32_t(read(o, 4, false)); }
    std::uint32_t le16(std::size_t o) const { return std::uint32_t(read(o, 2, true)); }
    std::uint32_t le24(std::size_t o) const { return std::uint32_t(read(o, 3, true)); }
    std::uint32_t le32(std::size_t o) const { return std::uint32_t(read(o, 4, true)); }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
};

int clampDimension(std::uint64_t value)
{
    return value > std::uint64_t(std::numeric_limits<int>::max()) ? 0 : int(value);
}

int validOrientation(std::uint64_t value)
{
    return value >= 1 && value <= 8 ? int(value) : 0;
}

struct TiffFields
{
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    std::uint64_t orientation = 0;
};

// IFD0 of a classic or BigTIFF structure: ImageWidth, ImageLength, Orientation.
TiffFields parseTiff(const Bytes &b)
{
    TiffFields fields;
    const bool little = b.matches(0, "II");
    if (!little && !b.matches(0, "MM"))
        return fields;
    const bool big = b.read(2, 2, little) == 43;
    if (!big && b.read(2, 2, little) != 42)
        return fields;
    const std::uint64_t ifd = big ? b.read(8, 8, little) : b.read(4, 4, little);
    const std::uint64_t count = std::min<std::uint64_t>(b.read(ifd, big ? 8 : 2, little), 4096);
    const std::size_t entrySize = big ? 20 : 12;
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::size_t entry = std::size_t(ifd) + (big ? 8 : 2) + std::size_t(i) * entrySize;
        if (!b.has(entry, entrySize))
            break;
        const std::uint64_t tag = b.read(entry, 2, little);
        const std::uint64_t type = b.read(entry + 2, 2, little);
        const std::size_t valueAt = entry + (big ? 12 : 8);
        const int width = type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0;
        const std::uint64_t value = width ? b.read(valueAt, width, little) : 0;
        if (tag == 256)
            fields.width = value;
        else if (tag == 257)
            fields.height = value;
        else if (tag == 274)
            fields.orientation = value;
    }
    return fields;
}

int exifOrientation(const Bytes &block)
{
    // EXIF blocks usually start with "Exif\0\0"; some WebP writers leave it out.
    const std::size_t skip = block.matches(0, "Exif") ? 6 : 0;
    const Bytes tiff = block.from(skip, block.size());
    return validOrientation(parseTiff(tiff).orientation);
}

bool isJpegSof(std::uint8_t marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

void readJpeg(const Bytes &b, ImageHeader &header)
{
    std::size_t pos = 2;
    while (b.has(pos, 4)) {
        if (b.at(pos) != 0xFF) {
            ++pos;   // garbage between segments: libjpeg skips it too
            continue;
        }
        const std::uint8_t marker = b.at(pos + 1);
        // Fill bytes, stuffed zeros (garbage, as libjpeg treats them) and markers without a length.
        if (marker == 0xFF || marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            pos += marker == 0xFF ? 1 : 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return;   // scan data follows: the frame header must have come before it
        const std::size_t length = b.be16(pos + 2);
        const Bytes segment = b.from(pos + 4, length >= 2 ? length - 2 : 0);
        if (isJpegSof(marker) && !header.hasSize()) {
            header.height = clampDimension(segment.be16(1));
            header.width = clampDimension(segment.be16(3));
        } else if (marker == 0xE1 && header.orientation == 0 && segment.matches(0, "Exif")) {
            header.orientation = exifOrientation(segment);
        }
        pos += 2 + length;
    }
}

void readPng(const Bytes &b, ImageHeader &header)
{
    if (b.matches(12, "IHDR")) {
        header.width = clampDimension(b.be32(16));
        header.height = clampDimension(b.be32(20));
    }
    for (std::size_t pos = 8; b.has(pos, 8);) {
        const std::size_t length = b.be32(pos);
        if (b.matches(pos + 4, "eXIf")) {
            header.orientation = exifOrientation(b.from(pos + 8, length));
            return;
        }
        if (b.matches(pos + 4, "IDAT") || b.matches(pos + 4, "IEND"))
            return;   // eXIf after the pixels is not valid PNG; do not walk the whole file
        pos += 12 + length;
    }
}

void readBmp(const Bytes &b, ImageHeader &header)
{
    if (b.le32(14) == 12) {   // OS/2 BITMAPCOREHEADER
        header.width = int(b.le16(18));
        header.height = int(b.le16(20));
        return;
    }
    const auto width = std::int32_t(b.le32(18));
    const auto height = std::int32_t(b.le32(22));
    header.width = width > 0 ? width : 0;
    // Negative height means top-down rows; INT32_MIN has no positive counterpart.
    header.height = height == std::numeric_limits<std::int32_t>::min() ? 0 : std::abs(height);
}

void readWebp(const Bytes &b, ImageHeader &header)
{
    if (b.matches(12, "VP8 ") && b.at(23) == 0x9D && b.at(24) == 0x01 && b.at(25) == 0x2A) {
        header.width = int(b.le16(26) & 0x3FFF);
        header.height = int(b.le16(28) & 0x3FFF);
    } else if (b.matches(12, "VP8L") && b.at(20) == 0x2F) {
        const std::uint32_t bits = b.le32(21);
        header.width = int(bits & 0x3FFF) + 1;
        header.height = int((bits >> 14) & 0x3FFF) + 1;
    } else if (b.matches(12, "VP8X")) {
        header.width = int(b.le24(24)) + 1;
        header.height = int(b.le24(27)) + 1;
    }
    for (std::size_t pos = 12; b.has(pos, 8);) {
        const std::size_t length = b.le32(pos + 4);
        if (b.matches(pos, "EXIF")) {
            header.orientation = exifOrientation(b.from(pos + 8, length));
            return;
        }
        pos += 8 + length + (length & 1);
    }
}

void readTiff(const Bytes &b, ImageHeader &header)
{
    const TiffFields fields = parseTiff(b);
    header.width = clampDimension(fields.width);
    header.height = clampDimension(fields.height);
    header.orientation = validOrientation(fields.orientation);
}

// The logical screen, grown to the first frame's extent: bombs declare a small screen and a
// huge frame.
void readGif(const Bytes &b, ImageHeader &header)
{
    std::uint32_t width = b.le16(6), height = b.le16(8);
    std::size_t pos = 13 + ((b.at(10) & 0x80) ? 3u << ((b.at(10) & 0x07) + 1) : 0u);
    while (b.at(pos) == 0x21) {   // extension blocks: label, then sub-blocks up to a zero length
        pos += 2;
        while (b.has(pos, 1) && b.at(pos) != 0)
            pos += 1 + b.at(pos);
        pos += 1;
    }
    if (b.at(pos) == 0x2C) {
        width = std::max(width, b.le16(pos + 1) + b.le16(pos + 5));
        height = std::max(height, b.le16(pos + 3) + b.le16(pos + 7));
    }
    header.width = int(width);
    header.height = int(height);
}

// Netpbm: "P6 <width> <height> ..." with optional '#' comments between the tokens.
void readPnm(const Bytes &b, ImageHeader &header)
{
    std::size_t pos = 2;
    std::uint64_t values[2] = {0, 0};
    for (std::uint64_t &value : values) {
        while (pos < b.size() && (std::isspace(b.at(pos)) || b.at(pos) == '#')) {
            if (b.at(pos) == '#')
                while (pos < b.size() && b.at(pos) != '\n')
                    ++pos;
            else
                ++pos;
        }
        while (pos < b.size() && std::isdigit(b.at(pos)) && value < (1ULL << 40))
            value = value * 10 + (b.at(pos++) - '0');
    }
    header.width = clampDimension(values[0]);
    header.height = clampDimension(values[1]);
}

void readJpeg2000Codestream(const Bytes &b, ImageHeader &header)
{
    if (b.be16(0) != 0xFF4F || b.be16(2) != 0xFF51)
        return;
    const std::uint32_t x = b.be32(8), y = b.be32(12), x0 = b.be32(16), y0 = b.be32(20);
    header.width = x > x0 ? clampDimension(x - x0) : 0;
    header.height = y > y0 ? clampDimension(y - y0) : 0;
}

// JP2 boxes: the image header box ("ihdr") sits inside the header superbox ("jp2h").
void readJp2Boxes(const Bytes &b, ImageHeader &header, int depth = 0)
{
    for (std::size_t pos = 0; b.has(pos, 8);) {
        std::uint64_t length = b.be32(pos);
        std::size_t headerSize = 8;
        if (length == 1) {
            length = b.read(pos + 8, 8, false);
            headerSize = 16;
        } else if (length == 0) {
            length = b.size() - pos;
        }
        if (length < headerSize || length > b.size() - pos)
            return;
        const Bytes body = b.from(pos + headerSize, std::size_t(length) - headerSize);
        if (b.matches(pos + 4, "ihdr")) {
            header.height = clampDimension(body.be32(0));
            header.width = clampDimension(body.be32(4));
            return;
        }
        if (b.matches(pos + 4, "jp2h") && depth == 0)
            return readJp2Boxes(body, header, depth + 1);
        if (b.matches(pos + 4, "jp2c") && depth == 0)
            return readJpeg2000Codestream(body, header);
        pos += std::size_t(length);
    }
}

}   // namespace

int tiffOrientation(const std::uint8_t *data, std::size_t size)
{
    return validOrientation(parseTiff(Bytes(data, size)).orientation);
}

ImageHeader readImageHeader(const std::uint8_t *data, std::size_t size)
{
    const Bytes b(data, size);
    ImageHeader header;
    const QByteArray head = QByteArray::fromRawData(reinterpret_cast<const char *>(data), int(std::min<std::size_t>(size, 4096)));
    header.format = sniffImageFormat(head);
    const QString &f = header.format;
    if (f == QLatin1String("jpeg"))
        readJpeg(b, header);
    else if (f == QLatin1String("png"))
        readPng(b, header);
    else if (f == QLatin1String("bmp"))
        readBmp(b, header);
    else if (f == QLatin1String("webp"))
        readWebp(b, header);
    else if (f == QLatin1String("tiff") || (isRawFormat(f) && (b.matches(0, "II*") || b.be32(0) == 0x4D4D002A)))
        readTiff(b, header);
    else if (f == QLatin1String("gif"))
        readGif(b, header);
    else if (f == QLatin1String("pnm"))
        readPnm(b, header);
    else if (f == QLatin1String("jpeg2000"))
        b.be16(0) == 0xFF4F ? readJpeg2000Codestream(b, header) : readJp2Boxes(b, header);
    return header;
}

}   // namespace clade
