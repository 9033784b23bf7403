#include "export/run.h"

#include "export/actions.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <optional>

namespace clade::exportrun {
namespace {

using exportmanifest::Manifest;

// Group folders, opened (and created) on first use, relative to one handle on the root.
class FolderHandles
{
public:
    explicit FolderHandles(Manifest &m) : m_manifest(m), m_dirs(m.folders.size()) { }

    // Returns the folder's descriptor, or an error for every action in it.
    Result<int> open(int index)
    {
        auto &slot = m_dirs[size_t(index)];
        if (slot && slot->valid())
            return slot->get();
        if (!m_root.valid()) {
            auto root = exportfs::openDir(m_manifest.targetRoot);
            if (!root)
                return root.takeError();
            m_root = std::move(*root);
        }
        exportmanifest::Folder &folder = m_manifest.folders[size_t(index)];
        const QString name = QFileInfo(folder.path).fileName();
        auto sub = exportfs::openOrCreateSubdir(m_root.get(), name);
        if (!sub)
            return sub.takeError();
        folder.existed = !sub->created;   // made by someone else meanwhile: never ours to remove
        // The handle is opened with O_NOFOLLOW; this also rules out a root that moved under us.
        if (QFileInfo(folder.path).canonicalFilePath() != folder.path)
            return fail(QStringLiteral("Folder %1 resolves outside the export folder").arg(folder.path));
        slot = std::move(sub->fd);
        return slot->get();
    }

private:
    Manifest &m_manifest;
    exportfs::Fd m_root;
    std::vector<std::optional<exportfs::Fd>> m_dirs;
};

void runOne(ExportAction &a, const Slot &slot, FolderHandles &handles, const Manifest &m)
{
    auto dir = handles.open(slot.folder);
    Status st = dir ? exportactions::perform(a, *dir, m.folders[size_t(slot.folder)].path, slot.names) : Status(dir.takeError());
    a.status = st ? QStringLiteral("done") : QStringLiteral("failed");
    a.error = st ? QString() : st.error();
}

// Rewrites the manifest, then tells options.flushed what was carried out since the last call.
void flush(const Manifest &m, const QString &path, const ExportOptions &options, size_t &reported, size_t upTo, QStringList &messages)
{
    if (Status st = exportmanifest::write(path, m); !st)
        messages.append(st.error());
    if (options.flushed && upTo > reported)
        options.flushed(m.actions, reported, upTo);
    reported = qMax(reported, upTo);
}

}   // namespace

void execute(Manifest &m, const std::vector<Slot> &slotList, const QString &manifestPath, const ExportOptions &options, Progress *progress,
             QStringList &messages)
{
    FolderHandles handles(m);
    const qint64 total = qint64(m.actions.size());
    const int every = options.manifestFlushEvery > 0 ? options.manifestFlushEvery : qMax<int>(16, int(total / 200));
    int sinceFlush = 0;
    size_t reported = 0;
    QElapsedTimer sinceWrite;
    sinceWrite.start();
    for (size_t i = 0; i < m.actions.size(); ++i) {
        ExportAction &a = m.actions[i];
        if (a.status != QLatin1String("planned"))
            continue;
        if (progress && progress->cancelled()) {
            for (size_t j = i; j < m.actions.size(); ++j) {
                if (m.actions[j].status == QLatin1String("planned"))
                    m.actions[j].status = QStringLiteral("cancelled");
            }
            m.state = QStringLiteral("cancelled");
            break;
        }
        runOne(a, slotList[i], handles, m);
        if (progress)
            progress->report(QStringLiteral("export"), qint64(i) + 1, total);
        if (++sinceFlush >= every || sinceWrite.elapsed() > 2000) {
            flush(m, manifestPath, options, reported, i + 1, messages);
            sinceFlush = 0;
            sinceWrite.restart();
        }
    }
    if (m.state == QLatin1String("in-progress"))
        m.state = QStringLiteral("complete");
    flush(m, manifestPath, options, reported, m.actions.size(), messages);
}

}   // namespace clade::exportrun
