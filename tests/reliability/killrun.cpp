#include "killrun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <sqlite3.h>

namespace clade::test {

namespace {

void takeLines(QByteArray &pending, QStringList &lines)
{
    qsizetype nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
        lines << QString::fromLocal8Bit(pending.left(nl));
        pending.remove(0, nl + 1);
    }
}

bool reached(const KillPoint &point, const QStringList &lines, const QElapsedTimer &timer)
{
    return (point.afterLine >= 0 && lines.size() >= point.afterLine) || (point.afterMs >= 0 && timer.elapsed() >= point.afterMs);
}

}   // namespace

ChildOutcome runAndKill(const QString &program, const QStringList &args, KillPoint point)
{
    QProcess p;
    p.setReadChannel(QProcess::StandardError);
    // Kill points are counted in progress lines: a line a second in the pipe, as before the
    // product's default went to one every 5 s, keeps one kill point per SIC epoch or so.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CLADE_PROGRESS_INTERVAL_MS"), QStringLiteral("1000"));
    p.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    p.start(program, args);
    ChildOutcome outcome;
    if (!p.waitForStarted(60'000)) {
        outcome.lines << QStringLiteral("cannot start %1: %2").arg(program, p.errorString());
        return outcome;
    }
    QByteArray pending;
    // QProcess notices the child's exit only inside a waitFor*() call (no event loop runs here),
    // so each quiet moment asks waitForFinished() briefly instead of spinning on state().
    while (p.state() != QProcess::NotRunning && timer.elapsed() < 600'000) {
        const bool finished = !p.waitForReadyRead(2) && p.waitForFinished(1);
        pending += p.readAllStandardError();
        takeLines(pending, outcome.lines);
        if (finished)
            break;
        if (p.state() == QProcess::Running && reached(point, outcome.lines, timer)) {
            p.kill();   // SIGKILL on Unix
            outcome.killed = true;
            break;
        }
    }
    p.waitForFinished(60'000);
    outcome.elapsedMs = timer.elapsed();
    pending += p.readAllStandardError();
    outcome.out = p.readAllStandardOutput();
    if (!outcome.killed) {
        takeLines(pending, outcome.lines);
        outcome.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    return outcome;
}

ChildOutcome runToEnd(const QString &program, const QStringList &args)
{
    return runAndKill(program, args, {});
}

QStringList sqlRows(const QString &databasePath, const QString &sql)
{
    sqlite3 *db = nullptr;
    QStringList rows;
    if (sqlite3_open_v2(databasePath.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        rows << QStringLiteral("error: %1").arg(QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return rows;
    }
    sqlite3_busy_timeout(db, 10'000);
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &stmt, nullptr) != SQLITE_OK) {
        rows << QStringLiteral("error: %1").arg(QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return rows;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        QStringList cols;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c)
            cols << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, c)));
        rows << cols.join(QLatin1Char('|'));
    }
    if (rc != SQLITE_DONE)
        rows << QStringLiteral("error: %1").arg(QString::fromUtf8(sqlite3_errmsg(db)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
}

QHash<QString, QByteArray> treeHashes(const QString &root, const QStringList &skipPrefixes)
{
    QHash<QString, QByteArray> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(root).relativeFilePath(path);
        bool skip = false;
        for (const QString &prefix : skipPrefixes)
            skip = skip || QFileInfo(relative).fileName().startsWith(prefix);
        if (skip)
            continue;
        QFile f(path);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (f.open(QIODevice::ReadOnly))
            hash.addData(&f);
        out.insert(relative, hash.result().toHex());
    }
    return out;
}

}   // namespace clade::test
