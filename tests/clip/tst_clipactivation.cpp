// The MLP activation: which one a model gets (option, config.json, default) and that each
// computes what it should.
#include "clip/clipmodel.h"
#include "clip/safetensors.h"
#include "clipparity.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <random>

using namespace clade;

namespace {

using test::relativeError;

struct Tensor
{
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};
using Tensors = std::map<std::string, Tensor>;

bool writeSafeTensors(const QString &path, const Tensors &tensors)
{
    QJsonObject header;
    QByteArray data;
    for (const auto &[name, t] : tensors) {
        QJsonArray shape;
        for (std::int64_t d : t.shape)
            shape.append(qint64(d));
        const auto bytes = qint64(t.values.size() * sizeof(float));
        header.insert(QString::fromStdString(name),
                      QJsonObject{{u"dtype"_qs, u"F32"_qs},
                                  {u"shape"_qs, shape},
                                  {u"data_offsets"_qs, QJsonArray{qint64(data.size()), qint64(data.size()) + bytes}}});
        data.append(reinterpret_cast<const char *>(t.values.data()), bytes);
    }
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QFile f(path);
    const quint64 len = quint64(json.size());
    return f.open(QIODevice::WriteOnly) && f.write(reinterpret_cast<const char *>(&len), 8) == 8 && f.write(json) == json.size()
           && f.write(data) == data.size();
}

// A one-layer ViT CLIP small enough to recompute by hand: text width 8 (2 heads), vision
// width 8 (1 head, patch 2, grid 1), 6 token ids, context 4, embed dim 3. Random values with
// a wide c_fc so that the MLP's inputs spread over [-4, 4], where GELU and QuickGELU differ.
Tensors tinyModel()
{
    std::mt19937 gen(42);
    std::normal_distribution<float> normal(0.f, 1.f);
    auto random = [&](std::vector<std::int64_t> shape, float scale, float offset = 0.f) {
        std::int64_t n = 1;
        for (std::int64_t d : shape)
            n *= d;
        Tensor t{shape, {}};
        for (std::int64_t i = 0; i < n; ++i)
            t.values.push_back(offset + scale * normal(gen));
        return t;
    };
    const std::int64_t w = 8;
    Tensors m;
    for (const std::string p : {"transformer.resblocks.0.", "visual.transformer.resblocks.0."}) {
        m[p + "ln_1.weight"] = random({w}, 0.1f, 1.f);
        m[p + "ln_1.bias"] = random({w}, 0.1f);
        m[p + "attn.in_proj_weight"] = random({3 * w, w}, 0.4f);
        m[p + "attn.in_proj_bias"] = random({3 * w}, 0.1f);
        m[p + "attn.out_proj.weight"] = random({w, w}, 0.4f);
        m[p + "attn.out_proj.bias"] = random({w}, 0.1f);
        m[p + "ln_2.weight"] = random({w}, 0.1f, 1.f);
        m[p + "ln_2.bias"] = random({w}, 0.1f);
        m[p + "mlp.c_fc.weight"] = random({4 * w, w}, 0.8f);
        m[p + "mlp.c_fc.bias"] = random({4 * w}, 0.5f);
        m[p + "mlp.c_proj.weight"] = random({w, 4 * w}, 0.4f);
        m[p + "mlp.c_proj.bias"] = random({w}, 0.1f);
    }
    m["token_embedding.weight"] = random({6, w}, 1.f);
    m["positional_embedding"] = random({4, w}, 0.5f);
    m["ln_final.weight"] = random({w}, 0.1f, 1.f);
    m["ln_final.bias"] = random({w}, 0.1f);
    m["text_projection"] = random({w, 3}, 0.5f);
    m["visual.conv1.weight"] = random({w, 3, 2, 2}, 0.3f);
    m["visual.class_embedding"] = random({w}, 0.5f);
    m["visual.positional_embedding"] = random({2, w}, 0.5f);
    for (const std::string ln : {"visual.ln_pre.", "visual.ln_post."}) {
        m[ln + "weight"] = random({w}, 0.1f, 1.f);
        m[ln + "bias"] = random({w}, 0.1f);
    }
    m["visual.proj"] = random({w, 3}, 0.5f);
    m["logit_scale"] = Tensor{{}, {2.f}};
    return m;
}

using Vec = std::vector<double>;

Vec layerNorm(const Vec &x, const Tensor &g, const Tensor &b)
{
    double mean = 0, var = 0;
    for (double v : x)
        mean += v / double(x.size());
    for (double v : x)
        var += (v - mean) * (v - mean) / double(x.size());
    Vec y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        y[i] = (x[i] - mean) / std::sqrt(var + 1e-5) * g.values[i] + b.values[i];
    return y;
}

// y = W[rowBegin .. rowBegin + rows) · x + b[same rows]; W is [out, in] row-major.
Vec linear(const Tensor &w, const Tensor &b, const Vec &x, std::size_t rowBegin, std::size_t rows)
{
    Vec y(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        double s = b.values[rowBegin + r];
        for (std::size_t c = 0; c < x.size(); ++c)
            s += double(w.values[(rowBegin + r) * x.size() + c]) * x[c];
        y[r] = s;
    }
    return y;
}

// The text feature of a one-token row, by hand: with one position, attention's softmax is 1
// and each head returns its value vector, so attn(x) = out_proj(v_proj(x)).
std::vector<float> textFeature(const Tensors &m, int id, bool gelu)
{
    const std::string p = "transformer.resblocks.0.";
    auto at = [&](const std::string &name) -> const Tensor & { return m.at(name); };
    const std::size_t w = 8;
    Vec x(w);
    for (std::size_t i = 0; i < w; ++i)
        x[i] = double(at("token_embedding.weight").values[std::size_t(id) * w + i]) + at("positional_embedding").values[i];
    const Vec v = linear(at(p + "attn.in_proj_weight"), at(p + "attn.in_proj_bias"),
                         layerNorm(x, at(p + "ln_1.weight"), at(p + "ln_1.bias")), 2 * w, w);
    const Vec attn = linear(at(p + "attn.out_proj.weight"), at(p + "attn.out_proj.bias"), v, 0, w);
    for (std::size_t i = 0; i < w; ++i)
        x[i] += attn[i];
    Vec h = linear(at(p + "mlp.c_fc.weight"), at(p + "mlp.c_fc.bias"), layerNorm(x, at(p + "ln_2.weight"), at(p + "ln_2.bias")), 0, 4 * w);
    for (double &u : h)
        u = gelu ? 0.5 * u * (1.0 + std::erf(u / std::sqrt(2.0))) : u / (1.0 + std::exp(-1.702 * u));
    const Vec mlp = linear(at(p + "mlp.c_proj.weight"), at(p + "mlp.c_proj.bias"), h, 0, w);
    for (std::size_t i = 0; i < w; ++i)
        x[i] += mlp[i];
    const Vec z = layerNorm(x, at("ln_final.weight"), at("ln_final.bias"));
    std::vector<float> out(3, 0.f);
    for (std::size_t e = 0; e < 3; ++e) {
        double s = 0;
        for (std::size_t i = 0; i < w; ++i)
            s += z[i] * at("text_projection").values[i * 3 + e];
        out[e] = float(s);
    }
    return out;
}

const QString kTiny = QStringLiteral("clip-parity/models/tiny-vit/");

QJsonObject parityConfig()
{
    QFile f(test::sharedData(kTiny + QStringLiteral("config.json")));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

// Model A's weights beside `config` in a fresh directory (linked, not copied: 15 MB).
QString withConfig(const QTemporaryDir &dir, const QJsonObject &config)
{
    const QString weights = dir.filePath(QStringLiteral("weights.safetensors"));
    QFile::link(test::sharedData(kTiny + QStringLiteral("weights.safetensors")), weights);
    QFile f(dir.filePath(QStringLiteral("config.json")));
    if (f.open(QIODevice::WriteOnly))
        f.write(QJsonDocument(config).toJson());
    return weights;
}

// Image features of model A on its reference inputs, and their error against the QuickGELU
// reference outputs.
double imageErrorAgainstReference(ClipModel &model)
{
    auto in = SafeTensorsFile::open(test::sharedData(kTiny + QStringLiteral("inputs.safetensors")));
    auto ref = SafeTensorsFile::open(test::sharedData(kTiny + QStringLiteral("expected.safetensors")));
    if (!in || !ref)
        return INFINITY;
    const NpyArray images{(*in)->find(QStringLiteral("images"))->shape, *(*in)->toFloat(QStringLiteral("images"))};
    auto features = model.encodeImageTensors(images);
    return features ? relativeError(features->values, *(*ref)->toFloat(QStringLiteral("image_features"))) : INFINITY;
}

ClipLoadOptions fp32(ClipActivation activation = ClipActivation::Auto)
{
    ClipLoadOptions o;
    o.activation = activation;
    o.precision = ClipPrecision::Fp32;   // parity tolerances are fp32's, on whatever device runs
    return o;
}

}   // namespace

class TstClipActivation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Each activation matches a forward pass computed here in double precision, and not the other's.
    void blockComputesTheChosenActivation()
    {
        QTemporaryDir dir;
        const Tensors tensors = tinyModel();
        const QString path = dir.filePath(QStringLiteral("tiny.safetensors"));
        QVERIFY(writeSafeTensors(path, tensors));
        QFile config(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"derived": {"vision_heads": 1, "text_heads": 2}})");
        config.close();
        const std::vector<std::vector<int>> rows = {{0}, {1}, {2}, {3}, {4}, {5}};
        for (const bool gelu : {true, false}) {
            auto model = ClipModel::load(path, fp32(gelu ? ClipActivation::Gelu : ClipActivation::QuickGelu));
            QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error()));
            auto features = (*model)->encodeTokenIds(rows);
            QVERIFY2(features.ok(), qPrintable(features.ok() ? QString() : features.error()));
            std::vector<float> same, other;
            for (int id = 0; id < 6; ++id) {
                const auto a = textFeature(tensors, id, gelu), b = textFeature(tensors, id, !gelu);
                same.insert(same.end(), a.begin(), a.end());
                other.insert(other.end(), b.begin(), b.end());
            }
            const double sameErr = relativeError(features->values, same);
            const double otherErr = relativeError(features->values, other);
            qInfo("%s: %.2e from its own reference, %.2e from the other activation's", gelu ? "gelu" : "quick_gelu", sameErr, otherErr);
            QVERIFY(sameErr <= 1e-5);
            QVERIFY(otherErr >= 1e-3);
        }
    }

    void configSelectsTheActivation_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<bool>("gelu");
        QTest::newRow("parity config (open_clip quick_gelu true)") << QString() << false;
        QTest::newRow("root quick_gelu false") << QStringLiteral("root") << true;
        QTest::newRow("open_clip_model_config quick_gelu false") << QStringLiteral("nested") << true;
        QTest::newRow("open_clip config without quick_gelu") << QStringLiteral("absent") << true;
        QTest::newRow("model_cfg quick_gelu false") << QStringLiteral("model_cfg") << true;
        QTest::newRow("derived activation gelu") << QStringLiteral("derived") << true;
        QTest::newRow("config says nothing") << QStringLiteral("silent") << false;
    }

    // Model A was made with QuickGELU: a config that says GELU must select GELU, whose features
    // then differ from the reference; the head counts still come from the same config.
    void configSelectsTheActivation()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/config.json");
        QFETCH(QString, change);
        QFETCH(bool, gelu);
        QJsonObject config = parityConfig();
        QJsonObject openClip = config.value(u"open_clip_model_config").toObject();
        QJsonObject derived = config.value(u"derived").toObject();
        if (change == u"root") {
            config.insert(u"quick_gelu"_qs, false);
        } else if (change == u"nested") {
            openClip.insert(u"quick_gelu"_qs, false);
            derived.remove(u"activation"_qs);
        } else if (change == u"absent") {
            openClip.remove(u"quick_gelu"_qs);
            derived.remove(u"activation"_qs);
        } else if (change == u"model_cfg") {
            config.insert(u"model_cfg"_qs, QJsonObject{{u"quick_gelu"_qs, false}});
            openClip = {};
            derived.remove(u"activation"_qs);
        } else if (change == u"derived") {
            openClip = {};
            derived.insert(u"activation"_qs, u"gelu: 0.5 x (1 + erf(x / sqrt 2))"_qs);
        } else if (change == u"silent") {
            openClip = {};
            derived.remove(u"activation"_qs);
        }
        config.insert(u"open_clip_model_config"_qs, openClip);
        config.insert(u"derived"_qs, derived);
        QTemporaryDir dir;
        auto model = ClipModel::load(withConfig(dir, config), fp32());
        QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error()));
        QCOMPARE((*model)->activation(), gelu ? ClipActivation::Gelu : ClipActivation::QuickGelu);
        QCOMPARE((*model)->modelId().endsWith(QStringLiteral(":gelu")), gelu);
        const double err = imageErrorAgainstReference(**model);
        qInfo("image features vs the QuickGELU reference: %.2e", err);
        if (gelu)
            QVERIFY(err > 1e-3);
        else
            QVERIFY(err <= 1e-4);
    }

    void explicitOptionOverridesConfig()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/config.json");
        QJsonObject config = parityConfig();
        config.insert(u"quick_gelu"_qs, false);
        QTemporaryDir dir;
        const QString weights = withConfig(dir, config);
        auto quick = ClipModel::load(weights, fp32(ClipActivation::QuickGelu));
        QVERIFY2(quick.ok(), qPrintable(quick.ok() ? QString() : quick.error()));
        QCOMPARE((*quick)->activation(), ClipActivation::QuickGelu);
        QVERIFY(imageErrorAgainstReference(**quick) <= 1e-4);

        auto gelu = ClipModel::load(test::sharedData(kTiny + QStringLiteral("weights.safetensors")), fp32(ClipActivation::Gelu));
        QVERIFY(gelu.ok());
        QCOMPARE((*gelu)->activation(), ClipActivation::Gelu);
        QVERIFY(imageErrorAgainstReference(**gelu) > 1e-3);
        QVERIFY((*gelu)->modelId() != (*quick)->modelId());
    }

    void parsesNames()
    {
        QCOMPARE(parseClipActivation(QStringLiteral("gelu")).value(), ClipActivation::Gelu);
        QCOMPARE(parseClipActivation(QStringLiteral("quick_gelu")).value(), ClipActivation::QuickGelu);
        QVERIFY(!parseClipActivation(QStringLiteral("relu")).ok());
        QVERIFY(!parseClipActivation(QString()).ok());
        QCOMPARE(parseClipPrecision(QStringLiteral("fp16")).value(), ClipPrecision::Fp16);
        QCOMPARE(parseClipPrecision(QStringLiteral("bf16")).value(), ClipPrecision::Bf16);
        QVERIFY(!parseClipPrecision(QStringLiteral("int8")).ok());
        for (ClipActivation a : {ClipActivation::Auto, ClipActivation::QuickGelu, ClipActivation::Gelu})
            QCOMPARE(parseClipActivation(clipActivationName(a)).value(), a);
        for (ClipPrecision p : {ClipPrecision::Auto, ClipPrecision::Fp32, ClipPrecision::Fp16, ClipPrecision::Bf16})
            QCOMPARE(parseClipPrecision(clipPrecisionName(p)).value(), p);
    }
};

QTEST_GUILESS_MAIN(TstClipActivation)
#include "tst_clipactivation.moc"
