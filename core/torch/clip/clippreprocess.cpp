#include "clippreprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace clade::clippre {

namespace {

constexpr int kPrecisionBits = 22;   // Pillow's PRECISION_BITS for 8-bit images

double cubic(double x)
{
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0)
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

struct Taps
{
    std::vector<int> first;              // first input index per output index
    std::vector<int> count;              // taps per output index
    std::vector<std::int32_t> weights;   // fixed point, `stride` per output index
    int stride = 0;
};

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis.
Taps precompute(int inSize, int outSize)
{
    const double scale = double(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 2.0 * filterScale;
    Taps t;
    t.stride = int(std::ceil(support)) * 2 + 1;
    t.first.resize(std::size_t(outSize));
    t.count.resize(std::size_t(outSize));
    t.weights.assign(std::size_t(outSize) * std::size_t(t.stride), 0);
    std::vector<double> k(std::size_t(t.stride));
    const double inverse = 1.0 / filterScale;   // Pillow multiplies by the reciprocal
    for (int i = 0; i < outSize; ++i) {
        const double center = (i + 0.5) * scale;
        const int xmin = std::max(int(center - support + 0.5), 0);
        const int n = std::min(int(center + support + 0.5), inSize) - xmin;
        double sum = 0.0;
        for (int j = 0; j < n; ++j) {
            k[std::size_t(j)] = cubic((j + xmin - center + 0.5) * inverse);
            sum += k[std::size_t(j)];
        }
        for (int j = 0; j < n; ++j) {
            const double w = sum != 0.0 ? k[std::size_t(j)] / sum : k[std::size_t(j)];
            const double fixed = w * double(1 << kPrecisionBits);
            t.weights[std::size_t(i) * std::size_t(t.stride) + std::size_t(j)] =
                std::int32_t(w < 0 ? std::trunc(fixed - 0.5) : std::trunc(fixed + 0.5));
        }
        t.first[std::size_t(i)] = xmin;
        t.count[std::size_t(i)] = n;
    }
    return t;
}

std::uint8_t clip8(std::int64_t acc)
{
    return std::uint8_t(std::clamp<std::int64_t>(acc >> kPrecisionBits, 0, 255));
}

// One pass; `horizontal` filters along x, otherwise along y.
RgbImage pass(const RgbImage &in, int outSize, bool horizontal)
{
    const Taps t = precompute(horizontal ? in.width : in.height, outSize);
    RgbImage out;
    out.width = horizontal ? outSize : in.width;
    out.height = horizontal ? in.height : outSize;
    out.data.resize(std::size_t(out.width) * std::size_t(out.height) * 3);
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            const int i = horizontal ? x : y;
            const std::int32_t *w = t.weights.data() + std::size_t(i) * std::size_t(t.stride);
            std::int64_t acc[3] = {1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1)};
            for (int j = 0; j < t.count[std::size_t(i)]; ++j) {
                const int src = t.first[std::size_t(i)] + j;
                const std::uint8_t *p = horizontal ? in.pixel(src, y) : in.pixel(x, src);
                for (int c = 0; c < 3; ++c)
                    acc[c] += std::int64_t(w[j]) * p[c];
            }
            std::uint8_t *o = out.data.data() + (std::size_t(y) * std::size_t(out.width) + std::size_t(x)) * 3;
            for (int c = 0; c < 3; ++c)
                o[c] = clip8(acc[c]);
        }
    }
    return out;
}

}   // namespace

RgbImage resizeBicubic(const RgbImage &image, int width, int height)
{
    if (image.isNull() || width <= 0 || height <= 0)
        return {};
    RgbImage out = image.width == width ? image : pass(image, width, true);
    return out.height == height ? out : pass(out, height, false);
}

RgbImage resizeAndCrop(const RgbImage &image, int n)
{
    if (image.isNull() || n <= 0)
        return {};
    const bool wide = image.width >= image.height;
    const int shortSide = wide ? image.height : image.width;
    const int longSide = wide ? image.width : image.height;
    const int newLong = int(double(n) * longSide / shortSide);
    const RgbImage resized = wide ? resizeBicubic(image, newLong, n) : resizeBicubic(image, n, newLong);
    // Python's round() rounds halves to even, as nearbyint does in the default mode.
    const int top = int(std::nearbyint((resized.height - n) / 2.0));
    const int left = int(std::nearbyint((resized.width - n) / 2.0));
    RgbImage crop;
    crop.width = crop.height = n;
    crop.data.resize(std::size_t(n) * std::size_t(n) * 3);
    for (int y = 0; y < n; ++y)
        std::copy_n(resized.pixel(left, top + y), std::size_t(n) * 3, crop.data.data() + std::size_t(y) * std::size_t(n) * 3);
    return crop;
}

void normalizeInto(const RgbImage &square, float *out)
{
    const std::size_t plane = std::size_t(square.width) * std::size_t(square.height);
    for (std::size_t i = 0; i < plane; ++i)
        for (int c = 0; c < 3; ++c)
            out[std::size_t(c) * plane + i] = (float(square.data[i * 3 + std::size_t(c)]) / 255.0f - kMean[c]) / kStd[c];
}

}   // namespace clade::clippre
