#pragma once

#include <cstddef>
#include <vector>

namespace clade {

// A dense row-major float matrix: one row per photo (or text), one column per dimension.
struct FeatureMatrix
{
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<float> values;   // rows * cols

    FeatureMatrix() = default;
    FeatureMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), values(r * c, 0.0f) { }

    float *row(std::size_t i) { return values.data() + i * cols; }
    const float *row(std::size_t i) const { return values.data() + i * cols; }
    bool empty() const { return rows == 0 || cols == 0; }
};

}   // namespace clade
