#include "models/modelcatalogue.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmath>

namespace clade {

namespace {

// User-visible messages go through Qt's translation system like the widgets' tr().
QString tr(const char *text)
{
    return QCoreApplication::translate("clade::ModelCatalogue", text);
}

}   // namespace

bool ModelEntry::isAllowedHost(const QString &host) const
{
    const QString h = host.toLower();
    for (const QString &url : urls) {
        if (QUrl(url).host().toLower() == h)
            return true;
    }
    for (const QString &pattern : redirectHosts) {
        const QString p = pattern.toLower();
        if (p.startsWith(QLatin1String("*."))) {
            if (h.endsWith(p.mid(1)) && h.size() > p.size() - 1)
                return true;
        } else if (p == h) {
            return true;
        }
    }
    return false;
}

ModelCatalogue::ModelCatalogue(QList<ModelEntry> entries, QString defaultId)
    : m_entries(std::move(entries)), m_defaultId(std::move(defaultId))
{
}

QList<ModelEntry> ModelCatalogue::models() const
{
    QList<ModelEntry> out;
    for (const ModelEntry &entry : m_entries) {
        if (entry.isModel())
            out.append(entry);
    }
    return out;
}

std::optional<ModelEntry> ModelCatalogue::find(const QString &id) const
{
    for (const ModelEntry &entry : m_entries) {
        if (entry.id == id)
            return entry;
    }
    return std::nullopt;
}

std::optional<ModelEntry> ModelCatalogue::vocabulary() const
{
    for (const ModelEntry &entry : m_entries) {
        if (entry.kind == ModelEntry::Kind::Vocabulary)
            return entry;
    }
    return std::nullopt;
}

namespace {

// Reads the fields of one entry; `where` ("models.json, entry 2 (openai-vit-b-32)") prefixes errors.
class EntryReader
{
public:
    EntryReader(const QJsonObject &object, QString where) : m_object(object), m_where(std::move(where)) { }

    Result<QString> string(const QString &key, bool nullable = false) const
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return fail(tr("%1: the field \"%2\" is missing.").arg(m_where, key));
        if (nullable && value.isNull())
            return QString();
        if (!value.isString() || value.toString().trimmed().isEmpty())
            return fail(tr("%1: the field \"%2\" must be a non-empty string.").arg(m_where, key));
        return value.toString();
    }

    Result<QStringList> strings(const QString &key, bool allowEmpty) const
    {
        const QJsonValue value = m_object.value(key);
        if (!value.isArray() || (!allowEmpty && value.toArray().isEmpty()))
            return fail(tr("%1: the field \"%2\" must be a%3 array of strings.")
                            .arg(m_where, key, allowEmpty ? QString() : QStringLiteral(" non-empty")));
        QStringList out;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString() || item.toString().isEmpty())
                return fail(tr("%1: \"%2\" holds something that is not a string.").arg(m_where, key));
            out.append(item.toString());
        }
        return out;
    }

    Result<std::optional<qint64>> size() const
    {
        const QJsonValue value = m_object.value(QLatin1String("size"));
        if (value.isUndefined())
            return fail(tr("%1: the field \"size\" is missing (use null when unverified).").arg(m_where));
        if (value.isNull())
            return std::optional<qint64>();
        const double d = value.toDouble(-1);
        // Range first: converting a double beyond qint64 is undefined (found by the fuzzer).
        if (!value.isDouble() || !(d > 0 && d < 9.0e18) || d != std::floor(d))
            return fail(tr("%1: \"size\" must be a positive whole number of bytes or null.").arg(m_where));
        return std::optional<qint64>(qint64(d));
    }

    const QString &where() const { return m_where; }

private:
    QJsonObject m_object;
    QString m_where;
};

bool isLoopbackHttp(const QUrl &url)
{
    return url.scheme() == QLatin1String("http") && (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("localhost"));
}

Status checkEntry(const ModelEntry &e, const QString &where)
{
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9._-]*$"));
    static const QRegularExpression hexPattern(QStringLiteral("^[0-9a-f]{64}$"));
    static const QStringList formats{QStringLiteral("openai-jit"), QStringLiteral("safetensors"), QStringLiteral("bpe-gzip")};
    if (!idPattern.match(e.id).hasMatch())
        return fail(tr("%1: the id may only hold a-z, 0-9, '.', '_' and '-'.").arg(where));
    if (e.fileName.contains(QLatin1Char('/')) || e.fileName.contains(QLatin1Char('\\')) || e.fileName.startsWith(QLatin1Char('.')))
        return fail(tr("%1: \"fileName\" must be a plain file name.").arg(where));
    if (!formats.contains(e.format))
        return fail(tr("%1: unknown \"format\" \"%2\".").arg(where, e.format));
    if (!e.sha256.isEmpty() && !hexPattern.match(e.sha256).hasMatch())
        return fail(tr("%1: \"sha256\" must be 64 lower-case hex digits or null.").arg(where));
    for (const QString &url : e.urls) {
        const QUrl parsed(url, QUrl::StrictMode);
        const bool mirror = e.loopbackAllowed && isLoopbackHttp(parsed);
        if (!parsed.isValid() || (parsed.scheme() != QLatin1String("https") && !mirror) || parsed.host().isEmpty())
            return fail(tr("%1: \"%2\" is not an https URL.").arg(where, url));
    }
    if (e.isModel() && e.architecture.isEmpty())
        return fail(tr("%1: a model needs an \"architecture\".").arg(where));
    return {};
}

// Keeps the first error; later fields are not read once one failed.
template<typename T>
void take(Result<T> result, T &out, std::optional<Error> &error)
{
    if (error)
        return;
    if (!result)
        error = result.takeError();
    else
        out = std::move(result).value();
}

Result<ModelEntry> readEntry(const EntryReader &r, bool localMirror)
{
    ModelEntry e;
    e.loopbackAllowed = localMirror;
    QString kind;
    std::optional<Error> error;
    take(r.string(QStringLiteral("id")), e.id, error);
    take(r.string(QStringLiteral("kind")), kind, error);
    take(r.string(QStringLiteral("name")), e.name, error);
    take(r.string(QStringLiteral("architecture"), true), e.architecture, error);
    take(r.string(QStringLiteral("activation"), true), e.activation, error);
    take(r.string(QStringLiteral("fileName")), e.fileName, error);
    take(r.string(QStringLiteral("format")), e.format, error);
    take(r.strings(QStringLiteral("urls"), false), e.urls, error);
    take(r.strings(QStringLiteral("redirectHosts"), true), e.redirectHosts, error);
    take(r.size(), e.size, error);
    take(r.string(QStringLiteral("sha256"), true), e.sha256, error);
    take(r.string(QStringLiteral("licence")), e.licence, error);
    take(r.string(QStringLiteral("source")), e.source, error);
    if (error)
        return *error;
    if (kind != QLatin1String("model") && kind != QLatin1String("vocabulary"))
        return fail(tr("%1: \"kind\" must be \"model\" or \"vocabulary\".").arg(r.where()));
    e.kind = kind == QLatin1String("model") ? ModelEntry::Kind::Model : ModelEntry::Kind::Vocabulary;
    if (const Status ok = checkEntry(e, r.where()); !ok)
        return ok.takeError();
    return e;
}

Result<ModelCatalogue> readCatalogue(const QJsonObject &root, const QString &origin, bool localMirror)
{
    if (root.value(QLatin1String("version")).toInt(0) != 1)
        return fail(tr("%1: unsupported catalogue version (expected \"version\": 1).").arg(origin));
    const QJsonValue entries = root.value(QLatin1String("entries"));
    if (!entries.isArray() || entries.toArray().isEmpty())
        return fail(tr("%1: \"entries\" must be a non-empty array.").arg(origin));
    QList<ModelEntry> out;
    QSet<QString> ids;
    int index = 0;
    for (const QJsonValue &value : entries.toArray()) {
        ++index;
        if (!value.isObject())
            return fail(tr("%1, entry %2: not a JSON object.").arg(origin).arg(index));
        const QString id = value.toObject().value(QLatin1String("id")).toString();
        const QString where =
            QStringLiteral("%1, entry %2%3").arg(origin).arg(index).arg(id.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(id));
        auto entry = readEntry(EntryReader(value.toObject(), where), localMirror);
        if (!entry)
            return entry.takeError();
        if (ids.contains(entry->id))
            return fail(tr("%1: the id \"%2\" is used twice.").arg(where, entry->id));
        ids.insert(entry->id);
        out.append(std::move(*entry));
    }
    const QString defaultId = root.value(QLatin1String("default")).toString();
    ModelCatalogue catalogue(out, defaultId);
    const auto def = catalogue.find(defaultId);
    if (!def || !def->isModel())
        return fail(tr("%1: \"default\" must name a model entry.").arg(origin));
    return catalogue;
}

}   // namespace

Result<ModelCatalogue> parseCatalogue(const QByteArray &json, const QString &origin, bool localMirror)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(tr("%1 is not valid JSON: %2 at offset %3.").arg(origin, error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return fail(tr("%1: the top level must be a JSON object.").arg(origin));
    return readCatalogue(doc.object(), origin, localMirror);
}

Result<ModelCatalogue> builtinCatalogue()
{
    if (const QString mirror = qEnvironmentVariable("CLADE_MODEL_CATALOGUE"); !mirror.isEmpty()) {
        QFile local(mirror);
        if (!local.open(QIODevice::ReadOnly))
            return fail(tr("The model catalogue %1 named by CLADE_MODEL_CATALOGUE cannot be read: %2").arg(mirror, local.errorString()));
        return parseCatalogue(local.readAll(), mirror, true);
    }
    QFile file(QStringLiteral(":/clade/models.json"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("The built-in model catalogue is missing from this build (%1).").arg(file.errorString()));
    return parseCatalogue(file.readAll(), QStringLiteral("models.json"));
}

}   // namespace clade
