#pragma once

#include "common/image.h"

#include <QString>

namespace clade {

// The colour word ("red", "blue", "grey", ...) that covers most of the picture. It describes
// pixels, not meaning: the visual fallback uses it to name groups by what is really known.
QString dominantColourWord(const RgbImage &image);

}   // namespace clade
