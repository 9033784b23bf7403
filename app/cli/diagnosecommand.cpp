// clade-cli diagnose: how well each group of a run holds together (cluster/diagnostics.h).
#include "commands.h"

#include "commandline.h"
#include "output.h"
#include "pipeline/rundiagnostics.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace clade::cli {

int runDiagnoseCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("diagnose"),
                   QStringLiteral("For each group of a run: cohesion (mean cosine to its centre, 1 = all alike), photos nearly as "
                                  "close to another group (borderline), and whether it looks like two groups (split ratio: the "
                                  "spread left after a 2-means split)."));
    const QCommandLineOption run{QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID")};
    cl.parser.addOption(run);
    if (!cl.parse(args, 0, 0))
        return cl.exitCode();
    qint64 runId = 0;
    if (!cl.parser.isSet(run))
        return cl.usageError(QStringLiteral("needs --run ID"));
    if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId))
        return Usage;
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    auto diagnostics = diagnoseRun(**catalog, runId);
    if (!diagnostics)
        return error(diagnostics.error());
    auto clusters = (*catalog)->runs().clusters(runId);
    if (!clusters)
        return error(clusters.error());
    QJsonArray json;
    if (!cl.parser.isSet(cl.json))
        print(QStringLiteral("group  cohesion  borderline  split ratio  photos  name"));
    for (const ClusterRecord &c : *clusters) {
        if (c.removed || std::size_t(c.index) >= diagnostics->clusters.size())
            continue;
        const ClusterDiagnostics &d = diagnostics->clusters[std::size_t(c.index)];
        json.append(QJsonObject{{QStringLiteral("index"), c.index},
                                {QStringLiteral("name"), c.name},
                                {QStringLiteral("size"), d.size},
                                {QStringLiteral("cohesion"), d.cohesion},
                                {QStringLiteral("borderline"), d.borderline},
                                {QStringLiteral("splitRatio"), d.splitRatio},
                                {QStringLiteral("looksBimodal"), d.looksBimodal}});
        // Groups too small for the split test show "-".
        const QString split = d.size < DiagnosticsOptions{}.minSizeForSplit ? QStringLiteral("-") : QString::number(d.splitRatio, 'f', 2);
        if (!cl.parser.isSet(cl.json))
            print(QStringLiteral("#%1  %2  %3  %4%5  %6  %7")
                      .arg(c.index, -4)
                      .arg(d.cohesion, 8, 'f', 3)
                      .arg(d.borderline, 10)
                      .arg(split, 11)
                      .arg(d.looksBimodal ? QStringLiteral("*") : QStringLiteral(" "))
                      .arg(d.size, 6)
                      .arg(c.name));
    }
    if (cl.parser.isSet(cl.json))
        printJson({{QStringLiteral("run"), runId}, {QStringLiteral("clusters"), json}});
    else
        print(QStringLiteral("* looks like two groups: `clade-cli correct --split N` may help."));
    return Ok;
}

}   // namespace clade::cli
