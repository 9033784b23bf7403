#include "transformerslayout.h"

#include <QRegularExpression>
#include <QStringList>

#include <map>

namespace clade::clipnet {

bool isTransformersLayout(const TensorMap &weights)
{
    for (const auto &entry : weights) {
        if (entry.first.rfind("vision_model.", 0) == 0 || entry.first.rfind("text_model.", 0) == 0)
            return true;
    }
    return false;
}

namespace {

// Per-layer names inside encoder.layers.i. that map one to one.
const std::map<std::string, std::string> &layerNames()
{
    static const std::map<std::string, std::string> names = {
        {"self_attn.out_proj.weight", "attn.out_proj.weight"},
        {"self_attn.out_proj.bias", "attn.out_proj.bias"},
        {"layer_norm1.weight", "ln_1.weight"},
        {"layer_norm1.bias", "ln_1.bias"},
        {"layer_norm2.weight", "ln_2.weight"},
        {"layer_norm2.bias", "ln_2.bias"},
        {"mlp.fc1.weight", "mlp.c_fc.weight"},
        {"mlp.fc1.bias", "mlp.c_fc.bias"},
        {"mlp.fc2.weight", "mlp.c_proj.weight"},
        {"mlp.fc2.bias", "mlp.c_proj.bias"},
    };
    return names;
}

const std::map<std::string, std::string> &topNames()
{
    static const std::map<std::string, std::string> names = {
        {"vision_model.embeddings.class_embedding", "visual.class_embedding"},
        {"vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"},
        {"vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"},
        {"vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"},
        {"vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"},
        {"vision_model.post_layernorm.weight", "visual.ln_post.weight"},
        {"vision_model.post_layernorm.bias", "visual.ln_post.bias"},
        {"text_model.embeddings.token_embedding.weight", "token_embedding.weight"},
        {"text_model.embeddings.position_embedding.weight", "positional_embedding"},
        {"text_model.final_layer_norm.weight", "ln_final.weight"},
        {"text_model.final_layer_norm.bias", "ln_final.bias"},
        {"logit_scale", "logit_scale"},
    };
    return names;
}

}   // namespace

Result<TensorMap> fromTransformersLayout(TensorMap weights)
{
    static const QRegularExpression layer(QStringLiteral("^(vision|text)_model\\.encoder\\.layers\\.(\\d+)\\.(.+)$"));
    TensorMap out;
    QStringList unknown;
    // q, k, v of each attention, stacked once all three are there: (prefix, "weight"/"bias") -> parts.
    std::map<std::pair<std::string, std::string>, std::map<char, torch::Tensor>> qkv;
    for (auto &[name, tensor] : weights) {
        if (auto it = topNames().find(name); it != topNames().end()) {
            out.emplace(it->second, std::move(tensor));
            continue;
        }
        if (name == "visual_projection.weight" || name == "text_projection.weight") {
            out.emplace(name == "visual_projection.weight" ? "visual.proj" : "text_projection", tensor.t().contiguous());
            continue;
        }
        const auto match = layer.match(QString::fromStdString(name));
        if (!match.hasMatch()) {
            unknown << QString::fromStdString(name);
            continue;
        }
        const std::string prefix = (match.captured(1) == QLatin1String("vision") ? std::string("visual.") : std::string())
                                   + "transformer.resblocks." + match.captured(2).toStdString() + ".";
        const std::string rest = match.captured(3).toStdString();
        if (auto it = layerNames().find(rest); it != layerNames().end()) {
            out.emplace(prefix + it->second, std::move(tensor));
            continue;
        }
        static const QRegularExpression projection(QStringLiteral("^self_attn\\.([qkv])_proj\\.(weight|bias)$"));
        const auto part = projection.match(QString::fromStdString(rest));
        if (!part.hasMatch()) {
            unknown << QString::fromStdString(name);
            continue;
        }
        qkv[{prefix, part.captured(2).toStdString()}][char(part.captured(1).at(0).toLatin1())] = std::move(tensor);
    }
    QStringList incomplete;
    for (auto &[key, parts] : qkv) {
        if (parts.size() != 3) {
            incomplete << QString::fromStdString(key.first + "attn.in_proj_" + key.second);
            continue;
        }
        out.emplace(key.first + "attn.in_proj_" + key.second, torch::cat({parts['q'], parts['k'], parts['v']}, 0));
    }
    if (!unknown.isEmpty() || !incomplete.isEmpty()) {
        QStringList problems;
        if (!unknown.isEmpty())
            problems << QStringLiteral("unknown tensors for a transformers CLIPModel: %1").arg(unknown.join(QStringLiteral(", ")));
        if (!incomplete.isEmpty())
            problems << QStringLiteral("q/k/v projections missing a part for %1").arg(incomplete.join(QStringLiteral(", ")));
        return fail(problems.join(QStringLiteral("; ")));
    }
    return out;
}

}   // namespace clade::clipnet
