// clade-cli rename: the user's name for a cluster of a run. A later `cluster` run of the same
// folder keeps it on the cluster that continues this one (or reports that none does).
#include "commands.h"

#include "commandline.h"
#include "output.h"

#include <limits>

namespace clade::cli {

int runRenameCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("rename"), QStringLiteral("Name a cluster of a run (an empty NAME gives back the computed name)."));
    const QCommandLineOption run{QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID")};
    const QCommandLineOption cluster{QStringLiteral("cluster"), QStringLiteral("Cluster number in the run (0..K-1, as listed)."),
                                     QStringLiteral("N")};
    cl.parser.addOptions({run, cluster});
    cl.parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The new name."));
    if (!cl.parse(args, 1, 1))
        return cl.exitCode();
    qint64 runId = 0, index = 0;
    if (!cl.parser.isSet(run) || !cl.parser.isSet(cluster))
        return cl.usageError(QStringLiteral("needs --run ID and --cluster N"));
    if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId) || !cl.intValue(cluster, 0, 1 << 20, index))
        return Usage;
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    auto clusters = (*catalog)->runs().clusters(runId);
    if (!clusters)
        return error(clusters.error());
    if (clusters->empty())
        return error(QStringLiteral("Run %1 has no clusters in %2").arg(runId).arg((*catalog)->path()));
    if (index >= qint64(clusters->size()))
        return error(QStringLiteral("Run %1 has clusters 0..%2, not %3").arg(runId).arg(clusters->size() - 1).arg(index));
    const ClusterRecord &target = (*clusters)[std::size_t(index)];
    CorrectionRequest request;   // through the application core, as the GUI renames
    request.kind = CorrectionRequest::Kind::Rename;
    request.runId = runId;
    request.group = int(index);
    request.name = cl.parser.positionalArguments().first();
    if (const Result<CorrectionStep> step = applyCorrection(cl.catalogPath(), std::move(request)); !step)
        return error(step.error());
    const QString now = (*catalog)->runs().clusters(runId).value()[std::size_t(index)].name;
    if (cl.parser.isSet(cl.json))
        printJson({{QStringLiteral("run"), runId},
                   {QStringLiteral("cluster"), index},
                   {QStringLiteral("from"), target.name},
                   {QStringLiteral("name"), now}});
    else
        print(QStringLiteral("Run %1, cluster #%2: \"%3\" is now \"%4\".").arg(runId).arg(index).arg(target.name, now));
    return Ok;
}

}   // namespace clade::cli
