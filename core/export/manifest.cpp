#include "export/manifest.h"

#include "export/fileops.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace clade::exportmanifest {
namespace {

const QString kFormat = QStringLiteral("clade-export-manifest");

QJsonObject actionToJson(const ExportAction &a)
{
    QJsonObject o{{QStringLiteral("source"), a.source},
                  {QStringLiteral("destination"), a.destination},
                  {QStringLiteral("mode"), exportModeName(a.mode)},
                  {QStringLiteral("status"), a.status},
                  {QStringLiteral("size"), double(a.size)},
                  {QStringLiteral("sha256"), a.sha256},
                  {QStringLiteral("modifiedNs"), QString::number(a.modifiedNs)}};
    if (!a.error.isEmpty())
        o.insert(QStringLiteral("error"), a.error);
    return o;
}

Result<ExportAction> actionFromJson(const QJsonObject &o)
{
    ExportAction a;
    a.source = o.value(QStringLiteral("source")).toString();
    a.destination = o.value(QStringLiteral("destination")).toString();
    const auto mode = exportModeFromName(o.value(QStringLiteral("mode")).toString());
    a.status = o.value(QStringLiteral("status")).toString();
    a.error = o.value(QStringLiteral("error")).toString();
    a.size = qint64(o.value(QStringLiteral("size")).toDouble(-1));
    a.sha256 = o.value(QStringLiteral("sha256")).toString();
    a.modifiedNs = o.value(QStringLiteral("modifiedNs")).toString().toLongLong();
    if (!mode || a.source.isEmpty() || a.status.isEmpty())
        return fail(QStringLiteral("an action lacks its source, mode or status"));
    a.mode = *mode;
    return a;
}

QJsonArray foldersToJson(const std::vector<Folder> &folders)
{
    QJsonArray arr;
    for (const Folder &f : folders)
        arr.append(QJsonObject{{QStringLiteral("path"), f.path}, {QStringLiteral("existed"), f.existed}});
    return arr;
}

Status writeAll(int fd, const QByteArray &bytes)
{
    qsizetype off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + off, size_t(bytes.size() - off));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(exportfs::errnoText(errno));
        off += n;
    }
    if (::fsync(fd) != 0)
        return fail(exportfs::errnoText(errno));
    return {};
}

}   // namespace

QByteArray toJson(const Manifest &m)
{
    QJsonArray actions;
    for (const ExportAction &a : m.actions)
        actions.append(actionToJson(a));
    QJsonObject root{{QStringLiteral("format"), kFormat},
                     {QStringLiteral("version"), kVersion},
                     {QStringLiteral("runId"), QString::number(m.runId)},
                     {QStringLiteral("mode"), exportModeName(m.mode)},
                     {QStringLiteral("time"), m.createdUtc.toString(Qt::ISODateWithMs)},
                     {QStringLiteral("softwareVersion"), m.softwareVersion},
                     {QStringLiteral("targetRoot"), m.targetRoot},
                     {QStringLiteral("state"), m.state},
                     {QStringLiteral("folders"), foldersToJson(m.folders)},
                     {QStringLiteral("actions"), actions}};
    if (!m.undoMessages.isEmpty())
        root.insert(QStringLiteral("undoMessages"), QJsonArray::fromStringList(m.undoMessages));
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<Manifest> fromJson(const QByteArray &json)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (doc.isNull() || !doc.isObject())
        return fail(QStringLiteral("not a JSON object (%1)").arg(err.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toString() != kFormat)
        return fail(QStringLiteral("not a Clade export manifest"));
    if (root.value(QStringLiteral("version")).toInt() != kVersion)
        return fail(QStringLiteral("unsupported manifest version %1").arg(root.value(QStringLiteral("version")).toInt()));
    Manifest m;
    m.runId = root.value(QStringLiteral("runId")).toString().toLongLong();
    m.mode = exportModeFromName(root.value(QStringLiteral("mode")).toString()).value_or(ExportMode::Copy);
    m.createdUtc = QDateTime::fromString(root.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    m.softwareVersion = root.value(QStringLiteral("softwareVersion")).toString();
    m.targetRoot = root.value(QStringLiteral("targetRoot")).toString();
    m.state = root.value(QStringLiteral("state")).toString();
    if (m.targetRoot.isEmpty())
        return fail(QStringLiteral("the manifest names no target root"));
    for (const QJsonValue &v : root.value(QStringLiteral("folders")).toArray())
        m.folders.push_back(
            {v.toObject().value(QStringLiteral("path")).toString(), v.toObject().value(QStringLiteral("existed")).toBool(true)});
    for (const QJsonValue &v : root.value(QStringLiteral("actions")).toArray()) {
        auto action = actionFromJson(v.toObject());
        if (!action)
            return action.takeError();
        m.actions.push_back(std::move(*action));
    }
    for (const QJsonValue &v : root.value(QStringLiteral("undoMessages")).toArray())
        m.undoMessages.append(v.toString());
    return m;
}

Result<Manifest> read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("Could not read manifest %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    if (bytes.isEmpty())
        return fail(QStringLiteral("Manifest %1 is empty: the export was stopped before it moved, copied or linked anything").arg(path));
    auto manifest = fromJson(bytes);
    if (!manifest)
        return fail(QStringLiteral("Manifest %1 is unusable: %2").arg(path, manifest.error()));
    return manifest;
}

Status write(const QString &path, const Manifest &manifest)
{
    const QByteArray temp = QFile::encodeName(path + QStringLiteral(".tmp"));
    exportfs::Fd fd(::open(temp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.valid())
        return fail(QStringLiteral("Could not write manifest %1: %2").arg(path, exportfs::errnoText(errno)));
    Status st = writeAll(fd.get(), toJson(manifest));
    if (st && ::close(fd.release()) != 0)
        st = fail(exportfs::errnoText(errno));
    if (st && ::rename(temp.constData(), QFile::encodeName(path).constData()) != 0)
        st = fail(exportfs::errnoText(errno));
    if (!st) {
        ::unlink(temp.constData());
        return fail(QStringLiteral("Could not write manifest %1: %2").arg(path, st.error()));
    }
    if (auto dir = exportfs::openDir(QFileInfo(path).absolutePath()))
        exportfs::syncDir(dir->get());
    return {};
}

Result<QString> create(const QString &root, const Manifest &manifest)
{
    const QString stem = root + QStringLiteral("/clade-export-") + manifest.createdUtc.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    const auto failed = [&](const QString &why) {
        return fail(QStringLiteral("Could not create the export manifest in %1: %2").arg(root, why));
    };
    // The temp file's name is random and taken exclusively: two exports into one folder in the
    // same second must not write into each other's temp file.
    QByteArray temp;
    exportfs::Fd fd;
    for (int tries = 0; tries < 100 && !fd.valid(); ++tries) {
        temp =
            QFile::encodeName(stem + QStringLiteral(".json.%1.tmp").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0')));
        const int opened = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        const int err = errno;
        fd = exportfs::Fd(opened);
        if (opened < 0 && err != EEXIST)
            return failed(exportfs::errnoText(err));
    }
    if (!fd.valid())
        return failed(exportfs::errnoText(EEXIST));
    {
        Status st = writeAll(fd.get(), toJson(manifest));
        if (st && ::close(fd.release()) != 0)
            st = fail(exportfs::errnoText(errno));
        if (!st) {
            ::unlink(temp.constData());
            return failed(st.error());
        }
    }
    bool linkable = true;
    for (int n = 1; n < 1000; ++n) {
        const QString path = stem + (n == 1 ? QString() : QStringLiteral("-%1").arg(n)) + QStringLiteral(".json");
        const QByteArray name = QFile::encodeName(path);
        int err = 0;
        if (linkable) {
            if (::link(temp.constData(), name.constData()) == 0) {
                ::unlink(temp.constData());
                if (auto dir = exportfs::openDir(root))
                    exportfs::syncDir(dir->get());
                return path;
            }
            err = errno;
            linkable = err == EEXIST;   // EPERM, ENOTSUP, ...: no hard links here; reserve by name
        }
        if (!linkable) {
            const int reserved = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
            err = reserved >= 0 ? 0 : errno;
            if (reserved >= 0) {
                ::close(reserved);
                if (::rename(temp.constData(), name.constData()) != 0) {
                    err = errno;
                    ::unlink(name.constData());
                    ::unlink(temp.constData());
                    return failed(exportfs::errnoText(err));
                }
                if (auto dir = exportfs::openDir(root))
                    exportfs::syncDir(dir->get());
                return path;
            }
        }
        if (err != EEXIST) {
            ::unlink(temp.constData());
            return failed(exportfs::errnoText(err));
        }
    }
    ::unlink(temp.constData());
    return failed(QStringLiteral("too many exports this second"));
}

}   // namespace clade::exportmanifest
