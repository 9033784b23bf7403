#pragma once

// Internal to clade_exiv2: process-wide Exiv2 set-up and the guarded way to open a file.
// Includes Exiv2 headers, so only the adapter's .cpp files include it.

#include "common/result.h"

#include <exiv2/exiv2.hpp>

#include <QLoggingCategory>
#include <QString>

#include <functional>
#include <mutex>

namespace clade::exiv2 {

// Exiv2's warnings and per-field conversion failures, at debug level (off unless enabled).
Q_DECLARE_LOGGING_CATEGORY(lcExiv2)

// Sets up Exiv2 once per process (XMP toolkit with a lock, log handler, BMFF); any thread.
void initialiseLibrary();

// Runs body with Exiv2's log messages attributed to path, turning every exception into an
// Error that names the file. Runs on the calling thread.
Status guarded(const QString &path, const char *what, const std::function<void()> &body);

// Held around every Exiv2 parse or encode step (readMetadata, XmpParser::decode/encode,
// writeMetadata): Exiv2 0.27's XMP toolkit drops packets when they run on several threads.
std::mutex &parseMutex();

// Opens the file and reads its metadata. The file must exist and be a regular file.
Result<Exiv2::Image::AutoPtr> openAndRead(const QString &path);

}   // namespace clade::exiv2
