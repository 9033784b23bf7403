// The GUI reads the catalog while the worker writes it: readers on their own connections run the
// GUI's queries (latest run, cluster list, photo grid of a cluster, problems) for a while against
// a writer thread committing many pipeline-like transactions, while a second writer (another
// process on the same catalog, say clade-cli) commits short transactions too. No query may fail ("database is
// locked" or otherwise), and a reader never sees a finished run without its clusters.
#include "catalog/catalog.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace clade;

namespace {

constexpr int kLoadMs = 12'000;
constexpr int kPhotosPerBatch = 10;
constexpr int kClusters = 4;

// Failures from any thread, with the first messages kept for the report.
class Failures
{
public:
    void add(const QString &what)
    {
        ++m_count;
        const QMutexLocker lock(&m_mutex);
        if (m_messages.size() < 10)
            m_messages << what;
    }
    int count() const { return m_count; }
    QString text() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_messages.join(QLatin1Char('\n'));
    }

private:
    std::atomic<int> m_count{0};
    mutable QMutex m_mutex;
    QStringList m_messages;
};

PhotoRecord photo(int batch, int i)
{
    PhotoRecord p;
    p.path = QStringLiteral("/lib/b%1/p%2.jpg").arg(batch).arg(i);
    p.size = 1000 + i;
    p.mtimeMs = 1'700'000'000'000 + batch;
    p.hash = QStringLiteral("h%1-%2").arg(batch).arg(i);
    p.format = QStringLiteral("jpeg");
    return p;
}

}   // namespace

class TestCatalogLoad : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Failures m_failures;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_commits{0};

    // Worker thread: one batch of scanned + embedded photos, a problem, and every few batches a
    // whole run (row, clusters and assignments, then 'done'), as the pipeline commits them.
    Status writeBatch(Catalog &c, int batch, std::vector<qint64> &ids)
    {
        Status s = c.transaction([&]() -> Status {
            for (int i = 0; i < kPhotosPerBatch; ++i) {
                Result<qint64> id = c.photos().upsert(photo(batch, i));
                if (!id)
                    return id.takeError();
                ids.push_back(*id);
                if (Status f = c.features().put(*id, QStringLiteral("m"), std::vector<float>(64, float(i))); !f)
                    return f;
            }
            return c.photos().recordProblem(photo(batch, 0).path, QStringLiteral("decode"), QStringLiteral("broken on purpose"));
        });
        if (!s || batch % 5 != 4)
            return s;
        RunRecord run;
        run.folder = QStringLiteral("/lib");
        run.k = kClusters;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("m");
        Result<qint64> runId = c.runs().create(run);
        if (!runId)
            return runId.takeError();
        std::vector<ClusterRecord> clusters(kClusters);
        std::vector<AssignmentRecord> assignments;
        for (int k = 0; k < kClusters; ++k) {
            clusters[std::size_t(k)].index = k;
            clusters[std::size_t(k)].name = QStringLiteral("group %1").arg(k);
        }
        for (std::size_t i = 0; i < ids.size(); ++i)
            assignments.push_back({ids[i], int(i % kClusters), 0.5f, false});
        if (Status st = c.runs().storeClusters(*runId, clusters, assignments); !st)
            return st;
        return c.runs().finish(*runId, RunStatus::Done);
    }

    void writer(const QString &path)
    {
        auto catalog = Catalog::open(path);
        if (!catalog) {
            m_failures.add(QStringLiteral("writer open: ") + catalog.error());
            return;
        }
        std::vector<qint64> ids;
        for (int batch = 0; !m_stop; ++batch) {
            if (Status s = writeBatch(**catalog, batch, ids); !s)
                m_failures.add(QStringLiteral("writer batch %1: %2").arg(batch).arg(s.error()));
            else
                ++m_commits;
        }
    }

    // The GUI's queries, once. Returns the id of the latest finished run (0: none yet).
    qint64 readAsTheGuiDoes(Catalog &c, const QString &who)
    {
        const auto check = [&](bool ok, const QString &what, const QString &error) {
            if (!ok)
                m_failures.add(who + QLatin1String(" ") + what + QLatin1String(": ") + error);
            return ok;
        };
        auto latest = c.runs().latest(QStringLiteral("/lib"));
        if (!check(latest.ok(), QStringLiteral("latestRun"), latest.ok() ? QString() : latest.error()) || !*latest)
            return 0;
        const qint64 runId = (*latest)->id;
        auto clusters = c.runs().clusters(runId);
        if (!check(clusters.ok(), QStringLiteral("clusters"), clusters.ok() ? QString() : clusters.error()))
            return runId;
        check(clusters->size() == std::size_t(kClusters), QStringLiteral("clusters"),
              QStringLiteral("a finished run %1 with %2 clusters").arg(runId).arg(clusters->size()));
        for (const ClusterRecord &cluster : *clusters) {
            auto members = c.runs().members(runId, cluster.index);
            if (check(members.ok(), QStringLiteral("runs().members"), members.ok() ? QString() : members.error()))
                check(int(members->size()) == cluster.size, QStringLiteral("runs().members"),
                      QStringLiteral("%1 members, cluster says %2").arg(members->size()).arg(cluster.size));
        }
        auto run = c.runs().get(runId);
        check(run.ok(), QStringLiteral("run"), run.ok() ? QString() : run.error());
        auto problems = c.photos().problemsUnder(QStringLiteral("/lib"));
        check(problems.ok(), QStringLiteral("problemsUnder"), problems.ok() ? QString() : problems.error());
        return runId;
    }

private Q_SLOTS:
    void guiReadsWhileWorkerWrites()
    {
        const QString path = m_dir.filePath(QStringLiteral("load.sqlite"));
        QVERIFY(Catalog::open(path).ok());
        std::unique_ptr<QThread> worker(QThread::create([this, path] { writer(path); }));
        worker->start();

        // A second reader thread opens a fresh connection each time, as a new view or dialog does.
        std::atomic<int> opens{0};
        std::unique_ptr<QThread> opener(QThread::create([&] {
            while (!m_stop) {
                auto fresh = Catalog::open(path);
                if (!fresh) {
                    m_failures.add(QStringLiteral("open: ") + fresh.error());
                    continue;
                }
                readAsTheGuiDoes(**fresh, QStringLiteral("fresh reader"));
                ++opens;
            }
        }));
        opener->start();

        // A second writer connection: it must wait for the worker's transactions, never fail.
        std::atomic<int> otherCommits{0};
        std::unique_ptr<QThread> other(QThread::create([&] {
            auto second = Catalog::open(path);
            if (!second) {
                m_failures.add(QStringLiteral("second writer open: ") + second.error());
                return;
            }
            for (int i = 0; !m_stop; ++i) {
                const QString file = QStringLiteral("/lib/other/%1.jpg").arg(i);
                Status s = (*second)->transaction([&]() -> Status {
                    if (Status r = (*second)->photos().recordProblem(file, QStringLiteral("scan"), QStringLiteral("vanished")); !r)
                        return r;
                    return (*second)->photos().clearProblems(QStringLiteral("/lib/other/%1.jpg").arg(i - 1));
                });
                if (!s)
                    m_failures.add(QStringLiteral("second writer: ") + s.error());
                else
                    ++otherCommits;
                QThread::msleep(5);
            }
        }));
        other->start();

        auto reader = Catalog::open(path);
        QVERIFY(reader.ok());
        QSet<qint64> runsSeen;
        int reads = 0;
        QElapsedTimer timer;
        timer.start();
        qint64 slowestMs = 0;
        while (timer.elapsed() < kLoadMs) {
            const qint64 before = timer.elapsed();
            runsSeen.insert(readAsTheGuiDoes(**reader, QStringLiteral("reader")));
            slowestMs = std::max(slowestMs, timer.elapsed() - before);
            ++reads;
        }
        m_stop = true;
        worker->wait();
        opener->wait();
        other->wait();
        qInfo("%d + %d writer commits, %d reads on one connection (slowest %lld ms), %d fresh opens, %lld runs seen", m_commits.load(),
              otherCommits.load(), reads, slowestMs, opens.load(), qint64(runsSeen.size()));
        QVERIFY2(m_failures.count() == 0, qPrintable(QStringLiteral("%1 failures:\n%2").arg(m_failures.count()).arg(m_failures.text())));
        // The load was real: the writer committed throughout and the readers saw its runs change.
        QVERIFY(m_commits > 20);
        QVERIFY(runsSeen.size() >= 3);
        QVERIFY(opens > 0);
        QVERIFY(otherCommits > 0);
    }
};

QTEST_GUILESS_MAIN(TestCatalogLoad)
#include "tst_catalogload.moc"
