#pragma once

#include "common/result.h"

#include <QString>

#include <memory>

namespace clade {
class ClipModel;
}

namespace clade::bench {

struct Rate
{
    int images = 0;
    double seconds = 0;
    double perSecond() const { return seconds > 0 ? images / seconds : 0.0; }
};

// How long a model-only measurement runs: warm-up batches are not counted; then batches run
// until both minimums are met.
struct TimingBudget
{
    int warmupBatches = 2;
    int minBatches = 4;
    double minSeconds = 5.0;
};

// ClipModel::encodeImageTensors on random N(0, 1) float32 [batch, 3, R, R] tensors (what CLIP's
// normalisation makes of photos, as far as the arithmetic is concerned). Runs on the calling
// thread, which owns the model.
Result<Rate> timeModelOnly(ClipModel &model, int batch, const TimingBudget &budget, quint64 seed);

struct EndToEnd
{
    Rate embed;               // Pipeline::embed: read, decode, preprocess, model, store
    double scanSeconds = 0;   // Pipeline::scan before it (walk, hash, Exiv2 metadata), not in `embed`
    int images = 0;           // images the scan found
    QString layout;           // the pipeline's thread layout, as describe() words it
};

// The product's path on a fresh catalog in a temporary directory: Pipeline::scan, then a timed
// Pipeline::embed with the services wired as the app wires them (OpenCvDecoder reading EXIF
// orientation through Exiv2MetadataReader, ClipExtractor over `model` at its own batch size,
// the decode pool at the number of cores). Runs on the calling thread, which owns the model.
Result<EndToEnd> timeEndToEnd(const std::shared_ptr<ClipModel> &model, const QString &folder);

}   // namespace clade::bench
