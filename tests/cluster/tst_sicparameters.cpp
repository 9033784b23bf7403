#include "cluster/sicparameters.h"

#include <QSet>
#include <QTest>

using namespace clade;

class TestSicParameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Every default lies inside its own range, and every key is used once.
    void defaultsAreInRangeAndKeysUnique()
    {
        const SicParams defaults = defaultSicParams(10);
        QVERIFY(checkSicParameters(defaults).ok());
        QSet<QString> keys;
        for (const SicParameter &p : sicParameterTable()) {
            QVERIFY2(!keys.contains(p.shape.key), qPrintable(p.shape.key));
            keys.insert(p.shape.key);
            QVERIFY(checkHyperparameter(p.shape, p.get(defaults)).ok());
        }
        QVERIFY(keys.contains(QStringLiteral("candidates")));
        QCOMPARE(defaults.candidates, 5);
    }

    void setRoundTripsAndRefusesOutOfRange()
    {
        SicParams p = defaultSicParams(10);
        QVERIFY(setSicParameter(p, QStringLiteral("entropy-weight"), 2.0).ok());
        QCOMPARE(p.entropyWeight, 2.0);
        QVERIFY(setSicParameter(p, QStringLiteral("center-init"), 1).ok());
        QVERIFY(p.centerInit);
        QVERIFY(setSicParameter(p, QStringLiteral("beta"), 0.5).ok());   // an earlier key
        QCOMPARE(p.ceWeight, 0.5);
        const Status bad = setSicParameter(p, QStringLiteral("xi-c"), 1.5);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().contains(QStringLiteral("xi-c")));
        QCOMPARE(p.xiC, 0.9);
        QVERIFY(!setSicParameter(p, QStringLiteral("topk"), 2.5).ok());
        QVERIFY(!setSicParameter(p, QStringLiteral("nonsense"), 1).ok());
        p.learningRate = 0;   // set around the table: the whole-set check still sees it
        QVERIFY(!checkSicParameters(p).ok());
    }

    void theRecordHoldsEveryRow()
    {
        SicParams p = defaultSicParams(7);
        p.seed = 3;
        const QJsonObject json = sicParametersJson(p);
        QCOMPARE(json.value(QStringLiteral("k")).toInt(), 7);
        QCOMPARE(json.value(QStringLiteral("seed")).toString(), QStringLiteral("3"));
        for (const SicParameter &row : sicParameterTable())
            QCOMPARE(json.value(row.shape.key).toDouble(), row.get(p));
    }
};

QTEST_GUILESS_MAIN(TestSicParameters)
#include "tst_sicparameters.moc"
