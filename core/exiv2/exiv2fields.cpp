#include "exiv2fields.h"

#include "exiv2library.h"
#include "metadatatext.h"

#include <QByteArray>

#include <cmath>
#include <exception>
#include <string>

namespace clade::exiv2 {

namespace {

using metadatatext::decodeText;

// Runs one field's conversion; a failure costs that field only.
template<typename F>
void field(const char *name, F &&convert)
{
    try {
        convert();
    } catch (const std::exception &e) {
        qCDebug(lcExiv2) << "cannot convert" << name << ':' << e.what();
    }
}

QString toText(const Exiv2::Metadatum &datum)
{
    const std::string s = datum.toString();
    return decodeText(QByteArray(s.data(), static_cast<qsizetype>(s.size())));
}

QString exifText(const Exiv2::ExifData &exif, const char *key)
{
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    return it == exif.end() || it->count() == 0 ? QString() : toText(*it);
}

QString xmpText(const Exiv2::XmpData &xmp, const char *key)
{
    const auto it = xmp.findKey(Exiv2::XmpKey(key));
    return it == xmp.end() || it->count() == 0 ? QString() : toText(*it);
}

QString iptcText(const Exiv2::IptcData &iptc, const char *key)
{
    const auto it = iptc.findKey(Exiv2::IptcKey(key));
    return it == iptc.end() || it->count() == 0 ? QString() : toText(*it);
}

// Exif rationals are unsigned; read them as such so 32-bit values above 2^31 stay positive.
std::optional<double> rationalAt(const Exiv2::Value &value, long n)
{
    if (n >= value.count())
        return std::nullopt;
    double num = 0;
    double den = 0;
    if (const auto *u = dynamic_cast<const Exiv2::URationalValue *>(&value)) {
        num = u->value_.at(n).first;
        den = u->value_.at(n).second;
    } else {
        const Exiv2::Rational r = value.toRational(n);
        num = r.first;
        den = r.second;
    }
    if (den == 0 || !value.ok())
        return std::nullopt;
    return num / den;
}

long longAt(const Exiv2::Metadatum &datum)
{
    return datum.count() > 0 ? datum.toLong(0) : 0;
}

int validOrientation(long value)
{
    return value >= 1 && value <= 8 ? static_cast<int>(value) : 0;
}

}   // namespace

namespace {

QDateTime exifDate(const Exiv2::ExifData &exif, const char *date, const char *subSec, const char *offset)
{
    return metadatatext::parseDateTime(exifText(exif, date), exifText(exif, subSec), exifText(exif, offset));
}

// DateTimeOriginal is when the shutter fired; the others drift with scans, edits and copies.
QDateTime takenAt(const Exiv2::Image &image)
{
    const Exiv2::ExifData &exif = image.exifData();
    const Exiv2::XmpData &xmp = image.xmpData();
    const Exiv2::IptcData &iptc = image.iptcData();
    const QDateTime candidates[] = {
        exifDate(exif, "Exif.Photo.DateTimeOriginal", "Exif.Photo.SubSecTimeOriginal", "Exif.Photo.OffsetTimeOriginal"),
        exifDate(exif, "Exif.Photo.DateTimeDigitized", "Exif.Photo.SubSecTimeDigitized", "Exif.Photo.OffsetTimeDigitized"),
        metadatatext::parseDateTime(xmpText(xmp, "Xmp.exif.DateTimeOriginal")),
        metadatatext::parseDateTime(xmpText(xmp, "Xmp.photoshop.DateCreated")),
        metadatatext::parseDateTime(xmpText(xmp, "Xmp.xmp.CreateDate")),
        metadatatext::parseDateTime(iptcText(iptc, "Iptc.Application2.DateCreated") + QLatin1Char('T')
                                    + iptcText(iptc, "Iptc.Application2.TimeCreated")),
        metadatatext::parseDateTime(iptcText(iptc, "Iptc.Application2.DateCreated")),
        exifDate(exif, "Exif.Image.DateTime", "Exif.Photo.SubSecTime", "Exif.Photo.OffsetTime"),
    };
    // A sidecar's Exif dates are Exiv2's conversion of its XMP dates, shifted to UTC and
    // stripped of the offset; the XMP originals (candidates 2..4) are the truth there.
    if (image.imageType() == Exiv2::ImageType::xmp) {
        for (const QDateTime &candidate : {candidates[2], candidates[3], candidates[4]}) {
            if (candidate.isValid())
                return candidate;
        }
    }
    for (const QDateTime &candidate : candidates) {
        if (candidate.isValid())
            return candidate;
    }
    return {};
}

int orientation(const Exiv2::Image &image)
{
    const auto &exif = image.exifData();
    const auto it = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    if (it != exif.end() && validOrientation(longAt(*it)) != 0)
        return validOrientation(longAt(*it));
    const auto &xmp = image.xmpData();
    const auto x = xmp.findKey(Exiv2::XmpKey("Xmp.tiff.Orientation"));
    return x != xmp.end() ? validOrientation(longAt(*x)) : 0;
}

// Makers' own tags print "(123)" or "Unknown" when Exiv2 does not know the lens.
bool usableLens(const QString &lens)
{
    return !lens.isEmpty() && !lens.startsWith(QLatin1Char('(')) && lens != QLatin1String("----")
           && !lens.startsWith(QLatin1String("Unknown"), Qt::CaseInsensitive)
           && lens.compare(QLatin1String("n/a"), Qt::CaseInsensitive) != 0;
}

QString lens(const Exiv2::Image &image)
{
    const auto &exif = image.exifData();
    for (const QString &candidate : {exifText(exif, "Exif.Photo.LensModel"), xmpText(image.xmpData(), "Xmp.exifEX.LensModel"),
                                     xmpText(image.xmpData(), "Xmp.aux.Lens")}) {
        if (usableLens(candidate))
            return candidate;
    }
    const auto it = Exiv2::lensName(exif);
    if (it == exif.end())
        return {};
    const std::string printed = it->print(&exif);
    const QString name = decodeText(QByteArray(printed.data(), static_cast<qsizetype>(printed.size())));
    return usableLens(name) ? name : QString();
}

}   // namespace

namespace {

std::optional<double> exifCoordinate(const Exiv2::ExifData &exif, const char *key, const char *refKey, double limit)
{
    const auto it = exif.findKey(Exiv2::ExifKey(key));
    if (it == exif.end() || it->count() < 1)
        return std::nullopt;
    const Exiv2::Value &value = it->value();
    const auto degrees = rationalAt(value, 0);
    if (!degrees)
        return std::nullopt;
    // Some writers store decimal minutes and leave seconds 0/0 or out.
    return metadatatext::signedDegrees(*degrees, rationalAt(value, 1).value_or(0), rationalAt(value, 2).value_or(0), exifText(exif, refKey),
                                       limit);
}

// Altitudes beyond this are writer bugs (e.g. -12 stored as the unsigned 4294967284).
bool plausibleAltitude(double metres)
{
    return std::isfinite(metres) && metres > -12000.0 && metres < 100000.0;
}

std::optional<double> exifAltitude(const Exiv2::ExifData &exif)
{
    const auto it = exif.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSAltitude"));
    if (it == exif.end())
        return std::nullopt;
    auto metres = rationalAt(it->value(), 0);
    if (!metres)
        return std::nullopt;
    const auto ref = exif.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSAltitudeRef"));
    if (ref != exif.end() && longAt(*ref) == 1)
        *metres = -*metres;
    return plausibleAltitude(*metres) ? metres : std::nullopt;
}

std::optional<double> xmpAltitude(const Exiv2::XmpData &xmp)
{
    const auto it = xmp.findKey(Exiv2::XmpKey("Xmp.exif.GPSAltitude"));
    if (it == xmp.end())
        return std::nullopt;
    auto metres = rationalAt(it->value(), 0);
    if (!metres)
        return std::nullopt;
    if (xmpText(xmp, "Xmp.exif.GPSAltitudeRef") == QLatin1String("1"))
        *metres = -*metres;
    return plausibleAltitude(*metres) ? metres : std::nullopt;
}

void readPosition(const Exiv2::Image &image, PhotoMetadata &out)
{
    const auto &exif = image.exifData();
    const auto lat = exifCoordinate(exif, "Exif.GPSInfo.GPSLatitude", "Exif.GPSInfo.GPSLatitudeRef", 90);
    const auto lon = exifCoordinate(exif, "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef", 180);
    if (lat && lon) {
        out.latitude = lat;
        out.longitude = lon;
        out.altitude = exifAltitude(exif);
        return;
    }
    const auto &xmp = image.xmpData();
    const auto xlat = metadatatext::parseXmpCoordinate(xmpText(xmp, "Xmp.exif.GPSLatitude"));
    const auto xlon = metadatatext::parseXmpCoordinate(xmpText(xmp, "Xmp.exif.GPSLongitude"));
    if (xlat && xlon && std::abs(*xlat) <= 90) {
        out.latitude = xlat;
        out.longitude = xlon;
        out.altitude = xmpAltitude(xmp);
    }
}

QStringList keywords(const Exiv2::Image &image)
{
    QStringList result;
    for (const auto &datum : image.xmpData()) {
        if (datum.key() != "Xmp.dc.subject")
            continue;
        const Exiv2::Value &value = datum.value();
        for (long i = 0; i < value.count(); ++i) {
            const std::string s = value.toString(i);
            metadatatext::appendKeywords(result, {decodeText(QByteArray(s.data(), qsizetype(s.size())))});
        }
    }
    for (const auto &datum : image.iptcData()) {
        if (datum.key() == "Iptc.Application2.Keywords")
            metadatatext::appendKeywords(result, {toText(datum)});
    }
    return result;
}

// The image's own header first: EXIF dimensions often survive a resize unchanged.
void readPixelSize(const Exiv2::Image &image, PhotoMetadata &out)
{
    out.pixelWidth = image.pixelWidth();
    out.pixelHeight = image.pixelHeight();
    if (out.pixelWidth > 0 && out.pixelHeight > 0)
        return;
    const auto &exif = image.exifData();
    const auto x = exif.findKey(Exiv2::ExifKey("Exif.Photo.PixelXDimension"));
    const auto y = exif.findKey(Exiv2::ExifKey("Exif.Photo.PixelYDimension"));
    const auto &xmp = image.xmpData();
    const auto xx = xmp.findKey(Exiv2::XmpKey("Xmp.exif.PixelXDimension"));
    const auto xy = xmp.findKey(Exiv2::XmpKey("Xmp.exif.PixelYDimension"));
    long w = 0;
    long h = 0;
    if (x != exif.end() && y != exif.end()) {
        w = longAt(*x);
        h = longAt(*y);
    } else if (xx != xmp.end() && xy != xmp.end()) {
        w = longAt(*xx);
        h = longAt(*xy);
    }
    const bool ok = w > 0 && h > 0 && w <= 1'000'000 && h <= 1'000'000;
    out.pixelWidth = ok ? static_cast<int>(w) : 0;
    out.pixelHeight = ok ? static_cast<int>(h) : 0;
}

}   // namespace

PhotoMetadata extractMetadata(const Exiv2::Image &image)
{
    PhotoMetadata out;
    const auto &exif = image.exifData();
    const auto &xmp = image.xmpData();
    field("date", [&] { out.takenAt = takenAt(image); });
    field("make", [&] {
        out.cameraMake = exifText(exif, "Exif.Image.Make");
        if (out.cameraMake.isEmpty())
            out.cameraMake = xmpText(xmp, "Xmp.tiff.Make");
    });
    field("model", [&] {
        out.cameraModel = exifText(exif, "Exif.Image.Model");
        if (out.cameraModel.isEmpty())
            out.cameraModel = xmpText(xmp, "Xmp.tiff.Model");
    });
    field("lens", [&] { out.lens = lens(image); });
    field("orientation", [&] { out.orientation = orientation(image); });
    field("GPS", [&] { readPosition(image, out); });
    field("keywords", [&] { out.keywords = keywords(image); });
    field("pixel size", [&] { readPixelSize(image, out); });
    return out;
}

}   // namespace clade::exiv2
