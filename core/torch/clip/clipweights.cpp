#include "clipweights.h"

#include <torch/script.h>

#include "safetensors.h"
#include "transformerslayout.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace clade::clipnet {

namespace {

bool isSafeTensors(const QString &path)
{
    QFile f(path);
    if (path.endsWith(QStringLiteral(".safetensors"), Qt::CaseInsensitive))
        return true;
    // A zip archive (TorchScript) starts with "PK"; anything else is tried as safetensors.
    return f.open(QIODevice::ReadOnly) && f.read(2) != "PK";
}

Result<TensorMap> loadSafeTensors(const QString &path)
{
    auto file = SafeTensorsFile::open(path);
    if (!file)
        return file.takeError();
    TensorMap out;
    for (const TensorInfo &info : (*file)->tensors()) {
        if (info.dtype != TensorDType::F32 && info.dtype != TensorDType::F16 && info.dtype != TensorDType::BF16)
            continue;   // integer buffers (position ids and the like) are not weights
        auto values = (*file)->toFloat(info.name);
        if (!values)
            return values.takeError();
        torch::Tensor t = torch::from_blob(values->data(), info.shape, torch::kFloat).clone();
        out.emplace(info.name.toStdString(), std::move(t));
    }
    return out;
}

void collect(TensorMap &out, const std::string &name, const torch::Tensor &t)
{
    if (t.defined() && t.is_floating_point())
        out.emplace(name, t.detach().to(torch::kCPU, torch::kFloat).contiguous().clone());
}

Result<TensorMap> loadTorchScript(const QString &path)
{
    try {
        torch::jit::Module module = torch::jit::load(QFile::encodeName(path).toStdString(), torch::kCPU);
        TensorMap out;
        for (const auto &p : module.named_parameters(true))
            collect(out, p.name, p.value);
        for (const auto &b : module.named_buffers(true))
            collect(out, b.name, b.value);
        return out;
    } catch (const std::exception &e) {
        return fail(
            QStringLiteral("Cannot read the TorchScript archive %1: %2").arg(path, QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0)));
    }
}

int intAt(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInt(0);
}

// Understands OpenAI's constructor arguments (transformer_heads; vision heads = width / 64)
// and open_clip's model config (text_cfg.heads, vision_cfg.width / head_width), at the top
// level or under "openai_clip_constructor" / "open_clip_model_config" / "model_cfg"; explicit
// "vision_heads" / "text_heads" (as in clip-parity's "derived") win.
HeadCounts headsIn(const QJsonObject &root)
{
    HeadCounts h;
    for (const QJsonObject &o : {root, root.value(u"open_clip_model_config").toObject(), root.value(u"model_cfg").toObject()}) {
        const QJsonObject vision = o.value(u"vision_cfg").toObject();
        const int headWidth = vision.value(u"head_width").toInt(64);
        if (!h.vision && intAt(vision, "width") > 0 && headWidth > 0)
            h.vision = intAt(vision, "width") / headWidth;
        if (!h.text)
            h.text = intAt(o.value(u"text_cfg").toObject(), "heads");
    }
    for (const QJsonObject &o : {root, root.value(u"openai_clip_constructor").toObject()}) {
        if (!h.text)
            h.text = intAt(o, "transformer_heads");
    }
    // transformers' CLIPConfig: text_config / vision_config (older files: *_config_dict).
    for (const char *tower : {"text", "vision"}) {
        for (const char *suffix : {"_config", "_config_dict"}) {
            const QJsonObject o = root.value(QLatin1String(tower) + QLatin1String(suffix)).toObject();
            int &heads = tower[0] == 't' ? h.text : h.vision;
            if (!heads)
                heads = intAt(o, "num_attention_heads");
        }
    }
    for (const QJsonObject &o : {root, root.value(u"derived").toObject()}) {
        if (intAt(o, "vision_heads") > 0)
            h.vision = intAt(o, "vision_heads");
        if (intAt(o, "text_heads") > 0)
            h.text = intAt(o, "text_heads");
    }
    return h;
}

// open_clip's bool "quick_gelu" at the top level, then under "open_clip_model_config" /
// "model_cfg"; an open_clip model config (one with "vision_cfg") without it means GELU, as
// open_clip's CLIP(quick_gelu=False) default does. Then clip-parity's derived.activation
// ("quick_gelu: ..." or "gelu..."). OpenAI-style configs say nothing: nullopt.
std::optional<Activation> activationIn(const QJsonObject &root)
{
    for (const QJsonObject &o : {root, root.value(u"open_clip_model_config").toObject(), root.value(u"model_cfg").toObject()}) {
        const QJsonValue v = o.value(u"quick_gelu");
        if (v.isBool())
            return v.toBool() ? Activation::QuickGelu : Activation::Gelu;
        if (o.value(u"vision_cfg").isObject())
            return Activation::Gelu;
    }
    // transformers: hidden_act of the towers ("quick_gelu" for OpenAI's models, "gelu" otherwise).
    for (const char *key : {"text_config", "vision_config", "text_config_dict", "vision_config_dict"}) {
        const QString act = root.value(QLatin1String(key)).toObject().value(u"hidden_act").toString();
        if (act == QLatin1String("quick_gelu"))
            return Activation::QuickGelu;
        if (act == QLatin1String("gelu"))
            return Activation::Gelu;
    }
    const QString derived = root.value(u"derived").toObject().value(u"activation").toString().trimmed();
    if (derived.startsWith(QLatin1String("quick_gelu")))
        return Activation::QuickGelu;
    if (derived.startsWith(QLatin1String("gelu")))
        return Activation::Gelu;
    return std::nullopt;
}

}   // namespace

Result<TensorMap> loadWeights(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return fail(QStringLiteral("The CLIP weights file %1 does not exist").arg(path));
    if (!isSafeTensors(path))
        return loadTorchScript(path);
    auto weights = loadSafeTensors(path);
    if (!weights || !isTransformersLayout(*weights))
        return weights;
    auto renamed = fromTransformersLayout(std::move(*weights));
    if (!renamed)
        return fail(QStringLiteral("%1: %2").arg(path, renamed.error()));
    return renamed;
}

// config.json, else open_clip_config.json (the name in Hugging Face open_clip repositories,
// beside open_clip_model.safetensors).
Result<QString> resolveWeightsPath(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return path;
    const QDir dir(path);
    for (const QString &name : {QStringLiteral("model.safetensors"), QStringLiteral("open_clip_model.safetensors")}) {
        if (QFileInfo(dir.filePath(name)).isFile())
            return dir.filePath(name);
    }
    const QStringList candidates = dir.entryList({QStringLiteral("*.safetensors"), QStringLiteral("*.pt")}, QDir::Files);
    if (candidates.size() == 1)
        return dir.filePath(candidates.first());
    return fail(
        QStringLiteral("The folder %1 holds no model.safetensors or open_clip_model.safetensors%2")
            .arg(path, candidates.isEmpty()
                           ? QString()
                           : QStringLiteral(", and several weights files (%1): name one").arg(candidates.join(QStringLiteral(", ")))));
}

ConfigHints hintsFromConfig(const QString &weightsPath)
{
    const QDir dir = QFileInfo(weightsPath).dir();
    for (const QString &name : {QStringLiteral("config.json"), QStringLiteral("open_clip_config.json")}) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        ConfigHints hints{headsIn(root), activationIn(root), std::nullopt};
        for (const char *key : {"text_config", "text_config_dict"}) {
            const QJsonValue eos = root.value(QLatin1String(key)).toObject().value(u"eos_token_id");
            if (eos.isDouble() && !hints.eosTokenId)
                hints.eosTokenId = eos.toInt();
        }
        return hints;
    }
    return {};
}

}   // namespace clade::clipnet
