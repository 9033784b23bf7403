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

// The smallest cosine, over the rows of one random batch, between two models' image embeddings
// (the same weights in two precisions). Runs on the calling thread, which owns both models.
Result<double> minCosineAgreement(ClipModel &a, ClipModel &b, int batch, quint64 seed);

// Dense matrix-product throughput of this machine through libtorch as the product configures
// it: 2048 x 2048 by 2048 x 2048 products in fp32 (bf16 = false) or bf16 for about `seconds`,
// in GFLOP/s. The measured peak the model-only rate is compared with.
double measuredGemmGflops(bool bf16, double seconds);

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
