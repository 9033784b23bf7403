// Catalog: photos, features and per-file problems.
#include "catalog/catalog.h"

#include "catalog/statement.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstring>
#include <functional>

namespace clade {

namespace {

const char *const kPhotoColumns = "id, path, size, mtime_ms, hash, format, width, height, taken_at, camera_make, camera_model, lens, "
                                  "orientation, gps_lat, gps_lon, gps_alt, keywords, colour, state, error";

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

std::optional<double> optionalReal(const Statement &q, int column)
{
    if (q.isNull(column))
        return std::nullopt;
    return q.real(column);
}

PhotoRecord readPhoto(const Statement &q)
{
    PhotoRecord p;
    p.id = q.int64(0);
    p.path = q.text(1);
    p.size = q.int64(2);
    p.mtimeMs = q.int64(3);
    p.hash = q.text(4);
    p.format = q.text(5);
    p.width = int(q.int64(6));
    p.height = int(q.int64(7));
    p.meta.takenAt = QDateTime::fromString(q.text(8), Qt::ISODateWithMs);
    p.meta.cameraMake = q.text(9);
    p.meta.cameraModel = q.text(10);
    p.meta.lens = q.text(11);
    p.meta.orientation = int(q.int64(12));
    p.meta.latitude = optionalReal(q, 13);
    p.meta.longitude = optionalReal(q, 14);
    p.meta.altitude = optionalReal(q, 15);
    for (const QJsonValue &k : QJsonDocument::fromJson(q.text(16).toUtf8()).array())
        p.meta.keywords << k.toString();
    p.colour = q.text(17);
    p.state = PhotoState(q.int64(18));
    p.error = q.text(19);
    return p;
}

void bindOptional(Statement &q, int index, const std::optional<double> &value)
{
    if (value)
        q.bind(index, *value);
    else
        q.bindNull(index);
}

// Rows whose path lies under folder: a range on the path index, exact for any characters.
QString folderPrefix(const QString &folder)
{
    QString prefix = QDir::cleanPath(folder);
    if (!prefix.endsWith(QLatin1Char('/')))
        prefix += QLatin1Char('/');
    return prefix;
}

QString folderUpperBound(const QString &prefix)
{
    QString upper = prefix;
    upper.back() = QChar(QLatin1Char('/').unicode() + 1);
    return upper;
}

}   // namespace

Result<std::vector<PhotoRecord>> PhotoStore::under(const QString &folder, bool includeMissing) const
{
    const QString prefix = folderPrefix(folder);
    const QByteArray sql =
        QByteArray("SELECT ") + kPhotoColumns + " FROM photos WHERE path >= ? AND path < ? AND (state != 1 OR ?) ORDER BY path";
    Statement q(m_db, sql.constData());
    q.bind(1, prefix).bind(2, folderUpperBound(prefix)).bind(3, qint64(includeMissing));
    return collectRows<PhotoRecord>(q, readPhoto);
}

Result<std::optional<PhotoRecord>> PhotoStore::byPath(const QString &path) const
{
    const QByteArray sql = QByteArray("SELECT ") + kPhotoColumns + " FROM photos WHERE path = ?";
    Statement q(m_db, sql.constData());
    q.bind(1, path);
    return firstRow<PhotoRecord>(q, readPhoto);
}

Result<std::optional<PhotoRecord>> PhotoStore::byId(qint64 id) const
{
    const QByteArray sql = QByteArray("SELECT ") + kPhotoColumns + " FROM photos WHERE id = ?";
    Statement q(m_db, sql.constData());
    q.bind(1, id);
    return firstRow<PhotoRecord>(q, readPhoto);
}

Result<qint64> PhotoStore::upsert(const PhotoRecord &p)
{
    Statement q(m_db, "INSERT INTO photos (path, size, mtime_ms, hash, format, width, height, taken_at, camera_make, "
                      "camera_model, lens, orientation, gps_lat, gps_lon, gps_alt, keywords, colour, state, error, updated_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
                      "ON CONFLICT(path) DO UPDATE SET size=?2, mtime_ms=?3, hash=?4, format=?5, width=?6, height=?7, "
                      "taken_at=?8, camera_make=?9, camera_model=?10, lens=?11, orientation=?12, gps_lat=?13, "
                      "gps_lon=?14, gps_alt=?15, keywords=?16, colour=?17, state=?18, error=?19, updated_at=?20 "
                      "RETURNING id");
    q.bind(1, p.path).bind(2, p.size).bind(3, p.mtimeMs).bind(4, p.hash).bind(5, p.format);
    q.bind(6, p.width).bind(7, p.height);
    q.bind(8, p.meta.takenAt.isValid() ? p.meta.takenAt.toString(Qt::ISODateWithMs) : QString());
    q.bind(9, p.meta.cameraMake).bind(10, p.meta.cameraModel).bind(11, p.meta.lens).bind(12, p.meta.orientation);
    bindOptional(q, 13, p.meta.latitude);
    bindOptional(q, 14, p.meta.longitude);
    bindOptional(q, 15, p.meta.altitude);
    const QJsonArray keywords = QJsonArray::fromStringList(p.meta.keywords);
    q.bind(16, QString::fromUtf8(QJsonDocument(keywords).toJson(QJsonDocument::Compact)));
    q.bind(17, p.colour).bind(18, int(p.state)).bind(19, p.error).bind(20, nowMs());
    Result<bool> row = q.step();
    if (!row)
        return row.takeError();
    return q.int64(0);
}

Status PhotoStore::move(qint64 id, const QString &newPath, qint64 size, qint64 mtimeMs)
{
    Statement q(m_db, "UPDATE photos SET path=?, size=?, mtime_ms=?, state=0, error=NULL, updated_at=? WHERE id=?");
    return q.bind(1, newPath).bind(2, size).bind(3, mtimeMs).bind(4, nowMs()).bind(5, id).run();
}

Status PhotoStore::relocate(qint64 id, const QString &newPath)
{
    Statement q(m_db, "UPDATE photos SET path=?, updated_at=? WHERE id=?");
    return q.bind(1, newPath).bind(2, nowMs()).bind(3, id).run();
}

Status PhotoStore::setState(qint64 id, PhotoState state, const QString &error)
{
    Statement q(m_db, "UPDATE photos SET state=?, error=?, updated_at=? WHERE id=?");
    return q.bind(1, int(state)).bind(2, error).bind(3, nowMs()).bind(4, id).run();
}

Status PhotoStore::setDecodedInfo(qint64 id, const QString &colour)
{
    Statement q(m_db, "UPDATE photos SET colour=?, state=0, error=NULL WHERE id=?");
    return q.bind(1, colour).bind(2, id).run();
}

Status FeatureStore::put(qint64 photoId, const QString &modelId, const std::vector<float> &vector)
{
    Statement q(m_db, "INSERT OR REPLACE INTO features (photo_id, model_id, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, photoId).bind(2, modelId).bind(3, qint64(vector.size()));
    q.bindBlob(4, vector.data(), int(vector.size() * sizeof(float))).bind(5, nowMs());
    return q.run();
}

namespace {

// An error naming the photo when a feature row's blob does not hold dim floats.
Status checkVectorBlob(qint64 photoId, qint64 dim, const QByteArray &blob)
{
    if (dim < 0 || blob.size() != dim * qint64(sizeof(float)))
        return fail(QStringLiteral("Catalog feature row for photo %1 is damaged (size %2, expected %3 floats)")
                        .arg(photoId)
                        .arg(blob.size())
                        .arg(dim));
    return {};
}

// Ids per IN (...) list: well under SQLite's default limit of 32,766 host parameters.
constexpr std::size_t kIdsPerQuery = 500;

// Every stored feature row of photoIds under modelId, checked (checkVectorBlob), handed to
// visit(id, dim, blob). In chunks of ids, not one query per photo: a million photos are 2,000
// statements. Stops at the first error, visit's included.
Status forEachFeatureRow(sqlite3 *db, const QString &modelId, const std::vector<qint64> &photoIds,
                         const std::function<Status(qint64, qint64, const QByteArray &)> &visit)
{
    for (std::size_t start = 0; start < photoIds.size(); start += kIdsPerQuery) {
        const std::size_t n = std::min(kIdsPerQuery, photoIds.size() - start);
        QByteArray sql = "SELECT photo_id, dim, vector FROM features WHERE model_id = ? AND photo_id IN (?";
        sql += QByteArray(",?").repeated(qsizetype(n) - 1) + ")";
        Statement q(db, sql.constData());
        q.bind(1, modelId);
        for (std::size_t i = 0; i < n; ++i)
            q.bind(int(i) + 2, photoIds[start + i]);
        for (;;) {
            Result<bool> row = q.step();
            if (!row)
                return row.takeError();
            if (!*row)
                break;
            const qint64 id = q.int64(0);
            const qint64 dim = q.int64(1);
            const QByteArray blob = q.blob(2);
            if (Status s = checkVectorBlob(id, dim, blob); !s)
                return s;
            if (Status s = visit(id, dim, blob); !s)
                return s;
        }
    }
    return {};
}

}   // namespace

Result<std::unordered_map<qint64, std::vector<float>>> FeatureStore::get(const QString &modelId, const std::vector<qint64> &photoIds) const
{
    std::unordered_map<qint64, std::vector<float>> out;
    out.reserve(photoIds.size());
    const Status read = forEachFeatureRow(m_db, modelId, photoIds, [&](qint64 id, qint64 dim, const QByteArray &blob) -> Status {
        std::vector<float> v(std::size_t(dim), 0.0f);
        std::memcpy(v.data(), blob.constData(), std::size_t(blob.size()));
        out.emplace(id, std::move(v));
        return {};
    });
    if (!read)
        return read.takeError();
    return out;
}

Result<FeatureRows> FeatureStore::rows(const QString &modelId, const std::vector<qint64> &photoIds, std::size_t dim) const
{
    FeatureRows out;
    out.matrix = FeatureMatrix(photoIds.size(), dim);
    out.found.assign(photoIds.size(), false);
    std::unordered_map<qint64, std::size_t> index;
    index.reserve(photoIds.size());
    for (std::size_t i = 0; i < photoIds.size(); ++i)
        index.emplace(photoIds[i], i);
    const Status read = forEachFeatureRow(m_db, modelId, photoIds, [&](qint64 id, qint64 rowDim, const QByteArray &blob) -> Status {
        if (std::size_t(rowDim) != dim)
            return fail(QStringLiteral(
                            "Stored features of photo %1 have %2 numbers where the model gives %3 (clade-cli check --repair removes them)")
                            .arg(id)
                            .arg(rowDim)
                            .arg(dim));
        const std::size_t at = index.at(id);
        std::memcpy(out.matrix.row(at), blob.constData(), std::size_t(blob.size()));
        if (!out.found[at]) {
            out.found[at] = true;
            ++out.foundCount;
        }
        return {};
    });
    if (!read)
        return read.takeError();
    return out;
}

Result<std::pair<std::vector<qint64>, FeatureMatrix>> FeatureStore::allPresent(const QString &modelId) const
{
    Statement q(m_db, "SELECT f.photo_id, f.dim, f.vector FROM features f JOIN photos p ON p.id = f.photo_id "
                      "WHERE f.model_id = ? AND p.state != 1 ORDER BY f.photo_id");
    q.bind(1, modelId);
    std::vector<qint64> ids;
    FeatureMatrix m;
    for (;;) {
        Result<bool> row = q.step();
        if (!row)
            return row.takeError();
        if (!*row)
            break;
        const qint64 id = q.int64(0);
        const qint64 dim = q.int64(1);
        if (ids.empty())
            m.cols = std::size_t(std::max<qint64>(dim, 0));
        else if (std::size_t(dim) != m.cols)
            return fail(QStringLiteral("Catalog features of model %1 differ in size (%2 and %3 numbers, photo %4)")
                            .arg(modelId)
                            .arg(m.cols)
                            .arg(dim)
                            .arg(id));
        const QByteArray blob = q.blob(2);
        if (Status s = checkVectorBlob(id, dim, blob); !s)
            return s.takeError();
        ids.push_back(id);
        const std::size_t at = m.values.size();
        m.values.resize(at + m.cols);
        std::memcpy(m.values.data() + at, blob.constData(), std::size_t(blob.size()));
    }
    m.rows = ids.size();
    return std::make_pair(std::move(ids), std::move(m));
}

Status FeatureStore::removeAll(qint64 photoId)
{
    Statement q(m_db, "DELETE FROM features WHERE photo_id = ?");
    return q.bind(1, photoId).run();
}

Result<std::vector<qint64>> FeatureStore::photosWith(const QString &modelId, const std::vector<qint64> &photoIds) const
{
    std::vector<qint64> present;
    Statement q(m_db, "SELECT 1 FROM features WHERE photo_id = ? AND model_id = ?");
    for (qint64 id : photoIds) {
        q.reset();
        q.bind(1, id).bind(2, modelId);
        Result<bool> row = q.step();
        if (!row)
            return row.takeError();
        if (*row)
            present.push_back(id);
    }
    return present;
}

Status FeatureStore::putText(const QString &modelId, const QString &vocabulary, int firstIndex, const QStringList &nouns,
                             const FeatureMatrix &vectors)
{
    if (std::size_t(nouns.size()) != vectors.rows)
        return fail(QStringLiteral("text features: %1 nouns but %2 vectors").arg(nouns.size()).arg(vectors.rows));
    return m_catalog.transaction([&]() -> Status {
        Statement q(m_db, "INSERT OR REPLACE INTO text_features (model_id, vocabulary, idx, noun, vector) VALUES (?, ?, ?, ?, ?)");
        for (qsizetype i = 0; i < nouns.size(); ++i) {
            q.reset();
            q.bind(1, modelId).bind(2, vocabulary).bind(3, qint64(firstIndex + i)).bind(4, nouns[i]);
            q.bindBlob(5, vectors.row(std::size_t(i)), int(vectors.cols * sizeof(float)));
            if (Status s = q.run(); !s)
                return s;
        }
        return {};
    });
}

Result<int> FeatureStore::textCount(const QString &modelId, const QString &vocabulary) const
{
    Statement q(m_db, "SELECT count(*) FROM text_features WHERE model_id = ? AND vocabulary = ?");
    q.bind(1, modelId).bind(2, vocabulary);
    Result<bool> row = q.step();
    if (!row)
        return row.takeError();
    return int(q.int64(0));
}

Result<FeatureMatrix> FeatureStore::text(const QString &modelId, const QString &vocabulary, int count, int dim) const
{
    FeatureMatrix out(static_cast<std::size_t>(count), static_cast<std::size_t>(dim));
    Statement q(m_db, "SELECT idx, vector FROM text_features WHERE model_id = ? AND vocabulary = ? ORDER BY idx");
    q.bind(1, modelId).bind(2, vocabulary);
    int seen = 0;
    for (;;) {
        Result<bool> row = q.step();
        if (!row)
            return row.takeError();
        if (!*row)
            break;
        const QByteArray blob = q.blob(1);
        if (q.int64(0) != seen || seen >= count || blob.size() != qsizetype(dim * sizeof(float)))
            return fail(QStringLiteral("Cached text features of %1 are incomplete or damaged").arg(vocabulary));
        std::memcpy(out.row(std::size_t(seen)), blob.constData(), std::size_t(blob.size()));
        ++seen;
    }
    if (seen != count)
        return fail(QStringLiteral("Cached text features of %1 are incomplete (%2 of %3)").arg(vocabulary).arg(seen).arg(count));
    return out;
}

Status PhotoStore::recordProblem(const QString &path, const QString &stage, const QString &message)
{
    Statement q(m_db, "INSERT OR REPLACE INTO problems (path, stage, message, at) VALUES (?, ?, ?, ?)");
    return q.bind(1, path).bind(2, stage).bind(3, message).bind(4, nowMs()).run();
}

Status PhotoStore::clearProblems(const QString &path)
{
    Statement q(m_db, "DELETE FROM problems WHERE path = ?");
    return q.bind(1, path).run();
}

Result<std::vector<ProblemRecord>> PhotoStore::problemsUnder(const QString &folder) const
{
    const QString prefix = folderPrefix(folder);
    Statement q(m_db, "SELECT path, stage, message, at FROM problems WHERE path >= ? AND path < ? ORDER BY path, stage");
    q.bind(1, prefix).bind(2, folderUpperBound(prefix));
    return collectRows<ProblemRecord>(q, [](const Statement &s) {
        return ProblemRecord{s.text(0), s.text(1), s.text(2), QDateTime::fromMSecsSinceEpoch(s.int64(3), Qt::UTC)};
    });
}

// One statement, so the photo grid of a large cluster costs one query, not one per member; the
// members come best first from assignments_ranked, so a cover (limit 1) reads one row.
Result<std::vector<PhotoRecord>> RunStore::members(qint64 runId, int clusterIndex, int limit) const
{
    const QByteArray columns = "photos." + QByteArray(kPhotoColumns).replace(", ", ", photos.");
    const QByteArray sql = "SELECT " + columns
                           + " FROM clusters c JOIN assignments a ON a.cluster_id = c.id JOIN photos ON photos.id = a.photo_id"
                             " WHERE c.run_id = ? AND c.idx = ? ORDER BY a.confidence DESC, a.photo_id LIMIT ?";
    Statement q(m_db, sql.constData());
    q.bind(1, runId).bind(2, clusterIndex).bind(3, limit < 0 ? qint64(-1) : qint64(limit));
    return collectRows<PhotoRecord>(q, readPhoto);
}

}   // namespace clade
