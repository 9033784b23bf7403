#pragma once
// Helpers for tst_killrun: a clade-cli child that is killed with SIGKILL at a chosen point, and
// direct SQLite reads of the catalog it leaves behind (not through clade::Catalog, so a bug
// there cannot hide a damaged file).

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace clade::test {

struct KillPoint
{
    int afterLine = -1;   // SIGKILL once this many stderr progress lines were read (-1: not used)
    int afterMs = -1;     // SIGKILL after this many milliseconds (-1: not used)
};

struct ChildOutcome
{
    bool killed = false;   // false: the child finished before the kill point
    int exitCode = -1;
    QStringList lines;   // stderr lines seen before the kill
    QByteArray out;
    qint64 elapsedMs = 0;   // from start to exit or kill
};

// Runs the CLI; kills it at the point (the first of the two conditions that is met).
ChildOutcome runAndKill(const QString &program, const QStringList &args, KillPoint point);

// Runs the CLI to completion (10 minutes at most).
ChildOutcome runToEnd(const QString &program, const QStringList &args);

// One query's rows as text, columns joined by '|'; an error row starts with "error:".
QStringList sqlRows(const QString &databasePath, const QString &sql);

// SHA-256 of every file under root (hidden ones included), by path relative to root.
QHash<QString, QByteArray> treeHashes(const QString &root, const QStringList &skipPrefixes = {});

}   // namespace clade::test
