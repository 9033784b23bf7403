#include "models/modelmanager.h"

#include "common/paths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <cstdio>

namespace clade {

namespace {

// User-visible messages go through Qt's translation system like the widgets' tr().
QString tr(const char *text)
{
    return QCoreApplication::translate("clade::ModelManager", text);
}

}   // namespace

namespace {

constexpr qint64 kChunk = 1 << 20;

QString recordPath(const QString &dir)
{
    return dir + QStringLiteral("/installed.json");
}

QString formatFromSuffix(const QString &fileName)
{
    if (fileName.endsWith(QLatin1String(".safetensors")))
        return QStringLiteral("safetensors");
    if (fileName.endsWith(QLatin1String(".gz")))
        return QStringLiteral("bpe-gzip");
    return QStringLiteral("openai-jit");
}

qint64 mtimeOf(const QString &path)
{
    return QFileInfo(path).lastModified().toMSecsSinceEpoch();
}

// Replaces `to` by `from` in one step (POSIX rename), so a reader never sees a half file.
Status atomicRename(const QString &from, const QString &to)
{
    if (std::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0)
        return fail(tr("Could not move %1 into place as %2.").arg(from, to));
    return {};
}

}   // namespace

Result<QString> sha256OfFile(const QString &path, const Progress *progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const qint64 total = file.size();
    qint64 done = 0;
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(kChunk);
        if (chunk.isEmpty() && file.error() != QFileDevice::NoError)
            return fail(tr("Reading %1 failed: %2").arg(path, file.errorString()));
        hash.addData(chunk);
        done += chunk.size();
        if (progress) {
            progress->report(QStringLiteral("hash"), done, total);
            if (progress->cancelled())
                return fail(tr("Cancelled."));
        }
    }
    return QString::fromLatin1(hash.result().toHex());
}

ModelManager::ModelManager(ModelCatalogue catalogue, QString modelsDir)
    : m_catalogue(std::move(catalogue)), m_dir(modelsDir.isEmpty() ? dataDir() + QStringLiteral("/models") : std::move(modelsDir))
{
    loadRecords();
}

// A missing or damaged record means "nothing installed": files get re-verified, never trusted.
void ModelManager::loadRecords()
{
    m_records.clear();
    m_active.clear();
    QFile file(recordPath(m_dir));
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    m_active = root.value(QLatin1String("active")).toString();
    const QJsonArray files = root.value(QLatin1String("files")).toArray();
    for (const QJsonValue &value : files) {
        const QJsonObject o = value.toObject();
        Record r;
        r.model.id = o.value(QLatin1String("id")).toString();
        const QString relative = o.value(QLatin1String("file")).toString();
        r.model.path = m_dir + QLatin1Char('/') + relative;
        r.model.sha256 = o.value(QLatin1String("sha256")).toString();
        r.model.size = qint64(o.value(QLatin1String("size")).toDouble(-1));
        r.model.format = o.value(QLatin1String("format")).toString();
        r.model.userAccepted = o.value(QLatin1String("userAccepted")).toBool(false);
        r.mtimeMs = qint64(o.value(QLatin1String("mtimeMs")).toDouble(-1));
        if (r.model.id.isEmpty() || relative.isEmpty() || relative.contains(QLatin1String("..")))
            continue;
        m_records.insert(r.model.id, r);
    }
}

Status ModelManager::saveRecords() const
{
    QJsonArray files;
    for (const Record &r : m_records) {
        files.append(QJsonObject{{QStringLiteral("id"), r.model.id},
                                 {QStringLiteral("file"), QDir(m_dir).relativeFilePath(r.model.path)},
                                 {QStringLiteral("sha256"), r.model.sha256},
                                 {QStringLiteral("size"), double(r.model.size)},
                                 {QStringLiteral("format"), r.model.format},
                                 {QStringLiteral("userAccepted"), r.model.userAccepted},
                                 {QStringLiteral("mtimeMs"), double(r.mtimeMs)}});
    }
    QDir().mkpath(m_dir);
    QSaveFile file(recordPath(m_dir));
    if (!file.open(QIODevice::WriteOnly))
        return fail(tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    QJsonObject root{{QStringLiteral("version"), 1}, {QStringLiteral("files"), files}};
    if (!m_active.isEmpty())
        root.insert(QStringLiteral("active"), m_active);
    file.write(QJsonDocument(root).toJson());
    if (!file.commit())
        return fail(tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    return {};
}

bool ModelManager::recordStillValid(const Record &record) const
{
    const QFileInfo info(record.model.path);
    if (!info.isFile() || info.size() != record.model.size || info.lastModified().toMSecsSinceEpoch() != record.mtimeMs)
        return false;
    if (record.model.userAccepted)
        return true;
    const auto entry = m_catalogue.find(record.model.id);
    return entry && entry->sha256 == record.model.sha256;
}

QList<InstalledModel> ModelManager::installed() const
{
    QList<InstalledModel> out;
    for (const ModelEntry &entry : m_catalogue.entries()) {
        if (const auto model = installedModel(entry.id))
            out.append(*model);
    }
    QStringList extra;
    for (const Record &r : m_records) {
        if (!m_catalogue.find(r.model.id))
            extra.append(r.model.id);
    }
    extra.sort();
    for (const QString &id : extra) {
        if (const auto model = installedModel(id))
            out.append(*model);
    }
    return out;
}

std::optional<InstalledModel> ModelManager::installedModel(const QString &id) const
{
    const auto it = m_records.constFind(id);
    if (it == m_records.cend() || !recordStillValid(*it))
        return std::nullopt;
    return it->model;
}

QString ModelManager::installedPath(const QString &id) const
{
    const auto model = installedModel(id);
    return model ? model->path : QString();
}

std::optional<ModelEntry> ModelManager::defaultModel() const
{
    return m_catalogue.find(m_catalogue.defaultId());
}

Status ModelManager::setActive(const QString &id)
{
    const auto model = installedModel(id);
    if (!model)
        return fail(tr("\"%1\" is not installed; install or import it first.").arg(id));
    const auto entry = m_catalogue.find(id);
    if ((entry && !entry->isModel()) || model->format == QLatin1String("bpe-gzip"))
        return fail(tr("\"%1\" is not a CLIP model.").arg(id));
    m_active = id;
    return saveRecords();
}

std::optional<InstalledModel> ModelManager::preferredModel() const
{
    if (!m_active.isEmpty()) {
        if (const auto model = installedModel(m_active))
            return model;
    }
    if (const auto model = installedModel(m_catalogue.defaultId()))
        return model;
    for (const InstalledModel &model : installed()) {
        const auto entry = m_catalogue.find(model.id);
        if (!entry || entry->isModel())
            return model;
    }
    return std::nullopt;
}

QString ModelManager::targetPath(const ModelEntry &entry) const
{
    return m_dir + QLatin1Char('/') + entry.id + QLatin1Char('/') + entry.fileName;
}

QString ModelManager::partPath(const ModelEntry &entry) const
{
    return targetPath(entry) + QStringLiteral(".part");
}

Status ModelManager::recordInstalled(const InstalledModel &model)
{
    Record r{model, mtimeOf(model.path)};
    r.model.size = QFileInfo(model.path).size();
    m_records.insert(model.id, r);
    return saveRecords();
}

Status ModelManager::remove(const QString &id)
{
    const auto entry = m_catalogue.find(id);
    const auto it = m_records.constFind(id);
    if (!entry && it == m_records.cend())
        return fail(tr("There is no model \"%1\" to delete.").arg(id));
    QStringList paths;
    if (it != m_records.cend())
        paths.append(it->model.path);
    if (entry)
        paths << targetPath(*entry) << partPath(*entry);
    for (const QString &path : paths) {
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return fail(tr("Could not delete %1.").arg(path));
    }
    m_records.remove(id);
    if (m_active == id)
        m_active.clear();
    QDir(m_dir).rmdir(id);   // only succeeds when empty
    return saveRecords();
}

Status ModelManager::checkImport(const QString &path, const QString &id, bool acceptUnknown) const
{
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    const QFileInfo source(path);
    if (!source.isFile())
        return fail(tr("%1 is not a readable file.").arg(path));
    const auto entry = m_catalogue.find(id);
    if (!entry && !idPattern.match(id).hasMatch())
        return fail(tr("\"%1\" is not a valid model id (use a-z, 0-9, '.', '_' and '-').").arg(id));
    if (!entry && !acceptUnknown)
        return fail(tr("\"%1\" is not in the model catalogue, so %2 cannot be verified; "
                       "it can only be imported if you accept an unverified file.")
                        .arg(id, path));
    if (entry && !entry->hasChecksum() && !acceptUnknown)
        return fail(tr("The catalogue has no checksum for %1, so %2 cannot be verified; "
                       "it can only be imported if you accept an unverified file.")
                        .arg(entry->name, path));
    if (entry && entry->size && *entry->size != source.size() && !acceptUnknown)
        return fail(
            tr("%1 is %2 bytes, but %3 is %4 bytes; not imported.").arg(path).arg(source.size()).arg(entry->name).arg(*entry->size));
    return {};
}

Result<InstalledModel> ModelManager::importFile(const QString &path, const QString &id, ImportOptions options)
{
    if (Status checked = checkImport(path, id, options.acceptUnknown); !checked)
        return checked.takeError();
    auto copy = copyForImport(path, id, options.progress);
    if (!copy)
        return copy.takeError();
    return installImported(*copy, options.acceptUnknown);
}

// Copies while hashing; installImported then decides: the copy is renamed into place only when accepted.
Result<ImportedCopy> ModelManager::copyForImport(const QString &source, const QString &id, const Progress *progress) const
{
    const auto entry = m_catalogue.find(id);
    const QString fileName = entry ? entry->fileName : QFileInfo(source).fileName();
    ImportedCopy copy;
    copy.id = id;
    copy.source = source;
    copy.target = m_dir + QLatin1Char('/') + id + QLatin1Char('/') + fileName;
    copy.copy = copy.target + QStringLiteral(".import");
    copy.format = entry ? entry->format : formatFromSuffix(fileName);
    QDir().mkpath(QFileInfo(copy.target).absolutePath());
    QFile in(source);
    QFile out(copy.copy);
    if (!in.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read %1: %2").arg(source, in.errorString()));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(tr("Cannot write %1: %2").arg(copy.copy, out.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    while (!in.atEnd()) {
        const QByteArray chunk = in.read(kChunk);
        const bool readFailed = chunk.isEmpty() && in.error() != QFileDevice::NoError;
        const bool cancelled = progress && progress->cancelled();
        if (readFailed || cancelled || out.write(chunk) != chunk.size()) {
            out.remove();
            return fail(cancelled ? tr("Import cancelled; nothing was installed.")
                                  : tr("Copying %1 failed: %2 %3").arg(source, in.errorString(), out.errorString()));
        }
        hash.addData(chunk);
        copy.size += chunk.size();
        if (progress)
            progress->report(QStringLiteral("import"), copy.size, in.size());
    }
    if (!out.flush()) {
        out.remove();
        return fail(tr("Copying %1 failed: %2").arg(source, out.errorString()));
    }
    out.close();
    copy.sha256 = QString::fromLatin1(hash.result().toHex());
    copy.matches = entry && entry->hasChecksum() && entry->sha256 == copy.sha256;
    if (!entry || !entry->hasChecksum())
        copy.problem = tr("%1 cannot be verified: the catalogue has no checksum for \"%2\".").arg(source, id);
    else if (!copy.matches)
        copy.problem = tr("The SHA-256 of %1 is %2, but %3 has %4.").arg(source, copy.sha256, entry->name, entry->sha256);
    return copy;
}

Result<InstalledModel> ModelManager::installImported(const ImportedCopy &copy, bool acceptUnknown)
{
    if (!copy.matches && !acceptUnknown) {
        QFile::remove(copy.copy);
        return fail(tr("%1 The file was not imported.").arg(copy.problem));
    }
    if (const Status moved = atomicRename(copy.copy, copy.target); !moved) {
        QFile::remove(copy.copy);
        return moved.takeError();
    }
    InstalledModel model{copy.id, copy.target, copy.sha256, copy.size, copy.format, !copy.matches};
    if (const Status saved = recordInstalled(model); !saved)
        return saved.takeError();
    return *installedModel(copy.id);
}

Result<InstalledModel> ModelManager::verify(const QString &id, const Progress *progress)
{
    const auto entry = m_catalogue.find(id);
    if (!entry || !entry->hasChecksum())
        return fail(tr("\"%1\" has no catalogue checksum to verify against.").arg(id));
    const QString path = targetPath(*entry);
    const auto sha = sha256OfFile(path, progress);
    if (!sha)
        return sha.takeError();
    if (*sha != entry->sha256)
        return fail(tr("The SHA-256 of %1 is %2, but %3 has %4; it is not used.").arg(path, *sha, entry->name, entry->sha256));
    InstalledModel model{id, path, *sha, QFileInfo(path).size(), entry->format, false};
    if (const Status saved = recordInstalled(model); !saved)
        return saved.takeError();
    return model;
}

}   // namespace clade
