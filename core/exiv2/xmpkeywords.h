#pragma once

// Internal to clade_exiv2: the Exiv2 side of the keyword writer, on bytes in memory. Every
// function takes exiv2::parseMutex() itself and returns Exiv2's exceptions as an Error.

#include "common/result.h"
#include "export/keywords.h"

#include <QByteArray>
#include <QString>

namespace clade::xmpkeywords {

struct Rewrite
{
    bool changed = false;   // false: the keywords were already there; bytes is empty
    QByteArray bytes;
};

// A sidecar's new content: existing (empty when there is none) with name merged in. An existing
// sidecar that does not parse as XMP is an error, never replaced by one holding only our keys.
Result<Rewrite> sidecar(const QByteArray &existing, const QString &name, const QString &path);

// A JPEG or TIFF file's new bytes with name merged into its embedded XMP; the rewritten file
// is parsed again and must keep every Exif, IPTC and XMP entry it had.
Result<Rewrite> embedded(const QByteArray &photo, const QString &name, const QString &path);

// The three keyword lists of an XMP packet or a sidecar's bytes (for tests and checks).
Result<KeywordLists> listsOf(const QByteArray &xmpPacket, const QString &path);

}   // namespace clade::xmpkeywords
