#include "io/npy.h"

#include "io/npyheader.h"

#include <QFile>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace clade {

namespace {

using namespace npydetail;

constexpr qint64 kMaxHeaderBytes = qint64(1) << 20;   // numpy itself refuses more than 10 kB
constexpr std::size_t kBlockBytes = std::size_t(1) << 20;
constexpr bool kLittleHost = std::endian::native == std::endian::little;

struct Preamble
{
    NpyHeader header;
    qint64 dataOffset = 0;
};

Error fileError(const QString &path, const QString &what)
{
    return fail(QStringLiteral("%1: %2").arg(path, what));
}

std::uint32_t littleEndian(const QByteArray &bytes, int offset, int count)
{
    std::uint32_t v = 0;
    for (int b = count - 1; b >= 0; --b)
        v = (v << 8) | std::uint8_t(bytes[offset + b]);
    return v;
}

Result<Preamble> readPreamble(QFile &file, const QString &path)
{
    const QByteArray start = file.read(12);
    if (start.size() < kMagicLength + 2 || !start.startsWith(QByteArray(kMagic, kMagicLength)))
        return fileError(path, QStringLiteral("not a .npy file (no NUMPY signature)"));
    const int major = std::uint8_t(start[6]);
    const int minor = std::uint8_t(start[7]);
    if (major < 1 || major > 3 || minor != 0)
        return fileError(path, QStringLiteral("unsupported .npy format version %1.%2").arg(major).arg(minor));
    const int lengthBytes = major == 1 ? 2 : 4;
    const qint64 prefix = kMagicLength + 2 + lengthBytes;
    if (start.size() < prefix)
        return fileError(path, QStringLiteral("file ends inside the .npy preamble"));
    const qint64 headerBytes = littleEndian(start, kMagicLength + 2, lengthBytes);
    if (headerBytes > kMaxHeaderBytes || prefix + headerBytes > file.size())
        return fileError(path, QStringLiteral("the header claims %1 bytes but the file has only %2 after the preamble")
                                   .arg(headerBytes)
                                   .arg(file.size() - prefix));
    if (!file.seek(prefix))
        return fileError(path, file.errorString());
    const QByteArray raw = file.read(headerBytes);
    if (raw.size() != headerBytes)
        return fileError(path, QStringLiteral("could not read the .npy header"));
    auto header = parseHeaderText(major == 3 ? QString::fromUtf8(raw) : QString::fromLatin1(raw));
    if (!header)
        return fileError(path, header.error());
    if (header->fortranOrder)
        return fileError(path, QStringLiteral("Fortran-order arrays are not supported; save a C-order array "
                                              "(numpy.ascontiguousarray) instead"));
    return Preamble{std::move(*header), prefix + headerBytes};
}

float halfToFloat(std::uint16_t h)
{
    const int exponent = (h >> 10) & 0x1F;
    const int mantissa = h & 0x3FF;
    float v;
    if (exponent == 0)
        v = std::ldexp(float(mantissa), -24);   // zero and subnormals
    else if (exponent == 31)
        v = mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
    else
        v = std::ldexp(float(mantissa + 1024), exponent - 25);
    return (h & 0x8000) ? -v : v;
}

// IEEE binary16 bits; a type of its own so that uint16 data is not taken for half floats.
struct Half
{
    std::uint16_t bits;
};
static_assert(sizeof(Half) == 2);

template<typename T>
void convert(const char *src, std::size_t count, bool swap, float *dst)
{
    for (std::size_t i = 0; i < count; ++i) {
        unsigned char bytes[sizeof(T)];
        std::memcpy(bytes, src + i * sizeof(T), sizeof(T));
        if (swap)
            std::reverse(bytes, bytes + sizeof(T));
        T v;
        std::memcpy(&v, bytes, sizeof(T));
        if constexpr (std::is_same_v<T, Half>)
            dst[i] = halfToFloat(v.bits);
        else
            dst[i] = float(v);
    }
}

template<typename Signed, typename Unsigned>
void convertInteger(const NpyHeader &h, const char *src, std::size_t count, bool swap, float *dst)
{
    if (h.kind == 'i')
        convert<Signed>(src, count, swap, dst);
    else
        convert<Unsigned>(src, count, swap, dst);
}

void convertBlock(const NpyHeader &h, const char *src, std::size_t count, float *dst)
{
    const bool swap = h.itemSize > 1 && (h.byteOrder == '<') != kLittleHost;
    if (h.kind == 'b') {
        for (std::size_t i = 0; i < count; ++i)
            dst[i] = src[i] != 0 ? 1.0f : 0.0f;
    } else if (h.kind == 'f') {
        if (h.itemSize == 2)
            convert<Half>(src, count, swap, dst);
        else if (h.itemSize == 4)
            convert<float>(src, count, swap, dst);
        else
            convert<double>(src, count, swap, dst);
    } else if (h.itemSize == 1) {
        convertInteger<std::int8_t, std::uint8_t>(h, src, count, swap, dst);
    } else if (h.itemSize == 2) {
        convertInteger<std::int16_t, std::uint16_t>(h, src, count, swap, dst);
    } else if (h.itemSize == 4) {
        convertInteger<std::int32_t, std::uint32_t>(h, src, count, swap, dst);
    } else {
        convertInteger<std::int64_t, std::uint64_t>(h, src, count, swap, dst);
    }
}

Status readData(QFile &file, const QString &path, const Preamble &p, std::vector<float> &out)
{
    auto count = elementCount(p.header.shape);
    if (!count)
        return fileError(path, count.error());
    const qint64 available = file.size() - p.dataOffset;
    const qint64 itemSize = p.header.itemSize;
    if (*count > available / itemSize)
        return fileError(path, QStringLiteral("truncated: the header promises %1 elements of %2 bytes but %3 bytes follow")
                                   .arg(*count)
                                   .arg(itemSize)
                                   .arg(available));
    if (available != *count * itemSize)
        return fileError(path, QStringLiteral("%1 unexpected bytes after the array data").arg(available - *count * itemSize));
    out.resize(std::size_t(*count));
    if (out.empty())
        return {};
    if (p.header.kind == 'f' && p.header.itemSize == 4 && (p.header.byteOrder == '<') == kLittleHost) {
        const qint64 bytes = available;
        if (file.read(reinterpret_cast<char *>(out.data()), bytes) != bytes)
            return fileError(path, QStringLiteral("read error: %1").arg(file.errorString()));
        return {};
    }
    const std::size_t perBlock = kBlockBytes / std::size_t(itemSize);
    std::vector<char> block(perBlock * std::size_t(itemSize));
    for (std::size_t done = 0; done < out.size(); done += perBlock) {
        const std::size_t n = std::min(perBlock, out.size() - done);
        const qint64 bytes = qint64(n) * itemSize;
        if (file.read(block.data(), bytes) != bytes)
            return fileError(path, QStringLiteral("read error: %1").arg(file.errorString()));
        convertBlock(p.header, block.data(), n, out.data() + done);
    }
    return {};
}

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList dims;
    for (std::int64_t d : shape)
        dims << QString::number(d);
    return QLatin1Char('(') + dims.join(QStringLiteral(", ")) + QLatin1Char(')');
}

Status writeFloats(const QString &path, const std::vector<std::int64_t> &shape, const float *values, std::size_t count)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
    const QByteArray preamble = float32Preamble(shape);
    bool ok = file.write(preamble) == preamble.size();
    std::vector<float> block;
    for (std::size_t done = 0; ok && done < count;) {
        const std::size_t n = std::min(kBlockBytes / sizeof(float), count - done);
        const char *bytes = reinterpret_cast<const char *>(values + done);
        if constexpr (!kLittleHost) {
            block.resize(n);
            convert<float>(reinterpret_cast<const char *>(values + done), n, true, block.data());
            bytes = reinterpret_cast<const char *>(block.data());
        }
        ok = file.write(bytes, qint64(n * sizeof(float))) == qint64(n * sizeof(float));
        done += n;
    }
    if (!ok || !file.commit())
        return fileError(path, QStringLiteral("cannot write: %1").arg(file.errorString()));
    return {};
}

}   // namespace

Result<NpyArray> readNpy(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, QStringLiteral("cannot open: %1").arg(file.errorString()));
    auto preamble = readPreamble(file, path);
    if (!preamble)
        return preamble.takeError();
    NpyArray array;
    array.shape = preamble->header.shape;
    if (Status s = readData(file, path, *preamble, array.data); !s)
        return s.takeError();
    return array;
}

Result<FeatureMatrix> readNpyMatrix(const QString &path)
{
    auto array = readNpy(path);
    if (!array)
        return array.takeError();
    if (array->shape.size() != 2)
        return fileError(path, QStringLiteral("expected a 2-D matrix but the array has shape %1").arg(shapeText(array->shape)));
    FeatureMatrix m;
    m.rows = std::size_t(array->shape[0]);
    m.cols = std::size_t(array->shape[1]);
    m.values = std::move(array->data);
    return m;
}

Status writeNpy(const QString &path, const NpyArray &array)
{
    auto count = elementCount(array.shape);
    if (!count)
        return fileError(path, count.error());
    if (std::size_t(*count) != array.data.size())
        return fileError(path, QStringLiteral("shape %1 holds %2 elements but the array has %3")
                                   .arg(shapeText(array.shape))
                                   .arg(*count)
                                   .arg(array.data.size()));
    return writeFloats(path, array.shape, array.data.data(), array.data.size());
}

Status writeNpy(const QString &path, const FeatureMatrix &matrix)
{
    if (matrix.values.size() != matrix.rows * matrix.cols)
        return fileError(
            path,
            QStringLiteral("the matrix holds %1 values but claims %2 × %3").arg(matrix.values.size()).arg(matrix.rows).arg(matrix.cols));
    const std::vector<std::int64_t> shape{std::int64_t(matrix.rows), std::int64_t(matrix.cols)};
    return writeFloats(path, shape, matrix.values.data(), matrix.values.size());
}

}   // namespace clade
