#include "xmpkeywords.h"

#include "exiv2library.h"

#include <QDateTime>

#include <stdexcept>
#include <string>

namespace clade::xmpkeywords {
namespace {

const char *const kSubject = "Xmp.dc.subject";
const char *const kHierarchical = "Xmp.lr.hierarchicalSubject";
const char *const kTagsList = "Xmp.digiKam.TagsList";

// Array items with qualifiers come out of Exiv2 as "Key[1]", "Key[1]/..." entries, which this
// writer cannot merge without losing them.
void refuseIndexed(const Exiv2::XmpData &xmp)
{
    for (const auto &d : xmp) {
        const std::string key = d.key();
        for (const char *k : {kSubject, kHierarchical, kTagsList}) {
            if (key.rfind(std::string(k) + "[", 0) == 0)
                throw std::runtime_error(key + " has qualified items that Clade would not keep");
        }
    }
}

QStringList itemsOf(const Exiv2::XmpData &xmp, const char *key)
{
    QStringList items;
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    if (it == xmp.end())
        return items;
    if (it->typeId() != Exiv2::xmpBag && it->typeId() != Exiv2::xmpSeq && it->typeId() != Exiv2::xmpAlt) {
        items.append(QString::fromStdString(it->toString()));   // a lone text where a list belongs
        return items;
    }
    for (long i = 0; i < it->count(); ++i)
        items.append(QString::fromStdString(it->toString(i)));
    return items;
}

KeywordLists readLists(const Exiv2::XmpData &xmp)
{
    refuseIndexed(xmp);
    return {itemsOf(xmp, kSubject), itemsOf(xmp, kHierarchical), itemsOf(xmp, kTagsList)};
}

void setItems(Exiv2::XmpData &xmp, const char *key, Exiv2::TypeId type, const QStringList &items)
{
    const Exiv2::XmpKey xmpKey(key);
    if (auto it = xmp.findKey(xmpKey); it != xmp.end())
        xmp.erase(it);
    if (items.isEmpty())
        return;
    Exiv2::XmpArrayValue value(type);
    for (const QString &item : items)
        value.read(item.toStdString());
    xmp.add(xmpKey, &value);
}

// Merges name into xmp; false when it already held exactly the merged lists.
bool mergeInto(Exiv2::XmpData &xmp, const QString &name, KeywordLists *merged)
{
    const KeywordLists before = readLists(xmp);
    *merged = keywords::merge(before, name);
    if (*merged == before)
        return false;
    setItems(xmp, kSubject, Exiv2::xmpBag, merged->subject);
    setItems(xmp, kHierarchical, Exiv2::xmpBag, merged->hierarchical);
    setItems(xmp, kTagsList, Exiv2::xmpSeq, merged->tagsList);
    // Lightroom and digiKam compare this date to notice metadata changed outside them.
    xmp["Xmp.xmp.MetadataDate"] =
        QDateTime::currentDateTime().toOffsetFromUtc(QDateTime::currentDateTime().offsetFromUtc()).toString(Qt::ISODate).toStdString();
    return true;
}

void decodeOrThrow(Exiv2::XmpData &xmp, const std::string &packet)
{
    if (Exiv2::XmpParser::decode(xmp, packet) != 0)
        throw std::runtime_error("its XMP does not parse");
}

// Throws unless every key of before is still in after and the keyword lists are as merged.
void verify(const Exiv2::XmpData &before, const Exiv2::XmpData &after, const KeywordLists &merged)
{
    for (const auto &d : before) {
        if (after.findKey(Exiv2::XmpKey(d.key())) == after.end())
            throw std::runtime_error("rewriting would lose " + d.key());
    }
    if (readLists(after) != merged)
        throw std::runtime_error("the keywords did not read back as written");
}

QByteArray ioBytes(Exiv2::BasicIo &io)
{
    io.open();
    const long size = io.size();
    QByteArray out(size, Qt::Uninitialized);
    io.seek(0, Exiv2::BasicIo::beg);
    if (size > 0 && io.read(reinterpret_cast<Exiv2::byte *>(out.data()), size) != size)
        throw std::runtime_error("could not read back the rewritten file");
    io.close();
    return out;
}

Exiv2::Image::AutoPtr openBytes(const QByteArray &bytes)
{
    auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte *>(bytes.constData()), long(bytes.size()));
    if (!image.get())
        throw std::runtime_error("unknown image type");
    image->readMetadata();
    return image;
}

void checkEmbedded(const Exiv2::Image &before, const QByteArray &bytes, const KeywordLists &merged, const Exiv2::XmpData &xmpBefore)
{
    const auto after = openBytes(bytes);
    Exiv2::XmpData xmpAfter;
    decodeOrThrow(xmpAfter, after->xmpPacket());
    verify(xmpBefore, xmpAfter, merged);
    if (after->exifData().count() < before.exifData().count() || after->iptcData().count() < before.iptcData().count())
        throw std::runtime_error("rewriting would lose Exif or IPTC entries");
}

}   // namespace

Result<Rewrite> sidecar(const QByteArray &existing, const QString &name, const QString &path)
{
    exiv2::initialiseLibrary();
    Rewrite out;
    const Status st = exiv2::guarded(path, "write keywords to", [&] {
        const std::lock_guard lock(exiv2::parseMutex());
        Exiv2::XmpData before;
        if (!existing.trimmed().isEmpty())
            decodeOrThrow(before, existing.toStdString());
        Exiv2::XmpData xmp = before;
        KeywordLists merged;
        if (!mergeInto(xmp, name, &merged))
            return;
        std::string packet;
        if (Exiv2::XmpParser::encode(packet, xmp, Exiv2::XmpParser::omitPacketWrapper | Exiv2::XmpParser::useCompactFormat) != 0)
            throw std::runtime_error("Exiv2 could not encode the XMP");
        Exiv2::XmpData check;
        decodeOrThrow(check, packet);
        verify(before, check, merged);
        out.changed = true;
        out.bytes = QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") + QByteArray::fromStdString(packet);
    });
    if (!st)
        return st.takeError();
    return out;
}

Result<Rewrite> embedded(const QByteArray &photo, const QString &name, const QString &path)
{
    exiv2::initialiseLibrary();
    Rewrite out;
    const Status st = exiv2::guarded(path, "write keywords into", [&] {
        const std::lock_guard lock(exiv2::parseMutex());
        auto image = openBytes(photo);
        if (image->imageType() != Exiv2::ImageType::jpeg && image->imageType() != Exiv2::ImageType::tiff)
            throw std::runtime_error("only JPEG and TIFF files get embedded keywords");
        Exiv2::XmpData before;
        if (!image->xmpPacket().empty())
            decodeOrThrow(before, image->xmpPacket());   // a packet Exiv2 could not read would be dropped
        Exiv2::XmpData &xmp = image->xmpData();
        xmp = before;
        KeywordLists merged;
        if (!mergeInto(xmp, name, &merged))
            return;
        image->writeMetadata();
        out.bytes = ioBytes(image->io());
        checkEmbedded(*image, out.bytes, merged, before);
        out.changed = true;
    });
    if (!st)
        return st.takeError();
    return out;
}

Result<KeywordLists> listsOf(const QByteArray &xmpPacket, const QString &path)
{
    exiv2::initialiseLibrary();
    KeywordLists lists;
    const Status st = exiv2::guarded(path, "read keywords of", [&] {
        const std::lock_guard lock(exiv2::parseMutex());
        Exiv2::XmpData xmp;
        decodeOrThrow(xmp, xmpPacket.toStdString());
        lists = readLists(xmp);
    });
    if (!st)
        return st.takeError();
    return lists;
}

}   // namespace clade::xmpkeywords
