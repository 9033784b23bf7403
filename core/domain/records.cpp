#include "domain/records.h"

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

constexpr std::array<std::pair<CorrectionKind, const char *>, 12> kCorrectionKindNames = {{
    {CorrectionKind::Rename, "rename"},
    {CorrectionKind::Move, "move"},
    {CorrectionKind::Merge, "merge"},
    {CorrectionKind::Split, "split"},
    {CorrectionKind::Lock, "lock"},
    {CorrectionKind::Unlock, "unlock"},
    {CorrectionKind::Create, "create"},
    {CorrectionKind::Undo, "undo"},
    {CorrectionKind::Redo, "redo"},
    {CorrectionKind::Carried, "carried"},
    {CorrectionKind::Unmatched, "unmatched"},
    {CorrectionKind::Kept, "kept"},
}};

constexpr std::array<std::pair<ClusterMethod, const char *>, 3> kClusterMethodNames = {{
    {ClusterMethod::Sic, "sic"},
    {ClusterMethod::SicImageOnly, "sic-image-only"},
    {ClusterMethod::KMeans, "kmeans"},
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

QString correctionKindName(CorrectionKind kind)
{
    return nameOf(kCorrectionKindNames, kind, "unknown");
}

CorrectionKind parseCorrectionKind(const QString &name)
{
    return valueOf(kCorrectionKindNames, name, CorrectionKind::Unknown);
}

QString clusterMethodName(ClusterMethod method)
{
    return nameOf(kClusterMethodNames, method, "unknown");
}

ClusterMethod parseClusterMethod(const QString &name)
{
    return valueOf(kClusterMethodNames, name, ClusterMethod::Unknown);
}

QString runStatusName(RunStatus status)
{
    return nameOf(kRunStatusNames, status, "failed");
}

RunStatus parseRunStatus(const QString &name)
{
    return valueOf(kRunStatusNames, name, RunStatus::Failed);
}

QJsonObject toJson(const RunRecord &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("folder"), r.folder},
            {QStringLiteral("k"), r.k},
            {QStringLiteral("method"), clusterMethodName(r.method)},
            {QStringLiteral("model"), r.modelId},
            {QStringLiteral("seed"), QString::number(r.seed)},
            {QStringLiteral("params"), r.params},
            {QStringLiteral("software_version"), r.softwareVersion},
            {QStringLiteral("status"), runStatusName(r.status)},
            {QStringLiteral("semantic"), r.semantic},
            {QStringLiteral("started_at"), r.startedAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("finished_at"), r.finishedAt.toString(Qt::ISODateWithMs)}};
}

QJsonArray toJson(const std::vector<NameScore> &names)
{
    QJsonArray array;
    for (const NameScore &n : names)
        array.append(QJsonObject{{QStringLiteral("noun"), n.noun}, {QStringLiteral("score"), n.score}});
    return array;
}

QJsonObject toJson(const ClusterRecord &c)
{
    return {{QStringLiteral("index"), c.index},
            {QStringLiteral("name"), c.name},
            {QStringLiteral("size"), c.size},
            {QStringLiteral("names"), toJson(c.nameScores)}};
}

QJsonObject toJson(const CorrectionRecord &c)
{
    return {{QStringLiteral("id"), c.id},
            {QStringLiteral("at"), c.at.toString(Qt::ISODateWithMs)},
            {QStringLiteral("kind"), correctionKindName(c.kind)},
            {QStringLiteral("run"), c.runId},
            {QStringLiteral("cluster"), c.clusterId},
            {QStringLiteral("detail"), c.detail}};
}

QJsonObject toJson(const ProblemRecord &p)
{
    QJsonObject o{{QStringLiteral("path"), p.path}, {QStringLiteral("stage"), p.stage}, {QStringLiteral("error"), p.message}};
    if (p.at.isValid())
        o.insert(QStringLiteral("at"), p.at.toString(Qt::ISODateWithMs));
    return o;
}

}   // namespace clade
