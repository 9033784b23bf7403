#include "services.h"

#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "pipeline/kmeansclusterer.h"
#ifdef CLADE_HAVE_TORCH
#include "sicclusterer.h"
#endif

namespace clade {

namespace {

Result<std::unique_ptr<Clusterer>> makeClusterer(const QString &method)
{
    const QString chosen = method.isEmpty() ? QStringLiteral("auto") : method;
    if (chosen == QLatin1String("kmeans"))
        return std::unique_ptr<Clusterer>(new KMeansClusterer());
#ifdef CLADE_HAVE_TORCH
    if (chosen == QLatin1String("auto") || chosen == QLatin1String("sic"))
        return std::unique_ptr<Clusterer>(new SicClusterer());
#else
    if (chosen == QLatin1String("auto"))
        return std::unique_ptr<Clusterer>(new KMeansClusterer());
    if (chosen == QLatin1String("sic"))
        return fail(QStringLiteral("This build of Clade has no libtorch, so SIC is not available; use --method kmeans"));
#endif
    return fail(QStringLiteral("Unknown clustering method '%1' (use auto, sic or kmeans)").arg(chosen));
}

} // namespace

Result<AppServices> makeServices(const ServiceOptions &options)
{
    AppServices services;
    services.metadata = std::make_unique<Exiv2MetadataReader>();
    services.decoder = std::make_unique<OpenCvDecoder>(services.metadata.get());
    if (!options.modelPath.isEmpty())
        return fail(QStringLiteral("CLIP models are not wired into this build yet; run without --model"));
    services.extractor = std::make_unique<VisualDescriptor>();
    services.semantic = false;
    Result<std::unique_ptr<Clusterer>> clusterer = makeClusterer(options.method);
    if (!clusterer)
        return clusterer.takeError();
    services.clusterer = std::move(*clusterer);
    services.description = QStringLiteral("No CLIP model: grouped by look (colour, texture, layout), not by meaning; "
                                          "method %1").arg(services.clusterer->method());
    return services;
}

} // namespace clade
