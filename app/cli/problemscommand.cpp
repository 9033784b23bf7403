// clade-cli problems: the files Clade could not use (a scan, metadata, decode or embedding
// problem), the latest one per file and stage, with when it was met.
#include "commands.h"

#include "commandline.h"
#include "output.h"
#include "common/paths.h"

#include <QJsonArray>
#include <QLocale>

#include <limits>

namespace clade::cli {

int runProblemsCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("problems"),
                   QStringLiteral("The files that could not be used, with the stage, the reason and the time: those under FOLDER, "
                                  "under the folder of run ID, or all of them."));
    const QCommandLineOption run{QStringLiteral("run"), QStringLiteral("Run id: the problems under its folder."), QStringLiteral("ID")};
    cl.parser.addOption(run);
    cl.parser.addPositionalArgument(QStringLiteral("FOLDER"), QStringLiteral("Photo folder (default: every folder)."),
                                    QStringLiteral("[FOLDER]"));
    if (!cl.parse(args, 0, 1))
        return cl.exitCode();
    const QStringList positional = cl.parser.positionalArguments();
    if (cl.parser.isSet(run) && !positional.isEmpty())
        return cl.usageError(QStringLiteral("give either --run ID or FOLDER, not both"));
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    QString folder = positional.isEmpty() ? QStringLiteral("/") : catalogFolderKey(positional.first());
    if (cl.parser.isSet(run)) {
        qint64 runId = 0;
        if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId))
            return Usage;
        auto found = (*catalog)->runs().get(runId);
        if (!found)
            return error(found.error());
        if (!*found)
            return error(QStringLiteral("There is no run %1 in %2").arg(runId).arg((*catalog)->path()));
        folder = (**found).folder;
    }
    auto problems = (*catalog)->photos().problemsUnder(folder);
    if (!problems)
        return error(problems.error());
    if (cl.parser.isSet(cl.json)) {
        QJsonArray list;
        for (const ProblemRecord &p : *problems)
            list.append(toJson(p));
        printJson({{QStringLiteral("folder"), folder}, {QStringLiteral("problems"), list}});
        return Ok;
    }
    print(QStringLiteral("%1 file(s) could not be used under %2.").arg(problems->size()).arg(folder));
    for (const ProblemRecord &p : *problems)
        print(QStringLiteral("  %1: %2 (%3, %4)")
                  .arg(p.path, p.message, p.stage, QLocale::c().toString(p.at.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    return Ok;
}

}   // namespace clade::cli
