#include "service/etaestimator.h"

#include <QTest>

using clade::EtaEstimator;

class TestEtaEstimator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unknownAtStageStart();
    void steadyRate_data();
    void steadyRate();
    void newStageStartsOver();
    void counterGoingBackStartsOver();
    void unknownTotal();
    void finishedStageIsZero();
};

void TestEtaEstimator::unknownAtStageStart()
{
    EtaEstimator eta;
    QCOMPARE(eta.update(QStringLiteral("decode"), 0, 100, 1000), -1);
    // Progress but under the minimum evidence time: still unknown.
    QCOMPARE(eta.update(QStringLiteral("decode"), 10, 100, 1000 + EtaEstimator::minEvidenceMs - 1), -1);
}

void TestEtaEstimator::steadyRate_data()
{
    QTest::addColumn<qint64>("done");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<qint64>("expected");
    // items done since the stage began, over elapsed ms; the rest at the same rate.
    QTest::newRow("10 per second, 90 left") << qint64(10) << qint64(100) << qint64(1000) << qint64(9000);
    QTest::newRow("1 per 2 s, 3 left") << qint64(1) << qint64(4) << qint64(2000) << qint64(6000);
    QTest::newRow("half done") << qint64(500) << qint64(1000) << qint64(30000) << qint64(30000);
}

void TestEtaEstimator::steadyRate()
{
    QFETCH(qint64, done);
    QFETCH(qint64, total);
    QFETCH(qint64, elapsedMs);
    QFETCH(qint64, expected);
    EtaEstimator eta;
    eta.update(QStringLiteral("embed"), 0, total, 5000);
    QCOMPARE(eta.update(QStringLiteral("embed"), done, total, 5000 + elapsedMs), expected);
}

void TestEtaEstimator::newStageStartsOver()
{
    EtaEstimator eta;
    eta.update(QStringLiteral("scan"), 0, 10, 0);
    QVERIFY(eta.update(QStringLiteral("scan"), 5, 10, 1000) > 0);
    QCOMPARE(eta.update(QStringLiteral("embed"), 0, 10, 1000), -1);
    // The rate of the new stage alone counts: 1 item in 1000 ms, 9 left.
    QCOMPARE(eta.update(QStringLiteral("embed"), 1, 10, 2000), 9000);
}

void TestEtaEstimator::counterGoingBackStartsOver()
{
    EtaEstimator eta;
    eta.update(QStringLiteral("embed"), 0, 10, 0);
    QVERIFY(eta.update(QStringLiteral("embed"), 8, 10, 1000) >= 0);
    QCOMPARE(eta.update(QStringLiteral("embed"), 2, 10, 2000), -1);
    QCOMPARE(eta.update(QStringLiteral("embed"), 4, 10, 3000), 3000);
}

void TestEtaEstimator::unknownTotal()
{
    EtaEstimator eta;
    eta.update(QStringLiteral("scan"), 0, 0, 0);
    QCOMPARE(eta.update(QStringLiteral("scan"), 50, 0, 5000), -1);
}

void TestEtaEstimator::finishedStageIsZero()
{
    EtaEstimator eta;
    eta.update(QStringLiteral("cluster"), 0, 3, 0);
    QCOMPARE(eta.update(QStringLiteral("cluster"), 3, 3, 10), 0);
    eta.reset();
    QCOMPARE(eta.update(QStringLiteral("cluster"), 3, 3, 20), 0);
}

QTEST_GUILESS_MAIN(TestEtaEstimator)
#include "tst_etaestimator.moc"
