#include "media/decoder.h"

#include <QByteArray>

#include <algorithm>
#include <cstring>
#include <utility>

namespace clade {

namespace {

bool startsWith(const QByteArray &head, const char *magic, int length, int offset = 0)
{
    return head.size() >= offset + length && std::memcmp(head.constData() + offset, magic, length) == 0;
}

struct Ifd0Probe
{
    bool dng = false;       // DNGVersion tag
    bool subIfds = false;   // SubIFDs tag: the full image lives in a sub-IFD, IFD0 is a preview
    QByteArray make;
};

// Looks only at the bytes given; a RAW whose IFD0 lies beyond them is taken for a plain TIFF.
Ifd0Probe probeIfd0(const QByteArray &head)
{
    const bool little = head.startsWith("II");
    const auto read = [&](qsizetype offset, int count) -> quint32 {
        if (offset < 0 || offset + count > head.size())
            return 0;
        quint32 value = 0;
        for (int i = 0; i < count; ++i)
            value = (value << 8) | quint8(head[offset + (little ? count - 1 - i : i)]);
        return value;
    };
    Ifd0Probe probe;
    const qsizetype ifd = read(4, 4);
    const quint32 entries = std::min<quint32>(read(ifd, 2), 512);
    for (quint32 i = 0; i < entries; ++i) {
        const qsizetype entry = ifd + 2 + qsizetype(i) * 12;
        const quint32 tag = read(entry, 2), count = read(entry + 4, 4);
        if (tag == 50706)
            probe.dng = true;
        else if (tag == 330)
            probe.subIfds = true;
        else if (tag == 271 && read(entry + 2, 2) == 2 && count > 0 && count < 64)
            probe.make = count <= 4 ? head.mid(entry + 8, count) : head.mid(read(entry + 8, 4), count);
    }
    if (const qsizetype end = probe.make.indexOf('\0'); end >= 0)
        probe.make.truncate(end);
    probe.make = probe.make.trimmed().toUpper();
    return probe;
}

QString rawFromMake(const QByteArray &make)
{
    static const std::pair<const char *, const char *> makers[] = {
        {"NIKON", "raw-nef"},      {"SONY", "raw-arw"},    {"PENTAX", "raw-pef"},    {"RICOH", "raw-pef"},
        {"CANON", "raw-cr2"},      {"SAMSUNG", "raw-srw"}, {"KODAK", "raw-dcr"},     {"EASTMAN KODAK", "raw-dcr"},
        {"HASSELBLAD", "raw-3fr"}, {"LEAF", "raw-mos"},    {"PHASE ONE", "raw-iiq"}, {"OLYMPUS", "raw-orf"}};
    for (const auto &[prefix, format] : makers)
        if (make.startsWith(prefix))
            return QString::fromLatin1(format);
    return QStringLiteral("raw-tiff");
}

QString tiffBasedFormat(const QByteArray &head)
{
    // Several RAW formats are TIFF containers; tell the common ones apart by their markers.
    if (startsWith(head, "CR", 2, 8))
        return QStringLiteral("raw-cr2");
    if (startsWith(head, "IIII", 4, 8))
        return QStringLiteral("raw-iiq");
    const Ifd0Probe probe = probeIfd0(head);
    if (probe.dng)
        return QStringLiteral("raw-dng");
    // Camera RAWs keep the sensor data in a sub-IFD behind a small IFD0 preview; decoding IFD0
    // as a TIFF would give that thumbnail (or nothing), so they count as RAW.
    if (probe.subIfds && !probe.make.isEmpty())
        return rawFromMake(probe.make);
    return QStringLiteral("tiff");
}

QString isoBmffFormat(const QByteArray &head)
{
    const QByteArray brand = head.mid(8, 4);
    if (brand == "crx ")
        return QStringLiteral("raw-cr3");
    if (brand == "avif" || brand == "avis" || brand == "avio")
        return QStringLiteral("avif");
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "heim" || brand == "heis" || brand == "hevc"
        || brand == "hevx" || brand == "j2ki" || brand == "j2is")
        return QStringLiteral("heif");
    return QString();
}

}   // namespace

QString sniffImageFormat(const QByteArray &head)
{
    if (startsWith(head, "\xFF\xD8\xFF", 3))
        return QStringLiteral("jpeg");
    if (startsWith(head, "\x89PNG\r\n\x1A\n", 8))
        return QStringLiteral("png");
    if (startsWith(head, "GIF87a", 6) || startsWith(head, "GIF89a", 6))
        return QStringLiteral("gif");
    if (startsWith(head, "BM", 2) && head.size() >= 14)
        return QStringLiteral("bmp");
    if (startsWith(head, "RIFF", 4) && startsWith(head, "WEBP", 4, 8))
        return QStringLiteral("webp");
    if (startsWith(head, "II*\0", 4) || startsWith(head, "MM\0*", 4))
        return tiffBasedFormat(head);
    if (startsWith(head, "IIRO", 4) || startsWith(head, "IIRS", 4) || startsWith(head, "MMOR", 4))
        return QStringLiteral("raw-orf");
    if (startsWith(head, "IIU\0", 4))
        return QStringLiteral("raw-rw2");
    if (startsWith(head, "FUJIFILMCCD-RAW", 15))
        return QStringLiteral("raw-raf");
    if (startsWith(head, "\0MRM", 4))
        return QStringLiteral("raw-mrw");
    if (startsWith(head, "II\x1A\0\0\0HEAPCCDR", 14))
        return QStringLiteral("raw-crw");
    if (startsWith(head, "FOVb", 4))
        return QStringLiteral("raw-x3f");
    if (startsWith(head, "ftyp", 4, 4))
        return isoBmffFormat(head);
    if (startsWith(head, "\0\0\0\x0CjP  \r\n\x87\n", 12) || startsWith(head, "\xFF\x4F\xFF\x51", 4))
        return QStringLiteral("jpeg2000");
    if (startsWith(head, "\xFF\x0A", 2) || startsWith(head, "\0\0\0\x0CJXL \r\n\x87\n", 12))
        return QStringLiteral("jxl");
    if (startsWith(head, "8BPS", 4))
        return QStringLiteral("psd");
    if (head.size() >= 3 && head[0] == 'P' && head[1] >= '1' && head[1] <= '6'
        && (head[2] == '\n' || head[2] == ' ' || head[2] == '\r' || head[2] == '\t'))
        return QStringLiteral("pnm");
    return QString();
}

bool isRawFormat(const QString &format)
{
    return format.startsWith(QLatin1String("raw-"));
}

}   // namespace clade
