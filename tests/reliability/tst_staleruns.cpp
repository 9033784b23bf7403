// A run whose process was killed is marked 'interrupted' by the next open of the catalog; a run
// whose process is alive (here: stopped with SIGSTOP in the middle of the run) is left alone.
#include "catalog/catalog.h"
#include "killrun.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace clade;
using namespace clade::test;

namespace {

const QString kCli = QStringLiteral(CLADE_CLI_PATH);
constexpr int kAttempts = 25;

// Starts `clade-cli cluster` and stops it (SIGSTOP) as soon as it reports a stage that runs
// after the run row was created. Returns false when the child finished first.
// SIGSTOP takes effect in each thread on its way back to user space: the run's worker thread may
// still finish a write (a commit) after kill() returned. True once every thread is stopped.
bool waitStopped(qint64 pid)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10'000) {
        bool all = true;
        const QStringList tasks = QDir(QStringLiteral("/proc/%1/task").arg(pid)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &task : tasks) {
            QFile stat(QStringLiteral("/proc/%1/task/%2/stat").arg(pid).arg(task));
            if (!stat.open(QIODevice::ReadOnly))
                continue;   // the thread has ended
            const QByteArray text = stat.readAll();
            const qsizetype close = text.lastIndexOf(')');   // the state follows "(name) "
            const char state = close >= 0 && close + 2 < text.size() ? text[close + 2] : '?';
            all = all && (state == 'T' || state == 't');
        }
        if (all && !tasks.isEmpty())
            return true;
        QThread::msleep(5);
    }
    return false;
}

bool startAndStopInRun(QProcess &child, const QStringList &args)
{
    child.setReadChannel(QProcess::StandardError);
    child.start(kCli, args);
    if (!child.waitForStarted(60'000))
        return false;
    QByteArray seen;
    while (child.state() == QProcess::Running) {
        if (!child.waitForReadyRead(1)) {
            if (child.waitForFinished(1))
                return false;
            continue;
        }
        seen += child.readAllStandardError();
        if (seen.contains("Clustering") || seen.contains("Naming")) {
            ::kill(pid_t(child.processId()), SIGSTOP);
            if (waitStopped(child.processId()))
                return true;
            ::kill(pid_t(child.processId()), SIGCONT);
            return false;
        }
    }
    return false;
}

QString runStatus(const QString &catalog, qint64 pid)
{
    const QStringList rows = sqlRows(catalog, QStringLiteral("SELECT status FROM runs WHERE owner_pid = %1").arg(pid));
    return rows.size() == 1 ? rows.first() : rows.join(QLatin1Char(';'));
}

}   // namespace

class TestStaleRuns : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;

private Q_SLOTS:
    void killedRunIsInterruptedLiveRunIsNot()
    {
        const QString photos = m_work.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos));
        for (int i = 0; i < 40; ++i)
            QVERIFY(writeJpeg(QStringLiteral("%1/p%2.jpg").arg(photos).arg(i), 320, 240, QColor::fromHsv(i * 9, 200, 200), 90, i));
        const QString catalog = m_work.filePath(QStringLiteral("catalog.sqlite"));
        const QStringList args = {QStringLiteral("cluster"),   photos,
                                  QStringLiteral("-k"),        QStringLiteral("4"),
                                  QStringLiteral("--method"),  QStringLiteral("kmeans"),
                                  QStringLiteral("--catalog"), catalog};

        // Catching the child between the run row and its end is a race; each miss is a finished
        // run, and the next attempt starts again (embeddings cached, so it is quick).
        qint64 pid = 0;
        int attempts = 0;
        for (; attempts < kAttempts && pid == 0; ++attempts) {
            QProcess child;
            if (startAndStopInRun(child, args)) {
                const qint64 stopped = child.processId();
                if (runStatus(catalog, stopped) == QLatin1String("running")) {
                    pid = stopped;
                    verifyLiveThenKill(child, catalog, pid);
                    break;
                }
                ::kill(pid_t(stopped), SIGCONT);
            }
            QVERIFY(child.state() == QProcess::NotRunning || child.waitForFinished(120'000));
            QCOMPARE(child.exitStatus(), QProcess::NormalExit);
            QCOMPARE(child.exitCode(), 0);
        }
        qInfo("caught a run in progress at attempt %d", attempts + 1);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(pid != 0, "the child never stopped while its run was in progress");

        auto after = Catalog::open(catalog);
        QVERIFY2(after.ok(), qPrintable(after.ok() ? QString() : after.error()));
        const QStringList killed = sqlRows(catalog, QStringLiteral("SELECT status, error FROM runs WHERE owner_pid = %1").arg(pid));
        QCOMPARE(killed.size(), 1);
        QVERIFY2(killed.first().startsWith(QLatin1String("interrupted|")), qPrintable(killed.first()));
        QVERIFY2(killed.first().contains(QString::number(pid)), qPrintable(killed.first()));
        QCOMPARE(sqlRows(catalog, QStringLiteral("SELECT count(*) FROM runs WHERE status = 'running'")), QStringList{QStringLiteral("0")});
        QCOMPARE(sqlRows(catalog, QStringLiteral("PRAGMA integrity_check")), QStringList{QStringLiteral("ok")});

        const ChildOutcome next = runToEnd(kCli, args);
        QVERIFY2(next.exitCode == 0, qPrintable(next.lines.join(QLatin1Char('\n'))));
        QCOMPARE(sqlRows(catalog, QStringLiteral("SELECT status FROM runs WHERE owner_pid = %1").arg(pid)),
                 QStringList{QStringLiteral("interrupted")});
    }

private:
    // The stopped child is alive: opening the catalog leaves its run alone. Then SIGKILL.
    static void verifyLiveThenKill(QProcess &child, const QString &catalog, qint64 pid)
    {
        {
            auto reader = Catalog::open(catalog);
            QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error()));
            QCOMPARE((*reader)->runs().recoverStale().value(), 0);
            QCOMPARE(runStatus(catalog, pid), QStringLiteral("running"));
        }
        child.kill();   // SIGKILL works on a stopped process
        QVERIFY(child.waitForFinished(60'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QCOMPARE(runStatus(catalog, pid), QStringLiteral("running"));   // nothing wrote it since
    }
};

QTEST_GUILESS_MAIN(TestStaleRuns)
#include "tst_staleruns.moc"
