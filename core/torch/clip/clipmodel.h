#pragma once

#include "common/image.h"
#include "common/matrix.h"
#include "common/result.h"
#include "io/npy.h"
#include "media/features.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace clade {

class ClipTokenizer;

// OpenAI's ViT CLIP running natively in libtorch (CUDA when available, else the CPU).
// Loads once and owns its weights. Not thread-safe: one worker thread owns a model and
// calls the encode methods; load() may run on any thread.
class ClipModel
{
public:
    // weightsPath: an OpenCLIP/OpenAI-named `.safetensors` (F32/F16/BF16) or an OpenAI
    // TorchScript `.pt`; heads come from a config.json beside it when present, else width / 64.
    // vocabPath: bpe_simple_vocab_16e6.txt.gz; empty = defaultVocabPath(), and then a missing
    // file only disables encodeTexts().
    static Result<std::unique_ptr<ClipModel>> load(const QString &weightsPath, const QString &vocabPath = {});
    static QString defaultVocabPath();   // dataDir() + "/models/bpe_simple_vocab_16e6.txt.gz"
    ~ClipModel();

    // One un-normalised embedding per image, in input order. Images are preprocessed as
    // OpenAI's _transform does (bicubic short side, centre crop, normalisation).
    Result<FeatureMatrix> encodeImages(const std::vector<RgbImage> &images);
    // Already-normalised float32 [N, 3, R, R] (R = imageResolution()).
    Result<FeatureMatrix> encodeImageTensors(const NpyArray &images);
    // One un-normalised embedding per text; texts over the context are truncated as
    // clip.tokenize(truncate=True) does.
    Result<FeatureMatrix> encodeTexts(const QStringList &texts);
    // Token rows SOT..EOT (trailing zero padding allowed), pooled at each row's largest id.
    Result<FeatureMatrix> encodeTokenIds(const std::vector<std::vector<int>> &rows);

    int imageResolution() const;
    int embedDim() const;
    int contextLength() const;
    float logitScale() const;            // exp(logit_scale): multiplies cosine similarities
    QString modelId() const;             // "clip-vit:" + the first 16 hex digits of the file's SHA-256
    QString deviceName() const;          // "cuda" or "cpu"
    QStringList unusedTensors() const;   // tensors in the file that the model does not use
    const ClipTokenizer *tokenizer() const;   // null without a vocabulary

private:
    ClipModel();
    struct Impl;
    std::unique_ptr<Impl> d;
};

// FeatureExtractor over a ClipModel (semantic: its space is shared with text).
// Runs on the thread that owns the model.
class ClipExtractor : public FeatureExtractor
{
public:
    explicit ClipExtractor(std::shared_ptr<ClipModel> model);

    QString modelId() const override;
    int dimension() const override;
    int inputShortSide() const override;
    bool isSemantic() const override { return true; }
    int batchSize() const override;
    Result<std::vector<std::vector<float>>> embed(const std::vector<RgbImage> &images) override;

    ClipModel &model() { return *m_model; }

private:
    std::shared_ptr<ClipModel> m_model;
};

} // namespace clade
