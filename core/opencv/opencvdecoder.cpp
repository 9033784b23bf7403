#include "opencv/opencvdecoder.h"

#include "opencv/cvimage.h"
#include "opencv/imageheader.h"

#include <QDir>
#include <QFile>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstring>
#include <exception>
#include <new>

namespace clade {

namespace {

// Larger files are not photos we can hold in memory twice (bytes + pixels) on a desktop.
constexpr qint64 kMaxFileBytes = qint64(1) << 31;

// Runs f, turning any exception that escapes OpenCV or the allocator into an Error.
template<typename F>
Result<RgbImage> guarded(F &&f)
{
    try {
        return f();
    } catch (const cv::Exception &e) {
        return fail(QStringLiteral("OpenCV failed: %1").arg(QString::fromStdString(e.err).trimmed()));
    } catch (const std::bad_alloc &) {
        return fail(QStringLiteral("out of memory while decoding"));
    } catch (const std::exception &e) {
        return fail(QStringLiteral("decoding failed: %1").arg(QString::fromUtf8(e.what())));
    }
}

Result<RgbImage> withPath(const QString &path, Result<RgbImage> result)
{
    if (result)
        return result;
    return fail(QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), result.error()));
}

Result<std::vector<std::uint8_t>> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot open: %1").arg(file.errorString()));
    const qint64 size = file.size();
    if (size <= 0)
        return fail(QStringLiteral("empty file (0 bytes), not an image"));
    if (size > kMaxFileBytes)
        return fail(QStringLiteral("file is %1 MiB, too large to decode").arg(size >> 20));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (file.read(reinterpret_cast<char *>(bytes.data()), size) != size)
        return fail(QStringLiteral("cannot read: %1").arg(file.errorString()));
    return bytes;
}

Status checkSize(const ImageHeader &header, const DecodeOptions &options)
{
    if (!header.hasSize())
        return fail(QStringLiteral("cannot read the image size from the %1 header (truncated or corrupt file)").arg(header.format));
    if (header.pixels() > options.maxPixels)
        return fail(QStringLiteral("image is %1 x %2 pixels (%3 megapixels), over the limit of %4 megapixels; "
                                   "not decoded (possible decompression bomb)")
                        .arg(header.width)
                        .arg(header.height)
                        .arg(double(header.pixels()) / 1e6, 0, 'f', 1)
                        .arg(double(options.maxPixels) / 1e6, 0, 'f', 1));
    return {};
}

// The largest JPEG scale-down (libjpeg rounds the scaled size up) that keeps the short side
// at or above what the caller asked for.
int reducedScale(const ImageHeader &header, int minShortSide)
{
    if (minShortSide <= 0 || header.format != QLatin1String("jpeg"))
        return 1;
    const int shortSide = std::min(header.width, header.height);
    for (int scale : {8, 4, 2})
        if ((shortSide + scale - 1) / scale >= minShortSide)
            return scale;
    return 1;
}

int imreadFlags(const ImageHeader &header, int scale)
{
    // Orientation is always applied by us, from one source, whatever the format.
    if (header.format != QLatin1String("jpeg"))
        return cv::IMREAD_UNCHANGED;   // keeps alpha and 16-bit so toRgb() can convert properly
    const int colour = scale == 8   ? cv::IMREAD_REDUCED_COLOR_8
                       : scale == 4 ? cv::IMREAD_REDUCED_COLOR_4
                       : scale == 2 ? cv::IMREAD_REDUCED_COLOR_2
                                    : cv::IMREAD_COLOR;
    return colour | cv::IMREAD_IGNORE_ORIENTATION;
}

// OpenCV 4.6 applies a TIFF's own Orientation tag whatever the imread flags say (verified on
// 8- and 16-bit files); for JPEG, PNG and WebP our flags keep the stored orientation.
int appliedByOpenCv(const ImageHeader &header)
{
    return header.format == QLatin1String("tiff") && header.orientation ? header.orientation : 1;
}

int inverseOrientation(int orientation)
{
    return orientation == 6 ? 8 : orientation == 8 ? 6 : orientation;
}

// From an image already turned by `applied` to one turned by `wanted`.
cv::Mat reoriented(const cv::Mat &image, int applied, int wanted)
{
    if (applied == wanted || (applied <= 1 && (wanted < 1 || wanted > 8)))
        return image;
    return cvimage::upright(cvimage::upright(image, inverseOrientation(applied)), wanted);
}

Result<RgbImage> decodeBuffer(const std::vector<std::uint8_t> &bytes, const ImageHeader &header, int orientation,
                              const DecodeOptions &options)
{
    if (Status sized = checkSize(header, options); !sized)
        return sized.takeError();
    // cv::imdecode picks its codec by its own signature checks, not by our sniffed format. Data
    // with DICOM's "DICM" at byte 128 (even behind a JPEG 2000 signature) reaches GDCM, which
    // asserts, that is aborts the process, on malformed input (found by the decoder fuzzer).
    // Clade does not read medical images: refuse it before OpenCV sees it.
    static constexpr char kDicomMagic[] = {'D', 'I', 'C', 'M'};
    if (bytes.size() >= 132 && std::memcmp(bytes.data() + 128, kDicomMagic, 4) == 0)
        return fail(QStringLiteral("carries a DICOM signature (medical image data), which Clade does not decode"));
    return guarded([&]() -> Result<RgbImage> {
        const cv::Mat buffer(1, int(bytes.size()), CV_8UC1, const_cast<std::uint8_t *>(bytes.data()));
        cv::Mat decoded = cv::imdecode(buffer, imreadFlags(header, reducedScale(header, options.minShortSide)));
        if (decoded.empty())
            return fail(QStringLiteral("OpenCV could not decode this %1 file (corrupt or unsupported variant)").arg(header.format));
        if (std::int64_t(decoded.total()) > options.maxPixels)
            return fail(QStringLiteral("decoded image is larger than its header said; refused"));
        decoded = reoriented(decoded, appliedByOpenCv(header), options.applyOrientation ? orientation : 1);
        return cvimage::toRgb(decoded);
    });
}

}   // namespace

OpenCvDecoder::OpenCvDecoder(const MetadataReader *previews) : m_previews(previews) { }

bool OpenCvDecoder::canDecodeFormat(const QString &format)
{
    static const QStringList formats = {QStringLiteral("jpeg"), QStringLiteral("png"), QStringLiteral("bmp"),     QStringLiteral("webp"),
                                        QStringLiteral("tiff"), QStringLiteral("pnm"), QStringLiteral("jpeg2000")};
    return formats.contains(format);
}

Result<RgbImage> OpenCvDecoder::decode(const QString &path, const DecodeOptions &options) const
{
    return withPath(path, guarded([&]() -> Result<RgbImage> {
                        auto bytes = readFile(path);
                        if (!bytes)
                            return bytes.takeError();
                        const ImageHeader header = readImageHeader(bytes->data(), bytes->size());
                        if (header.format.isEmpty())
                            return fail(QStringLiteral("not an image, or an image format Clade does not know"));
                        if (header.hasSize() && header.pixels() > options.maxPixels)
                            return checkSize(header, options).takeError();
                        if (isRawFormat(header.format) || !canDecodeFormat(header.format))
                            return decodePreview(path, header.format, options);
                        const int fromMetadata = metadataOrientation(path);
                        return decodeBuffer(*bytes, header, fromMetadata ? fromMetadata : header.orientation, options);
                    }));
}

Result<RgbImage> OpenCvDecoder::decodeBytes(const std::vector<std::uint8_t> &bytes, const DecodeOptions &options) const
{
    if (bytes.empty())
        return fail(QStringLiteral("no image data (0 bytes)"));
    const ImageHeader header = readImageHeader(bytes.data(), bytes.size());
    if (header.format.isEmpty())
        return fail(QStringLiteral("not an image, or an image format Clade does not know"));
    if (isRawFormat(header.format) || !canDecodeFormat(header.format))
        return fail(QStringLiteral("no decoder for %1 data").arg(header.format));
    return decodeBuffer(bytes, header, header.orientation, options);
}

Result<RgbImage> OpenCvDecoder::decodePreview(const QString &path, const QString &format, const DecodeOptions &options) const
{
    if (!m_previews)
        return fail(isRawFormat(format) ? QStringLiteral("no decoder for %1: RAW files are decoded from their embedded preview, "
                                                         "and no metadata reader is set")
                                              .arg(format)
                                        : QStringLiteral("no decoder for %1 files in OpenCV 4.6").arg(format));
    auto preview = m_previews->largestPreview(path);
    if (!preview)
        return fail(QStringLiteral("no decoder for %1 and no usable embedded preview: %2").arg(format, preview.error()));
    const ImageHeader header = readImageHeader(preview->data(), preview->size());
    if (!canDecodeFormat(header.format) || isRawFormat(header.format))
        return fail(QStringLiteral("no decoder for %1, and its embedded preview is not a decodable image").arg(format));
    // The preview is stored unrotated; the orientation of the file it came from applies.
    const int fromMetadata = metadataOrientation(path);
    return decodeBuffer(*preview, header, fromMetadata ? fromMetadata : header.orientation, options);
}

int OpenCvDecoder::metadataOrientation(const QString &path) const
{
    if (!m_previews)
        return 0;
    const auto metadata = m_previews->read(path);
    return metadata && metadata->orientation >= 1 && metadata->orientation <= 8 ? metadata->orientation : 0;
}

}   // namespace clade
