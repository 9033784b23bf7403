#include "wordnetvocabulary.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <vector>

namespace clade {

namespace {

constexpr qsizetype kReferenceCount = 82113;
constexpr qsizetype kWordNet30Synsets = 82115;

struct Synset
{
    QString firstLemma;
    qint64 tagCount = 0;
};

struct NounDatabase
{
    std::vector<Synset> synsets;               // data.noun order
    QHash<QString, qsizetype> senseToSynset;   // "lemma%lexfile:lexid" (lower case) → synsets index
};

QString senseId(const QString &lemma, int lexFile, int lexId)
{
    return lemma.toLower() + QLatin1Char('%') + QString::number(lexFile) + QLatin1Char(':') + QString::number(lexId);
}

// One data.noun line: offset lex_filenum ss_type w_cnt(hex) { word lex_id(hex) } ... (wndb(5WN)).
bool parseSynsetLine(const QByteArray &line, bool senses, NounDatabase &db)
{
    const QList<QByteArray> fields = line.split(' ');
    bool ok = false;
    if (fields.size() < 6)
        return false;
    const int lexFile = fields[1].toInt(&ok);
    const int words = ok ? fields[3].toInt(&ok, 16) : 0;
    if (!ok || words < 1 || fields.size() < 4 + 2 * words)
        return false;
    const qsizetype index = qsizetype(db.synsets.size());
    for (int w = 0; w < words; ++w) {
        const QString lemma = QString::fromUtf8(fields[4 + 2 * w]);
        const int lexId = fields[5 + 2 * w].toInt(&ok, 16);
        if (!ok || lemma.isEmpty())
            return false;
        if (senses)
            db.senseToSynset.insert(senseId(lemma, lexFile, lexId), index);
        if (w == 0)
            db.synsets.push_back(Synset{lemma, 0});
    }
    return true;
}

// `senses`: also index every lemma's sense (needed for the tag counts only).
Result<NounDatabase> readDataNoun(const QString &dir, bool senses)
{
    QFile file(QDir(dir).filePath(QStringLiteral("data.noun")));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read WordNet nouns %1: %2 (install wordnet-base)").arg(file.fileName(), file.errorString()));
    NounDatabase db;
    qint64 lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        ++lineNumber;
        if (raw.isEmpty() || raw.startsWith(' '))
            continue;   // the licence header: its lines start with two spaces
        const QByteArray line = raw.trimmed();
        if (!parseSynsetLine(line, senses, db))
            return fail(QStringLiteral("%1 line %2 is not a WordNet synset line").arg(file.fileName()).arg(lineNumber));
    }
    if (db.synsets.empty())
        return fail(QStringLiteral("%1 holds no noun synsets").arg(file.fileName()));
    return db;
}

// cntlist.rev: "lemma%1:lexfile:lexid:: sense_number tag_count" per line (cntlist(5WN)).
Status addTagCounts(const QString &dir, NounDatabase &db)
{
    QFile file(QDir(dir).filePath(QStringLiteral("cntlist.rev")));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read WordNet tag counts %1: %2").arg(file.fileName(), file.errorString()));
    while (!file.atEnd()) {
        const QList<QByteArray> fields = file.readLine().trimmed().split(' ');
        if (fields.size() != 3)
            continue;
        const QList<QByteArray> key = fields[0].split('%');
        const QList<QByteArray> sense = key.size() == 2 ? key[1].split(':') : QList<QByteArray>();
        if (sense.size() < 3 || sense[0] != "1")
            continue;   // not a noun sense
        const QString id = senseId(QString::fromUtf8(key[0]), sense[1].toInt(), sense[2].toInt());
        const auto it = db.senseToSynset.constFind(id);
        if (it != db.senseToSynset.constEnd())
            db.synsets[std::size_t(*it)].tagCount += fields[2].toLongLong();
    }
    return {};
}

Result<QStringList> referenceNouns(const NounDatabase &db, const QString &dir)
{
    if (qsizetype(db.synsets.size()) != kWordNet30Synsets)
        return fail(QStringLiteral("%1 has %2 noun synsets; the reference vocabulary needs WordNet 3.0 (%3)")
                        .arg(dir)
                        .arg(db.synsets.size())
                        .arg(kWordNet30Synsets));
    QStringList nouns;
    nouns.reserve(kReferenceCount);
    for (qsizetype i = 1; i <= kReferenceCount; ++i)
        nouns.append(db.synsets[std::size_t(i)].firstLemma);
    return nouns;
}

}   // namespace

QString defaultWordNetDir()
{
    const QString custom = qEnvironmentVariable("CLADE_WORDNET_DIR");
    return custom.isEmpty() ? QStringLiteral("/usr/share/wordnet") : custom;
}

Result<QStringList> wordNetNouns(const QString &dir, VocabularyKind kind, int minTagCount)
{
    auto db = readDataNoun(dir, kind == VocabularyKind::Tagged);
    if (!db)
        return db.takeError();
    if (kind != VocabularyKind::Tagged) {
        auto reference = referenceNouns(*db, dir);
        if (!reference || kind == VocabularyKind::Reference)
            return reference;
        return cleanedNouns(*reference);
    }
    if (auto ok = addTagCounts(dir, *db); !ok)
        return ok.takeError();
    QStringList tagged;
    for (const Synset &synset : db->synsets) {
        if (synset.tagCount >= qint64(std::max(1, minTagCount)))
            tagged.append(synset.firstLemma);
    }
    return cleanedNouns(tagged);
}

QStringList cleanedNouns(const QStringList &nouns)
{
    return appendWords({}, nouns);
}

QStringList appendWords(const QStringList &base, const QStringList &words)
{
    QStringList out = base;
    QSet<QString> seen(base.cbegin(), base.cend());
    for (const QString &word : words) {
        const QString clean = QString(word).replace(QLatin1Char('_'), QLatin1Char(' ')).simplified();
        if (clean.isEmpty() || seen.contains(clean))
            continue;
        seen.insert(clean);
        out.append(clean);
    }
    return out;
}

Result<QStringList> readWordList(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(QStringLiteral("cannot read word list %1: %2").arg(path, file.errorString()));
    QStringList words;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')))
            words.append(line);
    }
    return words;
}

Result<QStringList> readNounLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read noun list %1: %2").arg(path, file.errorString()));
    QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    for (QString &line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    }
    return lines;
}

Result<VocabularyChoice> parseVocabularySource(const QString &value)
{
    VocabularyChoice choice;
    const QString name = value.trimmed().toLower();
    if (name.isEmpty() || name == QLatin1String("tagged") || name == QLatin1String("cleaned") || name == QLatin1String("wordnet")) {
        choice.source = name.isEmpty() ? QStringLiteral("tagged") : name;
        return choice;
    }
    const QFileInfo file(value.trimmed());
    if (!file.isFile())
        return fail(QStringLiteral("Unknown vocabulary '%1': use tagged, cleaned, wordnet or a word-list file").arg(value));
    choice.source = file.absoluteFilePath();
    return choice;
}

Result<QStringList> vocabularyNouns(const VocabularyChoice &choice, const QString &wordNetDir)
{
    Result<QStringList> base = fail(QString());
    if (choice.source == QLatin1String("tagged"))
        base = wordNetNouns(wordNetDir, VocabularyKind::Tagged);
    else if (choice.source == QLatin1String("cleaned"))
        base = wordNetNouns(wordNetDir, VocabularyKind::Cleaned);
    else if (choice.source == QLatin1String("wordnet"))
        base = wordNetNouns(wordNetDir, VocabularyKind::Reference);
    else
        base = readWordList(choice.source);
    if (!base)
        return fail(QStringLiteral("Cannot read the vocabulary %1: %2").arg(choice.source, base.error()));
    QStringList nouns = choice.words.isEmpty() ? *base : appendWords(*base, choice.words);
    if (nouns.isEmpty())
        return fail(QStringLiteral("The vocabulary %1 has no words").arg(choice.source));
    return nouns;
}

QString vocabularyName(const VocabularyChoice &choice)
{
    QString name;
    if (choice.source == QLatin1String("tagged"))
        name = QStringLiteral("wordnet-tagged");
    else if (choice.source == QLatin1String("cleaned"))
        name = QStringLiteral("wordnet-cleaned");
    else if (choice.source == QLatin1String("wordnet"))
        name = QStringLiteral("wordnet-reference");
    else
        name = QStringLiteral("file-") + QFileInfo(choice.source).completeBaseName();
    return choice.words.isEmpty() ? name : name + QStringLiteral("+words");
}

}   // namespace clade
