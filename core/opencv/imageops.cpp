#include "opencv/imageops.h"

#include "opencv/cvimage.h"

#include <QString>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <exception>

namespace clade {

namespace {

RgbImage resized(const RgbImage &image, int width, int height)
{
    if (image.isNull() || (width == image.width && height == image.height))
        return image;
    const bool shrinking = width < image.width;
    cv::Mat out;
    try {
        cv::resize(cvimage::view(image), out, cv::Size(width, height), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_CUBIC);
    } catch (const std::exception &) {
        return RgbImage();   // out of memory: callers see a null image
    }
    RgbImage result;
    result.width = out.cols;
    result.height = out.rows;
    result.data.assign(out.datastart, out.dataend);   // a fresh Mat is continuous
    return result;
}

int scaledLength(int length, double factor)
{
    return std::max(1, int(std::lround(length * factor)));
}

}   // namespace

RgbImage scaledToLongSide(const RgbImage &image, int longSide)
{
    const int current = std::max(image.width, image.height);
    if (image.isNull() || longSide <= 0 || current <= longSide)
        return image;
    const double factor = double(longSide) / current;
    return resized(image, image.width >= image.height ? longSide : scaledLength(image.width, factor),
                   image.height > image.width ? longSide : scaledLength(image.height, factor));
}

RgbImage scaledToShortSide(const RgbImage &image, int shortSide)
{
    const int current = std::min(image.width, image.height);
    if (image.isNull() || shortSide <= 0 || current == shortSide)
        return image;
    const double factor = double(shortSide) / current;
    return resized(image, image.width <= image.height ? shortSide : scaledLength(image.width, factor),
                   image.height < image.width ? shortSide : scaledLength(image.height, factor));
}

Result<std::vector<std::uint8_t>> encodeJpeg(const RgbImage &image, int quality)
{
    if (image.isNull() || image.data.size() != std::size_t(image.width) * image.height * 3)
        return fail(QStringLiteral("cannot encode an empty or inconsistent image"));
    try {
        cv::Mat bgr;
        cv::cvtColor(cvimage::view(image), bgr, cv::COLOR_RGB2BGR);
        std::vector<std::uint8_t> bytes;
        const std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)};
        if (!cv::imencode(".jpg", bgr, bytes, params))
            return fail(QStringLiteral("OpenCV could not encode a JPEG"));
        return bytes;
    } catch (const std::exception &e) {
        return fail(QStringLiteral("JPEG encoding failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

}   // namespace clade
