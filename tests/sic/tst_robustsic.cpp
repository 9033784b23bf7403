// Robust SIC on the scenarios of bench_sic (sicsynthetic.h, applyScenario), at the size of the
// issue's real set, with the spec's defaults: the kept partition is within 0.01 ACC of the best
// candidate, every candidate has exactly K groups, the k-means partition is among them, and the
// kept one has the lowest criterion. The run time against a single run is bench_sic --spread's.

#include "cluster/metrics.h"
#include "sic/sic.h"
#include "sicsynthetic.h"

#include <QTest>

#include <algorithm>

using namespace clade;

class TestRobustSic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsTheBestCandidate_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const char *name : {"look", "clip", "imbalanced", "close", "anisotropic"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void keepsTheBestCandidate()
    {
        QFETCH(QString, scenario);
        test::SicSyntheticSpec spec;
        // The size of the held-out real set of the issue: 2,500 photos of 10 classes, 512-d.
        spec.imagesPerClass = 250;
        spec.dims = 512;
        spec.nounsPerClass = 30;
        spec.distractorNouns = 2500;
        spec.genericNouns = 200;
        QVERIFY(test::applyScenario(scenario, spec));
        const auto data = test::makeSicSynthetic(spec);
        SicParams params = defaultSicParams(spec.classes);
        auto result = runSic(data.images, &data.texts, &data.nouns, params);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
        QCOMPARE(result->candidates.size(), std::size_t(params.candidates + 1));
        QCOMPARE(result->candidates.back().kind, QStringLiteral("k-means"));
        QCOMPARE(result->candidates[std::size_t(params.candidates - 2)].kind, QStringLiteral("k-means start"));
        QCOMPARE(result->candidates[std::size_t(params.candidates - 1)].kind, QStringLiteral("k-means start, balance 0.2λ"));
        double best = 0;
        QStringList accs;
        for (std::size_t i = 0; i < result->candidates.size(); ++i) {
            const auto &labels = result->candidateLabels[i];
            std::vector<int> sizes(std::size_t(spec.classes), 0);
            for (int l : labels)
                ++sizes[std::size_t(l)];
            QVERIFY(std::count(sizes.begin(), sizes.end(), 0) == 0);
            const double acc = scoreClustering(data.truth, labels).acc;
            accs << QStringLiteral("%1 (leak %2 sem %3)")
                        .arg(acc, 0, 'f', 3)
                        .arg(result->candidates[i].leakage, 0, 'f', 4)
                        .arg(result->candidates[i].semanticAgreement, 0, 'f', 4);
            best = std::max(best, acc);
            QVERIFY(result->candidates[i].criterion >= result->candidates[std::size_t(result->chosen)].criterion);
        }
        QCOMPARE(result->labels, result->candidateLabels[std::size_t(result->chosen)]);
        // Once a head settled at epoch E, no head trained past 2E.
        int firstSettled = 0;
        for (const SicCandidate &c : result->candidates) {
            if (c.stopReason.startsWith(QStringLiteral("assignments stable")))
                firstSettled = firstSettled == 0 ? c.epochs : std::min(firstSettled, c.epochs);
        }
        for (const SicCandidate &c : result->candidates)
            QVERIFY(firstSettled == 0 || c.epochs <= 2 * firstSettled);
        const double kept = scoreClustering(data.truth, result->labels).acc;
        QVERIFY2(kept >= best - 0.01, qPrintable(QStringLiteral("kept %1, candidates %2").arg(kept).arg(accs.join(' '))));
    }
};

QTEST_GUILESS_MAIN(TestRobustSic)
#include "tst_robustsic.moc"
