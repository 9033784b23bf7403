#pragma once

// Private to clade_torch (includes torch through clipnet.h).
#include "clipnet.h"

#include <QString>

namespace clade::clipnet {

// Reads CLIP weights by OpenAI state-dict name, every floating tensor widened to fp32 on the
// CPU: `.safetensors` (F32/F16/BF16) or an OpenAI TorchScript `.pt` archive (parameters and
// buffers by name only; its code is never run). Runs on the caller's thread.
Result<TensorMap> loadWeights(const QString &path);

// Head counts from a config.json next to the weights, when one exists and names them.
HeadCounts headsFromConfig(const QString &weightsPath);

} // namespace clade::clipnet
