#include "namecleaning.h"

#include <QSet>

namespace clade {

QString nameKey(const QString &noun)
{
    QString base = noun.toLower();
    if (const int bracket = int(base.indexOf(QLatin1Char('('))); bracket > 0)
        base.truncate(bracket);
    QString key;
    for (const QChar c : std::as_const(base)) {
        if (c.isLetterOrNumber())
            key.append(c);
    }
    auto endsWith = [&key](const char *s) { return key.endsWith(QLatin1String(s)); };
    if (key.size() > 4 && endsWith("ies"))
        key = key.left(key.size() - 3) + QLatin1Char('y');
    else if (key.size() > 4 && (endsWith("sses") || endsWith("xes") || endsWith("zes") || endsWith("ches") || endsWith("shes")))
        key.chop(2);
    else if (key.size() > 3 && endsWith("s") && !endsWith("ss") && !endsWith("us") && !endsWith("is"))
        key.chop(1);
    return key.isEmpty() ? noun.toLower() : key;
}

std::vector<NameScore> cleanNames(const std::vector<NameScore> &names, double scoreRatio, int count)
{
    std::vector<NameScore> out;
    if (names.empty() || count < 1)
        return out;
    const double top = names.front().score;
    QSet<QString> seen;
    for (const NameScore &name : names) {
        if (int(out.size()) >= count)
            break;
        if (!out.empty() && (top <= 0 || name.score < scoreRatio * top))
            continue;
        const QString key = nameKey(name.noun);
        if (seen.contains(key))
            continue;
        seen.insert(key);
        out.push_back(name);
    }
    return out;
}

}   // namespace clade
