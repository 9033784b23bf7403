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

} // namespace

QString groupOriginName(GroupOrigin origin)
{
    for (const auto &[value, name] : kGroupOriginNames)
        if (value == origin)
            return QString::fromLatin1(name);
    return QStringLiteral("user");
}

GroupOrigin parseGroupOrigin(const QString &name)
{
    for (const auto &[value, text] : kGroupOriginNames)
        if (name == QLatin1String(text))
            return value;
    return GroupOrigin::User;
}

QString runStatusName(RunStatus status)
{
    for (const auto &[value, name] : kRunStatusNames)
        if (value == status)
            return QString::fromLatin1(name);
    return QStringLiteral("failed");
}

RunStatus parseRunStatus(const QString &name)
{
    for (const auto &[value, text] : kRunStatusNames)
        if (name == QLatin1String(text))
            return value;
    return RunStatus::Failed;
}

} // namespace clade
