#include "textclean.h"

#include <QHash>
#include <QStringDecoder>

#include <cctype>
#include <optional>

namespace clade::textclean {

namespace {

// Windows-1252's printable characters in 0x80..0x9F (0 = undefined there).
constexpr char16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                                      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                                      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The byte a character came from when UTF-8 was misread as Windows-1252 (or Latin-1).
std::optional<unsigned char> cp1252Byte(char16_t c)
{
    if (c < 0x100)
        return static_cast<unsigned char>(c);
    for (int i = 0; i < 32; ++i)
        if (kCp1252High[i] == c)
            return static_cast<unsigned char>(0x80 + i);
    return std::nullopt;
}

int utf8Length(unsigned char lead)
{
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

// Replaces each run "lead byte + continuation bytes", spelled as Windows-1252 characters,
// by the character the UTF-8 bytes encode ("schÃ¶n" -> "schön", "donâ€™t" -> "don’t").
QString fixMojibake(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        const auto lead = text[i].unicode() >= 0x80 ? cp1252Byte(text[i].unicode()) : std::nullopt;
        const int n = lead ? utf8Length(*lead) : 0;
        QByteArray bytes;
        if (n > 0 && i + n <= text.size()) {
            bytes.append(char(*lead));
            for (int k = 1; k < n; ++k) {
                const auto b = cp1252Byte(text[i + k].unicode());
                if (!b || *b < 0x80 || *b > 0xBF)
                    break;
                bytes.append(char(*b));
            }
        }
        if (n > 0 && bytes.size() == n) {
            QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString decoded = utf8.decode(bytes);
            if (!utf8.hasError()) {
                out += decoded;
                i += n;
                continue;
            }
        }
        out += text[i];
        ++i;
    }
    return out;
}

bool needsCompatibilityForm(char16_t c)
{
    return (c >= 0xFF01 && c <= 0xFFEE) || c == 0x3000   // full/half-width forms
           || (c >= 0xFB00 && c <= 0xFB06)               // Latin ligatures
           || c == 0x0132 || c == 0x0133 || c == 0x0149 || (c >= 0x01C4 && c <= 0x01CC) || (c >= 0x01F1 && c <= 0x01F3);
}

QString fixCharacters(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c >= 0x2018 && c <= 0x201B)
            out += QLatin1Char('\'');
        else if (c >= 0x201C && c <= 0x201F)
            out += QLatin1Char('"');
        else if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0)   // stray C1 control
            out += QChar(kCp1252High[c - 0x80]);
        else if (needsCompatibilityForm(c))
            out += QString(ch).normalized(QString::NormalizationForm_KC);
        else
            out += ch;
    }
    return out;
}

const QHash<QString, QString> &namedEntities()
{
    static const QHash<QString, QString> table = {
        {u"amp"_qs, u"&"_qs},         {u"lt"_qs, u"<"_qs},          {u"gt"_qs, u">"_qs},          {u"quot"_qs, u"\""_qs},
        {u"apos"_qs, u"'"_qs},        {u"nbsp"_qs, u"\u00a0"_qs},   {u"copy"_qs, u"\u00a9"_qs},   {u"reg"_qs, u"\u00ae"_qs},
        {u"trade"_qs, u"\u2122"_qs},  {u"hellip"_qs, u"\u2026"_qs}, {u"mdash"_qs, u"\u2014"_qs},  {u"ndash"_qs, u"\u2013"_qs},
        {u"lsquo"_qs, u"\u2018"_qs},  {u"rsquo"_qs, u"\u2019"_qs},  {u"ldquo"_qs, u"\u201c"_qs},  {u"rdquo"_qs, u"\u201d"_qs},
        {u"laquo"_qs, u"\u00ab"_qs},  {u"raquo"_qs, u"\u00bb"_qs},  {u"deg"_qs, u"\u00b0"_qs},    {u"euro"_qs, u"\u20ac"_qs},
        {u"pound"_qs, u"\u00a3"_qs},  {u"yen"_qs, u"\u00a5"_qs},    {u"cent"_qs, u"\u00a2"_qs},   {u"sect"_qs, u"\u00a7"_qs},
        {u"middot"_qs, u"\u00b7"_qs}, {u"times"_qs, u"\u00d7"_qs},  {u"divide"_qs, u"\u00f7"_qs}, {u"bull"_qs, u"\u2022"_qs},
        {u"eacute"_qs, u"\u00e9"_qs}, {u"egrave"_qs, u"\u00e8"_qs}, {u"aacute"_qs, u"\u00e1"_qs}, {u"agrave"_qs, u"\u00e0"_qs},
        {u"ouml"_qs, u"\u00f6"_qs},   {u"uuml"_qs, u"\u00fc"_qs},   {u"auml"_qs, u"\u00e4"_qs},   {u"szlig"_qs, u"\u00df"_qs},
        {u"ccedil"_qs, u"\u00e7"_qs}, {u"ntilde"_qs, u"\u00f1"_qs}};
    return table;
}

// Names HTML5 also accepts without the trailing semicolon (a subset of Python's table).
bool legacyName(const QString &name)
{
    return name == u"amp" || name == u"lt" || name == u"gt" || name == u"quot" || name == u"nbsp" || name == u"copy" || name == u"reg";
}

// One reference starting at text[i] == '&'; returns the replacement and its source length.
std::optional<std::pair<QString, qsizetype>> parseReference(const QString &text, qsizetype i)
{
    qsizetype j = i + 1;
    if (j < text.size() && text[j] == u'#') {
        const bool hex = j + 1 < text.size() && (text[j + 1] == u'x' || text[j + 1] == u'X');
        qsizetype k = j + (hex ? 2 : 1);
        const qsizetype start = k;
        while (k < text.size() && (hex ? isxdigit(text[k].toLatin1()) : text[k].isDigit()) && k - start < 8)
            ++k;
        if (k == start)
            return std::nullopt;
        uint code = text.mid(start, k - start).toUInt(nullptr, hex ? 16 : 10);
        if (k < text.size() && text[k] == u';')
            ++k;
        if (code >= 0x80 && code <= 0x9F && kCp1252High[code - 0x80] != 0)
            code = kCp1252High[code - 0x80];
        if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            code = 0xFFFD;
        const char32_t c32 = code;
        return std::pair{QString::fromUcs4(&c32, 1), k - i};
    }
    while (j < text.size() && text[j].isLetterOrNumber() && j - i < 32)
        ++j;
    const QString name = text.mid(i + 1, j - i - 1);
    const auto it = namedEntities().constFind(name);
    if (it == namedEntities().cend())
        return std::nullopt;
    if (j < text.size() && text[j] == u';')
        return std::pair{*it, j + 1 - i};
    if (legacyName(name))
        return std::pair{*it, j - i};
    return std::nullopt;
}

}   // namespace

QString unescapeHtml(const QString &text)
{
    if (!text.contains(u'&'))
        return text;
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        if (text[i] == u'&') {
            if (const auto ref = parseReference(text, i)) {
                out += ref->first;
                i += ref->second;
                continue;
            }
        }
        out += text[i];
        ++i;
    }
    return out;
}

QString fixText(const QString &text)
{
    QString s = text;
    // ftfy's "auto" HTML mode: text that contains markup is left alone.
    if (!s.contains(u'<'))
        s = unescapeHtml(s);
    s = fixMojibake(s);
    s = fixCharacters(s);
    return s.normalized(QString::NormalizationForm_C);
}

}   // namespace clade::textclean
