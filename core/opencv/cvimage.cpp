#include "opencv/cvimage.h"

#include <opencv2/imgproc.hpp>

#include <cstring>

namespace clade::cvimage {

namespace {

cv::Mat to8Bit(const cv::Mat &m)
{
    cv::Mat out;
    switch (m.depth()) {
    case CV_8U: return m;
    case CV_16U: m.convertTo(out, CV_8U, 1.0 / 257.0); return out;
    case CV_32F:
    case CV_64F:
        m.convertTo(out, CV_8U, 255.0);   // float images are 0..1 by convention; saturates
        return out;
    default: {
        // Signed integer samples are rare (scientific TIFFs); stretch their range to 0..255.
        double lo = 0, hi = 0;
        cv::minMaxLoc(m.reshape(1), &lo, &hi);
        const double scale = hi > lo ? 255.0 / (hi - lo) : 1.0;
        m.convertTo(out, CV_8U, scale, -lo * scale);
        return out;
    }
    }
}

// colour (3 channels BGR, or 1 channel grey) blended over white by alpha (8-bit).
cv::Mat overWhite(const cv::Mat &colour, const cv::Mat &alpha)
{
    cv::Mat bgr;
    if (colour.channels() == 1)
        cv::cvtColor(colour, bgr, cv::COLOR_GRAY2BGR);
    else
        bgr = colour.clone();
    for (int y = 0; y < bgr.rows; ++y) {
        auto *p = bgr.ptr<std::uint8_t>(y);
        const auto *a = alpha.ptr<std::uint8_t>(y);
        for (int x = 0; x < bgr.cols; ++x)
            for (int c = 0; c < 3; ++c) {
                const int v = p[3 * x + c] * a[x] + 255 * (255 - a[x]);
                p[3 * x + c] = std::uint8_t((v + 127) / 255);
            }
    }
    return bgr;
}

cv::Mat toBgr(const cv::Mat &m8)
{
    std::vector<cv::Mat> planes;
    cv::Mat bgr;
    switch (m8.channels()) {
    case 1: cv::cvtColor(m8, bgr, cv::COLOR_GRAY2BGR); return bgr;
    case 2: cv::split(m8, planes); return overWhite(planes[0], planes[1]);
    case 3: return m8;
    case 4:
        cv::split(m8, planes);
        cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, bgr);
        return overWhite(bgr, planes[3]);
    default:
        cv::split(m8, planes);
        cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, bgr);
        return bgr;
    }
}

}   // namespace

RgbImage toRgb(const cv::Mat &decoded)
{
    cv::Mat rgb;
    cv::cvtColor(toBgr(to8Bit(decoded)), rgb, cv::COLOR_BGR2RGB);
    RgbImage image;
    image.width = rgb.cols;
    image.height = rgb.rows;
    image.data.resize(std::size_t(rgb.cols) * rgb.rows * 3);
    const std::size_t rowBytes = std::size_t(rgb.cols) * 3;
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(image.data.data() + rowBytes * y, rgb.ptr<std::uint8_t>(y), rowBytes);
    return image;
}

cv::Mat view(const RgbImage &image)
{
    // OpenCV wants a non-const pointer; the Mat is only read from.
    auto *pixels = const_cast<std::uint8_t *>(image.data.data());   // NOLINT
    return cv::Mat(image.height, image.width, CV_8UC3, pixels);
}

cv::Mat upright(const cv::Mat &stored, int orientation)
{
    cv::Mat out;
    switch (orientation) {
    case 2: cv::flip(stored, out, 1); return out;
    case 3: cv::flip(stored, out, -1); return out;
    case 4: cv::flip(stored, out, 0); return out;
    case 5: cv::transpose(stored, out); return out;
    case 6: cv::rotate(stored, out, cv::ROTATE_90_CLOCKWISE); return out;
    case 7:
        cv::transpose(stored, out);
        cv::flip(out, out, -1);
        return out;
    case 8: cv::rotate(stored, out, cv::ROTATE_90_COUNTERCLOCKWISE); return out;
    default: return stored;
    }
}

}   // namespace clade::cvimage
