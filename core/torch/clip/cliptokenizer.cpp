#include "cliptokenizer.h"

#include "textclean.h"

#include <QFile>
#include <QRegularExpression>

#include <zlib.h>

#include <limits>

namespace clade {

namespace {

constexpr int kMergeCount = 49152 - 256 - 2;   // the reference uses lines 1..48894

// GPT-2's reversible byte -> printable character table.
QString byteStandIns()
{
    QString chars(256, QChar());
    std::vector<bool> used(256, false);
    auto keep = [&](int from, int to) {
        for (int b = from; b <= to; ++b) {
            chars[b] = QChar(char16_t(b));
            used[b] = true;
        }
    };
    keep('!', '~');
    keep(0xA1, 0xAC);
    keep(0xAE, 0xFF);
    int next = 0;
    for (int b = 0; b < 256; ++b)
        if (!used[b])
            chars[b] = QChar(char16_t(256 + next++));
    return chars;
}

Result<QByteArray> gunzip(const QString &path)
{
    gzFile gz = gzopen(QFile::encodeName(path).constData(), "rb");
    if (!gz)
        return fail(QStringLiteral("Cannot open the BPE vocabulary %1").arg(path));
    QByteArray out;
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(gz, buf, sizeof buf)) > 0) {
        out.append(buf, n);
        if (out.size() > 64 * 1024 * 1024)
            break;
    }
    int errnum = Z_OK;
    const QString message = n < 0 ? QString::fromUtf8(gzerror(gz, &errnum)) : QString();
    gzclose(gz);
    if (n < 0)
        return fail(QStringLiteral("The BPE vocabulary %1 is not a valid gzip file (%2)").arg(path, message));
    return out;
}

const QRegularExpression &wordPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+)"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    return re;
}

}   // namespace

Result<std::unique_ptr<ClipTokenizer>> ClipTokenizer::load(const QString &bpeGzPath)
{
    auto data = gunzip(bpeGzPath);
    if (!data)
        return data.takeError();
    const QStringList lines = QString::fromUtf8(*data).split(u'\n');
    if (lines.size() < kMergeCount + 1)
        return fail(QStringLiteral("The BPE vocabulary %1 has %2 lines; CLIP's has at least %3")
                        .arg(bpeGzPath)
                        .arg(lines.size())
                        .arg(kMergeCount + 1));
    std::unique_ptr<ClipTokenizer> tok(new ClipTokenizer);
    tok->m_byteChars = byteStandIns();
    // The reference lists the stand-ins printable bytes first ('!'..'~', then Latin-1), then
    // the rest; that order gives the first 512 ids.
    QString ordered;
    for (QChar c : std::as_const(tok->m_byteChars))
        if (c.unicode() < 256)
            ordered += c;
    for (QChar c : std::as_const(tok->m_byteChars))
        if (c.unicode() >= 256)
            ordered += c;
    int id = 0;
    for (QChar c : std::as_const(ordered))
        tok->m_encoder.insert(QString(c), id++);
    for (QChar c : std::as_const(ordered))
        tok->m_encoder.insert(QString(c) + QStringLiteral("</w>"), id++);
    for (int i = 1; i <= kMergeCount; ++i) {
        const QStringList pair = lines[i].split(u' ', Qt::SkipEmptyParts);
        if (pair.size() != 2)
            return fail(QStringLiteral("The BPE vocabulary %1 has a malformed merge on line %2").arg(bpeGzPath).arg(i + 1));
        tok->m_ranks.insert(pair[0] + u' ' + pair[1], i - 1);
        tok->m_encoder.insert(pair[0] + pair[1], id++);
    }
    tok->m_encoder.insert(QStringLiteral("<|startoftext|>"), id++);
    tok->m_encoder.insert(QStringLiteral("<|endoftext|>"), id++);
    if (tok->m_encoder.size() != id || id != kEndOfText + 1)
        return fail(QStringLiteral("The BPE vocabulary %1 has duplicate entries").arg(bpeGzPath));
    return tok;
}

QString ClipTokenizer::cleanText(const QString &text)
{
    static const QRegularExpression spaces(QStringLiteral(R"(\s+)"), QRegularExpression::UseUnicodePropertiesOption);
    QString s = textclean::fixText(text);
    s = textclean::unescapeHtml(textclean::unescapeHtml(s)).trimmed();
    s.replace(spaces, QStringLiteral(" "));
    return s.trimmed().toLower();
}

// Merges the lowest-ranked adjacent pair until none is in the table, as the reference does.
std::vector<QString> ClipTokenizer::bpe(const QString &token) const
{
    if (token == u"<|startoftext|>" || token == u"<|endoftext|>")
        return {token};
    std::vector<QString> word;
    for (QChar c : token)
        word.emplace_back(c);
    word.back() += QStringLiteral("</w>");
    while (word.size() > 1) {
        int best = std::numeric_limits<int>::max();
        QString first, second;
        for (std::size_t i = 0; i + 1 < word.size(); ++i) {
            const int rank = m_ranks.value(word[i] + u' ' + word[i + 1], std::numeric_limits<int>::max());
            if (rank < best) {
                best = rank;
                first = word[i];
                second = word[i + 1];
            }
        }
        if (best == std::numeric_limits<int>::max())
            break;
        std::vector<QString> merged;
        for (std::size_t i = 0; i < word.size();) {
            if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
                merged.push_back(first + second);
                i += 2;
            } else {
                merged.push_back(word[i++]);
            }
        }
        word = std::move(merged);
    }
    return word;
}

std::vector<int> ClipTokenizer::encode(const QString &text) const
{
    std::vector<int> ids;
    auto it = wordPattern().globalMatch(cleanText(text));
    while (it.hasNext()) {
        const QByteArray utf8 = it.next().captured(0).toUtf8();
        QString token;
        for (char b : utf8)
            token += m_byteChars[static_cast<unsigned char>(b)];
        for (const QString &piece : bpe(token))
            ids.push_back(m_encoder.value(piece, kEndOfText));
    }
    return ids;
}

std::vector<int> ClipTokenizer::tokenize(const QString &text) const
{
    std::vector<int> ids{kStartOfText};
    const std::vector<int> body = encode(text);
    ids.insert(ids.end(), body.begin(), body.end());
    ids.push_back(kEndOfText);
    return ids;
}

std::vector<int> ClipTokenizer::tokenizeTruncated(const QString &text, int context) const
{
    std::vector<int> ids = tokenize(text);
    if (context >= 2 && int(ids.size()) > context) {
        ids.resize(std::size_t(context));
        ids.back() = kEndOfText;
    }
    return ids;
}

}   // namespace clade
