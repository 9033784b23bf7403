#pragma once

// What the CLIP parity tests share: the README's error measure and the fp32 load options.

#include "clip/clipmodel.h"
#include "testsupport.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace clade::test {

// max |a - b| / max |b|, clip-parity's README "relative" measure; infinity for a size mismatch.
inline double relativeError(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size())
        return INFINITY;
    double diff = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, std::abs(double(a[i]) - double(b[i])));
        scale = std::max(scale, std::abs(double(b[i])));
    }
    return diff / std::max(scale, 1e-12);
}

// Parity is checked in fp32 on whichever device the model picks (CUDA fp32 with TF32 off on a
// GPU machine), with the shared BPE vocabulary.
inline ClipLoadOptions parityFp32(ClipActivation activation = ClipActivation::Auto)
{
    ClipLoadOptions options;
    options.vocabPath = sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz"));
    options.precision = ClipPrecision::Fp32;
    options.activation = activation;
    return options;
}

}   // namespace clade::test
