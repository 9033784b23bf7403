#pragma once

// Test helper: writes a CLIP model given under OpenAI's state-dict names (the clip-parity
// models) in Hugging Face transformers' CLIPModel layout, model.safetensors plus config.json.
// The key mapping is the inverse of core/torch/clip/transformerslayout.h, written out here on
// its own so that the test does not check the loader against itself:
//   [visual.]transformer.resblocks.i.attn.in_proj_{weight,bias}
//       -> {vision,text}_model.encoder.layers.i.self_attn.{q,k,v}_proj.{weight,bias}
//          (rows split in three equal parts, in that order)
//   .attn.out_proj -> .self_attn.out_proj, .ln_1/.ln_2 -> .layer_norm1/.layer_norm2,
//   .mlp.c_fc/.mlp.c_proj -> .mlp.fc1/.mlp.fc2
//   visual.class_embedding / conv1.weight / positional_embedding
//       -> vision_model.embeddings.class_embedding / patch_embedding.weight / position_embedding.weight
//   visual.ln_pre / ln_post -> vision_model.pre_layrnorm / post_layernorm
//   token_embedding.weight / positional_embedding
//       -> text_model.embeddings.token_embedding.weight / position_embedding.weight
//   ln_final -> text_model.final_layer_norm
//   visual.proj / text_projection (in x out) -> visual_projection.weight / text_projection.weight
//       (out x in, transposed); logit_scale unchanged
// plus the int64 position_ids buffers [1, positions] of both towers. Deterministic: tensors are
// written in name order, all F32. Header-only, Qt and the project's SafeTensorsFile reader only.

#include "clip/safetensors.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace clade::test {

struct HfTensor
{
    std::vector<std::int64_t> shape;
    std::vector<float> f32;          // F32 data, or
    std::vector<std::int64_t> i64;   // I64 data (position_ids)
};
using HfTensors = std::map<QString, HfTensor>;

inline HfTensor transposed(const HfTensor &t)
{
    HfTensor out{{t.shape[1], t.shape[0]}, std::vector<float>(t.f32.size()), {}};
    for (std::int64_t r = 0; r < t.shape[0]; ++r)
        for (std::int64_t c = 0; c < t.shape[1]; ++c)
            out.f32[std::size_t(c * t.shape[0] + r)] = t.f32[std::size_t(r * t.shape[1] + c)];
    return out;
}

// The OpenAI-named tensors of `source` under transformers' names (see the table above).
inline HfTensors toTransformersNames(const SafeTensorsFile &source)
{
    static const std::map<QString, QString> top = {
        {"visual.class_embedding", "vision_model.embeddings.class_embedding"},
        {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"},
        {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"},
        {"visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"},
        {"visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"},
        {"visual.ln_post.weight", "vision_model.post_layernorm.weight"},
        {"visual.ln_post.bias", "vision_model.post_layernorm.bias"},
        {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
        {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
        {"ln_final.weight", "text_model.final_layer_norm.weight"},
        {"ln_final.bias", "text_model.final_layer_norm.bias"},
        {"logit_scale", "logit_scale"},
    };
    static const std::map<QString, QString> inLayer = {
        {"attn.out_proj.weight", "self_attn.out_proj.weight"},
        {"attn.out_proj.bias", "self_attn.out_proj.bias"},
        {"ln_1.weight", "layer_norm1.weight"},
        {"ln_1.bias", "layer_norm1.bias"},
        {"ln_2.weight", "layer_norm2.weight"},
        {"ln_2.bias", "layer_norm2.bias"},
        {"mlp.c_fc.weight", "mlp.fc1.weight"},
        {"mlp.c_fc.bias", "mlp.fc1.bias"},
        {"mlp.c_proj.weight", "mlp.fc2.weight"},
        {"mlp.c_proj.bias", "mlp.fc2.bias"},
    };
    static const QRegularExpression block(QStringLiteral("^(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)$"));
    HfTensors out;
    for (const TensorInfo &info : source.tensors()) {
        HfTensor t{info.shape, *source.toFloat(info.name), {}};
        if (auto it = top.find(info.name); it != top.end()) {
            out[it->second] = std::move(t);
        } else if (info.name == QLatin1String("visual.proj")) {
            out[QStringLiteral("visual_projection.weight")] = transposed(t);
        } else if (info.name == QLatin1String("text_projection")) {
            out[QStringLiteral("text_projection.weight")] = transposed(t);
        } else if (const auto m = block.match(info.name); m.hasMatch()) {
            const QString prefix = (m.captured(1).isEmpty() ? QStringLiteral("text_model") : QStringLiteral("vision_model"))
                                   + QStringLiteral(".encoder.layers.") + m.captured(2) + QLatin1Char('.');
            const QString rest = m.captured(3);
            if (auto same = inLayer.find(rest); same != inLayer.end()) {
                out[prefix + same->second] = std::move(t);
            } else if (rest.startsWith(QLatin1String("attn.in_proj_"))) {
                const QString kind = rest.mid(13);   // weight or bias
                const std::int64_t rows = t.shape[0] / 3;
                const std::size_t part = t.f32.size() / 3;
                const char *names[] = {"q", "k", "v"};
                for (int p = 0; p < 3; ++p) {
                    HfTensor piece{
                        t.shape,
                        std::vector<float>(t.f32.begin() + std::ptrdiff_t(p * part), t.f32.begin() + std::ptrdiff_t((p + 1) * part)),
                        {}};
                    piece.shape[0] = rows;
                    out[prefix + QStringLiteral("self_attn.%1_proj.%2").arg(QLatin1String(names[p]), kind)] = std::move(piece);
                }
            }
        }
    }
    for (const char *tower : {"vision_model", "text_model"}) {
        const auto &pos = out[QLatin1String(tower) + QStringLiteral(".embeddings.position_embedding.weight")];
        HfTensor ids{{1, pos.shape.empty() ? 0 : pos.shape[0]}, {}, {}};
        for (std::int64_t i = 0; i < ids.shape[1]; ++i)
            ids.i64.push_back(i);
        out[QLatin1String(tower) + QStringLiteral(".embeddings.position_ids")] = std::move(ids);
    }
    return out;
}

inline bool writeHfSafeTensors(const QString &path, const HfTensors &tensors)
{
    QJsonObject header;
    QByteArray data;
    for (const auto &[name, t] : tensors) {
        QJsonArray shape;
        for (std::int64_t d : t.shape)
            shape.append(qint64(d));
        const bool ints = !t.i64.empty();
        const QByteArray bytes = ints ? QByteArray(reinterpret_cast<const char *>(t.i64.data()), qsizetype(t.i64.size() * 8))
                                      : QByteArray(reinterpret_cast<const char *>(t.f32.data()), qsizetype(t.f32.size() * 4));
        header.insert(name,
                      QJsonObject{{QStringLiteral("dtype"), ints ? QStringLiteral("I64") : QStringLiteral("F32")},
                                  {QStringLiteral("shape"), shape},
                                  {QStringLiteral("data_offsets"), QJsonArray{qint64(data.size()), qint64(data.size() + bytes.size())}}});
        data += bytes;
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while ((8 + json.size()) % 8 != 0)
        json += ' ';
    QFile f(path);
    const quint64 len = quint64(json.size());
    return f.open(QIODevice::WriteOnly) && f.write(reinterpret_cast<const char *>(&len), 8) == 8 && f.write(json) == json.size()
           && f.write(data) == data.size();
}

// config.json as transformers writes it for CLIPModel (the fields the loader reads).
inline bool writeHfConfig(const QString &path, int visionHeads, int textHeads, const QString &act, int eosTokenId)
{
    const QJsonObject config{
        {QStringLiteral("architectures"), QJsonArray{QStringLiteral("CLIPModel")}},
        {QStringLiteral("model_type"), QStringLiteral("clip")},
        {QStringLiteral("text_config"), QJsonObject{{QStringLiteral("hidden_act"), act},
                                                    {QStringLiteral("num_attention_heads"), textHeads},
                                                    {QStringLiteral("eos_token_id"), eosTokenId}}},
        {QStringLiteral("vision_config"),
         QJsonObject{{QStringLiteral("hidden_act"), act}, {QStringLiteral("num_attention_heads"), visionHeads}}},
    };
    QFile f(path);
    const QByteArray json = QJsonDocument(config).toJson();
    return f.open(QIODevice::WriteOnly) && f.write(json) == json.size();
}

}   // namespace clade::test
