// clade-cli export: one folder per cluster of a run and its undo, XMP keywords for a run's
// photos, and a run as a CSV/JSON table.
#include "commands.h"

#include "commandline.h"
#include "export/catalogfollow.h"
#include "export/exporter.h"
#include "export/runtable.h"
#include "export/plan.h"
#include "output.h"
#include "xmpkeywordwriter.h"

#include <QFileInfo>
#include <QJsonArray>

#include <cstdio>

namespace clade::cli {

namespace {

QJsonObject actionJson(const ExportAction &a)
{
    QJsonObject o{{QStringLiteral("source"), a.source},
                  {QStringLiteral("destination"), a.destination},
                  {QStringLiteral("mode"), exportModeName(a.mode)},
                  {QStringLiteral("status"), a.status}};
    if (!a.error.isEmpty())
        o.insert(QStringLiteral("error"), a.error);
    return o;
}

int undo(const CommandLine &cl, const QString &manifest)
{
    Progress progress(stderrProgress(cl.quietProgress()));
    // The files come back even when the catalog cannot be opened; its records follow them at
    // its next opening then (catalogfollow.h).
    auto catalog = cl.openCatalog();
    if (!catalog)
        std::fprintf(stderr, "clade-cli: %s; undoing the files only\n", qPrintable(catalog.error()));
    auto report = catalog ? undoFollowingCatalog(**catalog, manifest, &progress) : undoExport(manifest, &progress);
    if (!report)
        return error(report.error());
    if (cl.parser.isSet(cl.json)) {
        printJson({{QStringLiteral("manifest"), manifest},
                   {QStringLiteral("restored"), report->restored},
                   {QStringLiteral("removed"), report->removed},
                   {QStringLiteral("skipped"), report->skipped},
                   {QStringLiteral("failed"), report->failed},
                   {QStringLiteral("messages"), QJsonArray::fromStringList(report->messages)}});
    } else {
        print(QStringLiteral("Undone %1: %2 moved back, %3 copies/links removed, %4 left alone, %5 failed.")
                  .arg(manifest)
                  .arg(report->restored)
                  .arg(report->removed)
                  .arg(report->skipped)
                  .arg(report->failed));
        for (const QString &m : report->messages)
            print(QStringLiteral("  %1").arg(m));
    }
    return report->failed == 0 ? Ok : Failed;
}

// The files of a finished run, each with its group's name (core/export/plan.h); says on stderr
// how many members are missing, as the Export dialog does.
Result<std::vector<ExportItem>> runItems(const Catalog &catalog, qint64 runId)
{
    auto plan = planRunExport(catalog, runId);
    if (!plan)
        return plan.takeError();
    if (plan->missing > 0)
        std::fprintf(stderr, "%d photo(s) of run %lld are missing from the folder and are left out.\n", plan->missing,
                     static_cast<long long>(runId));
    return plan->items();
}

struct KeywordFlags
{
    QCommandLineOption keywords{QStringLiteral("keywords"),
                                QStringLiteral("Write cluster names as XMP keywords: sidecar or embedded (JPEG/TIFF only)."),
                                QStringLiteral("WHERE")};
    QCommandLineOption sidecarName{QStringLiteral("sidecar-name"),
                                   QStringLiteral("Sidecar naming: ext (photo.jpg.xmp, default) or replace (photo.xmp)."),
                                   QStringLiteral("NAMING"), QStringLiteral("ext")};
    QCommandLineOption keepMtime{QStringLiteral("keep-mtime"), QStringLiteral("Embedded mode: keep each photo's modification time.")};
    QCommandLineOption table{QStringLiteral("table"), QStringLiteral("Write the run as a table (FILE.csv or FILE.json)."),
                             QStringLiteral("FILE")};
};

Result<KeywordOptions> keywordOptions(const CommandLine &cl, const KeywordFlags &f)
{
    KeywordOptions o;
    const QString where = cl.parser.value(f.keywords).toLower();
    const QString naming = cl.parser.value(f.sidecarName).toLower();
    if (where != QLatin1String("sidecar") && where != QLatin1String("embedded"))
        return fail(QStringLiteral("export: unknown --keywords '%1' (sidecar or embedded)").arg(where));
    if (naming != QLatin1String("ext") && naming != QLatin1String("replace"))
        return fail(QStringLiteral("export: unknown --sidecar-name '%1' (ext or replace)").arg(naming));
    o.target = where == QLatin1String("sidecar") ? KeywordTarget::Sidecar : KeywordTarget::Embedded;
    o.naming = naming == QLatin1String("ext") ? SidecarNaming::AppendXmp : SidecarNaming::ReplaceExtension;
    o.keepModifiedTime = cl.parser.isSet(f.keepMtime);
    return o;
}

void printKeywordReport(const CommandLine &cl, const KeywordWriteReport &r)
{
    if (cl.parser.isSet(cl.json)) {
        QJsonArray files;
        for (const KeywordResult &k : r.results) {
            QJsonObject o{{QStringLiteral("photo"), k.photoPath},
                          {QStringLiteral("target"), k.targetPath},
                          {QStringLiteral("outcome"), keywordOutcomeName(k.outcome)}};
            if (!k.error.isEmpty())
                o.insert(QStringLiteral("error"), k.error);
            files.append(o);
        }
        printJson({{QStringLiteral("written"), r.written},
                   {QStringLiteral("unchanged"), r.unchanged},
                   {QStringLiteral("skipped_raw"), r.skippedRaw},
                   {QStringLiteral("skipped_format"), r.skippedFormat},
                   {QStringLiteral("failed"), r.failed},
                   {QStringLiteral("cancelled"), r.cancelled},
                   {QStringLiteral("files"), files}});
        return;
    }
    for (const KeywordResult &k : r.results) {
        if (k.outcome == KeywordOutcome::Failed)
            print(QStringLiteral("failed  %1  (%2)").arg(k.photoPath, k.error));
    }
    print(QStringLiteral("Keywords: %1 written, %2 unchanged, %3 RAW skipped, %4 other formats skipped, %5 failed.")
              .arg(r.written)
              .arg(r.unchanged)
              .arg(r.skippedRaw)
              .arg(r.skippedFormat)
              .arg(r.failed));
}

int writeKeywords(const CommandLine &cl, const KeywordFlags &f, const Catalog &catalog, qint64 runId)
{
    auto options = keywordOptions(cl, f);
    if (!options)
        return cl.usageError(options.error());
    auto items = runItems(catalog, runId);
    if (!items)
        return error(items.error());
    std::vector<KeywordJob> jobs;
    for (const ExportItem &item : *items)
        jobs.push_back({item.source, item.group});
    Progress progress(stderrProgress(cl.quietProgress()));
    auto report = writeClusterKeywords(jobs, *options, &progress);
    if (!report)
        return error(report.error());
    printKeywordReport(cl, *report);
    return report->failed == 0 && !report->cancelled ? Ok : Failed;
}

int writeTable(const CommandLine &cl, const Catalog &catalog, qint64 runId, const QString &path)
{
    if (Status st = writeRunTable(catalog, runId, path); !st)
        return error(st.error());
    if (cl.parser.isSet(cl.json))
        printJson({{QStringLiteral("table"), QFileInfo(path).absoluteFilePath()}, {QStringLiteral("run"), runId}});
    else
        print(QStringLiteral("Wrote run %1 to %2").arg(runId).arg(QFileInfo(path).absoluteFilePath()));
    return Ok;
}

}   // namespace

int runExportCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("export"),
                   QStringLiteral("Export a run as one folder per cluster (--to), as XMP keywords (--keywords) or as a table (--table), "
                                  "or undo a folder export from its manifest."));
    QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id (see clade-cli cluster)."), QStringLiteral("ID"));
    QCommandLineOption to(QStringLiteral("to"), QStringLiteral("Target folder for one folder per cluster."), QStringLiteral("DIR"));
    QCommandLineOption mode(QStringLiteral("mode"), QStringLiteral("copy (default), move, symlink or hardlink."), QStringLiteral("MODE"),
                            QStringLiteral("copy"));
    QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("List what would happen; touch nothing."));
    QCommandLineOption undoOption(QStringLiteral("undo"), QStringLiteral("Undo the export of this manifest."), QStringLiteral("MANIFEST"));
    const KeywordFlags kf;
    cl.parser.addOptions({run, to, mode, dryRun, undoOption, kf.keywords, kf.sidecarName, kf.keepMtime, kf.table});
    if (!cl.parse(args, 0, 0))
        return cl.exitCode();
    if (cl.parser.isSet(undoOption))
        return undo(cl, cl.parser.value(undoOption));
    const int targets = int(cl.parser.isSet(to)) + int(cl.parser.isSet(kf.keywords)) + int(cl.parser.isSet(kf.table));
    if (!cl.parser.isSet(run) || targets != 1)
        return cl.usageError(QStringLiteral("--run and one of --to, --keywords or --table are required (or --undo MANIFEST)"));
    qint64 runId = 0;
    if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId))
        return Usage;
    if (!cl.parser.isSet(to)) {
        auto catalog = cl.openCatalog();
        if (!catalog)
            return error(catalog.error());
        return cl.parser.isSet(kf.table) ? writeTable(cl, **catalog, runId, cl.parser.value(kf.table))
                                         : writeKeywords(cl, kf, **catalog, runId);
    }
    const auto exportMode = exportModeFromName(cl.parser.value(mode));
    if (!exportMode)
        return cl.usageError(QStringLiteral("unknown --mode '%1' (copy, move, symlink or hardlink)").arg(cl.parser.value(mode)));
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    auto items = runItems(**catalog, runId);
    if (!items)
        return error(items.error());
    ExportOptions options;
    options.targetRoot = cl.parser.value(to);
    options.mode = *exportMode;
    options.dryRun = cl.parser.isSet(dryRun);
    options.runId = runId;
    Progress progress(stderrProgress(cl.quietProgress()));
    auto report = exportFollowingCatalog(**catalog, *items, options, &progress);
    if (!report)
        return error(report.error());
    for (const QString &message : report->messages)
        std::fprintf(stderr, "%s\n", qPrintable(message));
    if (cl.parser.isSet(cl.json)) {
        QJsonArray actions;
        for (const ExportAction &a : report->actions)
            actions.append(actionJson(a));
        printJson({{QStringLiteral("manifest"), report->manifestPath},
                   {QStringLiteral("dry_run"), options.dryRun},
                   {QStringLiteral("done"), report->done},
                   {QStringLiteral("failed"), report->failed},
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
                      .arg(report->done)
                      .arg(report->failed)
                      .arg(report->manifestPath));
    }
    return report->failed == 0 ? Ok : Failed;
}

}   // namespace clade::cli
