#include "clipnet.h"

#include <QString>
#include <QStringList>

#include <cmath>
#include <set>

namespace clade::clipnet {

namespace {

using Shape = std::vector<std::int64_t>;

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString shapeText(const Shape &shape)
{
    QStringList parts;
    for (std::int64_t d : shape)
        parts << QString::number(d);
    return u'[' + parts.join(QStringLiteral(", ")) + u']';
}

// Number of residual blocks under `prefix` ("visual.transformer.resblocks.").
int countLayers(const TensorMap &w, const std::string &prefix)
{
    int layers = 0;
    for (const auto &[name, t] : w) {
        if (name.rfind(prefix, 0) != 0)
            continue;
        const std::size_t dot = name.find('.', prefix.size());
        try {
            layers = std::max(layers, std::stoi(name.substr(prefix.size(), dot - prefix.size())) + 1);
        } catch (const std::exception &) {
        }
    }
    return layers;
}

Result<torch::Tensor> need(const TensorMap &w, const std::string &name)
{
    const auto it = w.find(name);
    if (it == w.end())
        return fail(QStringLiteral("The CLIP weights have no tensor %1").arg(q(name)));
    return it->second;
}

Result<Config> inferConfig(const TensorMap &w, HeadCounts heads)
{
    if (w.count("visual.layer1.0.conv1.weight") || w.count("visual.attnpool.positional_embedding"))
        return fail(QStringLiteral("ResNet CLIP checkpoints are not supported; use a ViT model"));
    for (const char *name : {"visual.conv1.weight", "visual.positional_embedding", "text_projection", "positional_embedding",
                             "token_embedding.weight", "ln_final.weight"}) {
        auto t = need(w, name);
        if (!t)
            return t.takeError();
    }
    Config c;
    const torch::Tensor conv1 = w.at("visual.conv1.weight");
    const torch::Tensor textProj = w.at("text_projection");
    if (conv1.dim() != 4 || textProj.dim() != 2 || w.at("positional_embedding").dim() != 2 || w.at("token_embedding.weight").dim() != 2
        || w.at("visual.positional_embedding").dim() != 2)
        return fail(QStringLiteral("The CLIP weights have embedding or projection tensors of the wrong rank"));
    c.visionWidth = int(conv1.size(0));
    c.patch = int(conv1.size(3));
    c.grid = int(std::lround(std::sqrt(double(w.at("visual.positional_embedding").size(0) - 1))));
    c.resolution = c.patch * c.grid;
    c.visionLayers = countLayers(w, "visual.transformer.resblocks.");
    c.textWidth = int(w.at("ln_final.weight").size(0));
    c.textLayers = countLayers(w, "transformer.resblocks.");
    c.contextLength = int(w.at("positional_embedding").size(0));
    c.vocabSize = int(w.at("token_embedding.weight").size(0));
    c.embedDim = int(textProj.size(1));
    c.visionHeads = heads.vision > 0 ? heads.vision : c.visionWidth / 64;
    c.textHeads = heads.text > 0 ? heads.text : c.textWidth / 64;
    if (c.visionLayers == 0 || c.textLayers == 0 || c.grid == 0 || c.visionHeads <= 0 || c.textHeads <= 0
        || c.visionWidth % c.visionHeads != 0 || c.textWidth % c.textHeads != 0)
        return fail(QStringLiteral("The CLIP weights describe an unusable model (widths %1/%2, layers %3/%4, "
                                   "heads %5/%6)")
                        .arg(c.visionWidth)
                        .arg(c.textWidth)
                        .arg(c.visionLayers)
                        .arg(c.textLayers)
                        .arg(c.visionHeads)
                        .arg(c.textHeads));
    return c;
}

void addBlockShapes(std::map<std::string, Shape> &out, const std::string &prefix, int layers, std::int64_t w)
{
    for (int i = 0; i < layers; ++i) {
        const std::string p = prefix + std::to_string(i) + '.';
        out[p + "ln_1.weight"] = out[p + "ln_1.bias"] = out[p + "ln_2.weight"] = out[p + "ln_2.bias"] = {w};
        out[p + "attn.in_proj_weight"] = {3 * w, w};
        out[p + "attn.in_proj_bias"] = {3 * w};
        out[p + "attn.out_proj.weight"] = {w, w};
        out[p + "attn.out_proj.bias"] = out[p + "mlp.c_proj.bias"] = {w};
        out[p + "mlp.c_fc.weight"] = {4 * w, w};
        out[p + "mlp.c_fc.bias"] = {4 * w};
        out[p + "mlp.c_proj.weight"] = {w, 4 * w};
    }
}

std::map<std::string, Shape> expectedShapes(const Config &c)
{
    const std::int64_t vw = c.visionWidth, tw = c.textWidth;
    std::map<std::string, Shape> s;
    s["visual.conv1.weight"] = {vw, 3, c.patch, c.patch};
    s["visual.class_embedding"] = s["visual.ln_pre.weight"] = s["visual.ln_pre.bias"] = {vw};
    s["visual.ln_post.weight"] = s["visual.ln_post.bias"] = {vw};
    s["visual.positional_embedding"] = {std::int64_t(c.grid) * c.grid + 1, vw};
    s["visual.proj"] = {vw, c.embedDim};
    s["token_embedding.weight"] = {c.vocabSize, tw};
    s["positional_embedding"] = {c.contextLength, tw};
    s["ln_final.weight"] = s["ln_final.bias"] = {tw};
    s["text_projection"] = {tw, c.embedDim};
    s["logit_scale"] = {};
    addBlockShapes(s, "visual.transformer.resblocks.", c.visionLayers, vw);
    addBlockShapes(s, "transformer.resblocks.", c.textLayers, tw);
    return s;
}

Status checkShapes(const TensorMap &w, const Config &c, std::vector<std::string> *extras)
{
    const auto expected = expectedShapes(c);
    for (const auto &[name, shape] : expected) {
        const auto it = w.find(name);
        if (it == w.end())
            return fail(QStringLiteral("The CLIP weights have no tensor %1").arg(q(name)));
        Shape got = it->second.sizes().vec();
        if (name == "logit_scale" && got == Shape{1})
            got.clear();   // open_clip's nonscalar_logit_scale
        if (got != shape)
            return fail(QStringLiteral("CLIP tensor %1 has shape %2, expected %3").arg(q(name), shapeText(got), shapeText(shape)));
    }
    if (extras)
        for (const auto &[name, t] : w)
            if (!expected.count(name))
                extras->push_back(name);
    return {};
}

// LayerNorm weights stay fp32 whatever the model's dtype (see layerNorm()).
std::vector<Block> takeBlocks(const TensorMap &w, const std::string &prefix, int layers, const BuildOptions &o)
{
    std::vector<Block> blocks;
    for (int i = 0; i < layers; ++i) {
        const std::string p = prefix + std::to_string(i) + '.';
        auto t = [&](const char *n) { return w.at(p + n).to(o.device, o.dtype); };
        auto f = [&](const char *n) { return w.at(p + n).to(o.device, torch::kFloat); };
        blocks.push_back({f("ln_1.weight"), f("ln_1.bias"), t("attn.in_proj_weight"), t("attn.in_proj_bias"), t("attn.out_proj.weight"),
                          t("attn.out_proj.bias"), f("ln_2.weight"), f("ln_2.bias"), t("mlp.c_fc.weight"), t("mlp.c_fc.bias"),
                          t("mlp.c_proj.weight"), t("mlp.c_proj.bias")});
    }
    return blocks;
}

// LayerNorm computed in fp32 and returned in fp32: in half, the variance of wide activations
// loses too much precision (OpenAI's and OpenCLIP's fp16 models upcast here too). A no-op cast
// for fp32 models.
torch::Tensor layerNorm(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias)
{
    return torch::layer_norm(x.to(torch::kFloat), {x.size(-1)}, weight, bias, 1e-5);
}

}   // namespace

Result<Net> Net::build(TensorMap w, const BuildOptions &options, std::vector<std::string> *extras)
{
    auto config = inferConfig(w, options.heads);
    if (!config)
        return config.takeError();
    if (Status s = checkShapes(w, *config, extras); !s)
        return s.takeError();
    Net net(options);
    net.m_config = *config;
    auto t = [&](const char *n) { return w.at(n).to(options.device, options.dtype); };
    // LayerNorms and the final projections stay fp32: outputs are returned in fp32 anyway, and
    // projecting the fp32 LayerNorm output saves one rounding to half.
    auto f = [&](const char *n) { return w.at(n).to(options.device, torch::kFloat); };
    net.m_conv1 = t("visual.conv1.weight");
    net.m_classEmbedding = t("visual.class_embedding");
    net.m_visualPos = t("visual.positional_embedding");
    net.m_lnPreW = f("visual.ln_pre.weight");
    net.m_lnPreB = f("visual.ln_pre.bias");
    net.m_lnPostW = f("visual.ln_post.weight");
    net.m_lnPostB = f("visual.ln_post.bias");
    net.m_visualProj = f("visual.proj");
    net.m_tokenEmbedding = t("token_embedding.weight");
    net.m_textPos = t("positional_embedding");
    net.m_lnFinalW = f("ln_final.weight");
    net.m_lnFinalB = f("ln_final.bias");
    net.m_textProj = f("text_projection");
    net.m_logitScaleExp = std::exp(w.at("logit_scale").reshape({}).item<float>());
    net.m_visualBlocks = takeBlocks(w, "visual.transformer.resblocks.", config->visionLayers, options);
    net.m_textBlocks = takeBlocks(w, "transformer.resblocks.", config->textLayers, options);
    return net;
}

// x += attn(ln_1(x)); x += mlp(ln_2(x)), as OpenAI's ResidualAttentionBlock. The residual
// stream is in the model's dtype; LayerNorm and softmax run in fp32 (a no-op for fp32 models).
torch::Tensor Net::block(const Block &b, torch::Tensor x, int heads, const torch::Tensor &mask) const
{
    const std::int64_t n = x.size(0), len = x.size(1), width = x.size(2), d = width / heads;
    torch::Tensor h = layerNorm(x, b.ln1w, b.ln1b).to(m_dtype);
    const torch::Tensor qkv = torch::linear(h, b.inW, b.inB).view({n, len, 3, heads, d}).permute({2, 0, 3, 1, 4});
    const torch::Tensor query = qkv[0] * (1.0 / std::sqrt(double(d)));
    torch::Tensor att = torch::matmul(query, qkv[1].transpose(-2, -1));
    if (mask.defined())
        att = att + mask;
    att = torch::softmax(att, -1, torch::kFloat).to(m_dtype);
    h = torch::matmul(att, qkv[2]).permute({0, 2, 1, 3}).reshape({n, len, width});
    // Residuals are added into the fresh projection outputs (a + b == b + a exactly), which
    // saves one activation-sized allocation each.
    x = torch::linear(h, b.outW, b.outB).add_(x);
    h = torch::linear(layerNorm(x, b.ln2w, b.ln2b).to(m_dtype), b.fcW, b.fcB);
    return torch::linear(mlpActivation(h), b.projW, b.projB).add_(x);
}

// Runs under InferenceMode only (every caller holds the guard), so in-place ops are safe.
torch::Tensor Net::mlpActivation(const torch::Tensor &h) const
{
    if (m_activation == Activation::Gelu)
        return torch::gelu(h);   // approximate = "none": 0.5·x·(1 + erf(x/√2))
    // QuickGELU, h·sigmoid(1.702·h): the same operations as h * torch::sigmoid(1.702 * h), bit
    // for bit, with one temporary of the MLP's width instead of two.
    return (h * 1.702).sigmoid_().mul_(h);
}

torch::Tensor Net::encodeImage(const torch::Tensor &images) const
{
    const auto &c = m_config;
    torch::Tensor x = torch::conv2d(images.to(m_device, m_dtype), m_conv1, {}, c.patch);   // [N, W, g, g]
    x = x.flatten(2).transpose(1, 2);                                                      // [N, g*g, W]
    const torch::Tensor cls = m_classEmbedding.view({1, 1, -1}).expand({x.size(0), 1, c.visionWidth});
    x = torch::cat({cls, x}, 1) + m_visualPos;
    x = layerNorm(x, m_lnPreW, m_lnPreB).to(m_dtype);
    for (const Block &b : m_visualBlocks)
        x = block(b, x, c.visionHeads, {});
    x = layerNorm(x.select(1, 0), m_lnPostW, m_lnPostB);
    return torch::matmul(x, m_visualProj).to(torch::kCPU, torch::kFloat);
}

torch::Tensor Net::encodeText(const torch::Tensor &ids) const
{
    const auto &c = m_config;
    const torch::Tensor tokens = ids.to(m_device, torch::kLong);
    const std::int64_t len = tokens.size(1);
    torch::Tensor x = torch::embedding(m_tokenEmbedding, tokens) + m_textPos.slice(0, 0, len);
    const torch::Tensor mask = torch::full({len, len}, -std::numeric_limits<float>::infinity(), x.options()).triu(1);
    for (const Block &b : m_textBlocks)
        x = block(b, x, c.textHeads, mask);
    const torch::Tensor eot = tokens.argmax(-1);   // first occurrence of the largest id
    x = x.index({torch::arange(x.size(0), tokens.options()), eot});
    x = layerNorm(x, m_lnFinalW, m_lnFinalB);
    return torch::matmul(x, m_textProj).to(torch::kCPU, torch::kFloat);
}

}   // namespace clade::clipnet
