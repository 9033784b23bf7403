#include "export/runtable.h"

#include "catalog/catalog.h"
#include "export/atomicfile.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <unordered_map>

namespace clade {
namespace {

struct Row
{
    QString path;
    int cluster = 0;
    double confidence = 0;
    bool manual = false;
    bool missing = false;
};

struct RunData
{
    RunRecord run;
    std::vector<ClusterRecord> clusters;
    std::vector<Row> rows;
};

Result<RunData> load(const Catalog &catalog, qint64 runId)
{
    auto run = catalog.runs().get(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog %2").arg(runId).arg(catalog.path()));
    RunData data{**run, {}, {}};
    auto clusters = catalog.runs().clusters(runId);
    auto assignments = clusters ? catalog.runs().assignments(runId) : Result<std::vector<AssignmentRecord>>(clusters.takeError());
    if (!assignments)
        return assignments.takeError();
    data.clusters = std::move(*clusters);
    std::erase_if(data.clusters, [](const ClusterRecord &c) { return c.removed; });   // merged away: empty
    std::unordered_map<qint64, const PhotoRecord *> byId;
    std::vector<std::vector<PhotoRecord>> members;
    for (const ClusterRecord &c : data.clusters) {
        auto m = catalog.runs().members(runId, c.index);
        if (!m)
            return m.takeError();
        members.push_back(std::move(*m));
    }
    for (const auto &list : members)
        for (const PhotoRecord &p : list)
            byId[p.id] = &p;
    for (const AssignmentRecord &a : *assignments) {
        const auto it = byId.find(a.photoId);
        if (it != byId.end())
            data.rows.push_back({it->second->path, a.clusterIndex, a.confidence, a.manual, it->second->state == PhotoState::Missing});
    }
    std::sort(data.rows.begin(), data.rows.end(),
              [](const Row &x, const Row &y) { return x.cluster != y.cluster ? x.cluster < y.cluster : x.path < y.path; });
    return data;
}

QByteArray toJson(const RunData &d)
{
    QJsonArray clusters;
    for (const ClusterRecord &c : d.clusters)
        clusters.append(toJson(c));
    QJsonArray rows;
    for (const Row &r : d.rows)
        rows.append(QJsonObject{{QStringLiteral("path"), r.path},
                                {QStringLiteral("cluster"), r.cluster},
                                {QStringLiteral("confidence"), r.confidence},
                                {QStringLiteral("manual"), r.manual},
                                {QStringLiteral("missing"), r.missing}});
    const QJsonObject root{
        {QStringLiteral("run"), toJson(d.run)}, {QStringLiteral("clusters"), clusters}, {QStringLiteral("assignments"), rows}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString cell(const QString &text)
{
    QString t = text;
    if (!t.isEmpty() && QStringLiteral("=+-@").contains(t.front()))
        t.prepend(QLatin1Char('\''));
    if (t.contains(QLatin1Char(',')) || t.contains(QLatin1Char('"')) || t.contains(QLatin1Char('\n')) || t.contains(QLatin1Char('\r'))
        || t.contains(QLatin1Char('\'')))
        return QLatin1Char('"') + t.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
    return t;
}

QString namesCell(const ClusterRecord &c)
{
    QStringList parts;
    for (const NameScore &n : c.nameScores)
        parts.append(QStringLiteral("%1:%2").arg(n.noun).arg(n.score, 0, 'f', 4));
    return cell(parts.join(QLatin1String("; ")));
}

QByteArray toCsv(const RunData &d)
{
    const RunRecord &r = d.run;
    const QString runCells = QStringList{QString::number(r.id), cell(r.folder),       cell(clusterMethodName(r.method)),
                                         cell(r.modelId),       QString::number(r.k), QString::number(r.seed)}
                                 .join(QLatin1Char(','));
    QString out = QStringLiteral("run_id,run_folder,run_method,run_model,run_k,run_seed,cluster_index,cluster_name,"
                                 "cluster_size,cluster_names,path,confidence,manual,missing\r\n");
    for (const ClusterRecord &c : d.clusters) {
        const QString clusterCells = QStringLiteral("%1,%2,%3,%4").arg(c.index).arg(cell(c.name)).arg(c.size).arg(namesCell(c));
        bool any = false;
        for (const Row &row : d.rows) {
            if (row.cluster != c.index)
                continue;
            any = true;
            out += QStringLiteral("%1,%2,%3,%4,%5,%6\r\n")
                       .arg(runCells, clusterCells, cell(row.path))
                       .arg(row.confidence, 0, 'g', 6)
                       .arg(row.manual ? 1 : 0)
                       .arg(row.missing ? 1 : 0);
        }
        if (!any)
            out += QStringLiteral("%1,%2,,,,\r\n").arg(runCells, clusterCells);
    }
    return out.toUtf8();
}

}   // namespace

std::optional<RunTableFormat> runTableFormatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return RunTableFormat::Csv;
    if (suffix == QLatin1String("json"))
        return RunTableFormat::Json;
    return std::nullopt;
}

Result<QByteArray> runTable(const Catalog &catalog, qint64 runId, RunTableFormat format)
{
    auto data = load(catalog, runId);
    if (!data)
        return data.takeError();
    return format == RunTableFormat::Json ? toJson(*data) : toCsv(*data);
}

Status writeRunTable(const Catalog &catalog, qint64 runId, const QString &path)
{
    const auto format = runTableFormatFor(path);
    if (!format)
        return fail(QStringLiteral("Cannot tell the table format of %1: name it .csv or .json").arg(path));
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (QFileInfo(absolute).exists() || QFileInfo(absolute).isSymLink())
        return fail(QStringLiteral("%1 already exists; choose another name").arg(absolute));
    if (Status st = atomicfile::checkWritable(absolute); !st)
        return st;
    auto bytes = runTable(catalog, runId, *format);
    if (!bytes)
        return bytes.takeError();
    return atomicfile::replace(absolute, *bytes, atomicfile::Snapshot{});
}

}   // namespace clade
