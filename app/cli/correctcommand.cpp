// clade-cli correct: the user's corrections of a run from the command line (the GUI's Group
// menu). Each is stored in the catalog as a correction; a later `cluster` run of the same folder
// keeps it (pipeline/carryover.h).
#include "commands.h"

#include "commandline.h"
#include "output.h"
#include "pipeline/corrections.h"
#include "service/appcore.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>

#include <limits>
#include <optional>

namespace clade::cli {

namespace {

QJsonArray indices(const std::vector<int> &values)
{
    QJsonArray array;
    for (int v : values)
        array.append(v);
    return array;
}

}   // namespace

Result<CorrectionStep> applyCorrection(const QString &catalogPath, CorrectionRequest request)
{
    AppCore core(catalogPath, nullptr, nullptr);   // corrections need no decoder, metadata or model
    std::optional<Result<CorrectionStep>> answer;
    QObject::connect(&core, &AppCore::corrected,
                     [&answer](quint64, const CorrectionRequest &, const Result<CorrectionStep> &step) { answer = step; });
    core.correct(std::move(request));
    waitUntil([&answer] { return answer.has_value(); });
    return *answer;
}

void waitUntil(const std::function<bool()> &done)
{
    QEventLoop loop;
    while (!done())
        loop.processEvents(QEventLoop::WaitForMoreEvents);
}

int runCorrectCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("correct"),
                   QStringLiteral("Correct the groups of a run: move photos, merge, split, lock or unlock a group, or make a new one.\n"
                                  "Groups are numbered as `cluster` lists them. Photos moved by hand stay where they were put when the "
                                  "folder is run again; a locked group keeps its photos and name."));
    const QCommandLineOption run{QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID")};
    const QCommandLineOption move{QStringLiteral("move-to"), QStringLiteral("Move the PHOTO files given into group N."),
                                  QStringLiteral("N")};
    const QCommandLineOption merge{QStringLiteral("merge"), QStringLiteral("Merge group A (into --into B)."), QStringLiteral("A")};
    const QCommandLineOption into{QStringLiteral("into"), QStringLiteral("The group --merge goes into."), QStringLiteral("B")};
    const QCommandLineOption split{QStringLiteral("split"), QStringLiteral("Split group N (into --parts P, default 2)."),
                                   QStringLiteral("N")};
    const QCommandLineOption parts{QStringLiteral("parts"), QStringLiteral("Parts of a split (2..50)."), QStringLiteral("P"),
                                   QStringLiteral("2")};
    const QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Seed of the split's k-means."), QStringLiteral("S"),
                                  QStringLiteral("0")};
    const QCommandLineOption lock{QStringLiteral("lock"), QStringLiteral("Lock group N."), QStringLiteral("N")};
    const QCommandLineOption unlock{QStringLiteral("unlock"), QStringLiteral("Unlock group N."), QStringLiteral("N")};
    const QCommandLineOption create{QStringLiteral("new-group"), QStringLiteral("Make an empty group with this name."),
                                    QStringLiteral("NAME")};
    cl.parser.addOptions({run, move, merge, into, split, parts, seed, lock, unlock, create});
    cl.parser.addPositionalArgument(QStringLiteral("PHOTO"), QStringLiteral("Photo files, for --move-to."), QStringLiteral("[PHOTO...]"));
    if (!cl.parse(args, 0, std::numeric_limits<int>::max()))
        return cl.exitCode();
    int actions = 0;
    for (const QCommandLineOption *o : {&move, &merge, &split, &lock, &unlock, &create})
        actions += cl.parser.isSet(*o) ? 1 : 0;
    if (!cl.parser.isSet(run) || actions != 1)
        return cl.usageError(QStringLiteral("needs --run ID and one of --move-to, --merge, --split, --lock, --unlock, --new-group"));
    qint64 runId = 0;
    if (!cl.intValue(run, 1, std::numeric_limits<qint64>::max(), runId))
        return Usage;
    const QStringList photos = cl.parser.positionalArguments();
    if (cl.parser.isSet(move) == photos.isEmpty())
        return cl.usageError(cl.parser.isSet(move) ? QStringLiteral("--move-to needs the PHOTO files to move")
                                                   : QStringLiteral("PHOTO files are only taken with --move-to"));
    if (cl.parser.isSet(merge) != cl.parser.isSet(into))
        return cl.usageError(QStringLiteral("--merge A needs --into B"));
    auto catalog = cl.openCatalog();
    if (!catalog)
        return error(catalog.error());
    auto found = (*catalog)->runs().get(runId);
    if (!found)
        return error(found.error());
    if (!*found)
        return error(QStringLiteral("There is no run %1 in %2").arg(runId).arg((*catalog)->path()));
    // Sent to the application core, whose worker owns the write connection, as the GUI does.
    CorrectionRequest request;
    request.runId = runId;
    constexpr qint64 maxIndex = 1 << 20;
    qint64 a = 0, b = 0;
    QString done;
    if (cl.parser.isSet(move)) {
        if (!cl.intValue(move, 0, maxIndex, a))
            return Usage;
        for (const QString &path : photos) {
            const QString canonical = QFileInfo(path).canonicalFilePath();
            auto photo = (*catalog)->photos().byPath(canonical.isEmpty() ? QFileInfo(path).absoluteFilePath() : canonical);
            if (!photo)
                return error(photo.error());
            if (!*photo)
                return error(QStringLiteral("%1 is not in the catalog").arg(path));
            request.photos.push_back((*photo)->id);
        }
        request.kind = CorrectionRequest::Kind::Move;
        request.target = int(a);
        done = QStringLiteral("Moved %1 photo(s) to group #%2.").arg(request.photos.size()).arg(a);
    } else if (cl.parser.isSet(merge)) {
        if (!cl.intValue(merge, 0, maxIndex, a) || !cl.intValue(into, 0, maxIndex, b))
            return Usage;
        request.kind = CorrectionRequest::Kind::Merge;
        request.group = int(a);
        request.target = int(b);
        done = QStringLiteral("Merged group #%1 into #%2.").arg(a).arg(b);
    } else if (cl.parser.isSet(split)) {
        qint64 p = 2, s = 0;
        if (!cl.intValue(split, 0, maxIndex, a) || !cl.intValue(parts, 2, 50, p)
            || !cl.intValue(seed, 0, std::numeric_limits<qint64>::max(), s))
            return Usage;
        request.kind = CorrectionRequest::Kind::Split;
        request.group = int(a);
        request.parts = int(p);
        request.seed = quint64(s);
        done = QStringLiteral("Split group #%1 in %2.").arg(a).arg(p);
    } else if (cl.parser.isSet(lock) || cl.parser.isSet(unlock)) {
        const bool locking = cl.parser.isSet(lock);
        if (!cl.intValue(locking ? lock : unlock, 0, maxIndex, a))
            return Usage;
        request.kind = CorrectionRequest::Kind::SetLocked;
        request.group = int(a);
        request.locked = locking;
        done = locking ? QStringLiteral("Locked group #%1.").arg(a) : QStringLiteral("Unlocked group #%1.").arg(a);
    } else {
        request.kind = CorrectionRequest::Kind::Create;
        request.name = cl.parser.value(create);
        done = QStringLiteral("Made group #%1.");
    }
    const Result<CorrectionStep> step = applyCorrection(cl.catalogPath(), std::move(request));
    if (!step)
        return error(step.error());
    if (step->kind == CorrectionKind::Create)
        done = done.arg(step->madeClusters.front());
    if (step->kind == CorrectionKind::Split) {
        QStringList made;
        for (int m : step->madeClusters)
            made << QString::number(m);
        done += QStringLiteral(" New groups: #%1.").arg(made.join(QStringLiteral(", #")));
    }
    if (cl.parser.isSet(cl.json))
        printJson({{QStringLiteral("run"), runId},
                   {QStringLiteral("correction"), correctionKindName(step->kind)},
                   {QStringLiteral("newGroups"), indices(step->madeClusters)}});
    else
        print(done);
    return Ok;
}

}   // namespace clade::cli
