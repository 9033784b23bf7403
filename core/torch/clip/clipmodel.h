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

// The MLP non-linearity. OpenAI's models use QuickGELU; OpenCLIP models trained without
// "-quickgelu" (e.g. laion2b ViT-B-32) use the exact GELU, and give wrong features otherwise.
enum class ClipActivation { Auto, QuickGelu, Gelu };
// Fp16 runs only on CUDA (libtorch 1.13 has no fp16 matmul on the CPU). Bf16 runs on the CPU
// and CUDA; on the CPU its matrix products go through oneDNN, fast where the CPU has
// avx512_bf16 or AMX (torchrt::cpuHasFastBf16()) and slower than fp32 elsewhere (README: bf16 figures).
enum class ClipPrecision { Auto, Fp32, Fp16, Bf16 };

// How ClipModel::load builds the model. Plain value.
struct ClipLoadOptions
{
    // bpe_simple_vocab_16e6.txt.gz; empty = ClipModel::defaultVocabPath(), and then a missing
    // file only disables encodeTexts().
    QString vocabPath;
    // Auto: what a config.json (or open_clip_config.json) beside the weights says, else
    // QuickGELU (OpenAI's released models).
    ClipActivation activation = ClipActivation::Auto;
    // Auto: fp16 on CUDA; on the CPU bf16 where torchrt::cpuHasFastBf16(), else fp32. Fp16 on the CPU is
    // refused with an error; Bf16 is taken on either (LayerNorm and softmax stay fp32, as for
    // fp16). Fp32 gives results to compare with the reference implementation's at 1e-4.
    ClipPrecision precision = ClipPrecision::Auto;
    bool forceCpu = false;   // run on the CPU even when CUDA is available
    // A TorchScript archive (.pt) can carry code; libtorch unpickles it to read the weights. One
    // is loaded only when its SHA-256 is listed here (the catalogue's checksums, and files the
    // user imported and accepted) or trustFile is set (--trust-file, or the user's confirmation).
    // Safetensors files hold only tensors and need neither.
    QStringList trustedSha256;
    bool trustFile = false;
};

// "auto" | "quick_gelu" | "gelu" and "auto" | "fp32" | "fp16" | "bf16"; anything else is an error.
Result<ClipActivation> parseClipActivation(const QString &name);
Result<ClipPrecision> parseClipPrecision(const QString &name);
QString clipActivationName(ClipActivation activation);
QString clipPrecisionName(ClipPrecision precision);

// OpenAI's ViT CLIP running natively in libtorch (CUDA when available, else the CPU).
// Loads once and owns its weights. Not thread-safe: one worker thread owns a model and
// calls the encode methods; load() may run on any thread.
class ClipModel
{
public:
    // weightsPath: an OpenCLIP/OpenAI-named `.safetensors` (F32/F16/BF16) or an OpenAI
    // TorchScript `.pt`; heads come from a config.json beside it when present, else width / 64.
    // On CUDA in fp32, TF32 is switched off process-wide (cuBLAS and cuDNN) so that results
    // match the CPU to 1e-4.
    static Result<std::unique_ptr<ClipModel>> load(const QString &weightsPath, const ClipLoadOptions &options = {});
    // The same with every option at its default but the vocabulary.
    static Result<std::unique_ptr<ClipModel>> load(const QString &weightsPath, const QString &vocabPath);
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
    // Rows are batched by length and each batch is cut after its last pooled position.
    Result<FeatureMatrix> encodeTokenIds(const std::vector<std::vector<int>> &rows);
    // The same, with every row padded to contextLength() as the reference implementation
    // runs it: several times slower, for checks and benchmarks of the trimmed path.
    Result<FeatureMatrix> encodeTokenIdsFullContext(const std::vector<std::vector<int>> &rows);

    int imageResolution() const;
    int embedDim() const;
    int contextLength() const;
    float logitScale() const;   // exp(logit_scale): multiplies cosine similarities
    // "clip-vit:" + the first 16 hex digits of the file's SHA-256, plus ":gelu" for the GELU
    // activation: the same file with another activation gives other features, so other cache rows.
    QString modelId() const;
    QString deviceName() const;               // "cuda" or "cpu"
    ClipActivation activation() const;        // as resolved at load: never Auto
    ClipPrecision precision() const;          // as resolved at load: never Auto
    QStringList unusedTensors() const;        // tensors in the file that the model does not use
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
    bool onGpu() const override;
    void setInferenceThreads(int threads) override;
    Result<std::vector<std::vector<float>>> embed(const std::vector<RgbImage> &images) override;

    ClipModel &model() { return *m_model; }

private:
    std::shared_ptr<ClipModel> m_model;
};

}   // namespace clade
