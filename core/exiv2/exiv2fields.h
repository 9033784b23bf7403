#pragma once

// Internal to clade_exiv2: turns the Exiv2 metadata of an opened, read image into a
// PhotoMetadata. A field whose value cannot be converted is left unknown (and logged to the
// clade.exiv2 category); the others are still filled. Runs on the calling thread.

#include "media/metadata.h"

#include <exiv2/exiv2.hpp>

namespace clade::exiv2 {

PhotoMetadata extractMetadata(const Exiv2::Image &image);

}   // namespace clade::exiv2
