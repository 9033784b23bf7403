#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "models/modelcatalogue.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace clade {

// A file under modelsDir() whose bytes were checked: either its SHA-256 equals the catalogue's
// (verified) or the user explicitly accepted a file the catalogue cannot vouch for.
struct InstalledModel
{
    QString id;
    QString path;     // absolute
    QString sha256;   // of the file as installed
    qint64 size = 0;
    QString format;              // "openai-jit", "safetensors", "bpe-gzip"
    bool userAccepted = false;   // true: not verified against the catalogue, accepted by the user

    bool verified() const { return !userAccepted; }
};

struct ImportOptions
{
    // Install a file whose checksum the catalogue does not vouch for (unknown id, entry without
    // checksum, or a checksum mismatch). Only on the user's explicit request; recorded as such.
    bool acceptUnknown = false;
    const Progress *progress = nullptr;   // reports bytes hashed; cancel() stops the import
};

// A model file copied next to its place in the models folder and hashed on the way
// (ModelManager::copyForImport); not installed until installImported().
struct ImportedCopy
{
    QString id;
    QString source;
    QString copy;     // <target>.import
    QString target;   // where it goes when installed
    QString sha256;
    qint64 size = 0;
    QString format;
    bool matches = false;   // the catalogue has this SHA-256 for the id
    QString problem;        // why it is not verified (empty when it matches)
};

// The installed CLIP models and vocabulary under <dataDir>/models/<id>/<fileName>.
// A small record (models/installed.json) keeps each file's SHA-256, size and mtime, so start-up
// need not re-hash hundreds of megabytes; a file whose size or mtime no longer matches its record
// is not reported as installed until verify() hashes it again. Files without a record (half
// downloads, foreign files) are never reported as installed.
// Not thread-safe: use it on one thread (the GUI thread, or the CLI's main thread); only
// copyForImport() may run on another thread meanwhile.
class ModelManager
{
public:
    // modelsDir empty: dataDir() + "/models".
    explicit ModelManager(ModelCatalogue catalogue, QString modelsDir = QString());

    const ModelCatalogue &catalogue() const { return m_catalogue; }
    QString modelsDir() const { return m_dir; }

    QList<InstalledModel> installed() const;   // catalogue order, then user-added ids
    std::optional<InstalledModel> installedModel(const QString &id) const;
    bool isInstalled(const QString &id) const { return installedModel(id).has_value(); }
    QString installedPath(const QString &id) const;   // empty when not installed
    std::optional<ModelEntry> defaultModel() const;   // the catalogue's default entry
    // The model to embed with: the active one (setActive) when installed, else the default
    // when installed, else the first installed model.
    std::optional<InstalledModel> preferredModel() const;
    // Chooses the model runs use from now on (an installed model, not the vocabulary); kept in
    // the record file. activeId() is empty when none was chosen.
    Status setActive(const QString &id);
    QString activeId() const { return m_active; }

    // Deletes the installed file, a partial download and the record. Unknown ids are an error.
    Status remove(const QString &id);
    // Copies `path` into place while hashing it (the source is never moved or changed) and
    // installs it only when the SHA-256 matches the catalogue, or with options.acceptUnknown.
    // Runs on the calling thread and reads the whole file: checkImport, copyForImport and
    // installImported in one.
    Result<InstalledModel> importFile(const QString &path, const QString &id, ImportOptions options = {});
    // What importFile checks before it reads the file: a readable file and a valid id; unless
    // acceptUnknown, an id with a catalogue checksum and, where known, the catalogue's size.
    Status checkImport(const QString &path, const QString &id, bool acceptUnknown) const;
    // The long part of an import: copies `path` next to its place while hashing it (progress
    // gets bytes copied and can cancel; nothing is left behind then). It reads only what never
    // changes after construction, so it may run on another thread while this one goes on.
    Result<ImportedCopy> copyForImport(const QString &path, const QString &id, const Progress *progress = nullptr) const;
    // Moves a copy into place and records it when its SHA-256 matches the catalogue, or with
    // acceptUnknown (recorded as accepted by the user); otherwise deletes the copy and says why.
    Result<InstalledModel> installImported(const ImportedCopy &copy, bool acceptUnknown);
    // Re-hashes an existing file in place (e.g. after its mtime changed) and records it if it matches.
    Result<InstalledModel> verify(const QString &id, const Progress *progress = nullptr);

    // Where ModelDownload writes: <modelsDir>/<id>/<fileName> and the same with ".part".
    QString targetPath(const ModelEntry &entry) const;
    QString partPath(const ModelEntry &entry) const;
    // Records a file that was verified and moved to its final path (used by ModelDownload).
    Status recordInstalled(const InstalledModel &model);

private:
    struct Record
    {
        InstalledModel model;
        qint64 mtimeMs = 0;
    };

    void loadRecords();
    Status saveRecords() const;
    bool recordStillValid(const Record &record) const;

    ModelCatalogue m_catalogue;
    QString m_dir;
    QHash<QString, Record> m_records;
    QString m_active;
};

// SHA-256 of a file as 64 lower-case hex digits. progress (optional) gets bytes read and can cancel.
Result<QString> sha256OfFile(const QString &path, const Progress *progress = nullptr);

}   // namespace clade
