#pragma once

// Internal to clade_exiv2: the text formats found inside metadata (dates, XMP GPS strings,
// keyword lists) and the sidecar rules. Plain Qt, no Exiv2, so each rule is unit-testable.

#include "media/metadata.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace clade::metadatatext {

// "2003:03:10 17:45:21" (EXIF), "2005-09-07T15:07:40-07:00" / "...26.69" / "...Z" (XMP),
// "2003-03-25T02:02:21+00:00" (IPTC date + time), or a date alone (midnight).
// subSeconds ("432" = .432 s) and offset ("+01:00") come from the EXIF SubSecTime* and
// OffsetTime* tags and are ignored when the text already carries them. Returns a QDateTime
// with a fixed UTC offset when one is known, local time otherwise, and an invalid QDateTime
// for empty, partial or impossible dates such as "0000:00:00 00:00:00".
QDateTime parseDateTime(const QString &text, const QString &subSeconds = {}, const QString &offset = {});

// XMP's GPS coordinate "DDD,MM.mmk" or "DDD,MM,SSk" (k = N, S, E or W) as signed degrees.
std::optional<double> parseXmpCoordinate(const QString &text);

// Degrees + minutes/60 + seconds/3600, negated for "S"/"W"; nullopt outside -limit..limit.
std::optional<double> signedDegrees(double degrees, double minutes, double seconds, const QString &ref, double limit);

// Metadata text bytes up to the first NUL: UTF-8 when valid, else Latin-1 (old IPTC), trimmed.
QString decodeText(const QByteArray &bytes);

// Appends the non-empty keywords of more that are not yet in into (case-insensitively).
void appendKeywords(QStringList &into, const QStringList &more);

// The XMP sidecar of a photo: "photo.ext.xmp" or "photo.xmp" beside it (either case of the
// extension), or an empty string when there is none or path is itself an .xmp file.
QString findSidecar(const QString &photoPath);

// Takes the sidecar's keywords, and its date and position where the photo has none.
void mergeSidecar(PhotoMetadata &photo, const PhotoMetadata &sidecar);

}   // namespace clade::metadatatext
