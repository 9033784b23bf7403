#include "exiv2metadatareader.h"

#include "exiv2fields.h"
#include "exiv2library.h"
#include "metadatatext.h"

#include "media/decoder.h"

#include <QByteArray>

#include <algorithm>

namespace clade {

Exiv2MetadataReader::Exiv2MetadataReader()
{
    exiv2::initialiseLibrary();
}

Result<PhotoMetadata> Exiv2MetadataReader::read(const QString &path) const
{
    auto image = exiv2::openAndRead(path);
    if (!image)
        return image.takeError();
    PhotoMetadata metadata;
    const Status extracted = exiv2::guarded(path, "read metadata of", [&] { metadata = exiv2::extractMetadata(**image); });
    if (!extracted)
        return extracted.takeError();

    const QString sidecarPath = metadatatext::findSidecar(path);
    if (sidecarPath.isEmpty())
        return metadata;
    // A broken sidecar must not cost the photo its own metadata.
    auto sidecar = exiv2::openAndRead(sidecarPath);
    PhotoMetadata fromSidecar;
    const Status sidecarExtracted =
        sidecar ? exiv2::guarded(sidecarPath, "read metadata of", [&] { fromSidecar = exiv2::extractMetadata(**sidecar); })
                : sidecar.takeError();
    if (sidecarExtracted)
        metadatatext::mergeSidecar(metadata, fromSidecar);
    else
        qCDebug(exiv2::lcExiv2).noquote() << "ignoring sidecar:" << sidecarExtracted.error();
    return metadata;
}

Result<std::vector<std::uint8_t>> Exiv2MetadataReader::largestPreview(const QString &path) const
{
    auto image = exiv2::openAndRead(path);
    if (!image)
        return image.takeError();
    // Exiv2 0.27's EPS preview filters read out of bounds on malformed files (issue 3511) and
    // crash the process; EPS is not a photo format, so its previews are not worth that risk.
    if ((*image)->imageType() == Exiv2::ImageType::eps)
        return fail(QStringLiteral("Cannot extract a preview from %1: EPS previews are not supported").arg(path));
    std::vector<std::uint8_t> bytes;
    const Status status = exiv2::guarded(path, "extract a preview from", [&] {
        const Exiv2::PreviewManager manager(**image);
        const Exiv2::PreviewPropertiesList list = manager.getPreviewProperties();
        // Sorted smallest first. Stubbed files carry "large" previews of a few bytes, so walk
        // down from the largest to the first one that is a real image format.
        for (auto it = list.rbegin(); it != list.rend(); ++it) {
            const Exiv2::PreviewImage preview = manager.getPreviewImage(*it);
            const auto *data = reinterpret_cast<const char *>(preview.pData());
            const QByteArray head = QByteArray::fromRawData(data, static_cast<qsizetype>(std::min<std::uint32_t>(preview.size(), 64)));
            if (preview.size() > 0 && !sniffImageFormat(head).isEmpty()) {
                bytes.assign(preview.pData(), preview.pData() + preview.size());
                return;
            }
        }
    });
    if (!status)
        return status.takeError();
    if (bytes.empty())
        return fail(QStringLiteral("%1 has no embedded preview image").arg(path));
    return bytes;
}

}   // namespace clade
