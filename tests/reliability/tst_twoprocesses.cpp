// Two clade-cli processes on one catalog at once (issue 18.4): two runs of the same folder, then a
// run while another process corrects the first run's groups. SQLite serialises the writers (each
// waits for the other's transaction, up to the busy timeout), so both succeed. Meanwhile a third
// connection keeps reading and never sees a half-written run, and afterwards the catalog is
// sound: integrity and foreign-key checks, every run done, and `clade-cli check` clean.
#include "killrun.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace clade::test;

namespace {

const QString kCli = QStringLiteral(CLADE_CLI_PATH);

// A done run whose groups or assignments are not all there: what a reader must never see.
const QString kHalfWritten = QStringLiteral("SELECT r.id FROM runs r WHERE r.status = 'done' AND ("
                                            "(SELECT COUNT(*) FROM clusters c WHERE c.run_id = r.id) != r.k OR "
                                            "(SELECT COUNT(*) FROM assignments a WHERE a.run_id = r.id) = 0)");

struct Finished
{
    int code = -1;
    QByteArray err;
};

}   // namespace

class TestTwoProcesses : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_photos;
    QString m_catalog;

    QProcess *start(const QStringList &args)
    {
        auto *process = new QProcess(this);
        process->setProgram(kCli);
        process->setArguments(args + QStringList{QStringLiteral("--catalog"), m_catalog, QStringLiteral("--quiet")});
        process->start();
        return process;
    }

    // Waits for every process, reading the catalog on a connection of its own the whole time.
    QList<Finished> waitReading(const QList<QProcess *> &processes, int *reads)
    {
        QElapsedTimer clock;
        clock.start();
        const auto running = [&] {
            for (QProcess *p : processes) {
                if (p->state() != QProcess::NotRunning)
                    return true;
            }
            return false;
        };
        while (running() && clock.elapsed() < 300'000) {
            const QStringList half = sqlRows(m_catalog, kHalfWritten);
            // The file may not exist yet, or be locked for a moment: only a consistent read counts.
            if (half.isEmpty() || !half.first().startsWith(QLatin1String("error:"))) {
                if (!half.isEmpty())
                    qWarning("a reader saw a half-written run: %s", qPrintable(half.join(u',')));
                [&] { QVERIFY(half.isEmpty()); }();
                ++*reads;
            }
            for (QProcess *p : processes)
                p->waitForFinished(20);
        }
        QList<Finished> out;
        for (QProcess *p : processes) {
            if (p->state() != QProcess::NotRunning) {
                p->kill();
                p->waitForFinished();
            }
            out.append({p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1, p->readAllStandardError()});
            p->deleteLater();
        }
        return out;
    }

    void verifySound()
    {
        QCOMPARE(sqlRows(m_catalog, QStringLiteral("PRAGMA integrity_check")), QStringList{QStringLiteral("ok")});
        QCOMPARE(sqlRows(m_catalog, QStringLiteral("PRAGMA foreign_key_check")), QStringList{});
        QCOMPARE(sqlRows(m_catalog, kHalfWritten), QStringList{});
        QCOMPARE(sqlRows(m_catalog, QStringLiteral("SELECT id, status FROM runs WHERE status NOT IN ('done', 'interrupted')")),
                 QStringList{});
        QProcess check;
        check.start(kCli, {QStringLiteral("check"), QStringLiteral("--json"), QStringLiteral("--catalog"), m_catalog});
        QVERIFY(check.waitForFinished(120'000));
        const QByteArray out = check.readAllStandardOutput();
        QVERIFY2(check.exitCode() == 0, out.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        m_photos = m_work.filePath(QStringLiteral("photos"));
        m_catalog = m_work.filePath(QStringLiteral("catalog.sqlite"));
        for (int c = 0; c < 4; ++c) {
            const QString folder = QStringLiteral("%1/look%2").arg(m_photos).arg(c);
            QVERIFY(QDir().mkpath(folder));
            for (int i = 0; i < 40; ++i)
                writeJpeg(QStringLiteral("%1/%2.jpg").arg(folder).arg(i), 320, 240, QColor::fromHsv(c * 90, 200, 60 + c * 40), 90, i);
        }
    }

    void twoRunsOfOneFolderAtOnce()
    {
        const QStringList cluster{QStringLiteral("cluster"),  m_photos,
                                  QStringLiteral("--k"),      QStringLiteral("4"),
                                  QStringLiteral("--method"), QStringLiteral("kmeans")};
        int reads = 0;
        const QList<Finished> done =
            waitReading({start(cluster), start(cluster + QStringList{QStringLiteral("--seed"), QStringLiteral("3")})}, &reads);
        for (const Finished &f : done)
            QVERIFY2(f.code == 0, f.err.constData());
        qInfo("the reader read %d times while the two runs went on", reads);
        QVERIFY(reads > 0);
        QCOMPARE(sqlRows(m_catalog, QStringLiteral("SELECT COUNT(*) FROM runs WHERE status = 'done'")), QStringList{QStringLiteral("2")});
        QCOMPARE(sqlRows(m_catalog, QStringLiteral("SELECT COUNT(*) FROM photos")), QStringList{QStringLiteral("160")});
        verifySound();
    }

    // One process runs the folder again while another renames, locks and moves in the first run.
    void aRunWhileAnotherProcessCorrects()
    {
        const QStringList firstRun = sqlRows(m_catalog, QStringLiteral("SELECT MIN(id) FROM runs"));
        QCOMPARE(firstRun.size(), 1);
        const QString run = firstRun.first();
        QProcess *clustering = start({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("4"),
                                      QStringLiteral("--method"), QStringLiteral("kmeans"), QStringLiteral("--seed"), QStringLiteral("5")});
        const QString photo = QStringLiteral("%1/look1/7.jpg").arg(m_photos);
        QList<Finished> corrections;
        int reads = 0;
        for (int i = 0; i < 6; ++i) {
            const QList<QStringList> steps{
                {QStringLiteral("rename"), QStringLiteral("--run"), run, QStringLiteral("--cluster"), QString::number(i % 4),
                 QStringLiteral("name %1").arg(i)},
                // lock a group, then unlock it on the next round
                {QStringLiteral("correct"), QStringLiteral("--run"), run, i % 2 ? QStringLiteral("--unlock") : QStringLiteral("--lock"),
                 QString::number(i % 2 ? (i - 1) % 4 : i % 4)},
                {QStringLiteral("correct"), QStringLiteral("--run"), run, QStringLiteral("--move-to"), QString::number(i % 4), photo},
            };
            for (const QStringList &step : steps)
                corrections += waitReading({start(step)}, &reads);
        }
        const QList<Finished> run2 = waitReading({clustering}, &reads);
        QVERIFY2(run2.first().code == 0, run2.first().err.constData());
        for (const Finished &f : std::as_const(corrections))
            QVERIFY2(f.code == 0, f.err.constData());
        QCOMPARE(sqlRows(m_catalog, QStringLiteral("SELECT COUNT(*) FROM corrections WHERE run_id = %1 AND kind IN "
                                                   "('rename', 'lock', 'unlock', 'move')")
                                        .arg(run)),
                 QStringList{QStringLiteral("18")});
        verifySound();
    }
};

QTEST_GUILESS_MAIN(TestTwoProcesses)
#include "tst_twoprocesses.moc"
