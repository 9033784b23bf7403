#include "media/colour.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace clade {

namespace {

enum Word { Black, Grey, White, Brown, Red, Orange, Yellow, Green, Teal, Blue, Purple, Pink, WordCount };

const std::array<const char *, WordCount> kWords = {"black",  "grey",  "white", "brown", "red",    "orange",
                                                    "yellow", "green", "teal",  "blue",  "purple", "pink"};

// Classifies one pixel by hue, saturation and value (all 0..1, hue in degrees).
Word classify(float r, float g, float b)
{
    const float maxc = std::max({r, g, b});
    const float minc = std::min({r, g, b});
    const float value = maxc;
    const float saturation = maxc > 0 ? (maxc - minc) / maxc : 0;
    if (value < 0.18f)
        return Black;
    if (saturation < 0.18f)
        return value > 0.82f ? White : Grey;
    float hue = 0;
    const float delta = maxc - minc;
    if (maxc == r)
        hue = 60.0f * std::fmod((g - b) / delta, 6.0f);
    else if (maxc == g)
        hue = 60.0f * ((b - r) / delta + 2.0f);
    else
        hue = 60.0f * ((r - g) / delta + 4.0f);
    if (hue < 0)
        hue += 360.0f;
    if (hue < 15 || hue >= 340)
        return value < 0.55f && saturation > 0.3f ? Brown : (saturation < 0.45f && value > 0.7f ? Pink : Red);
    if (hue < 40)
        return value < 0.6f ? Brown : Orange;
    if (hue < 68)
        return value < 0.5f ? Brown : Yellow;
    if (hue < 160)
        return Green;
    if (hue < 195)
        return Teal;
    if (hue < 255)
        return Blue;
    if (hue < 300)
        return Purple;
    return Pink;
}

}   // namespace

QString dominantColourWord(const RgbImage &image)
{
    if (image.isNull())
        return QString();
    std::array<int, WordCount> counts{};
    // About 4,000 samples are plenty to find the majority colour.
    const int step = std::max(1, int(std::sqrt(double(image.width) * image.height / 4000.0)));
    for (int y = step / 2; y < image.height; y += step) {
        for (int x = step / 2; x < image.width; x += step) {
            const std::uint8_t *p = image.pixel(x, y);
            ++counts[classify(p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f)];
        }
    }
    const auto best = std::max_element(counts.begin(), counts.end());
    return QString::fromLatin1(kWords[std::size_t(best - counts.begin())]);
}

}   // namespace clade
