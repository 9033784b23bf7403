#pragma once

#include "common/matrix.h"

#include <cstddef>
#include <functional>
#include <vector>

// Internal to k-means: the data layout and the distance kernel. Not part of the public API.
namespace clade::kmeansdetail {

// Floats per SIMD lane group; rows are padded with zeros to a multiple of it so the kernel
// needs no tail loop. Padding changes no dot product or norm.
inline constexpr std::size_t kLanes = 4;
// Rows handled by one call of blockDistances(): a multiple of the kernel's row tile (3).
inline constexpr std::size_t kBlockRows = 48;

struct PaddedMatrix
{
    std::size_t rows = 0;
    std::size_t cols = 0;     // logical columns
    std::size_t stride = 0;   // cols rounded up to kLanes
    std::vector<float> values;

    PaddedMatrix() = default;
    PaddedMatrix(std::size_t r, std::size_t c);
    float *row(std::size_t i) { return values.data() + i * stride; }
    const float *row(std::size_t i) const { return values.data() + i * stride; }
};

// The data as k-means works on it: centred on the column means, so that
// ||x||² - 2x·c + ||c||² loses little precision when the data sits far from the origin.
struct PreparedData
{
    PaddedMatrix centred;
    std::vector<double> mean;   // cols
    std::vector<float> norms;   // ||row||² of the centred rows
    double meanVariance = 0;    // mean over columns of the per-column variance
};

// Runs task(i) for i in [0, count) on up to `threads` threads (the caller is one of them) and
// returns when all are done. Each index is run exactly once; which thread runs it varies, so
// tasks write only to their own slots.
void runChunks(int threads, std::size_t count, const std::function<void(std::size_t)> &task);

PreparedData prepareData(const FeatureMatrix &data, int threads);

// ||row||² with the same lane order as the kernel.
float squaredNorm(const float *row, std::size_t stride);
void computeNorms(const PaddedMatrix &m, std::vector<float> &norms);

// Squared distances from rows [begin, begin + count) of `data` (count <= kBlockRows) to every
// row of `centres`: out[r * centres.rows + c], clamped at zero.
void blockDistances(const PaddedMatrix &data, const float *rowNorms, std::size_t begin, std::size_t count, const PaddedMatrix &centres,
                    const float *centreNorms, float *out);

// sum[j] += row[j] for the stride (a multiple of kLanes) columns, in double.
void addRow(const float *row, std::size_t stride, double *sum);

// Exact squared distance (double accumulation), for the reported distances and inertia.
double exactSquaredDistance(const float *a, const float *b, std::size_t stride);

}   // namespace clade::kmeansdetail
