#pragma once

// Private to clade_torch (includes torch through clipnet.h).
#include "clipnet.h"

#include <QString>

#include <optional>

namespace clade::clipnet {

// Reads CLIP weights by OpenAI state-dict name, every floating tensor widened to fp32 on the
// CPU: `.safetensors` (F32/F16/BF16) or an OpenAI TorchScript `.pt` archive (parameters and
// buffers by name only; its code is never run). Runs on the caller's thread.
Result<TensorMap> loadWeights(const QString &path);

// What a config.json next to the weights says about the model, where it says it.
struct ConfigHints
{
    HeadCounts heads;
    std::optional<Activation> activation;   // nullopt: the config does not say (or no config)
    std::optional<int> eosTokenId;          // transformers' text_config.eos_token_id, when given
};

// The weights file for a model path: the path itself, or in a folder model.safetensors
// (transformers), open_clip_model.safetensors (open_clip) or a single *.safetensors / *.pt.
Result<QString> resolveWeightsPath(const QString &path);

// Reads config.json beside the weights (open_clip, OpenAI-constructor or clip-parity style);
// a missing or unreadable file gives empty hints. Runs on the caller's thread.
ConfigHints hintsFromConfig(const QString &weightsPath);

}   // namespace clade::clipnet
