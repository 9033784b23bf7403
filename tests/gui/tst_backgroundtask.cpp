// BackgroundTask: ui/'s one way to run work off the GUI thread.
#include "backgroundtask.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace clade;
using namespace std::chrono_literals;

class TestBackgroundTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resultComesBackOnTheOwnersThread()
    {
        BackgroundTask task;
        QThread *workThread = nullptr;
        QThread *deliveryThread = nullptr;
        int value = 0;
        QSignalSpy progressed(&task, &BackgroundTask::progressed);
        QSignalSpy finished(&task, &BackgroundTask::finished);
        task.start([&](Progress &progress) -> BackgroundTask::Delivery {
            workThread = QThread::currentThread();
            progress.report(QStringLiteral("Counting"), 1, 2);
            progress.report(QStringLiteral("Counting"), 2, 2);
            return [&] {
                deliveryThread = QThread::currentThread();
                value = 42;
            };
        });
        QVERIFY(finished.wait(5000));
        QCOMPARE(value, 42);
        QVERIFY(workThread != QThread::currentThread());
        QCOMPARE(deliveryThread, QThread::currentThread());
        QTRY_COMPARE(progressed.size(), 2);
        QCOMPARE(progressed.at(1).at(1).toLongLong(), 2);
        QVERIFY(!task.running());
    }

    // A newer start supersedes the older work without waiting for it: the older one is told to
    // stop and its result never arrives; the newer one's does.
    void newerWorkSupersedesOlder()
    {
        BackgroundTask task;
        std::atomic<bool> firstStarted{false}, firstSawCancel{false};
        QStringList delivered;
        QSignalSpy finished(&task, &BackgroundTask::finished);
        task.start([&](Progress &progress) -> BackgroundTask::Delivery {
            firstStarted = true;
            for (int i = 0; i < 500 && !progress.cancelled(); ++i)
                std::this_thread::sleep_for(10ms);
            firstSawCancel = progress.cancelled();
            return [&] { delivered << QStringLiteral("first"); };
        });
        QTRY_VERIFY(firstStarted.load());
        task.start([&](Progress &) -> BackgroundTask::Delivery { return [&] { delivered << QStringLiteral("second"); }; });
        task.start([&](Progress &) -> BackgroundTask::Delivery { return [&] { delivered << QStringLiteral("third"); }; });
        QVERIFY(finished.wait(5000));
        QTest::qWait(50);
        QVERIFY(firstSawCancel.load());
        QCOMPARE(delivered, QStringList{QStringLiteral("third")});
        QCOMPARE(finished.size(), 1);
    }

    // cancel() lets the work stop early and still delivers what it returns.
    void cancelStillDelivers()
    {
        BackgroundTask task;
        std::atomic<bool> started{false};
        bool stoppedEarly = false;
        QSignalSpy finished(&task, &BackgroundTask::finished);
        task.start([&](Progress &progress) -> BackgroundTask::Delivery {
            started = true;
            int i = 0;
            for (; i < 500 && !progress.cancelled(); ++i)
                std::this_thread::sleep_for(10ms);
            return [&stoppedEarly, i] { stoppedEarly = i < 500; };
        });
        QTRY_VERIFY(started.load());
        QVERIFY(task.running());
        task.cancel();
        QVERIFY(finished.wait(5000));
        QVERIFY(stoppedEarly);
    }

    void discardDropsTheResult()
    {
        BackgroundTask task;
        bool delivered = false;
        QSignalSpy finished(&task, &BackgroundTask::finished);
        task.start([&](Progress &) -> BackgroundTask::Delivery {
            std::this_thread::sleep_for(50ms);
            return [&] { delivered = true; };
        });
        task.discard();
        QVERIFY(!task.running());
        QTest::qWait(300);
        QVERIFY(!delivered);
        QCOMPARE(finished.size(), 0);
    }

    // The destructor cancels and waits, so the work may use what its owner owns.
    void destructorWaitsForWorkInFlight()
    {
        std::atomic<bool> started{false}, ended{false};
        bool delivered = false;
        {
            BackgroundTask task;
            task.start([&](Progress &progress) -> BackgroundTask::Delivery {
                started = true;
                while (!progress.cancelled())
                    std::this_thread::sleep_for(5ms);
                std::this_thread::sleep_for(50ms);
                ended = true;
                return [&] { delivered = true; };
            });
            QTRY_VERIFY(started.load());
        }
        QVERIFY(ended.load());
        QTest::qWait(50);
        QVERIFY(!delivered);
    }
};

QTEST_GUILESS_MAIN(TestBackgroundTask)
#include "tst_backgroundtask.moc"
