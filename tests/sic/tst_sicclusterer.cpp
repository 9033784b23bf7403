// SIC as the app's Clusterer: its settings are the spec's hyperparameters at their defaults,
// and a changed setting reaches the algorithm.
#include "semantic/sicclusterer.h"
#include "sicsynthetic.h"

#include <QTest>

#include <algorithm>

using namespace clade;

namespace {

double valueOf(const Clusterer &c, const QString &key)
{
    for (const Hyperparameter &p : c.hyperparameters())
        if (p.key == key)
            return p.value;
    return -1;
}

int largestCluster(const std::vector<int> &labels, int k)
{
    std::vector<int> sizes(std::size_t(k), 0);
    for (int l : labels)
        ++sizes[std::size_t(l)];
    return *std::max_element(sizes.begin(), sizes.end());
}

}   // namespace

class TestSicClusterer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settingsAreTheSpecDefaults()
    {
        const SicParams spec = defaultSicParams(10);
        SicClusterer imageOnly;
        QCOMPARE(valueOf(imageOnly, QStringLiteral("entropy-weight")), spec.entropyWeight);
        QCOMPARE(valueOf(imageOnly, QStringLiteral("topk")), double(spec.neighbours));
        QCOMPARE(valueOf(imageOnly, QStringLiteral("batch-size")), double(spec.batchSize));
        QCOMPARE(valueOf(imageOnly, QStringLiteral("ce-weight")), -1.0);   // no semantic term without text
        for (const Hyperparameter &p : imageOnly.hyperparameters())
            QCOMPARE(p.value, p.defaultValue);

        SicClusterer semantic([](Progress *) -> Result<SemanticVocabulary> { return fail(QStringLiteral("unused")); });
        QCOMPARE(valueOf(semantic, QStringLiteral("ce-weight")), spec.ceWeight);
        QCOMPARE(valueOf(semantic, QStringLiteral("gamma-r")), double(spec.gammaR));
        QCOMPARE(valueOf(semantic, QStringLiteral("gamma-u")), spec.gammaU);
        QCOMPARE(valueOf(semantic, QStringLiteral("xi-a")), double(spec.xiA));
    }

    void badValuesAreRefused()
    {
        SicClusterer clusterer;
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("entropy-weight"), -1).ok());
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("topk"), 2.5).ok());
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("ce-weight"), 1).ok());   // image-only: no β
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("nonsense"), 1).ok());
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("candidates"), 0).ok());
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("candidates"), 17).ok());
        QCOMPARE(valueOf(clusterer, QStringLiteral("entropy-weight")), 5.0);
    }

    // Settings files written before the table was shared used other keys; they still apply.
    void earlierSettingKeysStillApply()
    {
        SicClusterer clusterer;
        QVERIFY(clusterer.setHyperparameter(QStringLiteral("lambda"), 2.5).ok());
        QCOMPARE(valueOf(clusterer, QStringLiteral("entropy-weight")), 2.5);
        QVERIFY(clusterer.setHyperparameter(QStringLiteral("neighbours"), 7).ok());
        QCOMPARE(valueOf(clusterer, QStringLiteral("topk")), 7.0);
    }

    // λ = 0 collapses SIC (the paper's ablation); the default keeps clusters apart. So a
    // collapse after setting λ = 0 through the settings shows the value reached the training.
    void aChangedSettingReachesTheTraining()
    {
        test::SicSyntheticSpec spec;
        spec.classes = 5;
        spec.styles = 5;
        spec.imagesPerClass = 80;
        spec.dims = 32;
        spec.seed = 3;
        const test::SicSynthetic data = test::makeSicSynthetic(spec);
        SicCache cache;
        SicClusterer clusterer({}, &cache);
        for (const auto &[key, value] : std::vector<std::pair<QString, double>>{{QStringLiteral("lr"), 5e-2},
                                                                                {QStringLiteral("max-epochs"), 30},
                                                                                {QStringLiteral("kmeans-restarts"), 3},
                                                                                {QStringLiteral("topk"), 10}})
            QVERIFY(clusterer.setHyperparameter(key, value).ok());
        auto balanced = clusterer.cluster(data.images, 5, 1, nullptr);
        QVERIFY(balanced.ok());
        QVERIFY(largestCluster(balanced->labels, 5) < int(data.images.rows) / 2);
        // One candidate: the robust default would keep the k-means partition instead.
        QVERIFY(clusterer.setHyperparameter(QStringLiteral("candidates"), 1).ok());
        QVERIFY(clusterer.setHyperparameter(QStringLiteral("entropy-weight"), 0).ok());
        auto collapsed = clusterer.cluster(data.images, 5, 1, nullptr);
        QVERIFY(collapsed.ok());
        // Training emptied groups; they were refilled, recorded, and K groups remain.
        const int refilled = collapsed->details.value(QStringLiteral("repaired")).toInt();
        QVERIFY2(refilled >= 1, qPrintable(QString::number(refilled)));
        QVERIFY(collapsed->note.contains(QStringLiteral("refilled")));
        std::vector<int> sizes(5, 0);
        for (int l : collapsed->labels)
            ++sizes[std::size_t(l)];
        QVERIFY(std::count(sizes.begin(), sizes.end(), 0) == 0);
    }
};

QTEST_GUILESS_MAIN(TestSicClusterer)
#include "tst_sicclusterer.moc"
