#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace clade {

// One downloadable file of the model catalogue (resources/models.json): a CLIP checkpoint
// or the BPE vocabulary. Plain value; safe to copy between threads.
struct ModelEntry
{
    enum class Kind { Model, Vocabulary };

    QString id;   // stable key: directory name under models/, catalog model id
    Kind kind = Kind::Model;
    QString name;                 // display name
    QString architecture;         // "ViT-B/32"; empty for the vocabulary
    QString activation;           // "quick_gelu" or "gelu"; empty for the vocabulary
    QString fileName;             // plain file name, no directories
    QString format;               // "openai-jit", "safetensors" or "bpe-gzip"
    QStringList urls;             // official https locations, tried in order
    QStringList redirectHosts;    // extra hosts a redirect may lead to ("*.hf.co" = any subdomain)
    std::optional<qint64> size;   // bytes; nullopt when unverified
    QString sha256;               // 64 lower-case hex digits; empty when unverified
    QString licence;
    QString source;                 // where each number came from
    bool loopbackAllowed = false;   // from a local mirror catalogue: http://127.0.0.1 URLs allowed

    bool isModel() const { return kind == Kind::Model; }
    bool hasChecksum() const { return !sha256.isEmpty(); }
    // Hosts of the urls plus redirectHosts: the only places a download may be redirected to.
    bool isAllowedHost(const QString &host) const;
};

class ModelCatalogue
{
public:
    ModelCatalogue() = default;
    ModelCatalogue(QList<ModelEntry> entries, QString defaultId);

    const QList<ModelEntry> &entries() const { return m_entries; }
    QList<ModelEntry> models() const;   // kind == Model
    std::optional<ModelEntry> find(const QString &id) const;
    std::optional<ModelEntry> vocabulary() const;   // the first vocabulary entry
    QString defaultId() const { return m_defaultId; }

private:
    QList<ModelEntry> m_entries;
    QString m_defaultId;
};

// Parses and validates a catalogue document. Every problem (bad JSON, a missing or mistyped
// field, a non-https URL, a malformed checksum, duplicate ids, an unknown default) gives an
// Error naming the entry and the field. `origin` names the document in messages.
// localMirror: the document describes a mirror on this machine, so its URLs may also be plain
// http on 127.0.0.1 or localhost (and downloads may follow them).
Result<ModelCatalogue> parseCatalogue(const QByteArray &json, const QString &origin, bool localMirror = false);

// The catalogue built into the binary (resources/models.json as a Qt resource), or, when the
// environment variable CLADE_MODEL_CATALOGUE names a file, that file as a local mirror's
// catalogue (offline sites serving the weights from this machine; the tests).
Result<ModelCatalogue> builtinCatalogue();

}   // namespace clade
