#pragma once

// Private to clade_torch (includes torch through clipnet.h): Hugging Face transformers'
// CLIPModel layout (model.safetensors with config.json), read into OpenAI's state-dict names.

#include "clipnet.h"

namespace clade::clipnet {

// True when the tensors are named as transformers' CLIPModel names them (vision_model.*,
// text_model.*).
bool isTransformersLayout(const TensorMap &weights);

// The same weights under OpenAI's names:
//   {vision,text}_model.encoder.layers.i.self_attn.{q,k,v}_proj.{weight,bias}
//       -> [visual.]transformer.resblocks.i.attn.in_proj_{weight,bias} (q, k, v stacked)
//   ...self_attn.out_proj -> attn.out_proj, layer_norm1/2 -> ln_1/2, mlp.fc1/fc2 -> mlp.c_fc/c_proj
//   vision_model.embeddings.{class_embedding, patch_embedding.weight, position_embedding.weight}
//       -> visual.{class_embedding, conv1.weight, positional_embedding}
//   vision_model.pre_layrnorm (sic) / post_layernorm -> visual.ln_pre / visual.ln_post
//   text_model.embeddings.{token_embedding, position_embedding}.weight
//       -> token_embedding.weight, positional_embedding
//   text_model.final_layer_norm -> ln_final
//   visual_projection.weight / text_projection.weight (out x in) -> visual.proj / text_projection
//       (in x out, transposed)
//   logit_scale -> logit_scale
// Integer buffers (position_ids) never reach here (loadWeights keeps floating tensors only).
// Tensors it does not know, and q/k/v triples with a part missing, give one error naming them.
Result<TensorMap> fromTransformersLayout(TensorMap weights);

}   // namespace clade::clipnet
