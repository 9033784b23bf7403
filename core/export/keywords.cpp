#include "export/keywords.h"

#include "media/decoder.h"

#include <QFileInfo>
#include <QSet>

namespace clade {

QString keywordOutcomeName(KeywordOutcome outcome)
{
    switch (outcome) {
    case KeywordOutcome::Written: return QStringLiteral("written");
    case KeywordOutcome::Unchanged: return QStringLiteral("unchanged");
    case KeywordOutcome::SkippedRaw: return QStringLiteral("skipped-raw");
    case KeywordOutcome::SkippedFormat: return QStringLiteral("skipped-format");
    case KeywordOutcome::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

namespace keywords {
namespace {

const QLatin1String kLightroomRoot("Clade|");
const QLatin1String kDigikamRoot("Clade/");

// Removes the entries under root and returns the names they carried (the rest after root).
QStringList takeClade(QStringList &list, QLatin1String root)
{
    QStringList names;
    for (auto it = list.begin(); it != list.end();) {
        if (it->startsWith(root)) {
            names.append(it->mid(root.size()));
            it = list.erase(it);
        } else {
            ++it;
        }
    }
    return names;
}

void appendOnce(QStringList &list, const QString &item)
{
    if (!list.contains(item))
        list.append(item);
}

}   // namespace

QString keywordName(const QString &clusterName)
{
    QString out;
    out.reserve(clusterName.size());
    for (const QChar c : clusterName) {
        const QChar::Category cat = c.category();
        if (c.isSpace())
            out.append(QLatin1Char(' '));
        else if (cat == QChar::Other_Control || cat == QChar::Other_Format || c.isNonCharacter())
            continue;
        else if (c == QLatin1Char('|') || c == QLatin1Char('/'))
            out.append(QLatin1Char('-'));
        else
            out.append(c);
    }
    return out.simplified();
}

KeywordLists merge(const KeywordLists &existing, const QString &name)
{
    KeywordLists out = existing;
    QSet<QString> previous;
    for (const QString &n : takeClade(out.hierarchical, kLightroomRoot))
        previous.insert(n);
    for (const QString &n : takeClade(out.tagsList, kDigikamRoot))
        previous.insert(n);
    previous.remove(name);
    out.subject.removeIf([&](const QString &k) { return previous.contains(k); });
    appendOnce(out.subject, name);
    out.hierarchical.append(kLightroomRoot + name);
    out.tagsList.append(kDigikamRoot + name);
    return out;
}

QString sidecarPath(const QString &photoPath, SidecarNaming naming)
{
    const QFileInfo photo(photoPath);
    const QString stem =
        photo.absolutePath() + QLatin1Char('/') + (naming == SidecarNaming::AppendXmp ? photo.fileName() : photo.completeBaseName());
    const QString lower = stem + QLatin1String(".xmp");
    const QString upper = stem + QLatin1String(".XMP");
    if (!QFileInfo::exists(lower) && QFileInfo::exists(upper))
        return upper;
    return lower;
}

bool hasRawExtension(const QString &path)
{
    static const QSet<QString> raw = {
        QStringLiteral("3fr"), QStringLiteral("ari"), QStringLiteral("arw"), QStringLiteral("bay"), QStringLiteral("cr2"),
        QStringLiteral("cr3"), QStringLiteral("crw"), QStringLiteral("dcr"), QStringLiteral("dng"), QStringLiteral("erf"),
        QStringLiteral("fff"), QStringLiteral("iiq"), QStringLiteral("k25"), QStringLiteral("kdc"), QStringLiteral("mef"),
        QStringLiteral("mos"), QStringLiteral("mrw"), QStringLiteral("nef"), QStringLiteral("nrw"), QStringLiteral("orf"),
        QStringLiteral("pef"), QStringLiteral("raf"), QStringLiteral("raw"), QStringLiteral("rw2"), QStringLiteral("rwl"),
        QStringLiteral("sr2"), QStringLiteral("srf"), QStringLiteral("srw"), QStringLiteral("x3f")};
    return raw.contains(QFileInfo(path).suffix().toLower());
}

bool isRaw(const QString &path, const QByteArray &head)
{
    return hasRawExtension(path) || isRawFormat(sniffImageFormat(head));
}

}   // namespace keywords
}   // namespace clade
