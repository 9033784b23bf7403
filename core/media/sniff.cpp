#include "media/decoder.h"

#include <QByteArray>

#include <cstring>

namespace clade {

namespace {

bool startsWith(const QByteArray &head, const char *magic, int length, int offset = 0)
{
    return head.size() >= offset + length && std::memcmp(head.constData() + offset, magic, length) == 0;
}

QString tiffBasedFormat(const QByteArray &head)
{
    // Several RAW formats are TIFF containers; tell the common ones apart by their markers.
    if (startsWith(head, "CR", 2, 8))
        return QStringLiteral("raw-cr2");
    if (head.size() >= 4 && head.contains("ORF"))
        return QStringLiteral("raw-orf");
    return QStringLiteral("tiff");
}

QString isoBmffFormat(const QByteArray &head)
{
    const QByteArray brand = head.mid(8, 4);
    if (brand == "crx ")
        return QStringLiteral("raw-cr3");
    if (brand == "avif" || brand == "avis")
        return QStringLiteral("avif");
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "heim"
        || brand == "heis" || brand == "hevc" || brand == "hevx")
        return QStringLiteral("heif");
    return QString();
}

} // namespace

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
    if (startsWith(head, "IIRO", 4) || startsWith(head, "IIRS", 4))
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

} // namespace clade
