#pragma once

// Private to clade_torch: includes torch, so only .cpp files that include it first may use it.
#include <torch/torch.h>

#include "common/result.h"

#include <map>
#include <string>
#include <vector>

namespace clade::clipnet {

using TensorMap = std::map<std::string, torch::Tensor>;

// Shapes of a ViT CLIP, read from the checkpoint (heads come from a config or width / 64).
struct Config
{
    int visionWidth = 0, visionLayers = 0, visionHeads = 0, patch = 0, grid = 0, resolution = 0;
    int textWidth = 0, textLayers = 0, textHeads = 0, contextLength = 0, vocabSize = 0;
    int embedDim = 0;
};

// Heads given by a config.json; 0 = not given (width / 64, as OpenAI's build_model does).
struct HeadCounts
{
    int vision = 0;
    int text = 0;
};

// The MLP's non-linearity: OpenAI's QuickGELU x·σ(1.702x), or the exact erf GELU that
// OpenCLIP's non-"quickgelu" models (e.g. laion2b ViT-B-32) were trained with.
enum class Activation { QuickGelu, Gelu };

// How build() places the model. dtype kHalf is for CUDA only (libtorch 1.13 has no fp16 matmul
// on the CPU): matrices and embeddings are stored in half, LayerNorm weights and the two output
// projections stay fp32.
struct BuildOptions
{
    HeadCounts heads;
    Activation activation = Activation::QuickGelu;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat;
};

struct Block
{
    torch::Tensor ln1w, ln1b, inW, inB, outW, outB, ln2w, ln2b, fcW, fcB, projW, projB;
};

// OpenAI's ViT CLIP as plain tensors and functional ops. Owned by one thread at a time.
class Net
{
public:
    // Checks that every expected tensor is present with the right shape; `extras` receives
    // the names of tensors the model does not use. Weights must be fp32 on the CPU; they are
    // moved to options.device and converted to options.dtype.
    static Result<Net> build(TensorMap weights, const BuildOptions &options, std::vector<std::string> *extras);

    const Config &config() const { return m_config; }
    torch::Device device() const { return m_device; }
    torch::ScalarType dtype() const { return m_dtype; }
    Activation activation() const { return m_activation; }
    float logitScaleExp() const { return m_logitScaleExp; }

    // images: float32 [N, 3, R, R], normalised. Returns float32 [N, E] on the CPU.
    torch::Tensor encodeImage(const torch::Tensor &images) const;
    // ids: int64 [N, L] with L <= contextLength; pooled at the first argmax per row.
    // Returns float32 [N, E] on the CPU.
    torch::Tensor encodeText(const torch::Tensor &ids) const;

private:
    explicit Net(const BuildOptions &options) : m_device(options.device), m_dtype(options.dtype), m_activation(options.activation) { }
    torch::Tensor block(const Block &b, torch::Tensor x, int heads, const torch::Tensor &mask) const;
    torch::Tensor mlpActivation(const torch::Tensor &h) const;

    Config m_config;
    torch::Device m_device;
    torch::ScalarType m_dtype;
    Activation m_activation;
    float m_logitScaleExp = 1.0f;
    torch::Tensor m_conv1, m_classEmbedding, m_visualPos, m_lnPreW, m_lnPreB, m_lnPostW, m_lnPostB, m_visualProj;
    torch::Tensor m_tokenEmbedding, m_textPos, m_lnFinalW, m_lnFinalB, m_textProj;
    std::vector<Block> m_visualBlocks, m_textBlocks;
};

}   // namespace clade::clipnet
