#pragma once

#include "common/result.h"

#include <QString>
#include <QStringList>

namespace clade {

// The noun vocabularies SIC names clusters from, read from WordNet 3.0's database files
// (Debian's wordnet-base installs them in /usr/share/wordnet; the WordNet licence is in
// /usr/share/doc/wordnet-base/copyright). Each entry is the first lemma of a noun synset.
enum class VocabularyKind {
    // The list the released SIC code uses (docs/sic-spec.md §1.1): synsets in data.noun order
    // without the first ("entity", eaten as a CSV header) and the last ("9/11", absent from the
    // released noun.csv): 82,113 entries, duplicates and underscores kept.
    Reference,
    // Reference with underscores as spaces and repeated strings removed (first one kept).
    Cleaned,
    // The product default: synsets whose senses are tagged at least `minTagCount` times in
    // WordNet's sense-tagged corpus (cntlist.rev), cleaned. Everyday nouns, small enough to
    // embed in minutes on a CPU.
    Tagged,
};

QString defaultWordNetDir();   // $CLADE_WORDNET_DIR, else /usr/share/wordnet

// Reads data.noun (and cntlist.rev for Tagged) from `dir`. Runs on any thread; ~0.2 s.
Result<QStringList> wordNetNouns(const QString &dir, VocabularyKind kind, int minTagCount = 2);

// Underscores as spaces, surrounding space trimmed, empty and repeated strings dropped.
QStringList cleanedNouns(const QStringList &nouns);

// `base` followed by the cleaned `words` that it does not already contain.
QStringList appendWords(const QStringList &base, const QStringList &words);

// A user word list: one word per line (UTF-8), blank lines and lines starting with '#' skipped.
Result<QStringList> readWordList(const QString &path);

// A noun list aligned with text-feature rows: every line is one noun, kept verbatim (no
// comments, no cleaning); only a final empty line is ignored.
Result<QStringList> readNounLines(const QString &path);

// The nouns a user names groups from: a built-in list or a file, plus words of their own.
struct VocabularyChoice
{
    // "tagged" (the default, VocabularyKind::Tagged), "cleaned" (all of WordNet, cleaned),
    // "wordnet" (all of WordNet as the released SIC code reads it), or a word-list file.
    QString source = QStringLiteral("tagged");
    QStringList words;   // the user's own, appended (cleaned, without repeats)
    bool operator==(const VocabularyChoice &) const = default;
};

// Reads --vocabulary's value: a list name (case-insensitive) or an existing file.
Result<VocabularyChoice> parseVocabularySource(const QString &value);
// The nouns of the choice, in order: the list, then the words it lacks.
Result<QStringList> vocabularyNouns(const VocabularyChoice &choice, const QString &wordNetDir = defaultWordNetDir());
// The name its embeddings are cached under ("wordnet-tagged", "wordnet-cleaned",
// "wordnet-reference", "file-<name>", each with "+words" when words are added); the cache id
// adds a hash of the nouns themselves (semanticspace.h).
QString vocabularyName(const VocabularyChoice &choice);

}   // namespace clade
