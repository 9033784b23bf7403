#include "clip/safetensors.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace clade;

namespace {

QByteArray le64(quint64 v)
{
    QByteArray b(8, '\0');
    std::memcpy(b.data(), &v, 8);
    return b;
}

template<typename T>
QByteArray raw(std::initializer_list<T> values)
{
    QByteArray b;
    for (T v : values)
        b.append(reinterpret_cast<const char *>(&v), sizeof v);
    return b;
}

}   // namespace

class TstSafeTensors : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &header, const QByteArray &data, qint64 declaredLength = -1)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(le64(declaredLength < 0 ? quint64(header.size()) : quint64(declaredLength)));
        f.write(header);
        f.write(data);
        return path;
    }

private Q_SLOTS:
    void readsEveryDtype()
    {
        const QByteArray data = raw<qint64>({-5, 7}) + raw<float>({1.5f, -2.0f}) + raw<qint32>({42})
                                + raw<quint16>({0x3c00, 0xc000, 0x0001}) + raw<quint16>({0x3f80}) + raw<quint8>({200, 3});
        const QByteArray header = R"({"__metadata__":{"format":"pt"},
            "i64":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},
            "f32":{"dtype":"F32","shape":[1,2],"data_offsets":[16,24]},
            "scalar":{"dtype":"I32","shape":[],"data_offsets":[24,28]},
            "f16":{"dtype":"F16","shape":[3],"data_offsets":[28,34]},
            "bf16":{"dtype":"BF16","shape":[1],"data_offsets":[34,36]},
            "u8":{"dtype":"U8","shape":[2],"data_offsets":[36,38]},
            "empty":{"dtype":"F32","shape":[0,4],"data_offsets":[38,38]}})";
        auto st = SafeTensorsFile::open(write(QStringLiteral("ok.safetensors"), header, data));
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error()));
        const SafeTensorsFile &f = **st;
        QCOMPARE(f.tensors().size(), std::size_t(7));
        QCOMPARE(f.metadata().value(QStringLiteral("format")), QStringLiteral("pt"));
        QCOMPARE(*f.toInt64(QStringLiteral("i64")), (std::vector<std::int64_t>{-5, 7}));
        QCOMPARE(*f.toFloat(QStringLiteral("f32")), (std::vector<float>{1.5f, -2.0f}));
        QVERIFY(f.find(QStringLiteral("scalar"))->shape.empty());
        QCOMPARE(f.find(QStringLiteral("scalar"))->numel(), std::int64_t(1));
        QCOMPARE(*f.toInt64(QStringLiteral("scalar")), (std::vector<std::int64_t>{42}));
        const std::vector<float> half = *f.toFloat(QStringLiteral("f16"));
        QCOMPARE(half[0], 1.0f);
        QCOMPARE(half[1], -2.0f);
        QCOMPARE(half[2], 5.9604644775390625e-8f);   // smallest subnormal
        QCOMPARE(*f.toFloat(QStringLiteral("bf16")), (std::vector<float>{1.0f}));
        QCOMPARE(*f.toInt64(QStringLiteral("u8")), (std::vector<std::int64_t>{200, 3}));
        QVERIFY(f.toFloat(QStringLiteral("empty"))->empty());
        QVERIFY(!f.toInt64(QStringLiteral("f32")).ok());
        QVERIFY(!f.toFloat(QStringLiteral("missing")).ok());
    }

    void refusesLyingHeaders_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("declared");
        QTest::addColumn<QString>("expect");
        const QByteArray good = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QTest::newRow("length past end") << good << qint64(1) << QStringLiteral("header length");
        QTest::newRow("huge length") << good << qint64(-2) << QStringLiteral("header length");
        QTest::newRow("end past data") << QByteArray(R"({"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})") << qint64(-1)
                                       << QStringLiteral("outside");
        QTest::newRow("begin after end") << QByteArray(R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})") << qint64(-1)
                                         << QStringLiteral("outside");
        QTest::newRow("size mismatch") << QByteArray(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})") << qint64(-1)
                                       << QStringLiteral("do not match");
        QTest::newRow("overflowing shape") << QByteArray(R"({"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})")
                                           << qint64(-1) << QStringLiteral("shape");
        QTest::newRow("negative dim") << QByteArray(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})") << qint64(-1)
                                      << QStringLiteral("shape");
        QTest::newRow("fractional offset") << QByteArray(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}})") << qint64(-1)
                                           << QStringLiteral("outside");
        QTest::newRow("unknown dtype") << QByteArray(R"({"t":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})") << qint64(-1)
                                       << QStringLiteral("dtype");
        QTest::newRow("not json") << QByteArray("{\"t\": [") << qint64(-1) << QStringLiteral("JSON");
        QTest::newRow("no shape") << QByteArray(R"({"t":{"dtype":"U8","data_offsets":[0,1]}})") << qint64(-1) << QStringLiteral("shape");
    }

    void refusesLyingHeaders()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, declared);
        QFETCH(QString, expect);
        if (declared == -2)
            declared = qint64(1) << 62;
        else if (declared == 1)
            declared = header.size() + 8 + 30;   // claims more header than the file holds
        const QString path = write(QStringLiteral("bad.safetensors"), header, QByteArray(8, '\0'), declared);
        auto st = SafeTensorsFile::open(path);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().contains(expect), qPrintable(st.error()));
    }

    void refusesShortAndMissingFiles()
    {
        QVERIFY(!SafeTensorsFile::open(m_dir.filePath(QStringLiteral("nope"))).ok());
        const QString path = m_dir.filePath(QStringLiteral("short"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc");
        f.close();
        auto st = SafeTensorsFile::open(path);
        QVERIFY(!st.ok());
        QVERIFY(st.error().contains(QStringLiteral("8 bytes")));
    }

    void readsParityWeights()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/weights-fp16.safetensors");
        auto f32 = SafeTensorsFile::open(test::sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights.safetensors")));
        auto f16 = SafeTensorsFile::open(test::sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights-fp16.safetensors")));
        QVERIFY2(f32.ok(), qPrintable(f32.ok() ? QString() : f32.error()));
        QVERIFY2(f16.ok(), qPrintable(f16.ok() ? QString() : f16.error()));
        const TensorInfo *scale = (*f32)->find(QStringLiteral("logit_scale"));
        QVERIFY(scale && scale->shape.empty());
        QCOMPARE((*f32)->find(QStringLiteral("visual.conv1.weight"))->shape, (std::vector<std::int64_t>{128, 3, 16, 16}));
        // The fp16 file holds the fp32 weights rounded to half: within half's relative precision.
        const auto a = *(*f32)->toFloat(QStringLiteral("token_embedding.weight"));
        const auto b = *(*f16)->toFloat(QStringLiteral("token_embedding.weight"));
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); i += 97)
            QVERIFY(std::abs(a[i] - b[i]) <= 1e-3f * std::abs(a[i]) + 1e-7f);
    }
};

QTEST_GUILESS_MAIN(TstSafeTensors)
#include "tst_safetensors.moc"
