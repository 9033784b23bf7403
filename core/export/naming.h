#pragma once

#include <QString>

// Internal to core/export: names of folders and files inside an export target.
namespace clade::exportnaming {

constexpr int kFolderNameMaxBytes = 120;
constexpr int kFileNameMaxBytes = 255;   // NAME_MAX on Linux file systems

// The key two names collide under on case-insensitive or normalising file systems.
QString collisionKey(const QString &name);

// n == 1: the name itself; n >= 2: "base (n).ext" (".ext" = last suffix, a leading dot is part of
// the base), with the base shortened so that the result fits in maxBytes of UTF-8.
QString numberedName(const QString &name, int n, int maxBytes = kFileNameMaxBytes);

// Cuts s to at most maxBytes of UTF-8 without splitting a code point.
QString truncateUtf8(const QString &s, int maxBytes);

}   // namespace clade::exportnaming
