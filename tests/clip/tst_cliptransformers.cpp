// The transformers CLIPModel layout: the shared parity models, converted by
// transformersconvert.h, load from their folder and give the reference outputs (<= 1e-4, as
// the other formats); unknown or incomplete tensors and another pooling token are refused.
#include "clip/clipmodel.h"
#include "clip/safetensors.h"
#include "clipparity.h"
#include "testsupport.h"
#include "transformersconvert.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace clade;

namespace {

const QString kParity = QStringLiteral("clip-parity/models/");

using test::relativeError;

// fp16 has its own test in tst_clipdevice.
ClipLoadOptions fp32()
{
    return test::parityFp32();
}

// Converts parity model `model` into `folder` (model.safetensors + config.json).
bool convert(const QString &model, const QString &folder, int visionHeads, int textHeads,
             const std::function<void(test::HfTensors &)> &edit = {}, int eos = 2)
{
    auto source = SafeTensorsFile::open(test::sharedData(kParity + model + QStringLiteral("/weights.safetensors")));
    if (!source)
        return false;
    auto tensors = test::toTransformersNames(**source);
    if (edit)
        edit(tensors);
    return QDir().mkpath(folder) && test::writeHfSafeTensors(folder + QStringLiteral("/model.safetensors"), tensors)
           && test::writeHfConfig(folder + QStringLiteral("/config.json"), visionHeads, textHeads, QStringLiteral("quick_gelu"), eos);
}

}   // namespace

class TestClipTransformers : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        if (test::sharedData(kParity).isEmpty())
            QSKIP("../shared/data/clip-parity is absent (set CLADE_SHARED_DATA)");
        QVERIFY(m_dir.isValid());
    }

    void matchesReference_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("visionHeads");
        QTest::addColumn<int>("textHeads");
        QTest::addColumn<int>("eos");
        QTest::newRow("A, legacy eos 2") << QStringLiteral("tiny-vit") << 2 << 2 << 2;
        QTest::newRow("B, eos 49407") << QStringLiteral("tiny-vit-b") << 2 << 1 << 49407;
    }

    void matchesReference()
    {
        QFETCH(QString, model);
        QFETCH(int, visionHeads);
        QFETCH(int, textHeads);
        QFETCH(int, eos);
        const QString folder = m_dir.filePath(model);
        QVERIFY(convert(model, folder, visionHeads, textHeads, {}, eos));
        auto clip = ClipModel::load(folder, fp32());   // the folder, as --model DIR
        QVERIFY2(clip.ok(), qPrintable(clip.ok() ? QString() : clip.error()));
        const QString dir = test::sharedData(kParity + model);
        auto in = SafeTensorsFile::open(dir + QStringLiteral("/inputs.safetensors"));
        auto ref = SafeTensorsFile::open(dir + QStringLiteral("/expected.safetensors"));
        QVERIFY(in.ok() && ref.ok());
        NpyArray images;
        images.shape = (*in)->find(QStringLiteral("images"))->shape;
        images.data = *(*in)->toFloat(QStringLiteral("images"));
        auto imageFeatures = (*clip)->encodeImageTensors(images);
        QVERIFY(imageFeatures.ok());
        const auto ids = *(*in)->toInt64(QStringLiteral("text_tokens"));
        const std::int64_t len = (*in)->find(QStringLiteral("text_tokens"))->shape[1];
        std::vector<std::vector<int>> tokens;
        for (std::size_t i = 0; i < ids.size(); i += std::size_t(len))
            tokens.emplace_back(ids.begin() + std::ptrdiff_t(i), ids.begin() + std::ptrdiff_t(i) + len);
        auto textFeatures = (*clip)->encodeTokenIds(tokens);
        QVERIFY(textFeatures.ok());
        const double imageErr = relativeError(imageFeatures->values, *(*ref)->toFloat(QStringLiteral("image_features")));
        const double textErr = relativeError(textFeatures->values, *(*ref)->toFloat(QStringLiteral("text_features")));
        qInfo("relative error: images %.2e, texts %.2e", imageErr, textErr);
        QVERIFY(imageErr <= 1e-4);
        QVERIFY(textErr <= 1e-4);
        // The file itself works as well as its folder.
        QVERIFY(ClipModel::load(folder + QStringLiteral("/model.safetensors"), fp32()).ok());
    }

    void unknownAndIncompleteTensorsAreNamed()
    {
        const QString folder = m_dir.filePath(QStringLiteral("broken"));
        QVERIFY(convert(QStringLiteral("tiny-vit"), folder, 2, 2, [](test::HfTensors &t) {
            t[QStringLiteral("vision_model.encoder.layers.0.adapter.weight")] = {{2}, {1.0f, 2.0f}, {}};
            t.erase(QStringLiteral("text_model.encoder.layers.1.self_attn.k_proj.bias"));
        }));
        auto clip = ClipModel::load(folder, fp32());
        QVERIFY(!clip.ok());
        QVERIFY2(clip.error().contains(QStringLiteral("vision_model.encoder.layers.0.adapter.weight")), qPrintable(clip.error()));
        QVERIFY2(clip.error().contains(QStringLiteral("transformer.resblocks.1.attn.in_proj_bias")), qPrintable(clip.error()));
    }

    void anotherPoolingTokenIsRefused()
    {
        const QString folder = m_dir.filePath(QStringLiteral("eos"));
        QVERIFY(convert(QStringLiteral("tiny-vit"), folder, 2, 2, {}, 7));
        auto clip = ClipModel::load(folder, fp32());
        QVERIFY(!clip.ok());
        QVERIFY2(clip.error().contains(QStringLiteral("token id 7")), qPrintable(clip.error()));
    }

    void aFolderWithoutWeightsIsRefused()
    {
        const QString folder = m_dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(folder));
        auto clip = ClipModel::load(folder, fp32());
        QVERIFY(!clip.ok());
        QVERIFY2(clip.error().contains(QStringLiteral("model.safetensors")), qPrintable(clip.error()));
    }
};

QTEST_GUILESS_MAIN(TestClipTransformers)
#include "tst_cliptransformers.moc"
