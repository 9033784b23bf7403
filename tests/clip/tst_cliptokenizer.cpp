#include "clip/cliptokenizer.h"
#include "clip/safetensors.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

namespace {

std::vector<int> idsOf(const QJsonValue &v)
{
    std::vector<int> ids;
    for (const QJsonValue &x : v.toArray())
        ids.push_back(x.toInt());
    return ids;
}

QString join(const std::vector<int> &ids)
{
    QStringList parts;
    for (int id : ids)
        parts << QString::number(id);
    return parts.join(u' ');
}

}   // namespace

class TstClipTokenizer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ClipTokenizer> m_tok;
    QJsonArray m_entries;

private Q_SLOTS:
    void initTestCase()
    {
        const QString vocab = test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz"));
        if (vocab.isEmpty())
            return;
        auto tok = ClipTokenizer::load(vocab);
        QVERIFY2(tok.ok(), qPrintable(tok.ok() ? QString() : tok.error()));
        m_tok = std::move(*tok);
        QFile f(test::sharedData(QStringLiteral("clip-parity/tokenizer/texts.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_entries = QJsonDocument::fromJson(f.readAll()).object().value(u"entries").toArray();
        QCOMPARE(m_entries.size(), 58);
    }

    void vocabularyHasReferenceSize()
    {
        CLADE_REQUIRE_SHARED("clip-parity/bpe_simple_vocab_16e6.txt.gz");
        QCOMPARE(m_tok->vocabSize(), 49408);
    }

    // Every reference string, ftfy-dependent ones included, gives the reference ids.
    void matchesReferenceIds()
    {
        CLADE_REQUIRE_SHARED("clip-parity/tokenizer/texts.json");
        int mismatches = 0;
        for (const QJsonValue &v : std::as_const(m_entries)) {
            const QJsonObject e = v.toObject();
            const std::vector<int> expected = idsOf(e.value(u"ids"));
            const std::vector<int> got = m_tok->tokenize(e.value(u"text").toString());
            if (got != expected) {
                ++mismatches;
                qWarning("entry %d %s\n  expected %s\n  got      %s", e.value(u"index").toInt(), qPrintable(e.value(u"text").toString()),
                         qPrintable(join(expected)), qPrintable(join(got)));
            }
        }
        QCOMPARE(mismatches, 0);
    }

    // Rows of clip.tokenize(truncate=True): first 77 ids, last forced to EOT, then zero padding.
    void matchesReferenceTruncatedRows()
    {
        CLADE_REQUIRE_SHARED("clip-parity/tokenizer/tokens.safetensors");
        auto st = SafeTensorsFile::open(test::sharedData(QStringLiteral("clip-parity/tokenizer/tokens.safetensors")));
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error()));
        const std::vector<std::int64_t> rows = *(*st)->toInt64(QStringLiteral("tokens"));
        QCOMPARE(rows.size(), std::size_t(58 * 77));
        for (int i = 0; i < 58; ++i) {
            std::vector<int> got = m_tok->tokenizeTruncated(m_entries[i].toObject().value(u"text").toString());
            QVERIFY(got.size() <= 77);
            got.resize(77, 0);
            const std::vector<int> expected(rows.begin() + i * 77, rows.begin() + (i + 1) * 77);
            QVERIFY2(got == expected, qPrintable(QStringLiteral("row %1").arg(i)));
        }
    }

    void cleansLikeTheReference_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("whitespace") << QStringLiteral("  A\t\tB \n C  ") << QStringLiteral("a b c");
        QTest::newRow("double escaped") << QStringLiteral("&amp;amp; &#39;x&#x27;") << QStringLiteral("& 'x'");
        QTest::newRow("markup keeps one level") << QStringLiteral("<b>&amp;amp;</b>") << QStringLiteral("<b>&</b>");
        QTest::newRow("mojibake quote") << QStringLiteral("don\u00e2\u20ac\u2122t") << QStringLiteral("don't");
        QTest::newRow("latin1 stays") << QStringLiteral("caf\u00e9 \u00c6r\u00f8") << QStringLiteral("caf\u00e9 \u00e6r\u00f8");
        QTest::newRow("combining to NFC") << QStringLiteral("e\u0301") << QStringLiteral("\u00e9");
        QTest::newRow("empty") << QString() << QString();
    }

    void cleansLikeTheReference()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(ClipTokenizer::cleanText(input), expected);
    }

    void refusesBadVocabulary()
    {
        QTemporaryDir dir;
        const QString plain = dir.filePath(QStringLiteral("plain.txt.gz"));
        QFile f(plain);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#version: 0.2\nh e\n");   // not gzip: zlib reads it as-is, and it is far too short
        f.close();
        auto tok = ClipTokenizer::load(plain);
        QVERIFY(!tok.ok());
        QVERIFY2(tok.error().contains(QStringLiteral("lines")), qPrintable(tok.error()));
        QVERIFY(!ClipTokenizer::load(dir.filePath(QStringLiteral("missing.gz"))).ok());
    }
};

QTEST_GUILESS_MAIN(TstClipTokenizer)
#include "tst_cliptokenizer.moc"
