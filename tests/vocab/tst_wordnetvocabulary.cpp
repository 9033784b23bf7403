#include "vocab/wordnetvocabulary.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

namespace {

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

// A three-synset data.noun in WordNet's format (licence-style header lines start with spaces).
const QByteArray kTinyDataNoun = "  1 This is a header line of the licence\n"
                                 "  2 second header line\n"
                                 "00001740 03 n 01 entity 0 000 | that which exists\n"
                                 "00002000 06 n 03 car 0 auto 0 automobile 1 000 | a motor vehicle\n"
                                 "00003000 06 n 02 Sports_car 0 car 1 000 | a fast car\n"
                                 "00004000 05 n 01 car 2 000 | a railway car\n";

// cntlist.rev: sense key, sense number, tag count. Sense keys use lower case lemmas.
const QByteArray kTinyCounts = "car%1:06:00:: 1 40\n"
                               "automobile%1:06:01:: 2 1\n"
                               "sports_car%1:06:00:: 1 1\n"
                               "car%1:06:01:: 3 1\n"
                               "run%2:38:00:: 1 99\n";

}   // namespace

class TestWordNetVocabulary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tinyDatabaseTaggedCounts()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("data.noun")), kTinyDataNoun));
        QVERIFY(writeText(dir.filePath(QStringLiteral("cntlist.rev")), kTinyCounts));
        // Synset tag counts: entity 0, car-synset 40+1, Sports_car-synset 1+1, railway car 0.
        auto one = wordNetNouns(dir.path(), VocabularyKind::Tagged, 1);
        QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.error()));
        QCOMPARE(*one, (QStringList{QStringLiteral("car"), QStringLiteral("Sports car")}));
        auto three = wordNetNouns(dir.path(), VocabularyKind::Tagged, 3);
        QVERIFY(three.ok());
        QCOMPARE(*three, QStringList{QStringLiteral("car")});
    }

    void tinyDatabaseIsNotWordNet30ForReference()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("data.noun")), kTinyDataNoun));
        auto reference = wordNetNouns(dir.path(), VocabularyKind::Reference);
        QVERIFY(!reference.ok());
        QVERIFY(reference.error().contains(QStringLiteral("WordNet 3.0")));
    }

    void missingOrBrokenFilesGiveErrors()
    {
        QTemporaryDir dir;
        auto missing = wordNetNouns(dir.path(), VocabularyKind::Cleaned);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().contains(QStringLiteral("data.noun")));
        QVERIFY(writeText(dir.filePath(QStringLiteral("data.noun")), "00001740 03 n zz broken\n"));
        QVERIFY(!wordNetNouns(dir.path(), VocabularyKind::Tagged).ok());
    }

    void cleaningAndUserWords()
    {
        const QStringList raw{QStringLiteral("living_thing"), QStringLiteral("car"), QStringLiteral("car"), QStringLiteral(" "),
                              QStringLiteral("living thing"), QStringLiteral("Car")};
        QCOMPARE(cleanedNouns(raw), (QStringList{QStringLiteral("living thing"), QStringLiteral("car"), QStringLiteral("Car")}));
        QCOMPARE(appendWords({QStringLiteral("car")}, {QStringLiteral("car"), QStringLiteral("hot_air_balloon")}),
                 (QStringList{QStringLiteral("car"), QStringLiteral("hot air balloon")}));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("words.txt"));
        QVERIFY(writeText(path, "# my words\nsailboat\n\n  kite surfing \r\n"));
        auto words = readWordList(path);
        QVERIFY(words.ok());
        QCOMPARE(*words, (QStringList{QStringLiteral("sailboat"), QStringLiteral("kite surfing")}));
        QVERIFY(writeText(path, "nan\n# not a comment here\n\n"));
        auto lines = readNounLines(path);
        QVERIFY(lines.ok());
        QCOMPARE(lines->size(), 3);
        QCOMPARE(lines->at(1), QStringLiteral("# not a comment here"));
    }

    // A user's choice of vocabulary: a list by name or a file, plus their own words, each with
    // the name its embeddings are cached under.
    void vocabularyChoices()
    {
        QTemporaryDir dir;
        QVERIFY(writeText(dir.filePath(QStringLiteral("data.noun")), kTinyDataNoun));
        QVERIFY(writeText(dir.filePath(QStringLiteral("cntlist.rev")), kTinyCounts));
        auto tagged = parseVocabularySource(QStringLiteral(" Tagged "));
        QVERIFY(tagged.ok());
        QCOMPARE(tagged->source, QStringLiteral("tagged"));
        QCOMPARE(parseVocabularySource(QString()).value().source, QStringLiteral("tagged"));   // the default
        QCOMPARE(vocabularyName(*tagged), QStringLiteral("wordnet-tagged"));                   // as cached before the choice existed
        tagged->words = {QStringLiteral("kite_surfing"), QStringLiteral("car")};
        // Tagged at least twice: car (41) and Sports car (2); the user's words after, repeats dropped.
        QCOMPARE(vocabularyNouns(*tagged, dir.path()).value(),
                 (QStringList{QStringLiteral("car"), QStringLiteral("Sports car"), QStringLiteral("kite surfing")}));
        QCOMPARE(vocabularyName(*tagged), QStringLiteral("wordnet-tagged+words"));
        QCOMPARE(vocabularyName(parseVocabularySource(QStringLiteral("cleaned")).value()), QStringLiteral("wordnet-cleaned"));
        QCOMPARE(vocabularyName(parseVocabularySource(QStringLiteral("wordnet")).value()), QStringLiteral("wordnet-reference"));

        const QString file = dir.filePath(QStringLiteral("boats.txt"));
        QVERIFY(writeText(file, "sailboat\ndinghy\n"));
        auto fromFile = parseVocabularySource(file);
        QVERIFY(fromFile.ok());
        QCOMPARE(vocabularyNouns(*fromFile, dir.path()).value(), (QStringList{QStringLiteral("sailboat"), QStringLiteral("dinghy")}));
        QCOMPARE(vocabularyName(*fromFile), QStringLiteral("file-boats"));

        auto unknown = parseVocabularySource(QStringLiteral("klingon"));
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().contains(QStringLiteral("tagged, cleaned, wordnet or a word-list file")), qPrintable(unknown.error()));
        QVERIFY(writeText(file, "# nothing\n"));
        QVERIFY(!vocabularyNouns(*fromFile, dir.path()).ok());   // no words at all
    }

    void installedReferenceVocabulary()
    {
        if (!QFile::exists(defaultWordNetDir() + QStringLiteral("/data.noun")))
            QSKIP("WordNet's data.noun is not installed (apt install wordnet-base)");
        auto reference = wordNetNouns(defaultWordNetDir(), VocabularyKind::Reference);
        QVERIFY2(reference.ok(), qPrintable(reference.ok() ? QString() : reference.error()));
        QCOMPARE(reference->size(), 82113);
        QCOMPARE(reference->mid(0, 3),
                 (QStringList{QStringLiteral("physical_entity"), QStringLiteral("abstraction"), QStringLiteral("thing")}));
        QCOMPARE(reference->constLast(), QStringLiteral("window"));
        QCOMPARE(reference->count(QStringLiteral("car")), 4);   // duplicates kept, as the released list
        QVERIFY(reference->contains(QStringLiteral("living_thing")));

        auto cleaned = wordNetNouns(defaultWordNetDir(), VocabularyKind::Cleaned);
        QVERIFY(cleaned.ok());
        QCOMPARE(QSet<QString>(cleaned->cbegin(), cleaned->cend()).size(), cleaned->size());
        QVERIFY(cleaned->filter(QStringLiteral("_")).isEmpty());
        QCOMPARE(cleaned->constFirst(), QStringLiteral("physical entity"));
        QVERIFY(cleaned->contains(QStringLiteral("living thing")));
        QVERIFY(cleaned->size() < reference->size());
    }

    void installedTaggedVocabulary()
    {
        if (!QFile::exists(defaultWordNetDir() + QStringLiteral("/cntlist.rev")))
            QSKIP("WordNet's cntlist.rev is not installed (apt install wordnet-base)");
        auto tagged = wordNetNouns(defaultWordNetDir(), VocabularyKind::Tagged, 2);
        QVERIFY(tagged.ok());
        auto loose = wordNetNouns(defaultWordNetDir(), VocabularyKind::Tagged, 1);
        QVERIFY(loose.ok());
        QVERIFY(tagged->size() < loose->size());
        QVERIFY(tagged->size() > 1000);
        QCOMPARE(QSet<QString>(tagged->cbegin(), tagged->cend()).size(), tagged->size());
        for (const QString &everyday : {QStringLiteral("dog"), QStringLiteral("car"), QStringLiteral("beach")})
            QVERIFY2(tagged->contains(everyday), qPrintable(everyday));
        QVERIFY(!tagged->contains(QStringLiteral("canarybird")));
    }
};

QTEST_GUILESS_MAIN(TestWordNetVocabulary)
#include "tst_wordnetvocabulary.moc"
