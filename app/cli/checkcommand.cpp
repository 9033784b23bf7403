// clade-cli check: is the catalog sound? SQLite's integrity and foreign-key checks plus Clade's
// own invariants (core/catalog/integrity.h); --repair fixes what loses nothing the user made.
#include "commandline.h"
#include "commands.h"
#include "output.h"

#include "catalog/integrity.h"

namespace clade::cli {

int runCheckCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("check"),
                   QStringLiteral("Check the catalog: SQLite's integrity and foreign keys, and that assignments, runs "
                                  "and embeddings agree. Exit 0 when sound (after --repair: when all was repaired)."));
    const QCommandLineOption repair(QStringLiteral("repair"),
                                    QStringLiteral("Remove rows that point at nothing and embeddings of the wrong size "
                                                   "(they are computed again). Never touches a damaged file."));
    cl.parser.addOption(repair);
    if (!cl.parse(args, 0, 0))
        return cl.exitCode();
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    auto report = checkCatalog(**catalog, cl.parser.isSet(repair));
    if (!report)
        return error(report.error());
    if (cl.parser.isSet(cl.json)) {
        QJsonObject out = report->toJson();
        out.insert(QStringLiteral("catalog"), (*catalog)->path());
        printJson(out);
        return report->ok() ? Ok : Failed;
    }
    print(QStringLiteral("Catalog %1").arg((*catalog)->path()));
    print(report->sound() ? QStringLiteral("  SQLite integrity: ok") : QStringLiteral("  SQLite integrity: DAMAGED"));
    if (!report->sound()) {
        for (const QString &line : report->sqlite)
            print(QStringLiteral("    %1").arg(line));
    }
    for (const IntegrityFinding &f : report->findings)
        print(QStringLiteral("  %1: %2%3")
                  .arg(f.check, f.message,
                       f.repaired     ? QStringLiteral(" (repaired)")
                       : f.repairable ? QStringLiteral(" (--repair fixes it)")
                                      : QString()));
    print(report->ok() ? QStringLiteral("Sound.") : QStringLiteral("Not sound."));
    return report->ok() ? Ok : Failed;
}

}   // namespace clade::cli
