#include "cluster/kmeans.h"
#include "cluster/metrics.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

using namespace clade;

namespace {

struct Blobs
{
    FeatureMatrix data;
    std::vector<int> truth;
};

// k blobs of `perBlob` rows in `cols` dimensions, centre c at offset + 50·(c+1) on axis c % cols
// (and c / cols on the next), noise N(0, 1): far apart compared with their spread. Rows are shuffled.
Blobs makeBlobs(int k, int perBlob, std::size_t cols, float offset, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    std::vector<int> order(std::size_t(k * perBlob));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = int(i) % k;
    std::shuffle(order.begin(), order.end(), rng);
    Blobs b{FeatureMatrix(order.size(), cols), order};
    for (std::size_t i = 0; i < order.size(); ++i) {
        float *x = b.data.row(i);
        for (std::size_t j = 0; j < cols; ++j)
            x[j] = offset + noise(rng);
        const std::size_t c = std::size_t(order[i]);
        x[c % cols] += 50.0f * float(c + 1);
        x[(c / cols + 1) % cols] += 30.0f * float(c / cols);
    }
    return b;
}

FeatureMatrix uniformData(std::size_t rows, std::size_t cols, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    FeatureMatrix m(rows, cols);
    for (float &v : m.values)
        v = u(rng);
    return m;
}

double squaredDistance(const float *a, const float *b, std::size_t cols)
{
    double s = 0;
    for (std::size_t j = 0; j < cols; ++j)
        s += (double(a[j]) - b[j]) * (double(a[j]) - b[j]);
    return s;
}

bool sameBits(const std::vector<float> &a, const std::vector<float> &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}   // namespace

class TestKMeans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recoversSeparatedBlobs_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("cols");
        QTest::addColumn<float>("offset");
        QTest::newRow("k=4, 5 columns") << 4 << 5 << 0.0f;
        QTest::newRow("k=7, 16 columns") << 7 << 16 << 0.0f;
        QTest::newRow("k=3, 1 column") << 3 << 1 << 0.0f;
        QTest::newRow("k=10, 64 columns, far from the origin") << 10 << 64 << 1000.0f;
    }

    void recoversSeparatedBlobs()
    {
        QFETCH(int, k);
        QFETCH(int, cols);
        QFETCH(float, offset);
        const Blobs blobs = makeBlobs(k, 60, std::size_t(cols), offset, 3);
        KMeansOptions options;
        options.k = k;
        options.restarts = 3;
        auto r = kmeans(blobs.data, options);
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        QCOMPARE(r->labels.size(), blobs.data.rows);
        QCOMPARE(clusteringAccuracy(blobs.truth, r->labels), 1.0);
        QCOMPARE(adjustedRandIndex(blobs.truth, r->labels), 1.0);
        QCOMPARE(r->centroids.rows, std::size_t(k));
        QCOMPARE(r->centroids.cols, std::size_t(cols));

        // Each centroid is the mean of its rows; distances and inertia agree with the centroids.
        std::vector<std::vector<double>> sums(static_cast<std::size_t>(k), std::vector<double>(static_cast<std::size_t>(cols)));
        std::vector<int> counts(static_cast<std::size_t>(k));
        double inertia = 0;
        for (std::size_t i = 0; i < blobs.data.rows; ++i) {
            const std::size_t c = std::size_t(r->labels[i]);
            ++counts[c];
            for (int j = 0; j < cols; ++j)
                sums[c][std::size_t(j)] += blobs.data.row(i)[j];
            const double d = squaredDistance(blobs.data.row(i), r->centroids.row(c), std::size_t(cols));
            QVERIFY(std::abs(d - r->distances[i]) <= 1e-3 * (1 + d));
            inertia += d;
        }
        QVERIFY(std::abs(inertia - r->inertia) <= 1e-4 * inertia);
        for (std::size_t c = 0; c < std::size_t(k); ++c)
            for (int j = 0; j < cols; ++j)
                QVERIFY(std::abs(sums[c][std::size_t(j)] / counts[c] - r->centroids.row(c)[j]) <= 1e-3);
    }

    void labelsPointToTheNearestCentroid()
    {
        const FeatureMatrix data = uniformData(700, 13, 5);
        KMeansOptions options;
        options.k = 9;
        options.restarts = 2;
        auto r = kmeans(data, options);
        QVERIFY(r);
        for (std::size_t i = 0; i < data.rows; ++i) {
            const double own = squaredDistance(data.row(i), r->centroids.row(std::size_t(r->labels[i])), data.cols);
            for (std::size_t c = 0; c < r->centroids.rows; ++c)
                QVERIFY(own <= squaredDistance(data.row(i), r->centroids.row(c), data.cols) + 1e-4);
        }
    }

    void sameSeedSameResultWhateverTheThreads()
    {
        const FeatureMatrix data = uniformData(3000, 24, 9);
        KMeansOptions options;
        options.k = 12;
        options.restarts = 3;
        options.seed = 1234;
        options.threads = 1;
        auto reference = kmeans(data, options);
        QVERIFY(reference);
        for (int threads : {1, 2, 3, 8}) {
            options.threads = threads;
            auto again = kmeans(data, options);
            QVERIFY(again);
            QCOMPARE(again->labels, reference->labels);
            QVERIFY(sameBits(again->centroids.values, reference->centroids.values));
            QVERIFY(sameBits(again->distances, reference->distances));
            QCOMPARE(again->inertia, reference->inertia);
            QCOMPARE(again->iterations, reference->iterations);
        }
    }

    void differentSeedsMayDiffer()
    {
        // Uniform data has many local optima: single restarts from different seeds land in
        // different ones (a seed that was ignored would give one inertia for all).
        const FeatureMatrix data = uniformData(400, 2, 21);
        KMeansOptions options;
        options.k = 8;
        options.restarts = 1;
        std::set<double> inertias;
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            options.seed = seed;
            auto r = kmeans(data, options);
            QVERIFY(r);
            inertias.insert(r->inertia);
        }
        QVERIFY(inertias.size() >= 2);
    }

    void moreRestartsNeverWorse()
    {
        const FeatureMatrix data = uniformData(500, 3, 33);
        KMeansOptions options;
        options.k = 10;
        options.seed = 77;
        options.restarts = 1;
        auto one = kmeans(data, options);
        options.restarts = 6;
        auto six = kmeans(data, options);
        QVERIFY(one && six);
        // Restart 0 is the same run in both, so the best of six cannot be worse.
        QVERIFY(six->inertia <= one->inertia);
    }

    void edgeValuesOfK()
    {
        const FeatureMatrix data = uniformData(10, 3, 2);
        KMeansOptions options;
        options.k = 1;
        auto one = kmeans(data, options);
        QVERIFY(one);
        QVERIFY(std::all_of(one->labels.begin(), one->labels.end(), [](int l) { return l == 0; }));
        for (std::size_t j = 0; j < 3; ++j) {
            double mean = 0;
            for (std::size_t i = 0; i < 10; ++i)
                mean += data.row(i)[j] / 10.0;
            QVERIFY(std::abs(mean - one->centroids.row(0)[j]) < 1e-5);
        }
        options.k = 10;   // one row per cluster
        auto all = kmeans(data, options);
        QVERIFY(all);
        QCOMPARE(std::set<int>(all->labels.begin(), all->labels.end()).size(), std::size_t(10));
        QVERIFY(all->inertia < 1e-9);
    }

    void fewerDistinctRowsThanClusters()
    {
        // Three distinct rows, each twice, and k = 4: one centre must duplicate another.
        FeatureMatrix data(6, 2);
        const float points[3][2] = {{0, 0}, {5, 5}, {-3, 8}};
        for (std::size_t i = 0; i < 6; ++i)
            std::copy_n(points[i % 3], 2, data.row(i));
        KMeansOptions options;
        options.k = 4;
        auto r = kmeans(data, options);
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        QCOMPARE(r->inertia, 0.0);
        QVERIFY(std::all_of(r->labels.begin(), r->labels.end(), [](int l) { return l >= 0 && l < 4; }));
        QCOMPARE(r->labels[0], r->labels[3]);
        QVERIFY(r->labels[0] != r->labels[1] && r->labels[1] != r->labels[2] && r->labels[0] != r->labels[2]);
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("k");
        QTest::addColumn<float>("poison");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("k = 0") << 5 << 2 << 0 << 0.0f << QStringLiteral("at least 1");
        QTest::newRow("k < 0") << 5 << 2 << -3 << 0.0f << QStringLiteral("-3");
        QTest::newRow("k > rows") << 5 << 2 << 6 << 0.0f << QStringLiteral("6 clusters from 5 rows");
        QTest::newRow("no rows") << 0 << 2 << 1 << 0.0f << QStringLiteral("empty");
        QTest::newRow("no columns") << 5 << 0 << 1 << 0.0f << QStringLiteral("column");
        QTest::newRow("NaN") << 5 << 2 << 2 << float(NAN) << QStringLiteral("row 3, column 1");
        QTest::newRow("infinity") << 5 << 2 << 2 << float(-INFINITY) << QStringLiteral("not finite");
    }

    void rejectsBadInput()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, k);
        QFETCH(float, poison);
        QFETCH(QString, mentions);
        FeatureMatrix data(static_cast<std::size_t>(rows), static_cast<std::size_t>(cols));
        if (poison != 0.0f)
            data.row(3)[1] = poison;
        KMeansOptions options;
        options.k = k;
        auto r = kmeans(data, options);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(mentions), qPrintable(r.error()));
    }

    void rejectsBadOptionsAndShapes()
    {
        FeatureMatrix data = uniformData(5, 2, 1);
        KMeansOptions options;
        options.k = 2;
        options.restarts = 0;
        QVERIFY(!kmeans(data, options));
        options.restarts = 1;
        options.maxIterations = 0;
        QVERIFY(!kmeans(data, options));
        options.maxIterations = 10;
        options.tolerance = -1;
        QVERIFY(!kmeans(data, options));
        options.tolerance = 1e-4;
        options.seedingTrials = 65;
        QVERIFY(!kmeans(data, options));
        options.seedingTrials = 0;
        options.threads = -1;
        QVERIFY(!kmeans(data, options));
        options.threads = 0;
        data.values.pop_back();   // 9 values for a 5 × 2 matrix
        auto r = kmeans(data, options);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("9 values")), qPrintable(r.error()));
    }

    void reportsEachRestartAndCancels()
    {
        const FeatureMatrix data = uniformData(200, 4, 8);
        KMeansOptions options;
        options.k = 3;
        options.restarts = 4;
        std::vector<qint64> done;
        Progress *self = nullptr;
        Progress progress([&](const QString &, qint64 d, qint64 total) {
            QCOMPARE(total, qint64(4));
            done.push_back(d);
            if (d == 2)
                self->cancel();
        });
        self = &progress;
        auto r = kmeans(data, options, &progress);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("cancel")), qPrintable(r.error()));
        QCOMPARE(done, (std::vector<qint64>{1, 2}));

        std::vector<qint64> all;
        Progress counting([&](const QString &, qint64 d, qint64) { all.push_back(d); });
        QVERIFY(kmeans(data, options, &counting));
        QCOMPARE(all, (std::vector<qint64>{1, 2, 3, 4}));
    }
};

QTEST_GUILESS_MAIN(TestKMeans)
#include "tst_kmeans.moc"
