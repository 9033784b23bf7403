// clade-cli models: the CLIP model catalogue and the installed models (list, install, import,
// remove, use, verify).
#include "commands.h"

#include "models/modeldownload.h"
#include "models/modelmanager.h"
#include "commandline.h"
#include "output.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>

namespace clade::cli {

namespace {

QJsonObject entryJson(const ModelEntry &e, const ModelManager &manager, const QString &active)
{
    const auto installed = manager.installedModel(e.id);
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("name"), e.name},
            {QStringLiteral("kind"), e.isModel() ? QStringLiteral("model") : QStringLiteral("vocabulary")},
            {QStringLiteral("size"), e.size ? QJsonValue(double(*e.size)) : QJsonValue()},
            {QStringLiteral("sha256"), e.sha256.isEmpty() ? QJsonValue() : QJsonValue(e.sha256)},
            {QStringLiteral("sources"), QJsonArray::fromStringList(e.urls)},
            {QStringLiteral("licence"), e.licence},
            {QStringLiteral("source"), e.source},
            {QStringLiteral("default"), e.id == manager.catalogue().defaultId()},
            {QStringLiteral("installed"), installed.has_value()},
            {QStringLiteral("path"), installed ? installed->path : QString()},
            {QStringLiteral("active"), installed && e.id == active}};
}

QString sizeText(std::optional<qint64> bytes)
{
    return bytes ? QStringLiteral("%1 MB").arg(double(*bytes) / 1e6, 0, 'f', 0) : QStringLiteral("size unknown");
}

int list(ModelManager &manager, bool json)
{
    const auto active = manager.preferredModel();
    const QString activeId = active ? active->id : QString();
    QJsonArray entries;
    for (const ModelEntry &e : manager.catalogue().entries())
        entries.append(entryJson(e, manager, activeId));
    for (const InstalledModel &m : manager.installed()) {
        if (manager.catalogue().find(m.id))
            continue;
        entries.append(QJsonObject{{QStringLiteral("id"), m.id},
                                   {QStringLiteral("name"), m.id},
                                   {QStringLiteral("kind"), QStringLiteral("model")},
                                   {QStringLiteral("size"), double(m.size)},
                                   {QStringLiteral("sha256"), m.sha256},
                                   {QStringLiteral("sources"), QJsonArray()},
                                   {QStringLiteral("installed"), true},
                                   {QStringLiteral("path"), m.path},
                                   {QStringLiteral("userAccepted"), m.userAccepted},
                                   {QStringLiteral("active"), m.id == activeId}});
    }
    if (json) {
        printJson({{QStringLiteral("models"), entries},
                   {QStringLiteral("active"), activeId},
                   {QStringLiteral("default"), manager.catalogue().defaultId()},
                   {QStringLiteral("directory"), manager.modelsDir()}});
        return Ok;
    }
    for (const QJsonValue &v : std::as_const(entries)) {
        const QJsonObject o = v.toObject();
        QStringList flags;
        if (o.value(QStringLiteral("active")).toBool())
            flags << QStringLiteral("active");
        if (o.value(QStringLiteral("installed")).toBool())
            flags << QStringLiteral("installed");
        if (o.value(QStringLiteral("default")).toBool())
            flags << QStringLiteral("default");
        const QJsonValue size = o.value(QStringLiteral("size"));
        print(QStringLiteral("%1  %2  (%3)%4")
                  .arg(o.value(QStringLiteral("id")).toString(), -40)
                  .arg(o.value(QStringLiteral("name")).toString())
                  .arg(sizeText(size.isDouble() ? std::optional<qint64>(qint64(size.toDouble())) : std::nullopt))
                  .arg(flags.isEmpty() ? QString() : QStringLiteral("  [%1]").arg(flags.join(QStringLiteral(", ")))));
    }
    print(QStringLiteral("\nModels live in %1. Offline: clade-cli models import FILE.").arg(manager.modelsDir()));
    return Ok;
}

// Downloads one entry; `brief`: a failure is one line (quickstart's model step).
int installEntry(ModelManager &manager, const QString &id, bool quiet, bool brief)
{
    const auto entry = manager.catalogue().find(id);
    if (!entry)
        return error(QStringLiteral("\"%1\" is not in the catalogue (clade-cli models list)").arg(id), Usage);
    if (manager.isInstalled(id)) {
        print(QStringLiteral("%1 is already installed at %2.").arg(entry->name, manager.installedPath(id)));
        return Ok;
    }
    ModelDownload download(manager, *entry);
    Progress progress(stderrProgress(quiet));
    QEventLoop loop;
    int code = Failed;
    QObject::connect(&download, &ModelDownload::progress, &loop, [&](qint64 bytes, qint64 total) {
        progress.report(QStringLiteral("Downloading %1 (MB)").arg(entry->name), bytes / 1000000, total > 0 ? total / 1000000 : 0);
    });
    QObject::connect(&download, &ModelDownload::succeeded, &loop, [&](const QString &path) {
        if (!quiet)
            std::fputc('\n', stderr);
        print(QStringLiteral("Installed %1 at %2 (SHA-256 checked).").arg(entry->name, path));
        code = Ok;
        loop.quit();
    });
    QObject::connect(&download, &ModelDownload::failed, &loop, [&](const QString &message) {
        if (!quiet)
            std::fputc('\n', stderr);
        if (brief)
            error(QStringLiteral("could not download %1 (%2); without internet, import it later with clade-cli "
                                 "models import FILE")
                      .arg(entry->name, message.section(QLatin1Char('\n'), -1).trimmed()));
        else
            error(QStringLiteral("%1\nWithout internet: download %2 elsewhere, then run "
                                 "clade-cli models import FILE --as %3")
                      .arg(message, entry->fileName, id));
        loop.quit();
    });
    QObject::connect(&download, &ModelDownload::cancelled, &loop, &QEventLoop::quit);
    download.start();
    if (download.isRunning())
        loop.exec();
    return code;
}

// `default` is the catalogue's default model. A model brings the BPE vocabulary with it when
// that is missing: without it no group can be named.
int install(ModelManager &manager, QString id, bool quiet, bool brief)
{
    if (id == QLatin1String("default"))
        id = manager.catalogue().defaultId();
    const int code = installEntry(manager, id, quiet, brief);
    const auto entry = manager.catalogue().find(id);
    const auto vocabulary = manager.catalogue().vocabulary();
    if (code != Ok || !entry || !entry->isModel() || !vocabulary || manager.isInstalled(vocabulary->id))
        return code;
    return installEntry(manager, vocabulary->id, quiet, brief);
}

int importFile(ModelManager &manager, const QString &path, QString id, bool trust, bool quiet)
{
    if (!QFileInfo(path).isFile())
        return error(QStringLiteral("%1 is not a file").arg(path), Usage);
    Progress progress(stderrProgress(quiet));
    if (id.isEmpty()) {
        // Which catalogue entry is this? The checksum says.
        const auto sha = sha256OfFile(path, &progress);
        if (!sha)
            return error(sha.error());
        for (const ModelEntry &e : manager.catalogue().entries()) {
            if (e.sha256 == *sha)
                id = e.id;
        }
        if (id.isEmpty())
            return error(QStringLiteral("%1 matches no catalogue entry by SHA-256; name it with "
                                        "--as ID and accept it with --trust-file")
                             .arg(path),
                         Usage);
    }
    ImportOptions options;
    options.acceptUnknown = trust;
    options.progress = &progress;
    auto installed = manager.importFile(path, id, options);
    if (!quiet)
        std::fputc('\n', stderr);
    if (!installed)
        return error(installed.error());
    print(QStringLiteral("Imported %1 as %2 (%3).")
              .arg(path, installed->id,
                   installed->verified() ? QStringLiteral("SHA-256 checked") : QStringLiteral("not verified: accepted with --trust-file")));
    return Ok;
}

// Re-hashes installed files: catalogue entries against the catalogue, imported ones against
// their SHA-256 at import.
int verify(ModelManager &manager, const QString &only, bool json, bool quiet)
{
    QStringList ids;
    if (!only.isEmpty())
        ids << only;
    else
        for (const InstalledModel &m : manager.installed())
            ids << m.id;
    if (ids.isEmpty()) {
        print(QStringLiteral("No model is installed."));
        return Ok;
    }
    Progress progress(stderrProgress(quiet));
    QJsonArray results;
    bool allGood = true;
    for (const QString &id : std::as_const(ids)) {
        const auto entry = manager.catalogue().find(id);
        QString problem;
        if (entry && entry->hasChecksum()) {
            auto checked = manager.verify(id, &progress);
            if (!checked)
                problem = checked.error();
        } else if (const auto installed = manager.installedModel(id)) {
            const auto sha = sha256OfFile(installed->path, &progress);
            if (!sha)
                problem = sha.error();
            else if (*sha != installed->sha256)
                problem =
                    QStringLiteral("the SHA-256 of %1 is %2, not %3 as when it was imported").arg(installed->path, *sha, installed->sha256);
        } else {
            problem = QStringLiteral("\"%1\" is not installed, or its file changed since (no checksum to check it against)").arg(id);
        }
        allGood = allGood && problem.isEmpty();
        results.append(
            QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("ok"), problem.isEmpty()}, {QStringLiteral("problem"), problem}});
        if (!json)
            print(problem.isEmpty() ? QStringLiteral("%1: ok").arg(id) : QStringLiteral("%1: FAILED: %2").arg(id, problem));
    }
    if (json)
        printJson({{QStringLiteral("verified"), results}});
    return allGood ? Ok : Failed;
}

}   // namespace

int runModelsCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("models"),
                   QStringLiteral("CLIP models. Subcommands: list, install ID|default, import FILE [--as ID] [--trust-file], "
                                  "remove ID, use ID, verify [ID]."),
                   CommandLine::Json | CommandLine::Quiet);
    QCommandLineParser &parser = cl.parser;
    const QCommandLineOption &json = cl.json;
    const QCommandLineOption as(QStringLiteral("as"), QStringLiteral("Import under this id."), QStringLiteral("ID"));
    const QCommandLineOption trust(QStringLiteral("trust-file"),
                                   QStringLiteral("Import a file the catalogue cannot vouch for (its checksum is kept, "
                                                  "and later files must match it)."));
    const QCommandLineOption ifOnline(QStringLiteral("if-online"),
                                      QStringLiteral("install: a failed download is one line on stderr (quickstart)."));
    parser.addOptions({as, trust, ifOnline});
    parser.addPositionalArgument(QStringLiteral("SUBCOMMAND"), QStringLiteral("list, install, import, remove, use or verify."));
    if (!cl.parse(args, 0, kAnyCount))
        return cl.exitCode();
    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return cl.usageError(QStringLiteral("name a subcommand: list, install, import, remove, use or verify"));
    const QString sub = positional.takeFirst();
    static const QStringList subcommands{QStringLiteral("list"),   QStringLiteral("install"), QStringLiteral("import"),
                                         QStringLiteral("remove"), QStringLiteral("use"),     QStringLiteral("verify")};
    if (!subcommands.contains(sub))
        return cl.usageError(QStringLiteral("unknown subcommand '%1' (list, install, import, remove, use, verify)").arg(sub));
    setCommandName(QStringLiteral("models ") + sub);
    const int wanted = sub == QLatin1String("list") ? 0 : sub == QLatin1String("verify") ? -1 : 1;
    if ((wanted >= 0 && positional.size() != wanted) || (wanted < 0 && positional.size() > 1))
        return cl.usageError(QStringLiteral("wrong number of arguments"));
    auto catalogue = builtinCatalogue();
    if (!catalogue)
        return error(catalogue.error());
    ModelManager manager(*catalogue);
    const bool quietProgress = cl.quietProgress();
    if (sub == QLatin1String("list"))
        return list(manager, parser.isSet(json));
    if (sub == QLatin1String("install"))
        return install(manager, positional.first(), quietProgress, parser.isSet(ifOnline));
    if (sub == QLatin1String("import"))
        return importFile(manager, positional.first(), parser.value(as), parser.isSet(trust), quietProgress);
    if (sub == QLatin1String("verify"))
        return verify(manager, positional.value(0), parser.isSet(json), quietProgress);
    if (sub == QLatin1String("remove")) {
        if (Status s = manager.remove(positional.first()); !s)
            return error(s.error());
        print(QStringLiteral("Removed %1.").arg(positional.first()));
        return Ok;
    }
    if (sub == QLatin1String("use")) {
        if (Status s = manager.setActive(positional.first()); !s)
            return error(s.error());
        print(QStringLiteral("Runs now use %1.").arg(positional.first()));
        return Ok;
    }
    return Failed;   // not reached: every subcommand is handled above
}

}   // namespace clade::cli
