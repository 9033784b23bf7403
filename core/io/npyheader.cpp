#include "io/npyheader.h"

#include <bit>
#include <limits>

namespace clade::npydetail {

namespace {

constexpr std::int64_t kMaxElements = std::int64_t(1) << 62;

// A reader for the one Python literal a .npy header holds: a dict of strings, booleans and a
// tuple of integers. Anything else is an error, never undefined behaviour.
class HeaderParser
{
public:
    explicit HeaderParser(const QString &text) : m_text(text) { }
    Result<NpyHeader> parse();

private:
    void skipSpace();
    bool take(QChar c);
    QChar peek() const { return m_pos < m_text.size() ? m_text[m_pos] : QChar(); }
    Result<QString> string();
    Result<bool> boolean();
    Result<std::vector<std::int64_t>> tuple();
    Result<std::int64_t> integer();
    Status value(const QString &key, NpyHeader &header, int &seen);
    Error error(const QString &what) const
    {
        return fail(QStringLiteral("Malformed .npy header (%1 at character %2)").arg(what).arg(m_pos));
    }

    const QString &m_text;
    qsizetype m_pos = 0;
};

void HeaderParser::skipSpace()
{
    while (m_pos < m_text.size() && m_text[m_pos].isSpace())
        ++m_pos;
}

bool HeaderParser::take(QChar c)
{
    skipSpace();
    if (peek() != c)
        return false;
    ++m_pos;
    return true;
}

Result<QString> HeaderParser::string()
{
    skipSpace();
    const QChar quote = peek();
    if (quote != u'\'' && quote != u'"')
        return error(QStringLiteral("expected a string"));
    const qsizetype end = m_text.indexOf(quote, m_pos + 1);
    if (end < 0)
        return error(QStringLiteral("unterminated string"));
    QString s = m_text.mid(m_pos + 1, end - m_pos - 1);
    m_pos = end + 1;
    return s;
}

Result<bool> HeaderParser::boolean()
{
    skipSpace();
    for (const bool b : {true, false}) {
        const QString word = b ? QStringLiteral("True") : QStringLiteral("False");
        if (QStringView(m_text).mid(m_pos).startsWith(word)) {
            m_pos += word.size();
            return b;
        }
    }
    return error(QStringLiteral("expected True or False"));
}

Result<std::int64_t> HeaderParser::integer()
{
    skipSpace();
    std::int64_t v = 0;
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && m_text[m_pos].isDigit()) {
        const int digit = m_text[m_pos].digitValue();
        if (v > (kMaxElements - digit) / 10)   // checked before it can overflow
            return error(QStringLiteral("dimension too large"));
        v = v * 10 + digit;
        ++m_pos;
    }
    if (m_pos == start)
        return error(QStringLiteral("expected a non-negative integer"));
    take(u'L');   // Python 2 wrote long integers as 3L
    return v;
}

Result<std::vector<std::int64_t>> HeaderParser::tuple()
{
    if (!take(u'('))
        return error(QStringLiteral("expected a shape tuple"));
    std::vector<std::int64_t> dims;
    while (!take(u')')) {
        auto v = integer();
        if (!v)
            return v.takeError();
        dims.push_back(*v);
        if (!take(u',') && peek() != u')')
            return error(QStringLiteral("expected ',' or ')' in the shape"));
    }
    return dims;
}

Result<char> parseDescr(const QString &descr, NpyHeader &header)
{
    const QString unsupported = QStringLiteral("The .npy dtype '%1' is not supported (float, integer or bool only)").arg(descr);
    if (descr.size() < 3)
        return fail(unsupported);
    const QChar order = descr[0];
    const QChar kind = descr[1];
    bool numeric = false;
    const int size = QStringView(descr).mid(2).toInt(&numeric);
    const bool known = (kind == u'f' && (size == 2 || size == 4 || size == 8))
                       || ((kind == u'i' || kind == u'u') && (size == 1 || size == 2 || size == 4 || size == 8))
                       || (kind == u'b' && size == 1);
    if (!numeric || !known || !QStringLiteral("<>|=").contains(order))
        return fail(unsupported);
    const char little = std::endian::native == std::endian::little ? '<' : '>';
    header.byteOrder = order == u'=' ? little : char(order.unicode());
    header.kind = char(kind.unicode());
    header.itemSize = size;
    return header.kind;
}

Status HeaderParser::value(const QString &key, NpyHeader &header, int &seen)
{
    if (key == QLatin1String("descr")) {
        skipSpace();
        if (peek() == u'[')
            return fail(QStringLiteral("Structured .npy arrays (a list of fields as dtype) are not supported"));
        auto s = string();
        if (!s)
            return s.takeError();
        if (auto d = parseDescr(*s, header); !d)
            return d.takeError();
        seen |= 1;
    } else if (key == QLatin1String("fortran_order")) {
        auto b = boolean();
        if (!b)
            return b.takeError();
        header.fortranOrder = *b;
        seen |= 2;
    } else if (key == QLatin1String("shape")) {
        auto t = tuple();
        if (!t)
            return t.takeError();
        header.shape = std::move(*t);
        seen |= 4;
    } else {
        return error(QStringLiteral("unknown key '%1'").arg(key));
    }
    return {};
}

Result<NpyHeader> HeaderParser::parse()
{
    NpyHeader header;
    int seen = 0;
    if (!take(u'{'))
        return error(QStringLiteral("expected '{'"));
    while (!take(u'}')) {
        auto key = string();
        if (!key)
            return key.takeError();
        if (!take(u':'))
            return error(QStringLiteral("expected ':'"));
        if (Status s = value(*key, header, seen); !s)
            return s.takeError();
        if (!take(u',') && peek() != u'}')
            return error(QStringLiteral("expected ',' or '}'"));
    }
    skipSpace();
    if (m_pos != m_text.size())
        return error(QStringLiteral("text after the dictionary"));
    if (seen != 7)
        return fail(QStringLiteral("Malformed .npy header (it needs descr, fortran_order and shape)"));
    return header;
}

}   // namespace

Result<NpyHeader> parseHeaderText(const QString &text)
{
    return HeaderParser(text).parse();
}

Result<std::int64_t> elementCount(const std::vector<std::int64_t> &shape)
{
    std::int64_t count = 1;
    for (std::int64_t d : shape) {
        if (d < 0)
            return fail(QStringLiteral("The array shape has a negative size (%1)").arg(d));
        if (d != 0 && count > kMaxElements / d)
            return fail(QStringLiteral("The array shape holds more than 2^62 elements"));
        count *= d;
    }
    return count;
}

QByteArray float32Preamble(const std::vector<std::int64_t> &shape)
{
    QByteArray dims;
    for (std::size_t i = 0; i < shape.size(); ++i)
        dims += (i ? ", " : "") + QByteArray::number(qlonglong(shape[i]));
    if (shape.size() == 1)
        dims += ',';   // Python's one-element tuple
    QByteArray dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Version 1.0 stores the header length in 2 bytes; 2.0 in 4, for absurdly many dimensions.
    const bool v1 = dict.size() + 1 + kAlignment <= std::numeric_limits<std::uint16_t>::max();
    const int prefix = kMagicLength + 2 + (v1 ? 2 : 4);
    const int padding = (kAlignment - int((prefix + dict.size() + 1) % kAlignment)) % kAlignment;
    dict += QByteArray(padding, ' ') + '\n';
    QByteArray out(kMagic, kMagicLength);
    out += char(v1 ? 1 : 2);
    out += char(0);
    const auto length = std::uint32_t(dict.size());
    for (int b = 0; b < (v1 ? 2 : 4); ++b)
        out += char((length >> (8 * b)) & 0xFF);
    return out + dict;
}

}   // namespace clade::npydetail
