#pragma once

#include "media/features.h"

namespace clade {

// The weight-free fallback embedding used when no CLIP model is installed: it clusters photos
// by look (colour, texture, layout), not by meaning, and says so (isSemantic() is false).
// Blocks, each L2-normalised and weighted, then the whole vector L2-normalised:
//   colour   soft Lab histogram (4x6x6), Hellinger (square-root) mapped
//   layout   4x4 grid of mean Lab and lightness contrast
//   texture  gradient-orientation histograms (global and 4x4 grid), edge density,
//            rotation-invariant uniform LBP at two scales
// Deterministic: the same pixels give the same vector on every run and thread.
// embed() may be called from one worker thread at a time; describe() is const and thread-safe.
class VisualDescriptor : public FeatureExtractor
{
public:
    QString modelId() const override;   // "clade-visual-v1"
    int dimension() const override;
    int inputShortSide() const override;
    bool isSemantic() const override { return false; }
    int batchSize() const override { return 32; }
    Result<std::vector<std::vector<float>>> embed(const std::vector<RgbImage> &images) override;

    Result<std::vector<float>> describe(const RgbImage &image) const;
};

}   // namespace clade
