#pragma once

#include "common/image.h"
#include "common/result.h"

#include <cstdint>
#include <vector>

namespace clade {

// Small image operations backed by OpenCV, for code that must not see OpenCV (ui/, app/, bench/).
// Thread-safe (no state); any thread.

// Both scalers return a null image only when OpenCV fails (out of memory).
// Scaled (area interpolation when shrinking, never enlarged) so the long side is at most longSide.
RgbImage scaledToLongSide(const RgbImage &image, int longSide);
// Scaled so the short side is shortSide (area when shrinking, cubic when enlarging).
RgbImage scaledToShortSide(const RgbImage &image, int shortSide);

// Baseline JPEG bytes of an RGB image; quality 1..100.
Result<std::vector<std::uint8_t>> encodeJpeg(const RgbImage &image, int quality = 85);

}   // namespace clade
