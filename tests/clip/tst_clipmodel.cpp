#include "clip/clipmodel.h"
#include "clip/safetensors.h"
#include "clipparity.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace clade;

namespace {

const QString kParity = QStringLiteral("clip-parity/models/");

using test::relativeError;

// fp16 has its own test in tst_clipdevice.
ClipLoadOptions fp32()
{
    return test::parityFp32();
}

FeatureMatrix normalised(FeatureMatrix m)
{
    for (std::size_t r = 0; r < m.rows; ++r) {
        double norm = 0;
        for (std::size_t c = 0; c < m.cols; ++c)
            norm += double(m.row(r)[c]) * m.row(r)[c];
        for (std::size_t c = 0; c < m.cols; ++c)
            m.row(r)[c] = float(m.row(r)[c] / std::sqrt(norm));
    }
    return m;
}

struct Inputs
{
    NpyArray images;
    std::vector<RgbImage> rgb;
    std::vector<std::vector<int>> tokens;
};

Inputs readInputs(const SafeTensorsFile &f)
{
    Inputs in;
    const TensorInfo *images = f.find(QStringLiteral("images"));
    in.images.shape = images->shape;
    in.images.data = *f.toFloat(QStringLiteral("images"));
    const TensorInfo *u8 = f.find(QStringLiteral("images_uint8"));
    const auto pixels = *f.toInt64(QStringLiteral("images_uint8"));
    const std::int64_t n = u8->shape[0], h = u8->shape[1], w = u8->shape[2];
    for (std::int64_t i = 0; i < n; ++i) {
        RgbImage img{int(w), int(h), {}};
        for (std::int64_t k = 0; k < h * w * 3; ++k)
            img.data.push_back(std::uint8_t(pixels[std::size_t(i * h * w * 3 + k)]));
        in.rgb.push_back(std::move(img));
    }
    const auto ids = *f.toInt64(QStringLiteral("text_tokens"));
    const std::int64_t len = f.find(QStringLiteral("text_tokens"))->shape[1];
    for (std::size_t i = 0; i < ids.size(); i += std::size_t(len))
        in.tokens.emplace_back(ids.begin() + std::ptrdiff_t(i), ids.begin() + std::ptrdiff_t(i) + len);
    return in;
}

// Writes a safetensors file with `source`'s tensors, minus `drop`, with `grow` one element
// longer, plus an unknown extra tensor: enough to check the loader's error messages.
bool writeVariant(const SafeTensorsFile &source, const QString &path, const QString &drop, const QString &grow)
{
    QJsonObject header;
    QByteArray data;
    for (const TensorInfo &t : source.tensors()) {
        if (t.name == drop)
            continue;
        QByteArray bytes(reinterpret_cast<const char *>(source.bytes(t)), qsizetype(t.end - t.begin));
        QJsonArray shape;
        for (std::int64_t d : t.shape)
            shape.append(qint64(d));
        if (t.name == grow) {
            shape[0] = shape[0].toInteger() + 1;
            bytes.append(QByteArray(dtypeSize(t.dtype), '\0'));
        }
        header.insert(t.name, QJsonObject{{u"dtype"_qs, dtypeName(t.dtype)},
                                          {u"shape"_qs, shape},
                                          {u"data_offsets"_qs, QJsonArray{qint64(data.size()), qint64(data.size() + bytes.size())}}});
        data += bytes;
    }
    header.insert(u"extra.unused"_qs, QJsonObject{{u"dtype"_qs, u"F32"_qs},
                                                  {u"shape"_qs, QJsonArray{1}},
                                                  {u"data_offsets"_qs, QJsonArray{qint64(data.size()), qint64(data.size() + 4)}}});
    data += QByteArray(4, '\0');
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    const quint64 len = quint64(json.size());
    f.write(reinterpret_cast<const char *>(&len), 8);
    f.write(json);
    return f.write(data) == data.size();
}

}   // namespace

class TstClipModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("weights");
        QTest::addColumn<QString>("expected");
        QTest::newRow("A fp32") << QStringLiteral("tiny-vit") << QStringLiteral("weights.safetensors")
                                << QStringLiteral("expected.safetensors");
        QTest::newRow("A fp16") << QStringLiteral("tiny-vit") << QStringLiteral("weights-fp16.safetensors")
                                << QStringLiteral("expected-fp16-weights.safetensors");
        QTest::newRow("B fp32") << QStringLiteral("tiny-vit-b") << QStringLiteral("weights.safetensors")
                                << QStringLiteral("expected.safetensors");
        QTest::newRow("B torchscript") << QStringLiteral("tiny-vit-b") << QStringLiteral("model.jit.pt")
                                       << QStringLiteral("expected-jit-weights.safetensors");
    }

    void matchesReference()
    {
        QFETCH(QString, model);
        QFETCH(QString, weights);
        QFETCH(QString, expected);
        // Each row needs only its own model: the GPU machine gets model A alone (64 MiB transfer).
        if (test::sharedData(kParity + model + u'/' + weights).isEmpty())
            QSKIP("this row's weights are absent from ../shared/data/clip-parity (set CLADE_SHARED_DATA)");
        const QString dir = test::sharedData(kParity + model);
        ClipLoadOptions options = fp32();
        options.trustFile = weights.endsWith(QLatin1String(".pt"));   // the parity archive: tested below
        auto clip = ClipModel::load(dir + u'/' + weights, options);
        QVERIFY2(clip.ok(), qPrintable(clip.ok() ? QString() : clip.error()));
        auto in = SafeTensorsFile::open(dir + QStringLiteral("/inputs.safetensors"));
        auto ref = SafeTensorsFile::open(dir + u'/' + expected);
        QVERIFY(in.ok() && ref.ok());
        const Inputs inputs = readInputs(**in);
        QCOMPARE((*clip)->imageResolution(), int(inputs.images.shape[2]));

        auto images = (*clip)->encodeImageTensors(inputs.images);
        QVERIFY2(images.ok(), qPrintable(images.ok() ? QString() : images.error()));
        const auto refImages = *(*ref)->toFloat(QStringLiteral("image_features"));
        const double imageErr = relativeError(images->values, refImages);
        auto texts = (*clip)->encodeTokenIds(inputs.tokens);
        QVERIFY2(texts.ok(), qPrintable(texts.ok() ? QString() : texts.error()));
        const double textErr = relativeError(texts->values, *(*ref)->toFloat(QStringLiteral("text_features")));
        // The RGB path: images already at the resolution, so preprocessing is only normalisation.
        auto rgb = (*clip)->encodeImages(inputs.rgb);
        QVERIFY2(rgb.ok(), qPrintable(rgb.ok() ? QString() : rgb.error()));
        const double rgbErr = relativeError(rgb->values, refImages);

        FeatureMatrix logits(8, 8);
        const FeatureMatrix img = normalised(*images), txt = normalised(*texts);
        for (std::size_t i = 0; i < 8; ++i)
            for (std::size_t j = 0; j < 8; ++j) {
                double dot = 0;
                for (std::size_t c = 0; c < img.cols; ++c)
                    dot += double(img.row(i)[c]) * txt.row(j)[c];
                logits.row(i)[j] = float((*clip)->logitScale() * dot);
            }
        const double logitErr = relativeError(logits.values, *(*ref)->toFloat(QStringLiteral("logits_per_image")));
        qInfo("relative error: images %.2e, texts %.2e, rgb %.2e, logits %.2e", imageErr, textErr, rgbErr, logitErr);
        QVERIFY(imageErr <= 1e-4);
        QVERIFY(textErr <= 1e-4);
        QVERIFY(rgbErr <= 1e-4);
        QVERIFY(logitErr <= 1e-4);
    }

    // A TorchScript archive loads only when trusted: by its checksum, or explicitly. Its SHA-256
    // is remembered by path, size and time, so the next load does not read the file again.
    void torchScriptIsGatedAndItsHashRemembered()
    {
        const QString jit = test::sharedData(kParity + QStringLiteral("tiny-vit-b/model.jit.pt"));
        if (jit.isEmpty())
            QSKIP("the parity TorchScript archive is absent (set CLADE_SHARED_DATA)");
        QTemporaryDir cache;
        qputenv("XDG_CACHE_HOME", cache.path().toUtf8());
        auto refused = ClipModel::load(jit, fp32());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QStringLiteral("TorchScript")) && refused.error().contains(QStringLiteral("--trust-file")),
                 qPrintable(refused.error()));
        QFile file(jit);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString sha = QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
        QFile remembered(cache.filePath(QStringLiteral("clade/model-hashes.json")));
        QVERIFY(remembered.open(QIODevice::ReadOnly));
        const QJsonObject entry =
            QJsonDocument::fromJson(remembered.readAll()).object().value(QFileInfo(jit).canonicalFilePath()).toObject();
        QCOMPARE(entry.value(QStringLiteral("sha256")).toString(), sha);
        ClipLoadOptions byChecksum = fp32();
        byChecksum.trustedSha256 << sha;
        QVERIFY(ClipModel::load(jit, byChecksum).ok());
        ClipLoadOptions explicitTrust = fp32();
        explicitTrust.trustFile = true;
        QVERIFY(ClipModel::load(jit, explicitTrust).ok());
        // Safetensors hold only tensors: no gate.
        QVERIFY(ClipModel::load(test::sharedData(kParity + QStringLiteral("tiny-vit-b/weights.safetensors")), fp32()).ok());
        qunsetenv("XDG_CACHE_HOME");
    }

    // Tokenizer and model together: the 16 reference texts give the reference features.
    void encodesTextsEndToEnd()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/config.json");
        const QString dir = test::sharedData(kParity + QStringLiteral("tiny-vit"));
        auto clip = ClipModel::load(dir + QStringLiteral("/weights.safetensors"), fp32());
        QVERIFY2(clip.ok(), qPrintable(clip.ok() ? QString() : clip.error()));
        QFile f(dir + QStringLiteral("/config.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QStringList texts;
        for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll()).object().value(u"texts_for_encode_text").toArray())
            texts << v.toString();
        QCOMPARE(texts.size(), 16);
        auto features = (*clip)->encodeTexts(texts);
        QVERIFY2(features.ok(), qPrintable(features.ok() ? QString() : features.error()));
        auto ref = SafeTensorsFile::open(dir + QStringLiteral("/expected.safetensors"));
        QVERIFY(relativeError(features->values, *(*ref)->toFloat(QStringLiteral("text_features"))) <= 1e-4);

        // Cutting a batch at its longest text equals running the full context: "cat" alone uses
        // 3 positions, beside the 82-token caption (truncated to 77) it is padded to 77.
        auto alone = (*clip)->encodeTexts({texts[3]});
        auto padded = (*clip)->encodeTexts({texts[3], texts[14]});
        QVERIFY(alone.ok() && padded.ok());
        std::vector<float> first(padded->row(0), padded->row(0) + padded->cols);
        QVERIFY(relativeError(alone->values, first) <= 1e-5);
    }

    void reportsMissingAndMisshapenTensors()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/weights.safetensors");
        const QString dir = test::sharedData(kParity + QStringLiteral("tiny-vit"));
        auto source = SafeTensorsFile::open(dir + QStringLiteral("/weights.safetensors"));
        QVERIFY(source.ok());
        QTemporaryDir tmp;
        QVERIFY(QFile::copy(dir + QStringLiteral("/config.json"), tmp.filePath(QStringLiteral("config.json"))));
        const QString missing = tmp.filePath(QStringLiteral("missing.safetensors"));
        QVERIFY(writeVariant(**source, missing, QStringLiteral("visual.transformer.resblocks.1.ln_2.bias"), {}));
        auto m = ClipModel::load(missing);
        QVERIFY(!m.ok());
        QVERIFY2(m.error().contains(QStringLiteral("visual.transformer.resblocks.1.ln_2.bias")), qPrintable(m.error()));

        const QString wrong = tmp.filePath(QStringLiteral("wrong.safetensors"));
        QVERIFY(writeVariant(**source, wrong, {}, QStringLiteral("ln_final.bias")));
        auto w = ClipModel::load(wrong);
        QVERIFY(!w.ok());
        QVERIFY2(w.error().contains(QStringLiteral("ln_final.bias")) && w.error().contains(QStringLiteral("[65]")), qPrintable(w.error()));

        const QString extra = tmp.filePath(QStringLiteral("extra.safetensors"));
        QVERIFY(writeVariant(**source, extra, {}, {}));
        auto e = ClipModel::load(extra, test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")));
        QVERIFY2(e.ok(), qPrintable(e.ok() ? QString() : e.error()));
        QCOMPARE((*e)->unusedTensors(), QStringList{QStringLiteral("extra.unused")});
        QCOMPARE((*e)->embedDim(), 32);
        QVERIFY((*e)->modelId().startsWith(QStringLiteral("clip-vit:")));
        auto original = ClipModel::load(dir + QStringLiteral("/weights.safetensors"));
        QVERIFY(original.ok());
        QVERIFY((*original)->modelId() != (*e)->modelId());
    }

    void refusesBadFilesAndInputs()
    {
        QTemporaryDir tmp;
        QVERIFY(!ClipModel::load(tmp.filePath(QStringLiteral("none.safetensors"))).ok());
        const QString junk = tmp.filePath(QStringLiteral("junk.pt"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("PK\x03\x04 this is not a real archive");
        f.close();
        auto j = ClipModel::load(junk);
        QVERIFY(!j.ok());
        QVERIFY2(j.error().contains(QStringLiteral("TorchScript")), qPrintable(j.error()));

        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit-b/weights.safetensors");
        auto clip = ClipModel::load(test::sharedData(kParity + QStringLiteral("tiny-vit-b/weights.safetensors")),
                                    test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")));
        QVERIFY(clip.ok());
        QVERIFY(!(*clip)->encodeImages({RgbImage{}}).ok());
        QVERIFY(!(*clip)->encodeImageTensors(NpyArray{{1, 3, 64, 64}, std::vector<float>(3 * 64 * 64)}).ok());
        QVERIFY(!(*clip)->encodeTokenIds({{49406, 60000, 49407}}).ok());
        QVERIFY(!(*clip)->encodeTokenIds({std::vector<int>(78, 1)}).ok());
        QCOMPARE((*clip)->encodeTexts({}).value().rows, std::size_t(0));
        // A real-size photo goes through resize and crop.
        RgbImage photo{333, 211, std::vector<std::uint8_t>(333 * 211 * 3, 90)};
        auto one = (*clip)->encodeImages({photo});
        QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.error()));
        QCOMPARE(one->rows, std::size_t(1));
        QCOMPARE(one->cols, std::size_t(48));
    }
};

QTEST_GUILESS_MAIN(TstClipModel)
#include "tst_clipmodel.moc"
