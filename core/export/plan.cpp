#include "export/plan.h"

namespace clade {

std::vector<ExportItem> ExportPlan::items(const QStringList &folderNames) const
{
    std::vector<ExportItem> out;
    out.reserve(std::size_t(fileCount()));
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const QString edited = qsizetype(g) < folderNames.size() ? folderNames[qsizetype(g)].simplified() : QString();
        const QString folder = edited.isEmpty() ? groups[g].name : edited;
        for (const QString &file : groups[g].files)
            out.push_back({file, folder});
    }
    return out;
}

qsizetype ExportPlan::fileCount() const
{
    qsizetype n = 0;
    for (const ExportGroup &g : groups)
        n += g.files.size();
    return n;
}

Result<ExportPlan> planRunExport(const Catalog &catalog, qint64 runId)
{
    auto run = catalog.runs().get(runId);
    if (!run)
        return fail(QStringLiteral("Cannot read run %1 from the catalog %2: %3").arg(runId).arg(catalog.path(), run.error()));
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog %2").arg(runId).arg(catalog.path()));
    if ((*run)->status != RunStatus::Done)
        return fail(QStringLiteral("Run %1 did not finish (status %2); nothing to export").arg(runId).arg(runStatusName((*run)->status)));
    auto clusters = catalog.runs().clusters(runId);
    if (!clusters)
        return fail(QStringLiteral("Cannot read the groups of run %1: %2").arg(runId).arg(clusters.error()));
    ExportPlan plan;
    plan.runId = runId;
    plan.folder = (*run)->folder;
    for (const ClusterRecord &c : *clusters) {
        if (c.removed)
            continue;
        auto members = catalog.runs().members(runId, c.index);
        if (!members)
            return fail(QStringLiteral("Cannot read the photos of group \"%1\": %2").arg(c.name, members.error()));
        ExportGroup group{c.index, c.name, {}};
        for (const PhotoRecord &p : *members) {
            if (p.state == PhotoState::Missing)
                ++plan.missing;
            else
                group.files << p.path;
        }
        plan.groups.push_back(std::move(group));
    }
    return plan;
}

}   // namespace clade
