#include "scan/scanner.h"

#include "media/decoder.h"
#include "scan/filewalker.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentMap>

#include <QHash>
#include <QSet>

namespace clade {

namespace {

constexpr int kChunk = 64;   // files inspected in parallel, then written in one transaction

// What the parallel part of the scan learns about one new or changed file.
struct Inspection
{
    FileEntry file;
    QString format;   // empty: not an image
    QString hash;
    PhotoMetadata meta;
    QString metaError;
    QString error;   // the file could not be read at all
    bool metadataRead = false;
};

Result<QString> contentHash(QFile &file)
{
    QCryptographicHash hash(QCryptographicHash::Blake2b_256);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return fail(QStringLiteral("read error: %1").arg(file.errorString()));
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return QString::fromLatin1(hash.result().toHex().left(32));
}

Inspection inspect(const FileEntry &entry, const MetadataReader *metadata)
{
    Inspection out{entry, {}, {}, {}, {}, {}, false};
    QFile file(entry.path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = QStringLiteral("cannot read: %1").arg(file.errorString());
        return out;
    }
    out.format = sniffImageFormat(file.peek(64));
    if (out.format.isEmpty())
        return out;
    Result<QString> hash = contentHash(file);
    if (!hash) {
        out.error = hash.error();
        return out;
    }
    out.hash = *hash;
    if (metadata) {
        out.metadataRead = true;
        if (Result<PhotoMetadata> meta = metadata->read(entry.path))
            out.meta = std::move(*meta);
        else
            out.metaError = meta.error();
    }
    return out;
}

bool hasImageExtension(const QString &path)
{
    static const QStringList extensions = {QStringLiteral("jpg"),  QStringLiteral("jpeg"), QStringLiteral("jpe"),  QStringLiteral("png"),
                                           QStringLiteral("gif"),  QStringLiteral("bmp"),  QStringLiteral("tif"),  QStringLiteral("tiff"),
                                           QStringLiteral("webp"), QStringLiteral("heic"), QStringLiteral("heif"), QStringLiteral("avif"),
                                           QStringLiteral("dng"),  QStringLiteral("cr2"),  QStringLiteral("cr3"),  QStringLiteral("nef"),
                                           QStringLiteral("arw"),  QStringLiteral("raf"),  QStringLiteral("orf"),  QStringLiteral("rw2")};
    return extensions.contains(QFileInfo(path).suffix().toLower());
}

PhotoRecord recordFrom(const Inspection &in, qint64 id)
{
    PhotoRecord p;
    p.id = id;
    p.path = in.file.path;
    p.size = in.file.size;
    p.mtimeMs = in.file.mtimeMs;
    p.hash = in.hash;
    p.format = in.format;
    p.meta = in.meta;
    // Upright size: orientations 5..8 swap width and height.
    const bool swapped = in.meta.orientation >= 5 && in.meta.orientation <= 8;
    p.width = swapped ? in.meta.pixelHeight : in.meta.pixelWidth;
    p.height = swapped ? in.meta.pixelWidth : in.meta.pixelHeight;
    return p;
}

// One scan of one folder: the catalog's rows before the scan and what the walk found.
class ScanSession
{
public:
    ScanSession(Catalog &catalog, const MetadataReader *metadata, ScanStats &stats)
        : m_catalog(catalog), m_metadata(metadata), m_stats(stats)
    {
    }
    Status load(const QString &root);
    std::vector<FileEntry> changedFiles(const std::vector<FileEntry> &files);
    Status applyChanges(const std::vector<FileEntry> &todo, Progress &progress);
    Status markRemoved();

private:
    Status store(const Inspection &in);
    Status storeFailure(const Inspection &in);
    Status storeRename(const Inspection &in, qint64 id);

    Catalog &m_catalog;
    const MetadataReader *m_metadata;
    ScanStats &m_stats;
    QHash<QString, PhotoRecord> m_byPath;
    QSet<QString> m_seen;
    QMultiHash<QString, qint64> m_vanishedByHash;
};

}   // namespace

Scanner::Scanner(Catalog &catalog, const MetadataReader *metadata) : m_catalog(catalog), m_metadata(metadata) { }

Result<ScanStats> Scanner::scan(const QString &folder, Progress &progress)
{
    const QFileInfo rootInfo(folder);
    if (!rootInfo.exists())
        return fail(QStringLiteral("Folder does not exist: %1").arg(folder));
    if (!rootInfo.isDir())
        return fail(QStringLiteral("Not a folder: %1").arg(folder));
    if (!rootInfo.isReadable())
        return fail(QStringLiteral("Folder is not readable: %1").arg(folder));
    const QString root = rootInfo.canonicalFilePath();

    ScanStats stats;
    progress.report(QStringLiteral("Scanning"), 0, 0);
    WalkResult walk = walkFolder(root, progress);
    if (progress.cancelled())
        return fail(QStringLiteral("Cancelled"));
    stats.files = int(walk.files.size());
    for (const WalkProblem &p : walk.problems) {
        ++stats.failed;
        (void)m_catalog.photos().recordProblem(p.path, QStringLiteral("scan"), p.message);
    }

    ScanSession session(m_catalog, m_metadata, stats);
    if (Status s = session.load(root); !s)
        return s.takeError();
    if (Status s = session.applyChanges(session.changedFiles(walk.files), progress); !s)
        return s.takeError();
    if (progress.cancelled())
        return fail(QStringLiteral("Cancelled"));
    if (Status s = session.markRemoved(); !s)
        return s.takeError();
    return stats;
}

Status ScanSession::load(const QString &root)
{
    Result<std::vector<PhotoRecord>> known = m_catalog.photos().under(root, true);
    if (!known)
        return known.takeError();
    for (PhotoRecord &p : *known)
        m_byPath.insert(p.path, std::move(p));
    return {};
}

std::vector<FileEntry> ScanSession::changedFiles(const std::vector<FileEntry> &files)
{
    std::vector<FileEntry> todo;
    for (const FileEntry &f : files) {
        m_seen.insert(f.path);
        const auto it = m_byPath.constFind(f.path);
        if (it != m_byPath.cend() && it->size == f.size && it->mtimeMs == f.mtimeMs && it->state != PhotoState::Missing) {
            ++m_stats.unchanged;
            ++m_stats.images;
        } else {
            todo.push_back(f);
        }
    }
    // Photos whose old path is gone, by content hash: a new file with that hash is a rename.
    for (auto it = m_byPath.cbegin(); it != m_byPath.cend(); ++it) {
        if (!m_seen.contains(it.key()))
            m_vanishedByHash.insert(it->hash, it->id);
    }
    return todo;
}

Status ScanSession::applyChanges(const std::vector<FileEntry> &todo, Progress &progress)
{
    const MetadataReader *metadata = m_metadata;
    for (std::size_t start = 0; start < todo.size(); start += kChunk) {
        if (progress.cancelled())
            return {};
        progress.report(QStringLiteral("Reading metadata"), qint64(start), qint64(todo.size()));
        const std::vector<FileEntry> chunk(todo.begin() + qsizetype(start),
                                           todo.begin() + qsizetype(std::min(todo.size(), start + kChunk)));
        const QList<Inspection> inspected =
            QtConcurrent::blockingMapped<QList<Inspection>>(chunk, [metadata](const FileEntry &f) { return inspect(f, metadata); });
        Status s = m_catalog.transaction([&]() -> Status {
            for (const Inspection &in : inspected) {
                if (Status e = store(in); !e)
                    return e;
            }
            return {};
        });
        if (!s)
            return s;
    }
    progress.report(QStringLiteral("Reading metadata"), qint64(todo.size()), qint64(todo.size()));
    return {};
}

Status ScanSession::store(const Inspection &in)
{
    m_stats.metadataReads += in.metadataRead ? 1 : 0;
    if (!in.error.isEmpty() || in.format.isEmpty())
        return storeFailure(in);
    const QString &path = in.file.path;
    ++m_stats.images;
    if (Status s = m_catalog.photos().clearProblems(path); !s)
        return s;
    if (!in.metaError.isEmpty()) {
        if (Status s = m_catalog.photos().recordProblem(path, QStringLiteral("metadata"), in.metaError); !s)
            return s;
    }
    const auto existing = m_byPath.constFind(path);
    if (existing != m_byPath.cend()) {
        ++m_stats.changed;
        if (existing->hash != in.hash) {
            if (Status s = m_catalog.features().removeAll(existing->id); !s)
                return s;
        }
        Result<qint64> id = m_catalog.photos().upsert(recordFrom(in, existing->id));
        return id ? Status{} : id.takeError();
    }
    const auto renamed = m_vanishedByHash.constFind(in.hash);
    if (renamed != m_vanishedByHash.cend()) {
        const qint64 id = renamed.value();
        m_vanishedByHash.erase(renamed);
        return storeRename(in, id);
    }
    ++m_stats.added;
    Result<qint64> id = m_catalog.photos().upsert(recordFrom(in, 0));
    return id ? Status{} : id.takeError();
}

Status ScanSession::storeFailure(const Inspection &in)
{
    const QString &path = in.file.path;
    if (in.error.isEmpty() && !hasImageExtension(path))
        return {};   // not an image and not named like one: not ours to report
    ++m_stats.failed;
    const QString message = in.error.isEmpty() ? QStringLiteral("not a recognised image format") : in.error;
    const auto existing = m_byPath.constFind(path);
    if (existing != m_byPath.cend()) {
        if (Status s = m_catalog.photos().setState(existing->id, PhotoState::Failed, message); !s)
            return s;
    }
    return m_catalog.photos().recordProblem(path, QStringLiteral("scan"), message);
}

Status ScanSession::storeRename(const Inspection &in, qint64 id)
{
    ++m_stats.renamed;
    // The old row moves to the new path: it is no longer a removed file.
    for (auto it = m_byPath.cbegin(); it != m_byPath.cend(); ++it) {
        if (it->id == id) {
            m_seen.insert(it.key());
            break;
        }
    }
    return m_catalog.photos().move(id, in.file.path, in.file.size, in.file.mtimeMs);
}

Status ScanSession::markRemoved()
{
    return m_catalog.transaction([&]() -> Status {
        for (auto it = m_byPath.cbegin(); it != m_byPath.cend(); ++it) {
            if (m_seen.contains(it.key()) || it->state == PhotoState::Missing)
                continue;
            ++m_stats.removed;
            if (Status s = m_catalog.photos().setState(it->id, PhotoState::Missing, QStringLiteral("file is gone")); !s)
                return s;
        }
        return {};
    });
}

}   // namespace clade
