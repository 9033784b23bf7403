#include "io/npy.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace clade;

namespace {

QByteArray littleEndian(std::uint64_t v, int bytes)
{
    QByteArray out;
    for (int b = 0; b < bytes; ++b)
        out += char((v >> (8 * b)) & 0xFF);
    return out;
}

// A .npy file assembled by hand: magic, version, header length (2 bytes for 1.0, 4 for 2.0/3.0),
// the dictionary padded with spaces to `align` and a newline, then the raw data.
QByteArray npyFile(int major, const QByteArray &dict, const QByteArray &data, int align = 64)
{
    const int lengthBytes = major == 1 ? 2 : 4;
    QByteArray header = dict;
    while ((6 + 2 + lengthBytes + header.size() + 1) % align != 0)
        header += ' ';
    header += '\n';
    return QByteArray("\x93NUMPY", 6) + char(major) + char(0) + littleEndian(std::uint64_t(header.size()), lengthBytes) + header + data;
}

template<typename T>
QByteArray rawValues(std::initializer_list<T> values, bool bigEndian = false)
{
    QByteArray out;
    for (T v : values) {
        char bytes[sizeof(T)];
        std::memcpy(bytes, &v, sizeof(T));
        if (bigEndian)
            std::reverse(bytes, bytes + sizeof(T));
        out.append(bytes, sizeof(T));
    }
    return out;
}

QByteArray dictFor(const char *descr, const char *shape, const char *fortran = "False")
{
    return QByteArray("{'descr': '") + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

}   // namespace

class TestNpy : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString put(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write test file");
        return path;
    }

    QByteArray contents(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    void expectError(const QString &path, const char *mentions)
    {
        auto r = readNpy(path);
        QVERIFY2(!r, "a bad file was accepted");
        QVERIFY2(r.error().contains(QLatin1String(mentions), Qt::CaseInsensitive), qPrintable(r.error()));
        QVERIFY2(r.error().contains(path), qPrintable(r.error()));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void matrixRoundTrip()
    {
        FeatureMatrix m(3, 5);
        const float specials[] = {-0.0f, 1e-40f, std::numeric_limits<float>::max(), -123.456f, 0.1f};
        for (std::size_t i = 0; i < m.values.size(); ++i)
            m.values[i] = i < 5 ? specials[i] : float(i) * -1.25f;
        const QString path = m_dir.filePath(QStringLiteral("m.npy"));
        QVERIFY(writeNpy(path, m));
        auto back = readNpyMatrix(path);
        QVERIFY2(back, back ? "" : qPrintable(back.error()));
        QCOMPARE(back->rows, std::size_t(3));
        QCOMPARE(back->cols, std::size_t(5));
        QVERIFY(std::memcmp(back->values.data(), m.values.data(), m.values.size() * sizeof(float)) == 0);
    }

    void arrayRoundTripAnyRank_data()
    {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("0-d") << QList<qint64>{};
        QTest::newRow("1-d") << QList<qint64>{7};
        QTest::newRow("3-d") << QList<qint64>{2, 3, 4};
        QTest::newRow("empty rows") << QList<qint64>{0, 512};
    }

    void arrayRoundTripAnyRank()
    {
        QFETCH(QList<qint64>, shape);
        NpyArray a;
        a.shape.assign(shape.begin(), shape.end());
        std::int64_t count = 1;
        for (qint64 d : shape)
            count *= d;
        for (std::int64_t i = 0; i < count; ++i)
            a.data.push_back(float(i) / 3.0f);
        const QString path = m_dir.filePath(QStringLiteral("a.npy"));
        QVERIFY(writeNpy(path, a));
        auto back = readNpy(path);
        QVERIFY2(back, back ? "" : qPrintable(back.error()));
        QCOMPARE(back->shape, a.shape);
        QCOMPARE(back->data, a.data);
    }

    void writtenBytesFollowTheFormat()
    {
        FeatureMatrix m(2, 3);
        for (std::size_t i = 0; i < 6; ++i)
            m.values[i] = float(i) + 0.5f;
        const QString path = m_dir.filePath(QStringLiteral("format.npy"));
        QVERIFY(writeNpy(path, m));
        const QByteArray bytes = contents(path);
        QCOMPARE(bytes.left(6), QByteArray("\x93NUMPY", 6));
        QCOMPARE(int(bytes[6]), 1);   // version 1.0
        QCOMPARE(int(bytes[7]), 0);
        const int headerLength = std::uint8_t(bytes[8]) | (std::uint8_t(bytes[9]) << 8);
        QCOMPARE((10 + headerLength) % 64, 0);
        const QByteArray header = bytes.mid(10, headerLength);
        const QByteArray dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        QVERIFY(header.startsWith(dict));
        QVERIFY(header.endsWith('\n'));
        QCOMPARE(header.mid(dict.size(), headerLength - dict.size() - 1), QByteArray(headerLength - dict.size() - 1, ' '));
        QCOMPARE(bytes.size(), 10 + headerLength + 6 * 4);
        QCOMPARE(bytes.mid(10 + headerLength), rawValues<float>({0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}));

        NpyArray vector{{4}, {1, 2, 3, 4}};
        QVERIFY(writeNpy(path, vector));
        QVERIFY(contents(path).contains("'shape': (4,), }"));   // Python's one-element tuple
    }

    void readsEveryHeaderVersion_data()
    {
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("align");
        QTest::newRow("1.0") << 1 << 64;
        QTest::newRow("1.0, 16-byte aligned like numpy < 1.14") << 1 << 16;
        QTest::newRow("2.0") << 2 << 64;
        QTest::newRow("3.0") << 3 << 64;
    }

    void readsEveryHeaderVersion()
    {
        QFETCH(int, major);
        QFETCH(int, align);
        const QString path =
            put(QStringLiteral("v.npy"), npyFile(major, dictFor("<f4", "(2, 2)"), rawValues<float>({1, -2, 3.5f, 4}), align));
        auto r = readNpyMatrix(path);
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        QCOMPARE(r->values, (std::vector<float>{1, -2, 3.5f, 4}));
    }

    void convertsTypesAndByteOrders()
    {
        struct Case
        {
            const char *descr;
            QByteArray data;
            std::vector<float> expected;
        };
        const Case cases[] = {
            {"<f8", rawValues<double>({0.1, -1e300, 2.5}), {0.1f, -INFINITY, 2.5f}},
            {">f8", rawValues<double>({0.1, -7.25, 1e-3}, true), {0.1f, -7.25f, 1e-3f}},
            {">f4", rawValues<float>({1.5f, -2.0f, 3e7f}, true), {1.5f, -2.0f, 3e7f}},
            {"<i2", rawValues<std::int16_t>({-32768, 0, 1234}), {-32768, 0, 1234}},
            {">u2", rawValues<std::uint16_t>({65535, 1, 256}, true), {65535, 1, 256}},
            {"|i1", rawValues<std::int8_t>({-128, 5, 127}), {-128, 5, 127}},
            {"|u1", rawValues<std::uint8_t>({255, 0, 9}), {255, 0, 9}},
            {"<i4", rawValues<std::int32_t>({-5, 70000, 0}), {-5, 70000, 0}},
            {"<u4", rawValues<std::uint32_t>({4000000000u, 3, 0}), {4e9f, 3, 0}},
            {"<i8", rawValues<std::int64_t>({-(std::int64_t(1) << 40), 2, 3}), {-1099511627776.0f, 2, 3}},
            {">u8", rawValues<std::uint64_t>({7, 8, 9}, true), {7, 8, 9}},
            {"|b1", QByteArray("\x01\x00\x01", 3), {1, 0, 1}},
            {"=f4", rawValues<float>({9, 8, 7}), {9, 8, 7}},
        };
        for (const Case &c : cases) {
            const QString path = put(QStringLiteral("t.npy"), npyFile(1, dictFor(c.descr, "(3,)"), c.data));
            auto r = readNpy(path);
            QVERIFY2(r, r ? c.descr : qPrintable(r.error()));
            QVERIFY2(r->data == c.expected, c.descr);
        }
    }

    void convertsHalfFloats()
    {
        // 0x3C00 = 1, 0xC000 = -2, 0x3800 = 0.5, 0x7BFF = 65504 (largest), 0x0001 = 2^-24 (smallest
        // subnormal), 0x0400 = 2^-14 (smallest normal), 0x7C00 = +inf, 0x8000 = -0.
        const QByteArray data = rawValues<std::uint16_t>({0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x0400, 0x7C00, 0x8000});
        auto r = readNpy(put(QStringLiteral("h.npy"), npyFile(1, dictFor("<f2", "(8,)"), data)));
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        const std::vector<float> expected{1, -2, 0.5f, 65504, std::ldexp(1.0f, -24), std::ldexp(1.0f, -14), INFINITY, -0.0f};
        QCOMPARE(r->data, expected);
        QVERIFY(std::signbit(r->data[7]));
        auto nan = readNpy(put(QStringLiteral("hn.npy"), npyFile(1, dictFor(">f2", "(1,)"), QByteArray("\x7E\x00", 2))));
        QVERIFY(nan && std::isnan(nan->data[0]));
    }

    void rejectsFortranOrder()
    {
        expectError(put(QStringLiteral("f.npy"), npyFile(1, dictFor("<f4", "(2, 2)", "True"), rawValues<float>({1, 2, 3, 4}))), "Fortran");
    }

    void rejectsTruncatedAndOversizedData()
    {
        expectError(put(QStringLiteral("short.npy"), npyFile(1, dictFor("<f4", "(3, 4)"), QByteArray(40, '\0'))), "truncated");
        expectError(put(QStringLiteral("long.npy"), npyFile(1, dictFor("<f4", "(2,)"), QByteArray(12, '\0'))), "after the array data");
        // A shape whose byte count overflows 64 bits must not wrap around to a small number.
        expectError(put(QStringLiteral("huge.npy"), npyFile(1, dictFor("<f8", "(4611686018427387904,)"), QByteArray(8, '\0'))),
                    "truncated");
        expectError(put(QStringLiteral("over.npy"), npyFile(1, dictFor("<f4", "(4294967296, 4294967296)"), QByteArray(8, '\0'))), "2^62");
    }

    void rejectsBrokenPreambles()
    {
        expectError(put(QStringLiteral("empty.npy"), QByteArray()), "not a .npy");
        expectError(put(QStringLiteral("text.npy"), QByteArray("row,cluster\n0,1\n")), "not a .npy");
        expectError(put(QStringLiteral("cut.npy"), QByteArray("\x93NUMPY\x01\x00\x76", 9)), "preamble");
        expectError(put(QStringLiteral("v4.npy"), QByteArray("\x93NUMPY\x04\x00\x10\x00", 10) + QByteArray(16, ' ')), "version 4.0");
        // Header lengths that point past the end of the file: read nothing out of bounds.
        const QByteArray lie1 = QByteArray("\x93NUMPY\x01\x00\xFF\xFF", 10) + dictFor("<f4", "(1,)") + '\n';
        expectError(put(QStringLiteral("lie1.npy"), lie1), "header claims 65535 bytes");
        const QByteArray lie2 = QByteArray("\x93NUMPY\x02\x00\xFF\xFF\xFF\x7F", 12) + dictFor("<f4", "(1,)") + '\n';
        expectError(put(QStringLiteral("lie2.npy"), lie2), "header claims 2147483647 bytes");
        // A header length shorter than the dictionary cuts it: a parse error, not a crash.
        QByteArray shortHeader = npyFile(1, dictFor("<f4", "(1,)"), rawValues<float>({1}));
        shortHeader[8] = 20;
        expectError(put(QStringLiteral("cutdict.npy"), shortHeader), "header");
    }

    void rejectsUnsupportedOrMalformedHeaders_data()
    {
        QTest::addColumn<QByteArray>("dict");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("complex") << dictFor("<c8", "(1,)") << QStringLiteral("dtype '<c8'");
        QTest::newRow("object") << dictFor("|O", "(1,)") << QStringLiteral("not supported");
        QTest::newRow("unicode") << dictFor("<U4", "(1,)") << QStringLiteral("not supported");
        QTest::newRow("odd size") << dictFor("<f3", "(1,)") << QStringLiteral("not supported");
        QTest::newRow("structured") << QByteArray("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }")
                                    << QStringLiteral("Structured");
        QTest::newRow("no shape") << QByteArray("{'descr': '<f4', 'fortran_order': False, }") << QStringLiteral("needs descr");
        QTest::newRow("negative size") << dictFor("<f4", "(-1, 2)") << QStringLiteral("integer");
        // Found by the fuzzer under UBSan: the digits once overflowed before the bound was checked.
        QTest::newRow("20-digit size") << dictFor("<f4", "(99999999999999999999,)") << QStringLiteral("too large");
        QTest::newRow("size near 2^63") << dictFor("<f8", "(9223372036854775808,)") << QStringLiteral("too large");
        QTest::newRow("unknown key") << QByteArray("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}")
                                     << QStringLiteral("unknown key 'x'");
        QTest::newRow("unterminated") << QByteArray("{'descr': '<f4") << QStringLiteral("unterminated");
        QTest::newRow("not a dict") << QByteArray("[1, 2]") << QStringLiteral("expected '{'");
        QTest::newRow("junk after") << dictFor("<f4", "(1,)") + " extra" << QStringLiteral("text after");
        QTest::newRow("bad bool") << dictFor("<f4", "(1,)", "Maybe") << QStringLiteral("True or False");
    }

    void rejectsUnsupportedOrMalformedHeaders()
    {
        QFETCH(QByteArray, dict);
        QFETCH(QString, mentions);
        const QString path = put(QStringLiteral("bad.npy"), npyFile(1, dict, rawValues<float>({1})));
        auto r = readNpy(path);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(mentions), qPrintable(r.error()));
    }

    void acceptsHeaderVariants()
    {
        // Double quotes, keys in another order, no trailing comma, Python 2 long integers.
        const QByteArray dict = "{\"shape\": (2L, 1L), \"descr\": \"<f4\", \"fortran_order\": False}";
        auto r = readNpyMatrix(put(QStringLiteral("var.npy"), npyFile(1, dict, rawValues<float>({5, 6}))));
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        QCOMPARE(r->rows, std::size_t(2));
        QCOMPARE(r->values, (std::vector<float>{5, 6}));
    }

    void matrixMustBeTwoDimensional()
    {
        auto r = readNpyMatrix(put(QStringLiteral("1d.npy"), npyFile(1, dictFor("<f4", "(3,)"), rawValues<float>({1, 2, 3}))));
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("2-D")) && r.error().contains(QLatin1String("(3)")), qPrintable(r.error()));
    }

    void failedWritesLeaveTheOldFile()
    {
        const QString path = put(QStringLiteral("keep.npy"), QByteArray("precious"));
        NpyArray wrong{{2, 2}, {1, 2, 3}};
        auto s = writeNpy(path, wrong);
        QVERIFY(!s);
        QVERIFY2(s.error().contains(QLatin1String("(2, 2)")), qPrintable(s.error()));
        QCOMPARE(contents(path), QByteArray("precious"));
        QVERIFY(!writeNpy(m_dir.filePath(QStringLiteral("missing/dir/x.npy")), FeatureMatrix(1, 1)));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("missing"))));
        QVERIFY(writeNpy(path, FeatureMatrix(1, 1)));   // a successful write replaces it whole
        QVERIFY(contents(path).startsWith("\x93NUMPY"));
    }

    void missingFile()
    {
        auto r = readNpy(m_dir.filePath(QStringLiteral("nope.npy")));
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("nope.npy")), qPrintable(r.error()));
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "tst_npy.moc"
