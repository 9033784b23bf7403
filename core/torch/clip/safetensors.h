#pragma once

#include "common/result.h"

#include <QMap>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

class QFile;

namespace clade {

enum class TensorDType { F32, F16, BF16, I64, I32, U8 };

int dtypeSize(TensorDType dtype);
QString dtypeName(TensorDType dtype);

struct TensorInfo
{
    QString name;
    TensorDType dtype = TensorDType::F32;
    std::vector<std::int64_t> shape;   // empty = scalar (one element)
    std::uint64_t begin = 0;           // byte offset from the start of the data section
    std::uint64_t end = 0;

    std::int64_t numel() const;
};

// A read-only, memory-mapped .safetensors file. open() validates the whole header against the
// file size (offsets, sizes, dtypes, shapes), so every accessor afterwards stays in bounds; a
// header that lies is refused. Thread-safe for concurrent reads once opened.
class SafeTensorsFile
{
public:
    static Result<std::unique_ptr<SafeTensorsFile>> open(const QString &path);
    ~SafeTensorsFile();
    SafeTensorsFile(const SafeTensorsFile &) = delete;
    SafeTensorsFile &operator=(const SafeTensorsFile &) = delete;

    const QString &path() const { return m_path; }
    const std::vector<TensorInfo> &tensors() const { return m_tensors; }
    const QMap<QString, QString> &metadata() const { return m_metadata; }
    const TensorInfo *find(const QString &name) const;

    // The tensor's raw little-endian bytes (end - begin of them), valid while this object lives.
    const std::uint8_t *bytes(const TensorInfo &info) const;

    // Any dtype widened to float32 (integers converted by value).
    Result<std::vector<float>> toFloat(const QString &name) const;
    // Integer dtypes only (I64, I32, U8), widened to int64.
    Result<std::vector<std::int64_t>> toInt64(const QString &name) const;

private:
    SafeTensorsFile() = default;
    Status parseHeader(const QByteArray &json, std::uint64_t dataSize);
    Result<const TensorInfo *> require(const QString &name) const;

    QString m_path;
    std::unique_ptr<QFile> m_file;
    const std::uint8_t *m_data = nullptr;   // start of the data section
    std::vector<TensorInfo> m_tensors;
    QMap<QString, QString> m_metadata;
};

// IEEE binary16 / bfloat16 bit patterns to float.
float halfToFloat(std::uint16_t bits);
float bfloat16ToFloat(std::uint16_t bits);

}   // namespace clade
