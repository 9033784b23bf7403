#pragma once

#include "cluster/clusterer.h"
#include "media/decoder.h"
#include "media/features.h"
#include "media/metadata.h"
#include "pipeline/pipeline.h"

#include <functional>
#include <memory>

namespace clade {

struct ServiceOptions
{
    QString modelPath;          // a CLIP weights file; empty = the installed default, if any
    QString method = QStringLiteral("auto");   // auto | sic | kmeans
    QString catalogPath;        // where SIC's vocabulary embeddings are cached (worker thread)
    bool loadModel = true;      // false: no CLIP (e.g. for a scan, which only reads metadata)
    bool trustFile = false;     // load a TorchScript modelPath the catalogue does not vouch for
};

// The concrete implementations behind the pipeline's interfaces, wired for the GUI and the CLI.
struct AppServices
{
    std::unique_ptr<MetadataReader> metadata;
    std::unique_ptr<ImageDecoder> decoder;
    std::unique_ptr<FeatureExtractor> extractor;
    std::unique_ptr<Clusterer> clusterer;
    bool semantic = false;      // CLIP present: names by meaning; else grouped by look
    // CLIP's text tower for search ("dog on a beach"); empty without CLIP. It shares the model
    // with the extractor: call it only while no run is working.
    std::function<Result<std::vector<float>>(const QString &text)> encodeText;
    QString description;        // one line for the user: what features and method are used

    PipelineServices pipeline() const
    {
        return {decoder.get(), metadata.get(), extractor.get(), clusterer.get()};
    }
};

Result<AppServices> makeServices(const ServiceOptions &options = {});

} // namespace clade
