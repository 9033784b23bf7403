#include "pipeline/naming.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace clade {

namespace {

// Values that at least `share` of the members have, most common first (at most `limit`).
QStringList commonValues(const std::vector<QString> &values, std::size_t total, double share, int limit)
{
    QHash<QString, int> counts;
    for (const QString &v : values) {
        if (!v.isEmpty())
            ++counts[v];
    }
    QList<QPair<int, QString>> ranked;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() >= share * double(total))
            ranked.append({it.value(), it.key()});
    }
    std::sort(ranked.begin(), ranked.end(),
              [](const auto &a, const auto &b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    QStringList out;
    for (int i = 0; i < std::min<qsizetype>(limit, ranked.size()); ++i)
        out << ranked[i].second;
    return out;
}

QString dateRange(const std::vector<const PhotoRecord *> &members)
{
    std::vector<int> years;
    for (const PhotoRecord *p : members) {
        if (p->meta.takenAt.isValid())
            years.push_back(p->meta.takenAt.date().year());
    }
    if (years.empty() || years.size() * 2 < members.size())
        return QString();
    std::sort(years.begin(), years.end());
    // The central 80% of dates, so one stray photo does not stretch the range.
    const int low = years[years.size() / 10];
    const int high = years[years.size() - 1 - years.size() / 10];
    return low == high ? QString::number(low) : QStringLiteral("%1–%2").arg(low).arg(high);
}

}   // namespace

QString describeByLook(const std::vector<const PhotoRecord *> &members)
{
    if (members.empty())
        return QString();
    std::vector<QString> colours;
    std::vector<QString> cameras;
    for (const PhotoRecord *p : members) {
        colours.push_back(p->colour);
        cameras.push_back(p->meta.camera());
    }
    QStringList parts = commonValues(colours, members.size(), 0.25, 2);
    if (parts.size() == 2)
        parts = QStringList{parts.join(QLatin1Char('/'))};
    if (const QString dates = dateRange(members); !dates.isEmpty())
        parts << dates;
    parts << commonValues(cameras, members.size(), 0.5, 1);
    return parts.join(QStringLiteral(" · "));
}

QString nameFromNouns(const std::vector<NameScore> &names, int maxNouns)
{
    QStringList nouns;
    for (const NameScore &n : names) {
        if (nouns.size() >= maxNouns)
            break;
        if (!nouns.contains(n.noun))
            nouns << n.noun;
    }
    return nouns.join(QStringLiteral(" · "));
}

void makeUnique(QStringList &names)
{
    QSet<QString> used;
    for (int i = 0; i < names.size(); ++i) {
        QString base = names[i].trimmed();
        if (base.isEmpty())
            base = QStringLiteral("Group %1").arg(i + 1);
        QString candidate = base;
        for (int n = 2; used.contains(candidate); ++n)
            candidate = QStringLiteral("%1 (%2)").arg(base).arg(n);
        used.insert(candidate);
        names[i] = candidate;
    }
}

}   // namespace clade
