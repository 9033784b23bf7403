#pragma once

#include "common/result.h"

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace clade {

// CLIP's byte-level BPE tokenizer (OpenAI's SimpleTokenizer), read from
// bpe_simple_vocab_16e6.txt.gz. Immutable after load(): safe to share between threads.
class ClipTokenizer
{
public:
    static constexpr int kStartOfText = 49406;
    static constexpr int kEndOfText = 49407;
    static constexpr int kContextLength = 77;

    static Result<std::unique_ptr<ClipTokenizer>> load(const QString &bpeGzPath);

    // BPE ids of the cleaned text, without SOT/EOT.
    std::vector<int> encode(const QString &text) const;
    // SOT + encode(text) + EOT, never truncated.
    std::vector<int> tokenize(const QString &text) const;
    // What clip.tokenize(truncate=True) puts in a row, without the padding: at most
    // `context` ids, the last one forced to EOT when the text is cut.
    std::vector<int> tokenizeTruncated(const QString &text, int context = kContextLength) const;
    int vocabSize() const { return int(m_encoder.size()); }

    // The reference's cleaning: ftfy-like fixes, HTML unescaping, whitespace collapse,
    // lower-case.
    static QString cleanText(const QString &text);

private:
    ClipTokenizer() = default;
    std::vector<QString> bpe(const QString &token) const;

    QHash<QString, int> m_encoder;
    QHash<QString, int> m_ranks;   // "first second" -> merge rank
    QString m_byteChars;           // byte value -> its printable stand-in
};

}   // namespace clade
