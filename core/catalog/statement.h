#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace clade {

// A prepared statement with bound parameters; finalised on destruction. SQL text never
// contains values: everything goes through bind().
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepared() const { return m_stmt != nullptr; }
    Status status() const;

    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, const QString &value);   // null QString binds NULL
    Statement &bindBlob(int index, const void *data, int bytes);
    Statement &bindNull(int index);

    // Steps once: Result true = a row is available, false = done.
    Result<bool> step();
    Status run();   // steps until done
    void reset();

    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    bool isNull(int column) const;
    QByteArray blob(int column) const;

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_error;
};

QString sqliteError(sqlite3 *db, const char *what);

// The first row of q read by read(q), or nothing when there is none.
template<typename T, typename Read>
Result<std::optional<T>> firstRow(Statement &q, Read read)
{
    Result<bool> row = q.step();
    if (!row)
        return row.takeError();
    return *row ? std::optional<T>(read(q)) : std::nullopt;
}

// Steps through every row of q, appending read(q) for each.
template<typename T, typename Read>
Result<std::vector<T>> collectRows(Statement &q, Read read)
{
    std::vector<T> rows;
    for (;;) {
        Result<bool> row = q.step();
        if (!row)
            return row.takeError();
        if (!*row)
            return rows;
        rows.push_back(read(q));
    }
}

}   // namespace clade
