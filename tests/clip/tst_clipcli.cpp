#include "clip/clipmodel.h"
#include "clip/safetensors.h"
#include "clipcommands.h"
#include "io/npy.h"
#include "media/decoder.h"
#include "testsupport.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace clade;

namespace {

// Decodes with QImage: a real decoder behind the interface, independent of the OpenCV adapter.
class QtDecoder : public ImageDecoder
{
public:
    Result<RgbImage> decode(const QString &path, const DecodeOptions & = {}) const override
    {
        const QImage image = QImage(path).convertToFormat(QImage::Format_RGB888);
        if (image.isNull())
            return fail(QStringLiteral("not an image"));
        RgbImage out{image.width(), image.height(), {}};
        for (int y = 0; y < image.height(); ++y)
            out.data.insert(out.data.end(), image.constScanLine(y), image.constScanLine(y) + image.width() * 3);
        return out;
    }
    Result<RgbImage> decodeBytes(const std::vector<std::uint8_t> &, const DecodeOptions & = {}) const override
    {
        return fail(QStringLiteral("unused"));
    }
};

// Runs f with stdout sent to a file and returns what it printed.
template<typename F>
QString captureStdout(F f, int *code)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.txt"));
    std::fflush(stdout);
    const int saved = dup(1);
    FILE *file = std::fopen(QFile::encodeName(path).constData(), "w");
    dup2(fileno(file), 1);
    *code = f();
    std::fflush(stdout);
    dup2(saved, 1);
    close(saved);
    std::fclose(file);
    QFile in(path);
    return in.open(QIODevice::ReadOnly) ? QString::fromUtf8(in.readAll()) : QString();
}

QString parity(const QString &relative)
{
    return test::sharedData(QStringLiteral("clip-parity/") + relative);
}

double maxDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    double d = a.size() == b.size() ? 0 : INFINITY;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        d = std::max(d, double(std::abs(a[i] - b[i])));
    return d;
}

}   // namespace

class TstClipCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void tokenizePrintsReferenceIds()
    {
        CLADE_REQUIRE_SHARED("clip-parity/tokenizer/texts.json");
        QFile f(parity(QStringLiteral("tokenizer/texts.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray entries = QJsonDocument::fromJson(f.readAll()).object().value(u"entries").toArray();
        QStringList texts, expected;
        for (int i : {0, 9, 14, 46}) {
            texts << entries[i].toObject().value(u"text").toString();
            QStringList ids;
            for (const QJsonValue &v : entries[i].toObject().value(u"ids").toArray())
                ids << QString::number(v.toInt());
            // What the reference's tokenize(truncate=True) keeps of a long text: the first 77
            // ids, the last one the end token.
            if (ids.size() > 77) {
                ids = ids.mid(0, 77);
                ids.last() = QStringLiteral("49407");
            }
            expected << ids.join(u' ');
        }
        int code = -1;
        const QString out = captureStdout(
            [&] {
                return cli::runTokenize(QStringList{QStringLiteral("--vocab"), parity(QStringLiteral("bpe_simple_vocab_16e6.txt.gz"))}
                                        + texts);
            },
            &code);
        QCOMPARE(code, 0);
        QCOMPARE(out, expected.join(u'\n') + u'\n');
    }

    void encodesTensorsAndTexts()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit-b/inputs.safetensors");
        auto inputs = SafeTensorsFile::open(parity(QStringLiteral("models/tiny-vit-b/inputs.safetensors")));
        auto expected = SafeTensorsFile::open(parity(QStringLiteral("models/tiny-vit-b/expected.safetensors")));
        QVERIFY(inputs.ok() && expected.ok());
        NpyArray images{(*inputs)->find(QStringLiteral("images"))->shape, *(*inputs)->toFloat(QStringLiteral("images"))};
        const QString in = m_dir.filePath(QStringLiteral("images.npy"));
        QVERIFY(writeNpy(in, images).ok());
        const QString model = parity(QStringLiteral("models/tiny-vit-b/weights.safetensors"));
        const QString out = m_dir.filePath(QStringLiteral("features.npy"));
        QCOMPARE(cli::runEncodeImages({QStringLiteral("--model"), model, QStringLiteral("--out"), out, QStringLiteral("--tensors"), in,
                                       QStringLiteral("--precision"), QStringLiteral("fp32")}),
                 0);
        auto features = readNpy(out);
        QVERIFY2(features.ok(), qPrintable(features.ok() ? QString() : features.error()));
        QCOMPARE(features->shape, (std::vector<std::int64_t>{8, 48}));
        QVERIFY(maxDiff(features->data, *(*expected)->toFloat(QStringLiteral("image_features"))) < 1e-4);

        // An existing output is never replaced without --force.
        QCOMPARE(cli::runEncodeImages({QStringLiteral("--model"), model, QStringLiteral("--out"), out, QStringLiteral("--tensors"), in}),
                 2);
        const QString textsOut = m_dir.filePath(QStringLiteral("texts.npy"));
        QCOMPARE(cli::runEncodeTexts({QStringLiteral("--model"), model, QStringLiteral("--vocab"),
                                      parity(QStringLiteral("bpe_simple_vocab_16e6.txt.gz")), QStringLiteral("--out"), textsOut,
                                      QStringLiteral("--precision"), QStringLiteral("fp32"), QStringLiteral("a photo of a dog."),
                                      QStringLiteral("cat")}),
                 0);
        auto texts = readNpy(textsOut);
        QVERIFY(texts.ok());
        QCOMPARE(texts->shape, (std::vector<std::int64_t>{2, 48}));
        const auto ref = *(*expected)->toFloat(QStringLiteral("text_features"));
        const std::vector<float> refRows = {ref.begin(), ref.begin() + 48};   // text 0
        QVERIFY(maxDiff({texts->data.begin(), texts->data.begin() + 48}, refRows) < 1e-4);
    }

    // --activation overrides the model's config; --cpu forces the CPU; --precision picks fp32 or
    // bf16 there; bad values are usage errors.
    void activationPrecisionAndDeviceFlags()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit-b/inputs.safetensors");
        auto inputs = SafeTensorsFile::open(parity(QStringLiteral("models/tiny-vit-b/inputs.safetensors")));
        auto expected = SafeTensorsFile::open(parity(QStringLiteral("models/tiny-vit-b/expected.safetensors")));
        QVERIFY(inputs.ok() && expected.ok());
        const NpyArray images{(*inputs)->find(QStringLiteral("images"))->shape, *(*inputs)->toFloat(QStringLiteral("images"))};
        const QString in = m_dir.filePath(QStringLiteral("flags-images.npy"));
        QVERIFY(writeNpy(in, images).ok());
        const std::vector<float> ref = *(*expected)->toFloat(QStringLiteral("image_features"));
        const QStringList base = {QStringLiteral("--model"), parity(QStringLiteral("models/tiny-vit-b/weights.safetensors")),
                                  QStringLiteral("--tensors"), in, QStringLiteral("--out")};
        auto run = [&](const QString &name, const QStringList &flags) {
            return cli::runEncodeImages(base + QStringList{m_dir.filePath(name)} + flags);
        };
        QCOMPARE(run(QStringLiteral("cpu.npy"), {QStringLiteral("--cpu"), QStringLiteral("--activation"), QStringLiteral("quick_gelu"),
                                                 QStringLiteral("--precision"), QStringLiteral("fp32")}),
                 0);
        QVERIFY(maxDiff(readNpy(m_dir.filePath(QStringLiteral("cpu.npy")))->data, ref) < 1e-4);
        // bf16 on the CPU: 8 significant bits, near the reference but not at fp32's 1e-4.
        QCOMPARE(run(QStringLiteral("bf16.npy"), {QStringLiteral("--cpu"), QStringLiteral("--precision"), QStringLiteral("bf16")}), 0);
        const double bf16Diff = maxDiff(readNpy(m_dir.filePath(QStringLiteral("bf16.npy")))->data, ref);
        QVERIFY2(bf16Diff < 5e-2 && bf16Diff > 0, qPrintable(QString::number(bf16Diff)));
        QCOMPARE(run(QStringLiteral("gelu.npy"),
                     {QStringLiteral("--activation"), QStringLiteral("gelu"), QStringLiteral("--precision"), QStringLiteral("fp32")}),
                 0);
        const double geluDiff = maxDiff(readNpy(m_dir.filePath(QStringLiteral("gelu.npy")))->data, ref);
        QVERIFY2(geluDiff > 1e-3 && std::isfinite(geluDiff), qPrintable(QString::number(geluDiff)));

        QCOMPARE(run(QStringLiteral("relu.npy"), {QStringLiteral("--activation"), QStringLiteral("relu")}), 2);
        QCOMPARE(run(QStringLiteral("int8.npy"), {QStringLiteral("--precision"), QStringLiteral("int8")}), 2);
        QCOMPARE(run(QStringLiteral("half.npy"), {QStringLiteral("--cpu"), QStringLiteral("--precision"), QStringLiteral("fp16")}), 1);
        for (const char *name : {"relu.npy", "int8.npy", "half.npy"})
            QVERIFY(!QFile::exists(m_dir.filePath(QLatin1String(name))));
    }

    void encodesImageFilesInOrder()
    {
        CLADE_REQUIRE_SHARED("clip-parity/preprocess/img3_150x100.png");
        const QStringList files = {parity(QStringLiteral("preprocess/img3_150x100.png")),
                                   parity(QStringLiteral("preprocess/img0_640x480.png"))};
        const QString model = parity(QStringLiteral("models/tiny-vit-b/weights.safetensors"));
        const QString out = m_dir.filePath(QStringLiteral("files.npy"));
        QtDecoder decoder;
        QCOMPARE(cli::runEncodeImagesWith(QStringList{QStringLiteral("--model"), model, QStringLiteral("--out"), out} + files, decoder), 0);
        auto features = readNpy(out);
        QVERIFY(features.ok());
        QCOMPARE(features->shape, (std::vector<std::int64_t>{2, 48}));
        auto clip = ClipModel::load(model);
        QVERIFY(clip.ok());
        auto direct = (*clip)->encodeImages({*decoder.decode(files[0]), *decoder.decode(files[1])});
        QVERIFY(direct.ok());
        QVERIFY(maxDiff(features->data, direct->values) == 0);
    }

    void failsWithOneLine()
    {
        QtDecoder decoder;
        QCOMPARE(cli::runEncodeImagesWith({QStringLiteral("--model"), QStringLiteral("x")}, decoder), 2);   // no --out
        QCOMPARE(cli::runEncodeTexts({QStringLiteral("--out"), m_dir.filePath(QStringLiteral("t.npy")), QStringLiteral("hi")}),
                 1);   // no --model
        QCOMPARE(cli::runTokenize({QStringLiteral("--vocab"), m_dir.filePath(QStringLiteral("none.gz")), QStringLiteral("hi")}), 1);
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit-b/weights.safetensors");
        const QString model = parity(QStringLiteral("models/tiny-vit-b/weights.safetensors"));
        const QString junk = m_dir.filePath(QStringLiteral("junk.jpg"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a picture");
        f.close();
        const QString out = m_dir.filePath(QStringLiteral("junk.npy"));
        QCOMPARE(cli::runEncodeImagesWith({QStringLiteral("--model"), model, QStringLiteral("--out"), out, junk}, decoder), 1);
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TstClipCli)
#include "tst_clipcli.moc"
