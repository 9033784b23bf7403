#pragma once

#include "common/image.h"

namespace clade::clippre {

// CLIP's normalisation constants (OpenAI's _transform), as float32.
inline constexpr float kMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
inline constexpr float kStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};

// Pillow's 8-bit BICUBIC resize (Image.resize(..., BICUBIC)), reimplemented: separable,
// horizontal pass first, the kernel widened by the scale when shrinking (antialiasing),
// 22-bit fixed-point weights, rounding and clamping to 8 bits after each pass.
// Pure function, any thread.
RgbImage resizeBicubic(const RgbImage &image, int width, int height);

// torchvision Resize(n, BICUBIC) + CenterCrop(n) as OpenAI's _transform does them:
// short side to n, long side to int(n * long / short), centre crop with Python's rounding.
RgbImage resizeAndCrop(const RgbImage &image, int n);

// ToTensor + Normalize of an n x n image into out[3 * n * n] (CHW), bit-identical to torchvision.
void normalizeInto(const RgbImage &square, float *out);

}   // namespace clade::clippre
