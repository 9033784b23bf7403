#pragma once

#include "common/image.h"
#include "common/result.h"

#include <QString>

#include <vector>

namespace clade {

// Turns images into feature vectors (embeddings). Implemented by the visual fallback
// descriptor (clade_opencv) and by CLIP (clade_torch).
// Not thread-safe: one worker thread owns an extractor and calls embed().
class FeatureExtractor
{
public:
    virtual ~FeatureExtractor() = default;
    // Stored with every embedding; two extractors with different ids never mix.
    virtual QString modelId() const = 0;
    virtual int dimension() const = 0;
    // The short side the input images need (decoders may decode at reduced scale down to it).
    virtual int inputShortSide() const = 0;
    // True when the features live in a space shared with text (CLIP), so names can be semantic.
    virtual bool isSemantic() const = 0;
    // Preferred batch size for embed().
    virtual int batchSize() const { return 8; }
    // True when embed() runs on a GPU, so decoding may use every CPU core.
    virtual bool onGpu() const { return false; }
    // CPU threads embed() may use from now on (the pipeline's thread layout); 0 = its default.
    // Called on the thread that owns the extractor, between batches.
    virtual void setInferenceThreads(int threads) { (void)threads; }
    // One vector of dimension() floats per image, in input order.
    virtual Result<std::vector<std::vector<float>>> embed(const std::vector<RgbImage> &images) = 0;
};

}   // namespace clade
