#include "fuzzentries.h"

#include "exiv2/exiv2metadatareader.h"
#include "io/npy.h"
#include "models/modelcatalogue.h"
#include "opencv/opencvdecoder.h"
#ifdef CLADE_FUZZ_SAFETENSORS
#include "torch/clip/safetensors.h"
#endif

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <vector>

namespace clade::fuzz {

namespace {

// One scratch file per process and target: the readers under test take a path.
QString scratch(const char *target, const std::uint8_t *data, std::size_t size)
{
    const QString path =
        QDir::tempPath() + QStringLiteral("/clade-fuzz-%1-%2").arg(QCoreApplication::applicationPid()).arg(QLatin1String(target));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    return path;
}

}   // namespace

int npy(const std::uint8_t *data, std::size_t size)
{
    const QString path = scratch("npy", data, size);
    Result<NpyArray> array = readNpy(path);
    (void)array;
    Result<FeatureMatrix> matrix = readNpyMatrix(path);
    (void)matrix;
    return 0;
}

int exiv2Metadata(const std::uint8_t *data, std::size_t size)
{
    static const Exiv2MetadataReader reader;
    const QString path = scratch("exiv2", data, size);
    Result<PhotoMetadata> metadata = reader.read(path);
    (void)metadata;
    return 0;
}

int decoder(const std::uint8_t *data, std::size_t size)
{
    static const OpenCvDecoder decoder;
    DecodeOptions options;
    options.maxPixels = 4'000'000;   // keeps each input fast; larger ones must be refused cleanly
    options.minShortSide = size % 2 ? 0 : 64;
    Result<RgbImage> image = decoder.decodeBytes(std::vector<std::uint8_t>(data, data + size), options);
    (void)image;
    return 0;
}

int catalogue(const std::uint8_t *data, std::size_t size)
{
    Result<ModelCatalogue> parsed =
        parseCatalogue(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)), QStringLiteral("fuzz"));
    (void)parsed;
    return 0;
}

int safetensors(const std::uint8_t *data, std::size_t size)
{
#ifdef CLADE_FUZZ_SAFETENSORS
    const QString path = scratch("safetensors", data, size);
    auto file = SafeTensorsFile::open(path);
    if (file) {
        for (const TensorInfo &t : (*file)->tensors()) {
            Result<std::vector<float>> values = (*file)->toFloat(t.name);
            (void)values;
        }
    }
#else
    (void)data;
    (void)size;
#endif
    return 0;
}

}   // namespace clade::fuzz
