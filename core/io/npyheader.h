#pragma once

#include "common/result.h"

#include <QByteArray>

#include <cstdint>
#include <vector>

// Internal to the .npy reader and writer: the header dictionary.
namespace clade::npydetail {

inline constexpr char kMagic[] = "\x93NUMPY";
inline constexpr int kMagicLength = 6;
inline constexpr int kAlignment = 64;

struct NpyHeader
{
    char byteOrder = '<';   // '<', '>' or '|' (single-byte types); '=' is resolved to the host's
    char kind = 'f';        // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
    int itemSize = 4;
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
};

// Parses the dictionary text, e.g. "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }".
Result<NpyHeader> parseHeaderText(const QString &text);

// Element count of a shape; an error for negative sizes or a count beyond 2^62.
Result<std::int64_t> elementCount(const std::vector<std::int64_t> &shape);

// The complete preamble of a little-endian float32 C-order file: magic, version, header length
// and the padded dictionary, its length a multiple of kAlignment.
QByteArray float32Preamble(const std::vector<std::int64_t> &shape);

}   // namespace clade::npydetail
