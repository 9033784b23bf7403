#include "catalog/catalog.h"

#include "catalog/statement.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>
#include <unistd.h>

namespace clade {

namespace {

// How long a write waits for another connection's (another process's) write to end.
constexpr int kBusyWaitMs = 15000;

// Tests open catalogs with fewer migration steps, which have no owner columns yet.
constexpr int kFirstVersionWithRunOwners = 3;

}   // namespace

Catalog::Catalog(sqlite3 *db, QString path)
    : m_db(db), m_path(std::move(path)), m_photos(*this, db), m_features(*this, db), m_runs(*this, db), m_corrections(*this, db)
{
}

Catalog::~Catalog()
{
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Catalog>> Catalog::open(const QString &path)
{
    return open(path, migrations());
}

Result<std::unique_ptr<Catalog>> Catalog::open(const QString &path, const std::vector<Migration> &steps)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(QStringLiteral("Cannot create the folder for the catalog %1").arg(info.absolutePath()));
    // SQLite would open a write-protected file read-only without a word and fail at the first
    // write, and WAL needs its -wal and -shm files beside the catalog: say which one it is.
    if (info.exists() && ::access(QFile::encodeName(info.absoluteFilePath()).constData(), W_OK) != 0)
        return fail(QStringLiteral("The catalog %1 is read-only: Clade writes to its catalog. "
                                   "Give yourself write permission on it, or copy it to a folder of yours.")
                        .arg(info.absoluteFilePath()));
    if (::access(QFile::encodeName(info.absolutePath()).constData(), W_OK) != 0)
        return fail(QStringLiteral("The catalog's folder %1 is read-only: Clade keeps its write-ahead log beside "
                                   "the catalog. Give yourself write permission on the folder, or copy the catalog "
                                   "to a folder of yours.")
                        .arg(info.absolutePath()));
    sqlite3 *db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(QFile::encodeName(info.absoluteFilePath()).constData(), &db, flags, nullptr) != SQLITE_OK) {
        const QString message =
            QStringLiteral("Cannot open the catalog %1: %2").arg(path, QString::fromUtf8(db ? sqlite3_errmsg(db) : "out of memory"));
        sqlite3_close_v2(db);
        return fail(message);
    }
    std::unique_ptr<Catalog> catalog(new Catalog(db, info.absoluteFilePath()));
    catalog->setBusyWait(kBusyWaitMs);
    sqlite3_extended_result_codes(db, 1);
    // A damaged file is refused as it is, never rebuilt: it holds the user's corrections.
    // `otherwise` is the message when the failure is not damage.
    // The connection's error code may be reset by the time the error comes back (a statement
    // finalised on the way), so SQLite's own text for the two codes counts as well.
    const auto refusal = [&](const QString &error, const QString &otherwise) {
        const int code = sqlite3_errcode(db) & 0xff;
        const bool damaged = code == SQLITE_CORRUPT || code == SQLITE_NOTADB
                             || error.contains(QString::fromUtf8(sqlite3_errstr(SQLITE_CORRUPT)))
                             || error.contains(QString::fromUtf8(sqlite3_errstr(SQLITE_NOTADB)));
        if (damaged)
            return QStringLiteral("The catalog %1 is damaged (%2). Clade leaves it as it is: restore a backup copy, "
                                  "or use another catalog (--catalog).")
                .arg(info.absoluteFilePath(), error);
        return otherwise;
    };
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
        if (Status s = catalog->exec(QString::fromUtf8(pragma)); !s)
            return fail(refusal(s.error(), QStringLiteral("Cannot open the catalog %1: %2").arg(info.absoluteFilePath(), s.error())));
    }
    if (Status s = catalog->migrate(steps); !s)
        return fail(refusal(s.error(), s.error()));
    if (Result<int> version = catalog->schemaVersion(); version.ok() && *version >= kFirstVersionWithRunOwners) {
        // A failure here must not keep the catalog closed: the stale runs stay for the next open.
        if (Result<int> recovered = catalog->runs().recoverStale(); !recovered)
            qWarning("Cannot mark interrupted runs in %s: %s", qUtf8Printable(path), qUtf8Printable(recovered.error()));
    }
    return catalog;
}

Status Catalog::exec(const QString &sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        const QString error = QString::fromUtf8(message ? message : sqlite3_errmsg(m_db));
        sqlite3_free(message);
        return fail(error);
    }
    return {};
}

Status Catalog::transaction(const std::function<Status()> &work)
{
    if (Status s = exec(QStringLiteral("BEGIN IMMEDIATE")); !s) {
        // Another process (the GUI, another clade-cli) held the write lock for the whole wait.
        if ((sqlite3_errcode(m_db) & 0xff) == SQLITE_BUSY)
            return fail(QStringLiteral("The catalog %1 is busy: another Clade process kept writing to it for %2 s; try again when it "
                                       "has finished")
                            .arg(m_path)
                            .arg(QString::number(m_busyWaitMs / 1000.0)));
        return fail(QStringLiteral("Cannot start a catalog transaction: %1").arg(s.error()));
    }
    Status result = work();
    if (result)
        result = exec(QStringLiteral("COMMIT"));
    if (!result)
        (void)exec(QStringLiteral("ROLLBACK"));
    return result;
}

void Catalog::setBusyWait(int ms)
{
    m_busyWaitMs = ms;
    sqlite3_busy_timeout(m_db, ms);
}

Status Catalog::setMeta(const QString &key, const QString &value)
{
    Statement q(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    return q.bind(1, key).bind(2, value).run();
}

Status Catalog::removeMeta(const QString &key)
{
    Statement q(m_db, "DELETE FROM meta WHERE key = ?");
    return q.bind(1, key).run();
}

Result<std::vector<std::pair<QString, QString>>> Catalog::metaWithPrefix(const QString &prefix) const
{
    // substr rather than LIKE: a key may hold '%' or '_' (a path).
    Statement q(m_db, "SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key");
    q.bind(1, prefix);
    std::vector<std::pair<QString, QString>> rows;
    for (;;) {
        Result<bool> row = q.step();
        if (!row)
            return row.takeError();
        if (!*row)
            return rows;
        rows.emplace_back(q.text(0), q.text(1));
    }
}

Result<int> Catalog::schemaVersion() const
{
    Statement exists(m_db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
    Result<bool> row = exists.step();
    if (!row)
        return row.takeError();
    if (exists.int64(0) == 0)
        return 0;
    Statement version(m_db, "SELECT value FROM meta WHERE key='schema_version'");
    row = version.step();
    if (!row)
        return row.takeError();
    return *row ? version.text(0).toInt() : 0;
}

Status Catalog::backupTo(const QString &path) const
{
    if (QFileInfo::exists(path))
        return fail(QStringLiteral("%1 exists already").arg(path));
    sqlite3 *copy = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(copy ? sqlite3_errmsg(copy) : "out of memory");
        sqlite3_close_v2(copy);
        QFile::remove(path);
        return fail(message);
    }
    sqlite3_backup *backup = sqlite3_backup_init(copy, "main", m_db, "main");
    int rc = backup ? sqlite3_backup_step(backup, -1) : sqlite3_errcode(copy);
    if (backup)
        sqlite3_backup_finish(backup);
    const QString message = QString::fromUtf8(sqlite3_errmsg(copy));
    if (rc == SQLITE_DONE)
        rc = sqlite3_close(copy);
    else
        sqlite3_close_v2(copy);
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        QFile::remove(path);
        return fail(message);
    }
    return {};
}

Status Catalog::migrate(const std::vector<Migration> &steps)
{
    Result<int> from = schemaVersion();
    if (!from)
        return fail(QStringLiteral("Cannot read the catalog %1: %2").arg(m_path, from.error()));
    const int latest = steps.empty() ? 0 : steps.back().version;
    if (*from > latest)
        return fail(QStringLiteral("The catalog %1 has schema version %2, newer than this Clade understands (%3). "
                                   "Use a newer Clade or another catalog.")
                        .arg(m_path)
                        .arg(*from)
                        .arg(latest));
    if (*from > 0 && *from < latest) {
        // A copy first, with SQLite's online backup, so an upgrade can always be gone back on.
        const QString stem = QStringLiteral("%1.v%2-backup-%3")
                                 .arg(m_path)
                                 .arg(*from)
                                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
        QString copy = stem + QStringLiteral(".sqlite");
        for (int n = 2; QFileInfo::exists(copy); ++n)
            copy = QStringLiteral("%1-%2.sqlite").arg(stem).arg(n);
        if (Status s = backupTo(copy); !s)
            return fail(QStringLiteral("Cannot keep a copy of the catalog %1 before upgrading it to schema version %2, "
                                       "so it was left as it is: %3")
                            .arg(m_path)
                            .arg(latest)
                            .arg(s.error()));
        m_migrationBackup = copy;
    }
    for (const Migration &step : steps) {
        if (step.version <= *from)
            continue;
        Status s = transaction([&]() -> Status {
            // Another process may have opened the same catalog at the same moment and taken this
            // step between the version read above and this transaction's write lock: read again
            // under the lock, and leave a step already taken alone.
            Result<int> now = schemaVersion();
            if (!now)
                return now.takeError();
            if (*now >= step.version)
                return {};
            if (Status e = exec(QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")); !e)
                return e;
            if (Status e = step.apply(*this); !e)
                return e;
            Statement set(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)");
            return set.bind(1, QString::number(step.version)).run();
        });
        if (!s)
            return fail(
                QStringLiteral("Cannot upgrade the catalog %1 to schema version %2: %3").arg(m_path).arg(step.version).arg(s.error()));
    }
    return {};
}

}   // namespace clade
