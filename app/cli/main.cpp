// clade-cli: the headless Clade. Every command takes --catalog PATH and --json.
#include "commands.h"
#include "output.h"
#ifdef CLADE_HAVE_TORCH
#include "clipcommands.h"
#include "siccommands.h"
#endif

#include "common/openmpenv.h"
#include "common/paths.h"

#include <QCoreApplication>

#include <functional>
#include <map>

namespace {

struct Command
{
    std::function<int(const QStringList &)> run;
    const char *summary;
};

const std::map<QString, Command> &commands()
{
    using namespace clade::cli;
    static const std::map<QString, Command> table = {
        {QStringLiteral("scan"), {runScanCommand, "scan FOLDER                     bring the catalog up to date"}},
        {QStringLiteral("cluster"), {runClusterCommand, "cluster FOLDER --k K [--seed S]  sort photos into K groups"}},
        {QStringLiteral("export"),
         {runExportCommand,
          "export --run ID (--to DIR [--mode M] [--dry-run] | --keywords sidecar|embedded | --table F.csv|F.json) | --undo MANIFEST"}},
        {QStringLiteral("rename"), {runRenameCommand, "rename --run ID --cluster N NAME  name a cluster; re-runs keep it"}},
        {QStringLiteral("correct"),
         {runCorrectCommand,
          "correct --run ID (--move-to N PHOTO... | --merge A --into B | --split N | --lock N | --unlock N | --new-group NAME)"}},
        {QStringLiteral("diagnose"),
         {runDiagnoseCommand, "diagnose --run ID [--json]        cohesion, borderline photos, split hints per group"}},
        {QStringLiteral("models"),
         {runModelsCommand, "models list|install ID|import FILE [--as ID]|remove ID|use ID|verify [ID]  CLIP models"}},
        {QStringLiteral("problems"),
         {runProblemsCommand, "problems [--run ID | FOLDER] [--json]  files that could not be used: stage, why, when"}},
        {QStringLiteral("rename-all"),
         {runRenameAllCommand, "rename-all --run ID [--vocabulary LIST|FILE] [--words FILE]  name a run's groups again"}},
        {QStringLiteral("search"),
         {runSearchCommand, "search TEXT [--limit N] [--offset M] [--json]  photos of the catalog like a description (CLIP)"}},
        {QStringLiteral("similar"), {runSimilarCommand, "similar PHOTO [--limit N] [--offset M] [--json]  photos of the catalog like one"}},
        {QStringLiteral("check"),
         {runCheckCommand, "check [--repair] [--json]        catalog integrity: SQLite's checks and Clade's invariants"}},
        {QStringLiteral("info"), {runInfoCommand, "info [--json]                   device, threads, BLAS, OpenMP wait policy, paths"}},
        {QStringLiteral("eval"), {runEvalCommand, "eval FOLDER --k K               ACC/NMI/ARI against sub-folder labels"}},
#ifdef CLADE_HAVE_TORCH
        {QStringLiteral("sic"), {runSicCommand, "sic --image-features F.npy ...  SIC on embeddings"}},
        {QStringLiteral("kmeans"), {runKMeansCommand, "kmeans --image-features F.npy    k-means baseline on embeddings"}},
        {QStringLiteral("score"), {runScoreCommand, "score --labels L.tsv --truth T   ACC/NMI/ARI of a labelling"}},
        {QStringLiteral("tokenize"), {runTokenize, "tokenize [--vocab F] TEXT...     CLIP token ids, one line per text"}},
        {QStringLiteral("encode-images"), {runEncodeImages, "encode-images --model F --out O.npy (IMAGES...|--tensors T.npy)"}},
        {QStringLiteral("encode-texts"), {runEncodeTexts, "encode-texts --model F --out O.npy TEXT..."}},
#endif
    };
    return table;
}

int usage(int code)
{
    QString text = QStringLiteral("Usage: clade-cli COMMAND [options]   (clade-cli COMMAND --help for details)\n\nCommands:\n");
    for (const auto &[name, command] : commands())
        text += QStringLiteral("  %1\n").arg(QString::fromUtf8(command.summary));
    text += QStringLiteral("\nCommands on the catalog take --catalog PATH (default %1), --json and --quiet;\n"
                           "the others list theirs in COMMAND --help.")
                .arg(clade::defaultCatalogPath());
    if (code == 0)
        clade::cli::print(text);
    else
        std::fprintf(stderr, "%s\n", text.toLocal8Bit().constData());
    return code;
}

}   // namespace

int main(int argc, char **argv)
{
    clade::ensurePassiveOpenMpWait(argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clade"));
    QCoreApplication::setApplicationVersion(clade::softwareVersion());
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty())
        return usage(clade::cli::Usage);
    const QString name = args.takeFirst();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help"))
        return usage(clade::cli::Ok);
    if (name == QLatin1String("--version")) {
        clade::cli::print(QStringLiteral("clade-cli %1").arg(clade::softwareVersion()));
        return clade::cli::Ok;
    }
    const auto it = commands().find(name);
    if (it == commands().end())
        return clade::cli::error(QStringLiteral("unknown command '%1' (see clade-cli --help)").arg(name), clade::cli::Usage);
    clade::cli::setCommandName(name);
    return it->second.run(args);
}
