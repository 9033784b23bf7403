#pragma once

#include "cluster/clusterer.h"
#include "media/decoder.h"
#include "media/features.h"
#include "media/metadata.h"
#include "pipeline/pipeline.h"
#include "service/appcore.h"
#include "vocab/wordnetvocabulary.h"

#include <functional>
#include <memory>

namespace clade {

struct ServiceOptions
{
    QString modelPath;                         // a CLIP weights file; empty = the installed default, if any
    QString method = QStringLiteral("auto");   // auto | sic | kmeans
    QString catalogPath;                       // where SIC's vocabulary embeddings are cached (worker thread)
    bool loadModel = true;                     // false: no CLIP (e.g. for a scan, which only reads metadata)
    bool trustFile = false;                    // load a TorchScript modelPath the catalogue does not vouch for
    VocabularyChoice vocabulary{};             // the nouns groups are named from (CLIP only)
};

// The concrete implementations behind the pipeline's interfaces, wired for the GUI and the CLI.
// The engine is the model-dependent part: the GUI hands it to AppCore's worker (makeEngine).
struct AppServices
{
    std::unique_ptr<MetadataReader> metadata;
    std::unique_ptr<ImageDecoder> decoder;   // thread-safe: previews and thumbnails use it too
    Engine engine;

    PipelineServices pipeline() const { return {decoder.get(), metadata.get(), engine.extractor.get(), engine.clusterer.get()}; }
};

// The metadata reader and decoder alone (no model): quick, for the GUI's start.
AppServices makeMediaServices();
// CLIP (or the look-based fallback) and the clusterer; reads and checks the weights.
Result<Engine> makeEngine(const ServiceOptions &options = {});
Result<AppServices> makeServices(const ServiceOptions &options = {});

}   // namespace clade
