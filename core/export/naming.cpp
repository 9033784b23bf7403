#include "export/naming.h"

#include "export/exporter.h"

#include <QStringList>

namespace clade::exportnaming {
namespace {

bool isUnsafeChar(char32_t c)
{
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f))   // C0/C1 controls, DEL
        return true;
    if (c == 0x2028 || c == 0x2029)   // line/paragraph separators
        return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))   // bidi overrides spoof names
        return true;
    if (c == 0xfffe || c == 0xffff)
        return true;
    // Path separators and the characters FAT/exFAT/NTFS reject, so a USB drive target works too.
    return c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|';
}

// Replaces unsafe characters and lone surrogates (invalid UTF-16) with '_'.
QString replaceUnsafe(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar ch = name.at(i);
        if (ch.isHighSurrogate() && i + 1 < name.size() && name.at(i + 1).isLowSurrogate()) {
            out += ch;
            out += name.at(++i);
            continue;
        }
        if (ch.isSurrogate() || isUnsafeChar(ch.unicode()))
            out += QLatin1Char('_');
        else
            out += ch;
    }
    return out;
}

QString trimEnds(QString s)
{
    qsizetype begin = 0;
    while (begin < s.size() && (s.at(begin) == QLatin1Char('.') || s.at(begin).isSpace()))
        ++begin;
    qsizetype end = s.size();
    while (end > begin && (s.at(end - 1) == QLatin1Char('.') || s.at(end - 1).isSpace()))
        --end;
    return s.mid(begin, end - begin);
}

// CON, NUL, COM1 ... are unusable folder names on Windows file systems, whatever the extension.
bool isReservedDeviceName(const QString &s)
{
    static const QStringList names = {QStringLiteral("con"), QStringLiteral("prn"), QStringLiteral("aux"), QStringLiteral("nul")};
    const QString stem = s.section(QLatin1Char('.'), 0, 0).trimmed().toLower();
    if (names.contains(stem))
        return true;
    return stem.size() == 4 && (stem.startsWith(QLatin1String("com")) || stem.startsWith(QLatin1String("lpt")))
           && stem.at(3) >= QLatin1Char('1') && stem.at(3) <= QLatin1Char('9');
}

}   // namespace

QString truncateUtf8(const QString &s, int maxBytes)
{
    qsizetype bytes = 0;
    qsizetype i = 0;
    while (i < s.size()) {
        const bool pair = s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate();
        const char32_t c = pair ? QChar::surrogateToUcs4(s.at(i), s.at(i + 1)) : s.at(i).unicode();
        const int len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (bytes + len > maxBytes)
            break;
        bytes += len;
        i += pair ? 2 : 1;
    }
    return s.left(i);
}

QString collisionKey(const QString &name)
{
    return name.normalized(QString::NormalizationForm_C).toCaseFolded().normalized(QString::NormalizationForm_C);
}

QString numberedName(const QString &name, int n, int maxBytes)
{
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const bool hasExt = dot > 0;
    const QString ext = hasExt ? name.mid(dot) : QString();
    const QString base = hasExt ? name.left(dot) : name;
    const QString tag = n >= 2 ? QStringLiteral(" (%1)").arg(n) : QString();
    const int room = maxBytes - int(ext.toUtf8().size()) - int(tag.toUtf8().size());
    if (room <= 0)   // absurdly long extension: shorten the whole name instead
        return truncateUtf8(name, maxBytes - int(tag.toUtf8().size())) + tag;
    return truncateUtf8(base, room) + tag + ext;
}

}   // namespace clade::exportnaming

namespace clade {

QString sanitizeFolderName(const QString &name)
{
    using namespace exportnaming;
    QString s = replaceUnsafe(name).normalized(QString::NormalizationForm_C);
    s = trimEnds(s);
    s = trimEnds(truncateUtf8(s, kFolderNameMaxBytes - 1));
    if (s.isEmpty())
        return QStringLiteral("Unnamed");
    if (isReservedDeviceName(s))
        s += QLatin1Char('_');
    return s;
}

}   // namespace clade
