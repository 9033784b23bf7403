#pragma once

// Private to clade_opencv: the only header that brings OpenCV types into the adapter's sources.

#include "common/image.h"

#include <opencv2/core.hpp>

namespace clade::cvimage {

// Any decoded Mat (1/2/3/4 channels, 8/16-bit or float, BGR order) to 8-bit RGB.
// Alpha is composited over white, so transparent areas look as viewers show them.
// Throws cv::Exception like the OpenCV calls it makes; callers catch.
RgbImage toRgb(const cv::Mat &decoded);

// Borrows the pixels of an RgbImage as a 3-channel RGB Mat (no copy; valid while image lives).
cv::Mat view(const RgbImage &image);

// Makes a stored image upright for EXIF orientation 1..8 (other values: unchanged).
cv::Mat upright(const cv::Mat &stored, int orientation);

}   // namespace clade::cvimage
