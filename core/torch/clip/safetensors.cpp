#include "safetensors.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <bit>
#include <cstring>
#include <limits>
#include <optional>

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

namespace clade {

namespace {

constexpr std::uint64_t kMaxHeader = 100u * 1024u * 1024u;   // the format's own limit
constexpr double kMaxExactInteger = 9007199254740992.0;      // 2^53: JSON numbers are doubles

std::optional<TensorDType> parseDType(const QString &name)
{
    if (name == u"F32")
        return TensorDType::F32;
    if (name == u"F16")
        return TensorDType::F16;
    if (name == u"BF16")
        return TensorDType::BF16;
    if (name == u"I64")
        return TensorDType::I64;
    if (name == u"I32")
        return TensorDType::I32;
    if (name == u"U8")
        return TensorDType::U8;
    return std::nullopt;
}

std::optional<std::uint64_t> toCount(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!(d >= 0.0) || d > kMaxExactInteger || d != double(std::uint64_t(d)))
        return std::nullopt;
    return std::uint64_t(d);
}

template<typename T>
T load(const std::uint8_t *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

}   // namespace

int dtypeSize(TensorDType dtype)
{
    switch (dtype) {
    case TensorDType::F32:
    case TensorDType::I32: return 4;
    case TensorDType::F16:
    case TensorDType::BF16: return 2;
    case TensorDType::I64: return 8;
    case TensorDType::U8: return 1;
    }
    return 1;
}

QString dtypeName(TensorDType dtype)
{
    static const char *names[] = {"F32", "F16", "BF16", "I64", "I32", "U8"};
    return QString::fromLatin1(names[int(dtype)]);
}

std::int64_t TensorInfo::numel() const
{
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1fu;
    std::uint32_t mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {   // subnormal: normalise
        exp = 113;
        while (!(mant & 0x400u)) {
            mant <<= 1;
            --exp;
        }
        bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
    }
    return std::bit_cast<float>(bits);
}

float bfloat16ToFloat(std::uint16_t bits)
{
    return std::bit_cast<float>(std::uint32_t(bits) << 16);
}

SafeTensorsFile::~SafeTensorsFile() = default;

Result<std::unique_ptr<SafeTensorsFile>> SafeTensorsFile::open(const QString &path)
{
    std::unique_ptr<SafeTensorsFile> st(new SafeTensorsFile);
    st->m_path = path;
    st->m_file = std::make_unique<QFile>(path);
    if (!st->m_file->open(QIODevice::ReadOnly))
        return fail(QStringLiteral("Cannot open %1: %2").arg(path, st->m_file->errorString()));
    const std::uint64_t fileSize = std::uint64_t(st->m_file->size());
    if (fileSize < 8)
        return fail(QStringLiteral("%1 is not a safetensors file (shorter than 8 bytes)").arg(path));
    const uchar *map = st->m_file->map(0, qint64(fileSize));
    if (!map)
        return fail(QStringLiteral("Cannot map %1: %2").arg(path, st->m_file->errorString()));
    const std::uint64_t headerLen = load<std::uint64_t>(map);
    if (headerLen > kMaxHeader || headerLen > fileSize - 8)
        return fail(QStringLiteral("%1: header length %2 does not fit in a file of %3 bytes").arg(path).arg(headerLen).arg(fileSize));
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(map) + 8, qsizetype(headerLen));
    st->m_data = map + 8 + headerLen;
    if (Status s = st->parseHeader(json, fileSize - 8 - headerLen); !s)
        return fail(QStringLiteral("%1: %2").arg(path, s.error()));
    return st;
}

Status SafeTensorsFile::parseHeader(const QByteArray &json, std::uint64_t dataSize)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("the header is not a JSON object (%1)").arg(err.errorString()));
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == u"__metadata__") {
            const QJsonObject meta = it.value().toObject();
            for (auto m = meta.begin(); m != meta.end(); ++m)
                m_metadata.insert(m.key(), m.value().toString());
            continue;
        }
        const QJsonObject entry = it.value().toObject();
        const auto dtype = parseDType(entry.value(u"dtype").toString());
        if (!dtype)
            return fail(QStringLiteral("tensor %1 has an unsupported dtype").arg(it.key()));
        TensorInfo info{it.key(), *dtype, {}, 0, 0};
        std::uint64_t count = 1;
        for (const QJsonValue &dim : entry.value(u"shape").toArray()) {
            const auto d = toCount(dim);
            if (!d || (*d != 0 && count > std::numeric_limits<std::uint64_t>::max() / 8 / *d))
                return fail(QStringLiteral("tensor %1 has an invalid shape").arg(it.key()));
            count *= *d;
            info.shape.push_back(std::int64_t(*d));
        }
        if (!entry.value(u"shape").isArray())
            return fail(QStringLiteral("tensor %1 has no shape").arg(it.key()));
        const QJsonArray offsets = entry.value(u"data_offsets").toArray();
        const std::uint64_t bad = std::numeric_limits<std::uint64_t>::max();
        const std::uint64_t begin = offsets.size() == 2 ? toCount(offsets[0]).value_or(bad) : bad;
        const std::uint64_t end = offsets.size() == 2 ? toCount(offsets[1]).value_or(bad) : bad;
        if (begin == bad || end == bad || begin > end || end > dataSize)
            return fail(QStringLiteral("tensor %1 has data offsets outside the file").arg(it.key()));
        if (end - begin != count * std::uint64_t(dtypeSize(*dtype)))
            return fail(QStringLiteral("tensor %1: %2 bytes do not match its shape and dtype").arg(it.key()).arg(end - begin));
        info.begin = begin;
        info.end = end;
        m_tensors.push_back(std::move(info));
    }
    return {};
}

const TensorInfo *SafeTensorsFile::find(const QString &name) const
{
    for (const TensorInfo &t : m_tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

const std::uint8_t *SafeTensorsFile::bytes(const TensorInfo &info) const
{
    return m_data + info.begin;
}

Result<const TensorInfo *> SafeTensorsFile::require(const QString &name) const
{
    if (const TensorInfo *t = find(name))
        return t;
    return fail(QStringLiteral("%1 has no tensor named %2").arg(m_path, name));
}

Result<std::vector<float>> SafeTensorsFile::toFloat(const QString &name) const
{
    auto t = require(name);
    if (!t)
        return t.takeError();
    const TensorInfo &info = **t;
    const std::uint8_t *p = bytes(info);
    const std::size_t n = std::size_t(info.numel());
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        switch (info.dtype) {
        case TensorDType::F32: out[i] = load<float>(p + 4 * i); break;
        case TensorDType::F16: out[i] = halfToFloat(load<std::uint16_t>(p + 2 * i)); break;
        case TensorDType::BF16: out[i] = bfloat16ToFloat(load<std::uint16_t>(p + 2 * i)); break;
        case TensorDType::I64: out[i] = float(load<std::int64_t>(p + 8 * i)); break;
        case TensorDType::I32: out[i] = float(load<std::int32_t>(p + 4 * i)); break;
        case TensorDType::U8: out[i] = float(p[i]); break;
        }
    }
    return out;
}

Result<std::vector<std::int64_t>> SafeTensorsFile::toInt64(const QString &name) const
{
    auto t = require(name);
    if (!t)
        return t.takeError();
    const TensorInfo &info = **t;
    const std::uint8_t *p = bytes(info);
    const std::size_t n = std::size_t(info.numel());
    std::vector<std::int64_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        switch (info.dtype) {
        case TensorDType::I64: out[i] = load<std::int64_t>(p + 8 * i); break;
        case TensorDType::I32: out[i] = load<std::int32_t>(p + 4 * i); break;
        case TensorDType::U8: out[i] = p[i]; break;
        default: return fail(QStringLiteral("tensor %1 is %2, not an integer type").arg(name, dtypeName(info.dtype)));
        }
    }
    return out;
}

}   // namespace clade
