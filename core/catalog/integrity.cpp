#include "catalog/integrity.h"

#include "catalog/statement.h"

#include <QJsonArray>

#include <utility>
#include <vector>

#include <sqlite3.h>

namespace clade {

namespace {

Result<qint64> count(sqlite3 *db, const char *sql)
{
    Statement q(db, sql);
    Result<bool> row = q.step();
    if (!row)
        return row.takeError();
    return *row ? q.int64(0) : 0;
}

// The dimension most of a model's photo embeddings have.
#define MODAL                                                                                                                              \
    "WITH modal AS (SELECT model_id, dim FROM (SELECT model_id, dim, row_number() OVER (PARTITION BY model_id "                            \
    "ORDER BY count(*) DESC, dim) AS rn FROM features GROUP BY model_id, dim) WHERE rn = 1) "

// One check: how many rows break it, and (when repairable) the SQL that removes them.
struct Rule
{
    const char *check;
    const char *countSql;
    const char *repairSql;   // nullptr: report only
    QString (*describe)(qint64 rows);
};

const Rule kRules[] = {
    {"assignments", "SELECT count(*) FROM assignments a LEFT JOIN photos p ON p.id = a.photo_id WHERE p.id IS NULL",
     "DELETE FROM assignments WHERE photo_id NOT IN (SELECT id FROM photos)",
     [](qint64 n) { return QStringLiteral("%1 assignment(s) name a photo the catalog does not have").arg(n); }},
    {"assignments",
     "SELECT count(*) FROM assignments a LEFT JOIN clusters c ON c.id = a.cluster_id "
     "WHERE c.id IS NULL OR c.run_id != a.run_id",
     nullptr,
     [](qint64 n) { return QStringLiteral("%1 assignment(s) point at a group of another run or at none; re-run that folder").arg(n); }},
    {"assignments", "SELECT count(*) FROM assignments a JOIN clusters c ON c.id = a.cluster_id WHERE c.removed != 0", nullptr,
     [](qint64 n) { return QStringLiteral("%1 photo(s) sit in a group that was merged away; undo or re-run fixes it").arg(n); }},
    {"runs",
     "SELECT count(*) FROM runs r WHERE r.status = 'done' AND "
     "(NOT EXISTS (SELECT 1 FROM clusters c WHERE c.run_id = r.id) OR "
     " NOT EXISTS (SELECT 1 FROM assignments a WHERE a.run_id = r.id))",
     nullptr, [](qint64 n) { return QStringLiteral("%1 finished run(s) have no groups or no photos").arg(n); }},
    {"runs",
     "SELECT count(*) FROM clusters c WHERE c.idx < 0 OR EXISTS (SELECT 1 FROM runs r WHERE r.id = c.run_id AND "
     "r.status = 'done' AND c.idx >= r.k AND c.origin = '')",
     nullptr, [](qint64 n) { return QStringLiteral("%1 computed group(s) have an index outside their run's K").arg(n); }},
    // An embedding whose blob does not hold `dim` floats, or whose dimension differs from that
    // of most of its model's rows (`modal`): the photo is embedded again on the next run.
    {"features",
     MODAL "SELECT count(*) FROM features f JOIN modal m ON m.model_id = f.model_id "
           "WHERE length(f.vector) != 4 * f.dim OR f.dim != m.dim",
     MODAL "DELETE FROM features WHERE rowid IN (SELECT f.rowid FROM features f JOIN modal m ON m.model_id = f.model_id "
           "WHERE length(f.vector) != 4 * f.dim OR f.dim != m.dim)",
     [](qint64 n) { return QStringLiteral("%1 photo embedding(s) have the wrong size for their model (they are computed again)").arg(n); }},
    // Vocabulary rows whose size differs from the model's photo embeddings: that vocabulary of
    // that model is dropped and encoded again when next needed.
    {"text-features",
     MODAL "SELECT count(*) FROM text_features t JOIN modal m ON m.model_id = t.model_id "
           "WHERE length(t.vector) != 4 * m.dim",
     MODAL "DELETE FROM text_features WHERE (model_id, vocabulary) IN (SELECT t.model_id, t.vocabulary "
           "FROM text_features t JOIN modal m ON m.model_id = t.model_id WHERE length(t.vector) != 4 * m.dim)",
     [](qint64 n) {
         return QStringLiteral("%1 vocabulary embedding(s) do not match their model's size (encoded again when needed)").arg(n);
     }},
};

#undef MODAL

}   // namespace

bool IntegrityReport::sound() const
{
    return sqlite == QStringList{QStringLiteral("ok")};
}

bool IntegrityReport::ok() const
{
    if (!sound())
        return false;
    for (const IntegrityFinding &f : findings) {
        if (!f.repaired)
            return false;
    }
    return true;
}

QJsonObject IntegrityReport::toJson() const
{
    QJsonArray list;
    for (const IntegrityFinding &f : findings)
        list.append(QJsonObject{{QStringLiteral("check"), f.check},
                                {QStringLiteral("message"), f.message},
                                {QStringLiteral("rows"), f.rows},
                                {QStringLiteral("repairable"), f.repairable},
                                {QStringLiteral("repaired"), f.repaired}});
    return {
        {QStringLiteral("ok"), ok()}, {QStringLiteral("sqlite"), QJsonArray::fromStringList(sqlite)}, {QStringLiteral("findings"), list}};
}

Result<IntegrityReport> checkCatalog(Catalog &catalog, bool repair)
{
    sqlite3 *db = catalog.handle();
    IntegrityReport report;
    {
        Statement q(db, "PRAGMA integrity_check(100)");
        for (;;) {
            Result<bool> row = q.step();
            if (!row)
                return fail(QStringLiteral("The catalog %1 cannot be checked: %2").arg(catalog.path(), row.error()));
            if (!*row)
                break;
            report.sqlite << q.text(0);
        }
    }
    if (!report.sound()) {
        report.findings.push_back({QStringLiteral("integrity"),
                                   QStringLiteral("SQLite finds the file damaged; nothing is repaired. Restore a backup "
                                                  "copy (catalog.sqlite.v*-backup-*), or start a new catalog."),
                                   qint64(report.sqlite.size()), false, false});
        return report;   // Clade's own checks would read damaged pages
    }

    // Rows that point at a parent that is gone, as SQLite names them: table and rowid.
    std::vector<std::pair<QString, qint64>> orphans;
    {
        Statement q(db, "PRAGMA foreign_key_check");
        for (;;) {
            Result<bool> row = q.step();
            if (!row)
                return row.takeError();
            if (!*row)
                break;
            orphans.emplace_back(q.text(0), q.int64(1));
        }
        if (!orphans.empty())
            report.findings.push_back({QStringLiteral("foreign-keys"),
                                       QStringLiteral("%1 row(s) point at a photo, run or group that is gone").arg(orphans.size()),
                                       qint64(orphans.size()), true, false});
    }
    for (const Rule &rule : kRules) {
        Result<qint64> n = count(db, rule.countSql);
        if (!n)
            return fail(QStringLiteral("Check %1 failed: %2").arg(QString::fromLatin1(rule.check), n.error()));
        if (*n > 0)
            report.findings.push_back({QString::fromLatin1(rule.check), rule.describe(*n), *n, rule.repairSql != nullptr, false});
    }
    if (!repair)
        return report;

    // Orphans first, row by row as the foreign key check named them (a cascade may have taken
    // some already: deleting them again is a no-op).
    Status repaired = catalog.transaction([&]() -> Status {
        for (const auto &[table, rowid] : orphans) {
            const QByteArray sql = "DELETE FROM \"" + table.toUtf8().replace('"', "\"\"") + "\" WHERE rowid = ?";
            Statement remove(db, sql.constData());
            if (Status s = remove.bind(1, rowid).run(); !s)
                return s;
        }
        for (const Rule &rule : kRules) {
            if (rule.repairSql == nullptr)
                continue;
            if (Status s = catalog.exec(QString::fromLatin1(rule.repairSql)); !s)
                return s;
        }
        return {};
    });
    if (!repaired)
        return fail(QStringLiteral("Repair failed, nothing was changed: %1").arg(repaired.error()));
    for (IntegrityFinding &f : report.findings)
        f.repaired = f.repairable;
    return report;
}

}   // namespace clade
