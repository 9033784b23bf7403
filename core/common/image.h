#pragma once

#include <cstdint>
#include <vector>

namespace clade {

// A decoded picture as plain values, so it can cross threads and library boundaries.
// Pixels are 8-bit RGB, row-major, no padding: data.size() == width * height * 3.
struct RgbImage
{
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> data;

    bool isNull() const { return width <= 0 || height <= 0 || data.empty(); }
    const std::uint8_t *pixel(int x, int y) const { return data.data() + (std::size_t(y) * width + x) * 3; }
};

}   // namespace clade
