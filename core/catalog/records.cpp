#include "catalog/records.h"

#include <array>
#include <utility>

namespace clade {

namespace {

constexpr std::array<std::pair<RunStatus, const char *>, 5> kRunStatusNames = {{
    {RunStatus::Running, "running"},
    {RunStatus::Done, "done"},
    {RunStatus::Failed, "failed"},
    {RunStatus::Cancelled, "cancelled"},
    {RunStatus::Interrupted, "interrupted"},
}};

constexpr std::array<std::pair<GroupOrigin, const char *>, 4> kGroupOriginNames = {{
    {GroupOrigin::Computed, ""},
    {GroupOrigin::User, "user"},
    {GroupOrigin::Split, "split"},
    {GroupOrigin::Kept, "kept"},
}};

// One table per enum: value <-> stored name, with the fallback for what the table lacks.
template<class Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &table, Enum value, const char *fallback)
{
    for (const auto &[v, name] : table)
        if (v == value)
            return QString::fromLatin1(name);
    return QString::fromLatin1(fallback);
}

template<class Enum, std::size_t N>
Enum valueOf(const std::array<std::pair<Enum, const char *>, N> &table, const QString &name, Enum fallback)
{
    for (const auto &[v, text] : table)
        if (name == QLatin1String(text))
            return v;
    return fallback;
}

}   // namespace

QString groupOriginName(GroupOrigin origin)
{
    return nameOf(kGroupOriginNames, origin, "user");
}

GroupOrigin parseGroupOrigin(const QString &name)
{
    return valueOf(kGroupOriginNames, name, GroupOrigin::User);
}

QString runStatusName(RunStatus status)
{
    return nameOf(kRunStatusNames, status, "failed");
}

RunStatus parseRunStatus(const QString &name)
{
    return valueOf(kRunStatusNames, name, RunStatus::Failed);
}

}   // namespace clade
