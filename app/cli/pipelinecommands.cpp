// clade-cli scan, cluster and eval: the pipeline on a folder.
#include "commands.h"

#include "cluster/metrics.h"
#include "commandline.h"
#include "common/paths.h"
#include "output.h"
#include "pipeline/evaluation.h"
#include "service/appcore.h"
#include "services.h"
#include "sicoptions.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <functional>
#include <optional>

namespace clade::cli {

namespace {

// The vocabulary groups are named from (cluster, eval, rename-all).
struct VocabularyFlags
{
    QCommandLineOption vocabulary{QStringLiteral("vocabulary"),
                                  QStringLiteral("Nouns the groups are named from: tagged (default: everyday WordNet nouns), cleaned (all "
                                                 "of WordNet), wordnet (as the SIC authors read it) or a word-list FILE."),
                                  QStringLiteral("LIST"), QStringLiteral("tagged")};
    QCommandLineOption words{QStringLiteral("words"), QStringLiteral("Your own words, one per line, added to the vocabulary."),
                             QStringLiteral("FILE")};

    void addTo(QCommandLineParser &parser) const { parser.addOptions({vocabulary, words}); }
    Result<VocabularyChoice> read(const CommandLine &cl) const
    {
        auto choice = parseVocabularySource(cl.parser.value(vocabulary));
        if (!choice)
            return choice;
        if (cl.parser.isSet(words)) {
            auto list = readWordList(cl.parser.value(words));
            if (!list)
                return fail(QStringLiteral("Cannot read --words %1: %2").arg(cl.parser.value(words), list.error()));
            choice->words = *list;
        }
        return choice;
    }
};

// The options shared by cluster and eval.
struct ClusterOptions
{
    VocabularyFlags vocabulary;
    QCommandLineOption k{QStringLiteral("k"), QStringLiteral("Number of groups."), QStringLiteral("K")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Random seed (default 0)."), QStringLiteral("S"), QStringLiteral("0")};
    QCommandLineOption method{QStringLiteral("method"), QStringLiteral("auto, sic or kmeans (default auto)."), QStringLiteral("M"),
                              QStringLiteral("auto")};
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("CLIP weights file or folder (default: the active model)."),
                             QStringLiteral("FILE")};
    QCommandLineOption trust{QStringLiteral("trust-file"),
                             QStringLiteral("Load a TorchScript --model the catalogue does not vouch for (it can carry code).")};

    void addTo(QCommandLineParser &parser)
    {
        parser.addOptions({k, seed, method, model, trust});
        vocabulary.addTo(parser);
        addSicOptions(parser);
    }
    bool read(const CommandLine &cl, PipelineOptions &out) const
    {
        if (!cl.parser.isSet(k))
            return cl.usageError(QStringLiteral("--k is required")), false;
        qint64 kValue = 0;
        qint64 seedValue = 0;
        if (!cl.intValue(k, 1, 10000, kValue) || !cl.intValue(seed, 0, std::numeric_limits<qint64>::max(), seedValue))
            return false;
        out.k = int(kValue);
        out.seed = quint64(seedValue);
        return true;
    }
};

QJsonArray problemsJson(const std::vector<ProblemRecord> &problems)
{
    QJsonArray out;
    for (const ProblemRecord &p : problems)
        out.append(toJson(p));
    return out;
}

void printProblems(const std::vector<ProblemRecord> &problems)
{
    if (problems.empty())
        return;
    print(QStringLiteral("\n%1 file(s) could not be used:").arg(problems.size()));
    for (const ProblemRecord &p : problems)
        print(QStringLiteral("  %1: %2 (%3)").arg(p.path, p.message, p.stage));
}

QJsonObject scanJson(const ScanStats &s)
{
    return {{QStringLiteral("files"), s.files},     {QStringLiteral("images"), s.images},       {QStringLiteral("added"), s.added},
            {QStringLiteral("changed"), s.changed}, {QStringLiteral("unchanged"), s.unchanged}, {QStringLiteral("renamed"), s.renamed},
            {QStringLiteral("removed"), s.removed}, {QStringLiteral("failed"), s.failed}};
}

QJsonObject clusterJson(const PipelineResult &r)
{
    QJsonArray clusters;
    for (const ClusterSummary &c : r.clusters) {
        QJsonArray confidences;
        for (float confidence : c.confidences)
            confidences.append(double(confidence));
        clusters.append(QJsonObject{{QStringLiteral("index"), c.index},
                                    {QStringLiteral("name"), c.name},
                                    {QStringLiteral("size"), c.size},
                                    {QStringLiteral("members"), QJsonArray::fromStringList(c.members)},
                                    {QStringLiteral("confidences"), confidences},
                                    {QStringLiteral("uncertain"), c.uncertain},
                                    {QStringLiteral("names"), toJson(c.names)},
                                    {QStringLiteral("userNamed"), c.userNamed},
                                    {QStringLiteral("locked"), c.locked}});
    }
    return {{QStringLiteral("run"), r.runId},
            {QStringLiteral("semantic"), r.semantic},
            {QStringLiteral("method"), clusterMethodName(r.method)},
            {QStringLiteral("model"), r.modelId},
            {QStringLiteral("parameters"), r.params},
            {QStringLiteral("clusters"), clusters},
            {QStringLiteral("problems"), problemsJson(r.problems)},
            {QStringLiteral("namesNotCarried"), QJsonArray::fromStringList(r.namesNotCarried)},
            {QStringLiteral("scan"), scanJson(r.scan)}};
}

void printClusters(const PipelineResult &r, const QString &folder, const QString &catalogPath, const QString &description)
{
    int photos = 0;
    for (const ClusterSummary &c : r.clusters)
        photos += c.size;
    print(QStringLiteral("Clustered %1 photos of %2 into %3 groups (run %4).").arg(photos).arg(folder).arg(r.clusters.size()).arg(r.runId));
    print(description);
    const QJsonObject selection = r.params.value(QStringLiteral("selection")).toObject();
    if (const QJsonArray candidates = selection.value(QStringLiteral("candidates")).toArray(); candidates.size() > 1) {
        const int chosen = selection.value(QStringLiteral("chosen")).toInt();
        print(QStringLiteral("Robust SIC kept the %1 of %2 candidates (criterion %3 = %4).")
                  .arg(candidates.at(chosen).toObject().value(QStringLiteral("kind")).toString())
                  .arg(candidates.size())
                  .arg(selection.value(QStringLiteral("criterion")).toString())
                  .arg(candidates.at(chosen).toObject().value(QStringLiteral("criterion")).toDouble(), 0, 'f', 4));
    }
    if (const int refilled = selection.value(QStringLiteral("repaired")).toInt(); refilled > 0)
        print(QStringLiteral("Note: training left %1 group(s) empty; each was refilled with half of the widest group, so "
                             "there are exactly K groups.")
                  .arg(refilled));
    for (const ClusterSummary &c : r.clusters) {
        print(QStringLiteral("\n#%1  %2  (%3 photos%4)")
                  .arg(c.index)
                  .arg(c.name)
                  .arg(c.size)
                  .arg((c.uncertain > 0 ? QStringLiteral(", %1 uncertain").arg(c.uncertain) : QString())
                       + (c.locked ? QStringLiteral(", locked") : QString())));
        for (const QString &m : c.members)
            print(QStringLiteral("      %1").arg(m));
    }
    for (const QString &name : r.namesNotCarried)
        print(QStringLiteral("\nNote: no group of this run continues the one you named \"%1\"; the name stays on the earlier run.")
                  .arg(name));
    printProblems(r.problems);
    // The GUI sits beside clade-cli when installed, and in gui/ below it in a build tree.
    const QString here = QCoreApplication::applicationDirPath();
    QString gui = QStringLiteral("clade");
    for (const QString &candidate : {here + QStringLiteral("/clade"), here + QStringLiteral("/gui/clade")}) {
        if (QFileInfo(candidate).isExecutable()) {
            gui = candidate;
            break;
        }
    }
    print(QStringLiteral("\nCatalog: %1\nOpen it in the GUI:  %3 --catalog '%1' '%2'").arg(catalogPath, folder, gui));
}

// What cluster and eval share: parse the options, then the application core (as the GUI uses
// it) loads the model on its worker, takes the clustering settings and runs the pipeline there.
struct PipelineRun
{
    PipelineOptions options;
    AppServices media;   // decoder and metadata reader, for the core's worker
    std::unique_ptr<AppCore> core;
    std::unique_ptr<Catalog> catalog;   // this thread's connection (eval reads the run with it)
    EngineInfo engine;
    PipelineResult result;
    std::unique_ptr<Progress> progress;
};

// The --sic-option values, checked against the loaded clusterer's settings as the worker would
// check them, so that a bad value is a usage error before anything runs.
Result<std::vector<std::pair<QString, double>>> settingsFor(const CommandLine &cl, const EngineInfo &engine)
{
    std::vector<std::pair<QString, double>> values;
    Status read = applySicOptions(cl.parser, [&](const QString &key, double value) -> Status {
        const auto shape = std::find_if(engine.hyperparameters.begin(), engine.hyperparameters.end(),
                                        [&key](const Hyperparameter &p) { return p.key == key; });
        if (shape == engine.hyperparameters.end())
            return fail(QStringLiteral("%1: the %2 method has no such setting").arg(key, engine.method));
        if (Status ok = checkHyperparameter(*shape, value); !ok)
            return ok;
        values.emplace_back(key, value);
        return {};
    });
    if (!read)
        return read.takeError();
    return values;
}

}   // namespace

Result<EngineInfo> loadEngineInto(AppCore &core, const ServiceOptions &options)
{
    std::optional<EngineInfo> loaded;
    QString failure;
    const QMetaObject::Connection changed =
        QObject::connect(&core, &AppCore::engineChanged, [&](const EngineInfo &info) { loaded = info; });
    const QMetaObject::Connection failed =
        QObject::connect(&core, &AppCore::engineFailed, [&](const QString &message) { failure = message; });
    core.loadEngine([options] { return makeEngine(options); });
    waitUntil([&] { return loaded || !failure.isEmpty(); });
    QObject::disconnect(changed);
    QObject::disconnect(failed);
    if (!failure.isEmpty())
        return fail(failure);
    return *loaded;
}

namespace {

// Ok, or the exit code after one error line.
int runPipeline(const CommandLine &cl, const ClusterOptions &options, PipelineRun &run)
{
    if (!options.read(cl, run.options))
        return Usage;
    run.options.folder = catalogFolderKey(cl.parser.positionalArguments().constFirst());
    if (!QFileInfo(run.options.folder).isDir())
        return error(QStringLiteral("Not a folder: %1").arg(run.options.folder), Usage);
    auto catalog = cl.openCatalog();   // migrates (with its backup) and says so, before the worker opens it
    if (!catalog)
        return error(catalog.error());
    run.catalog = std::move(*catalog);
    run.media = makeMediaServices();
    run.core = std::make_unique<AppCore>(cl.catalogPath(), run.media.decoder.get(), run.media.metadata.get());
    AppCore &core = *run.core;

    ServiceOptions serviceOptions{cl.parser.value(options.model), cl.parser.value(options.method), cl.catalogPath()};
    serviceOptions.trustFile = cl.parser.isSet(options.trust);
    auto vocabulary = options.vocabulary.read(cl);
    if (!vocabulary)
        return cl.usageError(vocabulary.error());
    serviceOptions.vocabulary = *vocabulary;
    auto engine = loadEngineInto(core, serviceOptions);
    if (!engine)
        return error(engine.error());
    run.engine = *engine;
    QString failure;
    auto values = settingsFor(cl, run.engine);
    if (!values)
        return cl.usageError(values.error());   // applySicOptions names the option
    if (!values->empty())
        core.setHyperparameters(std::move(*values));

    run.progress = std::make_unique<Progress>(stderrProgress(cl.quietProgress()));
    QObject::connect(&core, &AppCore::runProgress,
                     [&run](const QString &stage, qint64 done, qint64 total) { run.progress->report(stage, done, total); });
    QObject::connect(&core, &AppCore::settingsFailed, [&](const QString &message) { failure = message; });
    QObject::connect(&core, &AppCore::runFailed, [&](const QString &message) { failure = message; });
    QObject::connect(&core, &AppCore::runCancelled, [&] { failure = QStringLiteral("The run was cancelled"); });
    bool finished = false;
    QObject::connect(&core, &AppCore::runResult, [&](const PipelineResult &result) {
        run.result = result;
        finished = true;
    });
    core.startRun(run.options);
    waitUntil([&] { return finished || !failure.isEmpty(); });
    if (!failure.isEmpty())
        return error(failure);
    return Ok;
}

}   // namespace

int runScanCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("scan"), QStringLiteral("Scan FOLDER into the catalog (incremental)."));
    cl.parser.addPositionalArgument(QStringLiteral("FOLDER"), QStringLiteral("Photo folder."));
    if (!cl.parse(args, 1, 1))
        return cl.exitCode();
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    ServiceOptions serviceOptions;
    serviceOptions.loadModel = false;
    auto services = makeServices(serviceOptions);
    if (!services)
        return error(services.error());
    Progress progress(stderrProgress(cl.quietProgress()));
    Pipeline pipeline(**catalog, services->pipeline());
    const QString folder = catalogFolderKey(cl.parser.positionalArguments().constFirst());
    auto stats = pipeline.scan(folder, progress);
    if (!stats)
        return error(stats.error());
    auto problems = (*catalog)->photos().problemsUnder(folder);
    if (cl.parser.isSet(cl.json)) {
        QJsonObject out = scanJson(*stats);
        out.insert(QStringLiteral("problems"), problemsJson(problems ? *problems : std::vector<ProblemRecord>{}));
        printJson(out);
    } else {
        print(QStringLiteral("%1 images (%2 new, %3 changed, %4 renamed, %5 unchanged, %6 removed), %7 problem(s).")
                  .arg(stats->images)
                  .arg(stats->added)
                  .arg(stats->changed)
                  .arg(stats->renamed)
                  .arg(stats->unchanged)
                  .arg(stats->removed)
                  .arg(stats->failed));
        if (problems)
            printProblems(*problems);
    }
    return Ok;
}

int runClusterCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("cluster"), QStringLiteral("Sort the photos of FOLDER into K groups."));
    cl.parser.addPositionalArgument(QStringLiteral("FOLDER"), QStringLiteral("Photo folder."));
    ClusterOptions options;
    options.addTo(cl.parser);
    if (!cl.parse(args, 1, 1))
        return cl.exitCode();
    PipelineRun run;
    if (const int code = runPipeline(cl, options, run); code != Ok)
        return code;
    if (cl.parser.isSet(cl.json))
        printJson(clusterJson(run.result));
    else
        printClusters(run.result, run.options.folder, cl.catalogPath(), run.engine.description);
    return Ok;
}

}   // namespace clade::cli

namespace clade::cli {

namespace {

QJsonObject scoresJson(const ClusteringScores &s, const QString &name)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("acc"), s.acc}, {QStringLiteral("nmi"), s.nmi}, {QStringLiteral("ari"), s.ari}};
}

QString scoresLine(const QString &label, const ClusteringScores &s)
{
    return QStringLiteral("  %1  ACC %2  NMI %3  ARI %4").arg(label, -28).arg(s.acc, 0, 'f', 3).arg(s.nmi, 0, 'f', 3).arg(s.ari, 0, 'f', 3);
}

}   // namespace

int runEvalCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("eval"), QStringLiteral("Cluster FOLDER (one sub-folder per true class) and score it: ACC, NMI, ARI, "
                                                          "against k-means on the same features."));
    cl.parser.addPositionalArgument(QStringLiteral("FOLDER"), QStringLiteral("Labelled photo folder."));
    ClusterOptions options;
    options.addTo(cl.parser);
    if (!cl.parse(args, 1, 1))
        return cl.exitCode();
    PipelineRun run;
    if (const int code = runPipeline(cl, options, run); code != Ok)
        return code;
    const PipelineResult *result = &run.result;
    const PipelineOptions &pipelineOptions = run.options;
    auto labelled = labelledRun(*run.catalog, result->runId, pipelineOptions.folder);
    if (!labelled)
        return error(labelled.error());
    auto baseline =
        kmeansBaseline(*run.catalog, result->modelId, labelled->photoIds, pipelineOptions.k, pipelineOptions.seed, run.progress.get());
    if (!baseline)
        return error(baseline.error());
    const ClusteringScores method = scoreClustering(labelled->truth, labelled->predicted);
    const ClusteringScores kmeans = scoreClustering(labelled->truth, *baseline);
    if (cl.parser.isSet(cl.json)) {
        printJson({{QStringLiteral("method"), scoresJson(method, clusterMethodName(result->method))},
                   {QStringLiteral("kmeans"), scoresJson(kmeans, QStringLiteral("kmeans"))},
                   {QStringLiteral("photos"), qint64(labelled->truth.size())},
                   {QStringLiteral("classes"), labelled->classes.size()},
                   {QStringLiteral("k"), pipelineOptions.k},
                   {QStringLiteral("model"), result->modelId},
                   {QStringLiteral("semantic"), result->semantic},
                   {QStringLiteral("run"), result->runId}});
        return Ok;
    }
    print(QStringLiteral("%1 photos in %2 classes, K = %3, features %4 (run %5).")
              .arg(labelled->truth.size())
              .arg(labelled->classes.size())
              .arg(pipelineOptions.k)
              .arg(result->modelId)
              .arg(result->runId));
    print(run.engine.description);
    print(scoresLine(QStringLiteral("method (%1)").arg(clusterMethodName(result->method)), method));
    print(scoresLine(QStringLiteral("k-means, same features"), kmeans));
    return Ok;
}

int runRenameAllCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("rename-all"),
                   QStringLiteral("Name every group of a run again from a vocabulary, without clustering again (names only). A name you "
                                  "gave a group stays."));
    QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id (see clade-cli cluster)."), QStringLiteral("ID"));
    QCommandLineOption model(QStringLiteral("model"), QStringLiteral("CLIP weights file or folder (default: the active model)."),
                             QStringLiteral("FILE"));
    QCommandLineOption trust(QStringLiteral("trust-file"),
                             QStringLiteral("Load a TorchScript --model the catalogue does not vouch for (it can carry code)."));
    const VocabularyFlags flags;
    cl.parser.addOptions({run, model, trust});
    flags.addTo(cl.parser);
    if (!cl.parse(args, 0, 0, {QStringLiteral("run")}))
        return cl.exitCode();
    qint64 runId = 0;
    if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId))
        return Usage;
    auto vocabulary = flags.read(cl);
    if (!vocabulary)
        return cl.usageError(vocabulary.error());
    auto catalog = cl.openCatalog();   // migrates (with its backup) and says so, before the worker opens it
    if (!catalog)
        return error(catalog.error());
    AppCore core(cl.catalogPath(), nullptr, nullptr);
    ServiceOptions options;
    options.modelPath = cl.parser.value(model);
    options.catalogPath = cl.catalogPath();
    options.method = QStringLiteral("kmeans");   // no clustering here: the cheapest clusterer to build
    options.trustFile = cl.parser.isSet(trust);
    options.vocabulary = *vocabulary;
    auto engine = loadEngineInto(core, options);
    if (!engine)
        return error(engine.error());
    std::optional<Result<std::vector<ClusterRecord>>> answer;
    QObject::connect(&core, &AppCore::renamed,
                     [&answer](quint64, qint64, const Result<std::vector<ClusterRecord>> &clusters) { answer = clusters; });
    core.renameRun(runId);
    waitUntil([&answer] { return answer.has_value(); });
    if (!*answer)
        return error(answer->error());
    if (cl.parser.isSet(cl.json)) {
        QJsonArray clusters;
        for (const ClusterRecord &c : **answer) {
            if (!c.removed)
                clusters.append(toJson(c));
        }
        printJson({{QStringLiteral("run"), runId},
                   {QStringLiteral("vocabulary"), vocabularyName(*vocabulary)},
                   {QStringLiteral("clusters"), clusters}});
        return Ok;
    }
    for (const ClusterRecord &c : **answer) {
        if (!c.removed)
            print(QStringLiteral("#%1  %2%3").arg(c.index).arg(c.name, c.userName.isEmpty() ? QString() : QStringLiteral("  (your name)")));
    }
    return Ok;
}

}   // namespace clade::cli
