#include "export/catalogfollow.h"

#include "catalog/catalog.h"
#include "export/actions.h"
#include "export/manifest.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace clade {
namespace {

// meta key of a registered export: the prefix and the manifest's absolute path.
QString registrationKey(const QString &manifestPath)
{
    return QStringLiteral("export.follow:") + QFileInfo(manifestPath).absoluteFilePath();
}

bool pathExists(const QString &path)
{
    struct stat st
    { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

bool isRegularFile(const QString &path)
{
    struct stat st
    { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISREG(st.st_mode);
}

// Moves the record of one moved photo to where its file is now: into the export when the file
// left its source, back to the source when it is there again and the exported one is gone. Both
// or neither there: the disk does not say, and the record stays.
Status followOne(Catalog &catalog, const ExportAction &a, FollowReport &report)
{
    if (a.mode != ExportMode::Move || a.source.isEmpty() || a.destination.isEmpty())
        return {};
    // An interrupted action may have used a later free name than the planned one.
    const QString exported = a.status == QLatin1String("planned") ? exportactions::locatePlanned(a) : a.destination;
    const bool atSource = pathExists(a.source);
    const bool atExport = isRegularFile(exported);
    QStringList from;
    QString to;
    if (!atSource && atExport) {
        from = {a.source};
        to = exported;
    } else if (atSource && !atExport) {
        from = {exported};
        if (exported != a.destination)
            from << a.destination;
        to = a.source;
    } else {
        return {};
    }
    for (const QString &path : from) {
        auto record = catalog.photos().byPath(path);
        if (!record)
            return record.takeError();
        if (!*record)
            continue;
        auto taken = catalog.photos().byPath(to);
        if (!taken)
            return taken.takeError();
        if (*taken) {
            report.messages << QStringLiteral("The catalog keeps %1 at its old place: it already has another photo at %2").arg(path, to);
            return {};
        }
        if (Status st = catalog.photos().relocate((*record)->id, to); !st)
            return st;
        ++report.moved;
        return {};
    }
    return {};
}

Status followRange(Catalog &catalog, const std::vector<ExportAction> &actions, size_t from, size_t to, FollowReport &report)
{
    return catalog.transaction([&]() -> Status {
        for (size_t i = from; i < to && i < actions.size(); ++i) {
            if (Status st = followOne(catalog, actions[i], report); !st)
                return st;
        }
        return {};
    });
}

void append(FollowReport &into, const FollowReport &more)
{
    into.moved += more.moved;
    into.messages += more.messages;
}

}   // namespace

Status registerExport(Catalog &catalog, const QString &manifestPath, qint64 runId)
{
    return catalog.setMeta(registrationKey(manifestPath), QString::number(runId));
}

Result<FollowReport> reconcileExport(Catalog &catalog, const QString &manifestPath)
{
    const QString key = registrationKey(manifestPath);
    if (!QFileInfo::exists(manifestPath)) {   // deleted with its export folder: nothing left to follow
        if (Status st = catalog.removeMeta(key); !st)
            return st.takeError();
        return FollowReport{};
    }
    auto manifest = exportmanifest::read(manifestPath);
    if (!manifest)
        return fail(QStringLiteral("Cannot read the export manifest %1: %2").arg(manifestPath, manifest.error()));
    FollowReport report;
    FollowReport partial;
    Status st = catalog.transaction([&]() -> Status {
        for (const ExportAction &a : manifest->actions) {
            if (Status s = followOne(catalog, a, partial); !s)
                return s;
        }
        // An export still in progress (here, in another process, or killed) keeps its place.
        if (manifest->state != QLatin1String("in-progress"))
            return catalog.removeMeta(key);
        return {};
    });
    if (!st)
        return fail(QStringLiteral("The catalog could not follow the photos of the export %1: %2").arg(manifestPath, st.error()));
    append(report, partial);
    return report;
}

Result<FollowReport> reconcilePendingExports(Catalog &catalog)
{
    auto pending = catalog.metaWithPrefix(QStringLiteral("export.follow:"));
    if (!pending)
        return pending.takeError();
    FollowReport all;
    for (const auto &[key, run] : *pending) {
        Q_UNUSED(run);
        auto one = reconcileExport(catalog, key.mid(int(qstrlen("export.follow:"))));
        if (!one)
            all.messages << one.error();
        else
            append(all, *one);
    }
    return all;
}

Result<ExportReport> exportFollowingCatalog(Catalog &catalog, const std::vector<ExportItem> &items, const ExportOptions &options,
                                            Progress *progress)
{
    if (options.mode != ExportMode::Move || options.dryRun)
        return exportGroups(items, options, progress);
    ExportOptions following = options;
    QString manifestPath;
    QStringList messages;
    following.started = [&](const QString &path) -> Status {
        if (options.started) {
            if (Status st = options.started(path); !st)
                return st;
        }
        manifestPath = path;
        if (Status st = registerExport(catalog, path, options.runId); !st)
            return fail(QStringLiteral("Cannot note the export in the catalog, so no photo was moved: %1").arg(st.error()));
        return {};
    };
    following.flushed = [&](const std::vector<ExportAction> &actions, size_t from, size_t to) {
        if (options.flushed)
            options.flushed(actions, from, to);
        FollowReport r;
        if (Status st = followRange(catalog, actions, from, to, r); !st)
            messages << QStringLiteral("The catalog has not followed some moved photos yet (it will when it is next opened): %1")
                            .arg(st.error());
        messages += r.messages;
    };
    auto report = exportGroups(items, following, progress);
    if (!report || manifestPath.isEmpty())
        return report;
    // Once more from the files, which also ends the registration of a finished export.
    auto last = reconcileExport(catalog, manifestPath);
    if (!last)
        messages << last.error();
    else
        messages += last->messages;
    report->messages += messages;
    return report;
}

Result<UndoReport> undoFollowingCatalog(Catalog &catalog, const QString &manifestPath, Progress *progress)
{
    // Registered again first: an undo killed midway is reconciled at the next open.
    const bool registered = registerExport(catalog, manifestPath).ok();
    auto report = undoExport(manifestPath, progress);
    auto followed = reconcileExport(catalog, manifestPath);
    if (report) {
        if (!registered)
            report->messages << QStringLiteral("Could not note the undo in the catalog before it started");
        if (!followed)
            report->messages << followed.error();
        else
            report->messages += followed->messages;
    }
    return report;
}

}   // namespace clade
