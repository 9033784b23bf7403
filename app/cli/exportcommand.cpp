// clade-cli export: one folder per cluster of a run, and its undo.
#include "commands.h"

#include "commandline.h"
#include "export/exporter.h"
#include "output.h"

#include <QJsonArray>

namespace clade::cli {

namespace {

QJsonObject actionJson(const ExportAction &a)
{
    QJsonObject o{{QStringLiteral("source"), a.source}, {QStringLiteral("destination"), a.destination},
                  {QStringLiteral("mode"), exportModeName(a.mode)}, {QStringLiteral("status"), a.status}};
    if (!a.error.isEmpty())
        o.insert(QStringLiteral("error"), a.error);
    return o;
}

int undo(const CommandLine &cl, const QString &manifest)
{
    Progress progress(stderrProgress(cl.parser.isSet(cl.quiet) || cl.parser.isSet(cl.json)));
    auto report = undoExport(manifest, &progress);
    if (!report)
        return error(report.error());
    if (cl.parser.isSet(cl.json)) {
        printJson({{QStringLiteral("manifest"), manifest}, {QStringLiteral("restored"), report->restored},
                   {QStringLiteral("removed"), report->removed}, {QStringLiteral("skipped"), report->skipped},
                   {QStringLiteral("failed"), report->failed},
                   {QStringLiteral("messages"), QJsonArray::fromStringList(report->messages)}});
    } else {
        print(QStringLiteral("Undone %1: %2 moved back, %3 copies/links removed, %4 left alone, %5 failed.")
                  .arg(manifest).arg(report->restored).arg(report->removed).arg(report->skipped).arg(report->failed));
        for (const QString &m : report->messages)
            print(QStringLiteral("  %1").arg(m));
    }
    return report->failed == 0 ? Ok : Failed;
}

Result<std::vector<ExportItem>> runItems(const Catalog &catalog, qint64 runId)
{
    auto run = catalog.run(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog %2").arg(runId).arg(catalog.path()));
    if ((*run)->status != QLatin1String("done"))
        return fail(QStringLiteral("Run %1 did not finish (status %2); nothing to export").arg(runId).arg((*run)->status));
    auto clusters = catalog.clusters(runId);
    if (!clusters)
        return clusters.takeError();
    std::vector<ExportItem> items;
    for (const ClusterRecord &c : *clusters) {
        auto members = catalog.clusterMembers(runId, c.index);
        if (!members)
            return members.takeError();
        for (const PhotoRecord &p : *members) {
            if (p.state != PhotoState::Missing)
                items.push_back({p.path, c.name});
        }
    }
    return items;
}

} // namespace

int runExportCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("export"),
                   QStringLiteral("Export a run as one folder per cluster, or undo an export from its manifest."));
    QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id (see clade-cli cluster)."), QStringLiteral("ID"));
    QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Target folder."), QStringLiteral("DIR"));
    QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("copy (default), move, symlink or hardlink."),
                            QStringLiteral("MODE"), QStringLiteral("copy"));
    QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("List what would happen; touch nothing."));
    QCommandLineOption undoOption(QStringLiteral("undo"), QStringLiteral("Undo the export of this manifest."),
                                  QStringLiteral("MANIFEST"));
    cl.parser.addOptions({run, to, mode, dryRun, undoOption});
    if (!cl.parse(args, 0, 0))
        return cl.exitCode();
    if (cl.parser.isSet(undoOption))
        return undo(cl, cl.parser.value(undoOption));
    if (!cl.parser.isSet(run) || !cl.parser.isSet(to))
        return error(QStringLiteral("export: --run and --to are required (or --undo MANIFEST)"), Usage);
    qint64 runId = 0;
    if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId))
        return Usage;
    const auto exportMode = exportModeFromName(cl.parser.value(mode));
    if (!exportMode)
        return error(QStringLiteral("export: unknown --mode '%1' (copy, move, symlink or hardlink)").arg(cl.parser.value(mode)), Usage);
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    auto items = runItems(**catalog, runId);
    if (!items)
        return error(items.error());
    ExportOptions options{cl.parser.value(to), *exportMode, cl.parser.isSet(dryRun), runId};
    Progress progress(stderrProgress(cl.parser.isSet(cl.quiet) || cl.parser.isSet(cl.json)));
    auto report = exportGroups(*items, options, &progress);
    if (!report)
        return error(report.error());
    if (cl.parser.isSet(cl.json)) {
        QJsonArray actions;
        for (const ExportAction &a : report->actions)
            actions.append(actionJson(a));
        printJson({{QStringLiteral("manifest"), report->manifestPath}, {QStringLiteral("dry_run"), options.dryRun},
                   {QStringLiteral("done"), report->done}, {QStringLiteral("failed"), report->failed},
                   {QStringLiteral("actions"), actions}});
    } else {
        for (const ExportAction &a : report->actions) {
            if (!options.dryRun && a.error.isEmpty())
                continue;
            QString line = a.status + QStringLiteral("  ") + a.source + QStringLiteral(" -> ") + a.destination;
            if (!a.error.isEmpty())
                line += QStringLiteral("  (") + a.error + QLatin1Char(')');
            print(line);
        }
        if (options.dryRun)
            print(QStringLiteral("Dry run: %1 file(s) would be exported; nothing was touched.").arg(report->actions.size()));
        else
            print(QStringLiteral("Exported %1 file(s), %2 failed. Manifest: %3\nUndo with: clade-cli export --undo '%3'")
                      .arg(report->done).arg(report->failed).arg(report->manifestPath));
    }
    return report->failed == 0 ? Ok : Failed;
}

} // namespace clade::cli
