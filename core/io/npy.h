#pragma once

#include "common/matrix.h"
#include "common/result.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace clade {

// A NumPy array as plain values: the shape and the elements in C (row-major) order.
// An empty shape is a 0-d array holding one element.
struct NpyArray
{
    std::vector<std::int64_t> shape;
    std::vector<float> data;
};

// Reads a .npy file (format versions 1.0, 2.0 and 3.0). float16/32/64, signed and unsigned
// integers and bool are converted to float, either byte order. Only C order: a Fortran-order
// array, a structured or text dtype, a truncated file or a header that does not fit the file
// give a clear error. Runs on the calling thread; reads the file once.
Result<NpyArray> readNpy(const QString &path);
// readNpy() for a 2-D array, e.g. embeddings saved as an (n, d) matrix.
Result<FeatureMatrix> readNpyMatrix(const QString &path);

// Writes little-endian float32 ('<f4'), format version 1.0, C order, header padded so the data
// starts at a multiple of 64 bytes. Replaces `path` atomically (temporary file, then rename):
// a reader sees the old file or the whole new one, never a half-written one. Callers decide
// whether replacing an existing file is what the user asked for.
Status writeNpy(const QString &path, const NpyArray &array);
Status writeNpy(const QString &path, const FeatureMatrix &matrix);

}   // namespace clade
