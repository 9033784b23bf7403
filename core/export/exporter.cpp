#include "export/exporter.h"

#include "common/paths.h"
#include "export/manifest.h"
#include "export/naming.h"
#include "export/run.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <sys/stat.h>

namespace clade {
namespace {

using exportmanifest::Folder;
using exportmanifest::Manifest;

using exportrun::Slot;

struct Plan
{
    Manifest manifest;
    std::vector<Slot> slotList;
};

bool pathExists(const QString &path)
{
    struct stat st
    { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

bool isRealDirectory(const QString &path)
{
    struct stat st
    { };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISDIR(st.st_mode);
}

QString folderCandidate(const QString &base, int n)
{
    if (n == 1)
        return base;
    const QString tag = QStringLiteral(" (%1)").arg(n);
    return exportnaming::truncateUtf8(base, exportnaming::kFolderNameMaxBytes - int(tag.size())).trimmed() + tag;
}

// Picks one folder per distinct group: names that would collide on a case-insensitive or
// normalising file system get " (n)", and so do names taken by a file or a symlink.
class FolderPlanner
{
public:
    FolderPlanner(QString root, std::vector<Folder> &folders) : m_root(std::move(root)), m_folders(folders) { }

    int folderFor(const QString &group)
    {
        if (const auto it = m_byGroup.constFind(group); it != m_byGroup.cend())
            return *it;
        const QString base = sanitizeFolderName(group);
        for (int n = 1;; ++n) {
            const QString name = folderCandidate(base, n);
            const QString path = m_root + QLatin1Char('/') + name;
            if (m_usedKeys.contains(exportnaming::collisionKey(name)) || (pathExists(path) && !isRealDirectory(path)))
                continue;
            m_usedKeys.insert(exportnaming::collisionKey(name));
            m_folders.push_back({path, pathExists(path)});
            return m_byGroup[group] = int(m_folders.size()) - 1;
        }
    }

private:
    QString m_root;
    std::vector<Folder> &m_folders;
    QHash<QString, int> m_byGroup;
    QSet<QString> m_usedKeys;
};

// Checks the source and records its size and time, by which undo recognises it later.
QString checkSource(ExportAction &a)
{
    struct stat st
    { };
    const QByteArray path = QFile::encodeName(a.source);
    if (a.source.isEmpty())
        return QStringLiteral("Empty source path");
    if (::lstat(path.constData(), &st) != 0)
        return QStringLiteral("Source %1 does not exist").arg(a.source);
    if (S_ISLNK(st.st_mode) && a.mode == ExportMode::Move)
        return QStringLiteral("Source %1 is a symbolic link; links are not moved").arg(a.source);
    if (::stat(path.constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return QStringLiteral("Source %1 is not a regular file").arg(a.source);
    a.size = qint64(st.st_size);
    a.modifiedNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return {};
}

// Names taken in each folder, by collision key: what is on disk and what is planned already.
// Keys rather than names, so that "IMG.jpg" and "img.jpg" never end up side by side.
class NameBook
{
public:
    int firstFreeNumber(const QString &folderPath, const QString &fileName)
    {
        QSet<QString> &taken = takenIn(folderPath);
        for (int n = 1; n < 9999; ++n) {
            const QString name = exportnaming::numberedName(fileName, n);
            const QString key = exportnaming::collisionKey(name);
            if (!taken.contains(key) && !pathExists(folderPath + QLatin1Char('/') + name)) {
                taken.insert(key);
                return n;
            }
        }
        return 9999;
    }

private:
    QSet<QString> &takenIn(const QString &folderPath)
    {
        auto it = m_taken.find(folderPath);
        if (it != m_taken.end())
            return *it;
        QSet<QString> keys;
        const auto filter = QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot;
        for (const QString &entry : QDir(folderPath).entryList(filter))
            keys.insert(exportnaming::collisionKey(entry));
        return *m_taken.insert(folderPath, keys);
    }

    QHash<QString, QSet<QString>> m_taken;
};

Manifest newManifest(const ExportOptions &options, const QString &root)
{
    Manifest m;
    m.runId = options.runId;
    m.mode = options.mode;
    m.createdUtc = QDateTime::currentDateTimeUtc();
    m.softwareVersion = softwareVersion();
    m.targetRoot = root;
    m.state = QStringLiteral("in-progress");
    return m;
}

// Decides folder and file name for every item without touching anything; items that cannot be
// exported (missing source, a directory, a symlink to move) are "failed" from the start.
Plan makePlan(const std::vector<ExportItem> &items, const ExportOptions &options, const QString &root)
{
    Plan plan{newManifest(options, root), {}};
    Manifest &m = plan.manifest;
    FolderPlanner folders(root, m.folders);
    NameBook names;
    for (const ExportItem &item : items) {
        ExportAction a;
        a.source = item.source.isEmpty() ? QString() : QFileInfo(item.source).absoluteFilePath();
        a.mode = options.mode;
        a.status = QStringLiteral("planned");
        a.error = checkSource(a);
        Slot slot;
        if (!a.error.isEmpty()) {
            a.status = QStringLiteral("failed");
        } else {
            slot.folder = folders.folderFor(item.group);
            const QString &folderPath = m.folders[size_t(slot.folder)].path;
            slot.names.fileName = QFileInfo(a.source).fileName();
            slot.names.first = names.firstFreeNumber(folderPath, slot.names.fileName);
            a.destination = folderPath + QLatin1Char('/') + exportnaming::numberedName(slot.names.fileName, slot.names.first);
        }
        m.actions.push_back(std::move(a));
        plan.slotList.push_back(std::move(slot));
    }
    return plan;
}

Result<QString> resolveRoot(const ExportOptions &options)
{
    if (options.targetRoot.trimmed().isEmpty())
        return fail(QStringLiteral("No export folder given"));
    const QString absolute = QDir::cleanPath(QFileInfo(options.targetRoot).absoluteFilePath());
    if (!options.dryRun && !QDir().mkpath(absolute))
        return fail(QStringLiteral("Could not create the export folder %1").arg(absolute));
    const QFileInfo info(absolute);
    if (info.exists() && !info.isDir())
        return fail(QStringLiteral("The export target %1 is not a folder").arg(absolute));
    return info.exists() ? info.canonicalFilePath() : absolute;
}

ExportReport reportFrom(const Manifest &m, const QString &manifestPath)
{
    ExportReport r;
    r.manifestPath = manifestPath;
    r.actions = m.actions;
    for (const ExportAction &a : m.actions) {
        r.done += a.status == QLatin1String("done");
        r.failed += a.status == QLatin1String("failed");
    }
    r.cancelled = m.state == QLatin1String("cancelled");
    return r;
}

}   // namespace

QString exportModeName(ExportMode mode)
{
    switch (mode) {
    case ExportMode::Copy: return QStringLiteral("copy");
    case ExportMode::Move: return QStringLiteral("move");
    case ExportMode::Symlink: return QStringLiteral("symlink");
    case ExportMode::Hardlink: return QStringLiteral("hardlink");
    }
    return QStringLiteral("copy");
}

std::optional<ExportMode> exportModeFromName(const QString &name)
{
    for (ExportMode mode : {ExportMode::Copy, ExportMode::Move, ExportMode::Symlink, ExportMode::Hardlink}) {
        if (name.trimmed().compare(exportModeName(mode), Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

Result<ExportReport> exportGroups(const std::vector<ExportItem> &items, const ExportOptions &options, Progress *progress)
{
    auto root = resolveRoot(options);
    if (!root)
        return root.takeError();
    Plan plan = makePlan(items, options, *root);
    if (options.dryRun)
        return reportFrom(plan.manifest, QString());
    auto manifestPath = exportmanifest::create(*root, plan.manifest);
    if (!manifestPath)
        return manifestPath.takeError();
    if (options.started) {
        if (Status st = options.started(*manifestPath); !st) {
            QFile::remove(*manifestPath);
            return st.takeError();
        }
    }
    QStringList messages;
    exportrun::execute(plan.manifest, plan.slotList, *manifestPath, options, progress, messages);
    ExportReport report = reportFrom(plan.manifest, *manifestPath);
    report.messages = messages;
    return report;
}

}   // namespace clade
