#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include "runtime.h"
#include "sicsynthetic.h"
#include "cluster/metrics.h"
#include "sic/sicops_p.h"
#include "sic/sicstep_p.h"
#include "sic/siccache_p.h"
#include "sic/sictrainer_p.h"

#include <QTest>

#include <cmath>

using namespace clade;

namespace {

torch::Tensor rowsOf(std::initializer_list<std::initializer_list<float>> rows)
{
    std::vector<torch::Tensor> list;
    for (const auto &r : rows)
        list.push_back(torch::tensor(std::vector<float>(r)));
    return torch::stack(list);
}

std::vector<std::int64_t> toVector(const torch::Tensor &t)
{
    const auto c = t.to(torch::kLong).contiguous();
    return {c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + c.numel()};
}

torch::Tensor tensorOf(const FeatureMatrix &m)
{
    return torch::from_blob(const_cast<float *>(m.values.data()), {std::int64_t(m.rows), std::int64_t(m.cols)}, torch::kFloat32).clone();
}

// A synthetic set (nouns per class, distractor and generic nouns as given) as tensors, with its
// 10-neighbour graph and its truth as int64 labels: what the refinement tests work on.
struct GraphSet
{
    test::SicSynthetic data;
    int k = 0;
    torch::Tensor x, texts, knn, truth;
};

GraphSet graphSet(test::SicSyntheticSpec spec, int imagesPerClass, int dims, int nounsPerClass, int distractors, int generic)
{
    spec.imagesPerClass = imagesPerClass;
    spec.dims = dims;
    spec.nounsPerClass = nounsPerClass;
    spec.distractorNouns = distractors;
    spec.genericNouns = generic;
    GraphSet set;
    set.data = test::makeSicSynthetic(spec);
    set.k = spec.classes;
    set.x = tensorOf(set.data.images);
    set.texts = tensorOf(set.data.texts);
    set.knn = sicops::knnGraph(set.x, 10, 256);
    std::vector<std::int64_t> truthRows(set.data.truth.begin(), set.data.truth.end());
    set.truth = torch::tensor(truthRows, torch::kLong);
    return set;
}

// ACC of int64 labels against the synthetic truth.
double accuracyOf(const torch::Tensor &labels, const std::vector<int> &truth)
{
    std::vector<int> out;
    for (std::int64_t l : toVector(labels))
        out.push_back(int(l));
    return scoreClustering(truth, out).acc;
}

}   // namespace

class TestSicOps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torchrt::configure(); }

    void kmeansFindsSeparatedBlobs()
    {
        const auto x = rowsOf({{0, 0}, {0, 1}, {1, 0}, {10, 10}, {10, 11}, {11, 10}, {-10, 10}, {-10, 11}, {-11, 10}});
        const auto out = sicops::kmeans(x, 3, 4, 100, 1e-6, 7);
        const auto labels = toVector(out.labels);
        for (int g = 0; g < 3; ++g) {
            QCOMPARE(labels[3 * g + 1], labels[3 * g]);
            QCOMPARE(labels[3 * g + 2], labels[3 * g]);
        }
        QVERIFY(labels[0] != labels[3] && labels[3] != labels[6] && labels[0] != labels[6]);
        // Each centre is its blob's mean, e.g. (1/3, 1/3) for the first.
        const auto c0 = out.centres[labels[0]];
        QVERIFY(torch::allclose(c0, torch::tensor({1.0f / 3, 1.0f / 3}), 1e-5, 1e-5));
        QVERIFY(std::abs(out.inertia - 3 * (4.0 / 3)) < 1e-4);
    }

    void kmeansRestartsEndAtLloydFixpoints()
    {
        torch::manual_seed(9);
        const auto x = torch::randn({400, 6}) + torch::randint(0, 4, {400, 1}).to(torch::kFloat) * 3;
        const auto out = sicops::kmeans(x, 4, 7, 300, 0.0, 3);
        // Every centre is the mean of the rows labelled with it, and every row is labelled with
        // its nearest centre: what each stacked restart must reach on its own.
        for (std::int64_t j = 0; j < 4; ++j) {
            const auto rows = (out.labels == j).nonzero().flatten();
            QVERIFY(rows.numel() > 0);
            QVERIFY(torch::allclose(out.centres[j], x.index_select(0, rows).mean(0), 1e-4, 1e-4));
        }
        QVERIFY(torch::equal(torch::cdist(x, out.centres).argmin(1), out.labels));
        const double inertia = (x - out.centres.index_select(0, out.labels)).pow(2).sum().item<double>();
        QVERIFY(std::abs(inertia - out.inertia) < 1e-3 * inertia);
        // The same seed gives the same answer.
        const auto again = sicops::kmeans(x, 4, 7, 300, 0.0, 3);
        QVERIFY(torch::equal(again.labels, out.labels));
        QCOMPARE(again.inertia, out.inertia);
    }

    // Above 8,192 rows k-means trains on a sample and assigns every row: each row gets its
    // nearest centre, the centres are the blobs' means up to the sample's error, and the same
    // seed gives the same answer.
    void kmeansOnALargeSetAssignsEveryRow()
    {
        torch::manual_seed(10);
        const std::int64_t n = 20'000;
        const auto blob = torch::randint(0, 3, {n}, torch::kLong);
        const auto means = rowsOf({{0, 0, 0, 0}, {8, 0, 0, 0}, {0, 8, 0, 0}});
        const auto x = torch::randn({n, 4}) + means.index_select(0, blob);
        const auto out = sicops::kmeans(x, 3, 5, 300, 1e-4, 2);
        QCOMPARE(out.labels.size(0), n);
        QVERIFY(torch::equal(torch::cdist(x, out.centres).argmin(1), out.labels));
        for (std::int64_t j = 0; j < 3; ++j) {
            const auto label = out.labels[(blob == j).nonzero()[0][0]].item<std::int64_t>();
            QVERIFY(torch::allclose(out.centres[label], means[j], 0.0, 0.1));
        }
        const double inertia = (x - out.centres.index_select(0, out.labels)).pow(2).sum().item<double>();
        QVERIFY(std::abs(inertia - out.inertia) < 1e-3 * inertia);
        QVERIFY(torch::equal(sicops::kmeans(x, 3, 5, 300, 1e-4, 2).labels, out.labels));
    }

    void centreFilterTakesGammaRNearestPerCentre()
    {
        const auto centres = rowsOf({{1, 0}, {0, 1}});
        const auto texts = rowsOf({{1, 0.1f}, {0.1f, 1}, {1, 1}, {-1, 0}});
        QCOMPARE(toVector(sicops::centreNounIndices(centres, texts, 1)), (std::vector<std::int64_t>{0, 1}));
        QCOMPARE(toVector(sicops::centreNounIndices(centres, texts, 2)), (std::vector<std::int64_t>{0, 1, 2}));
        QCOMPARE(toVector(sicops::centreNounIndices(centres, texts, 99)), (std::vector<std::int64_t>{0, 1, 2, 3}));
    }

    void uniquenessFilterDropsNounsNearTheMean()
    {
        // Mean direction is (1,1)/√2: cos = 0.707, 0.707, 1.0.
        const auto texts = rowsOf({{1, 0}, {0, 1}, {2, 2}});
        QCOMPARE(toVector(sicops::uniqueNounIndices(texts, 0.05)), (std::vector<std::int64_t>{0, 1}));
        QCOMPARE(toVector(sicops::uniqueNounIndices(texts, 0.5)), (std::vector<std::int64_t>{}));
        QCOMPARE(toVector(sicops::intersectSorted(torch::tensor({0, 2, 3, 5}, torch::kLong), torch::tensor({1, 2, 5}, torch::kLong))),
                 (std::vector<std::int64_t>{2, 5}));
    }

    void knnMatchesBruteForce()
    {
        torch::manual_seed(3);
        const auto x = torch::randn({37, 5}) * 3 + 1;
        const auto graph = sicops::knnGraph(x, 4, 8);   // blocks of 8 do not divide 37
        QCOMPARE(graph.size(0), std::int64_t(37));
        QCOMPARE(graph.size(1), std::int64_t(5));
        const auto dist = torch::cdist(x, x).pow(2);
        const auto expected = std::get<1>(dist.topk(5, 1, false, true));
        QVERIFY(torch::equal(graph, expected));
        QVERIFY(torch::equal(graph.select(1, 0), torch::arange(37)));
        // k larger than N − 1 is clamped to every row.
        QCOMPARE(sicops::knnGraph(x.narrow(0, 0, 3), 20, 2).size(1), std::int64_t(3));

        // Many candidates per row, over many block pairs: the same neighbours, in order of
        // distance (compared by distance, so that a near-tie in float cannot fail the test).
        const auto y = torch::randn({1000, 16});
        const auto big = sicops::knnGraph(y, 10, 128);
        const auto exact = torch::cdist(y.to(torch::kDouble), y.to(torch::kDouble)).pow(2);
        const auto bigExpected = std::get<1>(exact.topk(11, 1, false, true));
        QVERIFY(torch::allclose(exact.gather(1, big), exact.gather(1, bigExpected), 1e-5, 1e-5));
        const auto viaTopk = sicops::knnGraph(y, 10, 128, {}, sicops::KnnSelection::Topk);   // the GPU's way
        QVERIFY(torch::allclose(exact.gather(1, big), exact.gather(1, viaTopk), 1e-5, 1e-5));
        QVERIFY((torch::diff(std::get<0>(big.sort(1)), 1, 1) != 0).all().item<bool>());   // no row repeats a neighbour
        QVERIFY(torch::equal(big.select(1, 0), torch::arange(1000)));
    }

    // Above SicParams::exactKnnRows rows the CPU uses the inverted-file search (approxknn.cpp).
    // On clustered rows it finds nearly every true neighbour, keeps the exact graph's shape (self
    // first, no repeats) and is the same for the same seed.
    void approximateKnnFindsNearlyAllNeighbours()
    {
        QVERIFY(!sicops::usesApproximateKnn(100, 100, torch::Device(torch::kCPU)));
        QVERIFY(!sicops::usesApproximateKnn(101, 100, torch::Device(torch::kCUDA)));   // the GPU stays exact
        const auto plan = sicops::approximateKnnPlan(40000);
        QCOMPARE(plan.lists, 400);   // 2·√N
        QCOMPARE(plan.probes, sicops::kApproxKnnProbes);
        QCOMPARE(plan.trainRows, std::int64_t(400 * sicops::kApproxKnnTrainPerList));

        torch::manual_seed(11);
        const std::int64_t n = 3000;
        const auto centres = torch::randn({20, 24}) * 3;
        const auto x = centres.index_select(0, torch::randint(0, 20, {n}, torch::kLong)) + torch::randn({n, 24});
        if (!sicops::approximateKnnAvailable()) {
            QVERIFY(!sicops::usesApproximateKnn(n + 1, n, torch::Device(torch::kCPU)));
            const auto refused = sicops::approximateKnnGraph(x, 10, 1);
            QVERIFY(!refused.ok());
            QVERIFY2(refused.error().contains(QStringLiteral("without faiss")), qPrintable(refused.error()));
            return;
        }
        QVERIFY(sicops::usesApproximateKnn(101, 100, torch::Device(torch::kCPU)));
        std::int64_t lastDone = 0, ticks = 0;
        bool ticksInOrder = true;
        auto graph = sicops::approximateKnnGraph(x, 10, 1, [&](std::int64_t done, std::int64_t total) {
            ticksInOrder = ticksInOrder && done > lastDone && done <= total;
            lastDone = done;
            ++ticks;
            return true;
        });
        QVERIFY2(graph.ok(), qPrintable(graph.ok() ? QString() : graph.error()));
        QCOMPARE(graph->size(0), n);
        QCOMPARE(graph->size(1), std::int64_t(11));
        QVERIFY(ticks >= 3 && ticksInOrder);
        const torch::Tensor g = *graph;
        QVERIFY(torch::equal(g.select(1, 0), torch::arange(n)));
        const bool inRange = g.ge(0).logical_and(g.lt(n)).all().item<bool>();
        QVERIFY(inRange);
        const bool noRepeats = torch::diff(std::get<0>(g.sort(1)), 1, 1).ne(0).all().item<bool>();
        QVERIFY(noRepeats);
        // Recall@10 against the exact graph (by distance, so that ties cannot fail it).
        const auto exact = sicops::knnGraph(x, 10, 512);
        const auto dist = torch::cdist(x.to(torch::kDouble), x.to(torch::kDouble)).pow(2);
        const auto kth = dist.gather(1, exact).select(1, 10).unsqueeze(1);
        const auto found = (dist.gather(1, g.narrow(1, 1, 10)) <= kth + 1e-6).sum().item<double>() / double(n * 10);
        QVERIFY2(found >= 0.95, qPrintable(QString::number(found)));
        auto again = sicops::approximateKnnGraph(x, 10, 1);
        QVERIFY(again.ok() && torch::equal(*again, g));

        // Fewer rows than neighbours: every row, self first.
        auto few = sicops::approximateKnnGraph(x.narrow(0, 0, 4), 10, 1);
        QVERIFY(few.ok());
        QCOMPARE(few->size(1), std::int64_t(4));
        QVERIFY(torch::equal(few->select(1, 0), torch::arange(4)));
        QVERIFY(torch::equal(std::get<0>(few->sort(1)), torch::arange(4).expand({4, 4})));

        // Many identical rows (a burst, or the same photo copied): one large cell; every row
        // still comes first in its own list and lists only rows at distance 0.
        auto same = x.narrow(0, 0, 2000).clone();
        same.narrow(0, 0, 1500).copy_(x[0].expand({1500, x.size(1)}));
        auto dup = sicops::approximateKnnGraph(same, 10, 1);
        QVERIFY2(dup.ok(), qPrintable(dup.ok() ? QString() : dup.error()));
        QVERIFY(torch::equal(dup->select(1, 0), torch::arange(2000)));
        const bool twinsOnly = dup->narrow(0, 0, 1500).lt(1500).all().item<bool>();
        QVERIFY(twinsOnly);

        // Stopped from the tick: an empty graph, no error.
        auto stopped = sicops::approximateKnnGraph(x, 10, 1, [](std::int64_t done, std::int64_t) { return done < 2; });
        QVERIFY(stopped.ok());
        QVERIFY(!stopped->defined());
    }

    void confidentCentresUseTopLogitRowsPerColumn()
    {
        const auto features = rowsOf({{1, 0, 0}, {0, 2, 0}, {0, 0, 3}, {4, 4, 0}});
        const auto logits = rowsOf({{5, 1}, {4, 0}, {0, 9}, {1, 8}});
        // N=4, c=2: ⌊N/c⌋ = 2; ξ_c = 0.5 → t = 1: row 0 for column 0, row 2 for column 1.
        auto v = sicops::confidentCentres(logits, features, 0.5);
        QVERIFY(torch::allclose(v, rowsOf({{1, 0, 0}, {0, 0, 1}})));
        // ξ_c = 1 → t = 2: rows {0,1} and {2,3}; means (0.5,1,0) and (2,2,1.5), normalised.
        v = sicops::confidentCentres(logits, features, 1.0);
        const auto a = torch::tensor({0.5f, 1.0f, 0.0f});
        const auto b = torch::tensor({2.0f, 2.0f, 1.5f});
        QVERIFY(torch::allclose(v[0], a / a.norm(), 1e-5, 1e-6));
        QVERIFY(torch::allclose(v[1], b / b.norm(), 1e-5, 1e-6));
        // Columns rank independently: one row may serve both clusters.
        const auto shared = rowsOf({{9, 9}, {0, 0}, {1, -1}, {-1, 1}});
        v = sicops::confidentCentres(shared, features, 0.5);
        QVERIFY(torch::allclose(v[0], v[1]));
    }

    void semanticCentresAverageRawNearestTexts()
    {
        const auto centres = rowsOf({{1, 0}, {0, 1}});
        const auto texts = rowsOf({{2, 0.2f}, {1, 0.5f}, {0, 3}, {-1, -1}});
        auto h = sicops::semanticCentres(centres, texts, 1);
        QVERIFY(torch::allclose(h[0], texts[0] / texts[0].norm()));
        QVERIFY(torch::allclose(h[1], texts[2] / texts[2].norm()));
        // ξ_a = 2: mean of the raw (not normalised) top-2 texts, then normalised.
        h = sicops::semanticCentres(centres, texts, 2);
        const auto mean0 = (texts[0] + texts[1]) / 2;
        QVERIFY(torch::allclose(h[0], mean0 / mean0.norm(), 1e-5, 1e-6));
        const auto labels = sicops::pseudoLabels(rowsOf({{3, 1}, {1, 3}, {-5, 0.1f}}), h);
        QCOMPARE(toVector(labels), (std::vector<std::int64_t>{0, 1, 1}));
    }

    void lossesOnHandCases()
    {
        const auto half = rowsOf({{0.5f, 0.5f}});
        QVERIFY(std::abs(sicops::consistencyLoss(half, half).item<double>() - std::log(2.0)) < 1e-6);
        // Disjoint predictions: the log is clamped at 1e-8 instead of giving infinity.
        const auto disjoint = sicops::consistencyLoss(rowsOf({{1, 0}}), rowsOf({{0, 1}})).item<double>();
        QVERIFY(std::abs(disjoint + std::log(1e-8)) < 1e-4);
        QVERIFY(std::abs(sicops::balanceEntropy(rowsOf({{1, 0}, {0, 1}})).item<double>() - std::log(2.0)) < 1e-6);
        QVERIFY(sicops::balanceEntropy(rowsOf({{1, 0}, {1, 0}})).item<double>() < 1e-6);
        const auto ce = sicops::semanticLoss(rowsOf({{0, 0}, {std::log(3.0f), 0}}), torch::tensor({0, 0}, torch::kLong));
        QVERIFY(std::abs(ce.item<double>() - (std::log(2.0) + std::log(4.0 / 3.0)) / 2) < 1e-6);
    }

    void writtenOutGradientMatchesAutograd_data()
    {
        QTest::addColumn<bool>("semantic");
        QTest::addColumn<bool>("disjoint");
        QTest::newRow("all three losses") << true << false;
        QTest::newRow("image space only") << false << false;
        QTest::newRow("clamped consistency") << true << true;
    }

    void writtenOutGradientMatchesAutograd()
    {
        QFETCH(bool, semantic);
        QFETCH(bool, disjoint);
        torch::manual_seed(21);
        const std::int64_t rows = 6;
        auto logits = torch::randn({2 * rows, 4}) * 3;
        if (disjoint) {   // anchor 0 and its neighbour certain of different clusters: p·q < 1e-8
            logits[0] = torch::tensor({40.0f, 0.0f, 0.0f, 0.0f});
            logits[rows] = torch::tensor({0.0f, 40.0f, 0.0f, 0.0f});
        }
        const auto pseudo = semantic ? torch::tensor({0, 1, 2, 3, 0, 2}, torch::kLong) : torch::Tensor();
        const auto mine = sicops::lossAndGradient(logits, rows, pseudo, 5.0, 0.1);
        auto leaf = logits.clone().set_requires_grad(true);
        const auto probs = leaf.softmax(1);
        auto loss = sicops::consistencyLoss(probs.narrow(0, 0, rows), probs.narrow(0, rows, rows))
                    - 5.0 * sicops::balanceEntropy(probs.narrow(0, 0, rows));
        if (semantic)
            loss = loss + 0.1 * sicops::semanticLoss(leaf.narrow(0, 0, rows), pseudo);
        loss.backward();
        QVERIFY(std::abs(mine.loss.item<double>() - loss.item<double>()) < 1e-5);
        QVERIFY2(torch::allclose(mine.dLogits, leaf.grad(), 1e-4, 1e-6),
                 qPrintable(QString::number((mine.dLogits - leaf.grad()).abs().max().item<double>())));
    }

    // The CPU's loop path against the tensor path on several heads, each with its own λ and
    // pseudo-labels, with clamped rows and a starved cluster (p̄ below the floor) among them.
    void cpuStepMatchesTensorStep_data()
    {
        QTest::addColumn<bool>("semantic");
        QTest::newRow("semantic") << true;
        QTest::newRow("image space only") << false;
    }

    void cpuStepMatchesTensorStep()
    {
        QFETCH(bool, semantic);
        torch::manual_seed(5);
        const std::int64_t rows = 64;
        const std::int64_t heads = 5;
        const std::int64_t c = 20;
        auto logits = torch::randn({2 * rows, heads, c}) * 4;
        logits.select(1, 2).select(1, 7).fill_(-60.0f);   // head 2 never picks cluster 7: mean below 1e-8
        logits[0][1] = torch::zeros({c});
        logits[0][1][0] = 40.0f;   // anchor 0 and its neighbour, head 1: p·q < 1e-8
        logits[rows][1] = torch::zeros({c});
        logits[rows][1][1] = 40.0f;
        const auto pseudo = semantic ? torch::randint(c, {rows, heads}, torch::kLong) : torch::Tensor();
        const auto lambdas = torch::tensor({5.0f, 5.0f, 5.0f, 5.0f, 1.0f});
        const auto loop = sicops::lossAndGradient(logits, rows, pseudo, lambdas, 0.1);
        const auto tensors = sicops::lossAndGradient(logits, rows, pseudo, lambdas, 0.1, sicops::StepPath::Tensors);
        QCOMPARE(loop.loss.sizes(), tensors.loss.sizes());
        QVERIFY2(torch::allclose(loop.loss, tensors.loss, 1e-5, 1e-5),
                 qPrintable(QString::number((loop.loss - tensors.loss).abs().max().item<double>())));
        QVERIFY2(torch::allclose(loop.dLogits, tensors.dLogits, 1e-4, 1e-7),
                 qPrintable(QString::number((loop.dLogits - tensors.dLogits).abs().max().item<double>())));
        // One head as a 2B x c matrix takes the same path and gives its column of the above.
        const auto one = sicops::lossAndGradient(logits.select(1, 3), rows, semantic ? pseudo.select(1, 3) : torch::Tensor(), 5.0, 0.1);
        QVERIFY(torch::allclose(one.loss, tensors.loss[3], 1e-5, 1e-5));
        QVERIFY(torch::allclose(one.dLogits, tensors.dLogits.select(1, 3), 1e-4, 1e-7));
    }

    void adamStepMatchesTorchAdam()
    {
        torch::manual_seed(4);
        auto reference = torch::randn({3, 5}).set_requires_grad(true);
        auto mine = reference.detach().clone();
        auto viaTensors = reference.detach().clone();
        sicops::AdamState tensorState;
        torch::optim::Adam adam({reference}, torch::optim::AdamOptions(1e-2).weight_decay(1e-4));
        sicops::AdamState state;
        for (int step = 0; step < 5; ++step) {
            const auto grad = torch::randn({3, 5});
            adam.zero_grad();
            reference.mutable_grad() = grad.clone();
            adam.step();
            sicops::adamStep(mine, grad, state, 1e-2, 1e-4);
            sicops::adamStep(viaTensors, grad, tensorState, 1e-2, 1e-4, sicops::StepPath::Tensors);
        }
        QVERIFY(torch::allclose(mine, reference.detach(), 1e-5, 1e-6));
        QVERIFY(torch::allclose(viaTensors, reference.detach(), 1e-5, 1e-6));
        QCOMPARE(state.step, std::int64_t(5));
    }

    void distinctivenessSubtractsOtherClusters()
    {
        const auto centres = rowsOf({{1, 0}, {0, 1}, {-1, 0}});
        const auto texts = rowsOf({{1, 0}, {1, 1}});
        const auto d = sicops::distinctiveness(centres, texts);
        QVERIFY(std::abs(d[0][0].item<double>() - (1.0 - (0.0 - 1.0) / 2)) < 1e-6);
        const double c = 1 / std::sqrt(2.0);
        QVERIFY(std::abs(d[1][1].item<double>() - (c - (c - c) / 2)) < 1e-6);
    }

    void centreInitGivesNearestCentreRule()
    {
        torch::manual_seed(5);
        const auto x = torch::randn({50, 4});
        const auto centres = rowsOf({{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, -2, 1}});
        SicParams params = defaultSicParams(3);
        params.centerInit = true;
        params.candidates = 1;
        sicops::SicTrainer trainer(params, nullptr);
        trainer.initHead(x, centres);
        const auto nearest = torch::cdist(x, centres).argmin(1);
        QVERIFY(torch::equal(trainer.logits(x).select(1, 0).argmax(1), nearest));
    }

    // The two close classes of the "close" scenario merged into one group and a third class cut
    // in two, as robust SIC's heads leave them: the merge-and-split moves find the classes again,
    // every move lowers the criterion, K stays K; the true partition itself is left as it is.
    void refinementRepairsAMergeAndASplit()
    {
        test::SicSyntheticSpec spec;
        QVERIFY(test::applyScenario(QStringLiteral("close"), spec));
        const auto set = graphSet(spec, 120, 512, 30, 600, 50);
        const auto &data = set.data;
        const int k = set.k;
        const auto &x = set.x;
        const auto &texts = set.texts;
        const auto &knn = set.knn;
        const auto &truth = set.truth;
        const auto criterion = [&](const torch::Tensor &labels) {
            return sicops::knnLeakage(labels, knn, k) - sicops::semanticAgreement(labels, x, texts, k, 30);
        };
        auto broken = truth.clone();
        broken.masked_fill_(broken == 1, 0);   // classes 0 and 1 (cosine 0.6) in one group
        const auto third = (truth == 2).nonzero().flatten();
        broken.index_fill_(0, third.index({torch::arange(third.size(0)) % 2 == 1}), 1);   // class 2 cut in two
        QVERIFY(accuracyOf(broken, data.truth) < 0.9);

        const auto refined = sicops::refinePartition(broken, x, knn, texts, k, 30, criterion, 8);
        QVERIFY(!refined.moves.empty());
        QVERIFY(refined.criterion < criterion(broken));
        QCOMPARE(refined.criterion, criterion(refined.labels));
        QCOMPARE(torch::bincount(refined.labels, {}, k).gt(0).sum().item<std::int64_t>(), std::int64_t(k));
        QVERIFY2(accuracyOf(refined.labels, data.truth) >= 0.99, qPrintable(QString::number(accuracyOf(refined.labels, data.truth))));

        const auto kept = sicops::refinePartition(truth, x, knn, texts, k, 30, criterion, 8);
        QVERIFY(kept.moves.empty());
        QVERIFY(torch::equal(kept.labels, truth));

        // Judged on some rows only (as above kRefineRows), the same repair is found.
        auto generator = at::detail::createCPUGenerator(7);
        const auto rows = std::get<0>(torch::randperm(x.size(0), generator, torch::kLong).narrow(0, 0, x.size(0) / 2).sort());
        const auto onRows = [&](const torch::Tensor &labels) {
            return sicops::knnLeakage(labels, knn, k, rows)
                   - sicops::semanticAgreement(labels.index_select(0, rows), x.index_select(0, rows), texts, k, 30);
        };
        const auto sampled = sicops::refinePartition(broken, x, knn, texts, k, 30, onRows, 8);
        QVERIFY2(accuracyOf(sampled.labels, data.truth) >= 0.99, qPrintable(QString::number(accuracyOf(sampled.labels, data.truth))));

        // Found on a quarter of the rows (with their own graph) and replayed on all of them, as
        // a run trained on a sample does: the same repair, and the replay on the quarter gives
        // the quarter's refined labels.
        const auto quarter = std::get<0>(torch::randperm(x.size(0), generator, torch::kLong).narrow(0, 0, x.size(0) / 4).sort());
        const auto xq = x.index_select(0, quarter);
        const auto knnQ = sicops::knnGraph(xq, 10, 256);
        const auto onQuarter = [&](const torch::Tensor &labels) {
            return sicops::knnLeakage(labels, knnQ, k) - sicops::semanticAgreement(labels, xq, texts, k, 30);
        };
        const auto found = sicops::refinePartition(broken.index_select(0, quarter), xq, knnQ, texts, k, 30, onQuarter, 8);
        QVERIFY(!found.moves.empty());
        QVERIFY(torch::equal(sicops::replayMoves(broken.index_select(0, quarter), xq, found.moves), found.labels));
        const auto replayed = sicops::replayMoves(broken, x, found.moves);
        QCOMPARE(torch::bincount(replayed, {}, k).gt(0).sum().item<std::int64_t>(), std::int64_t(k));
        QVERIFY2(accuracyOf(replayed, data.truth) >= 0.99, qPrintable(QString::number(accuracyOf(replayed, data.truth))));
    }

    // The judge of refinement's proposals updates the semantic agreement from its reference
    // partition; whatever it is asked, in any order, it answers what the full computation does.
    void partitionJudgeMatchesTheFullCriterion()
    {
        const auto set = graphSet({}, 100, 128, 10, 200, 20);
        const int k = set.k;
        const auto &x = set.x;
        const auto &texts = set.texts;
        const auto &knn = set.knn;
        const auto &truth = set.truth;
        auto generator = at::detail::createCPUGenerator(11);
        const auto rows = std::get<0>(torch::randperm(x.size(0), generator, torch::kLong).narrow(0, 0, x.size(0) / 2).sort());
        const auto full = [&](const torch::Tensor &labels) {
            return sicops::knnLeakage(labels, knn, k, rows)
                   - sicops::semanticAgreement(labels.index_select(0, rows), x.index_select(0, rows), texts, k, 30);
        };
        sicops::PartitionJudge judge(x, knn, texts, k, 30, rows);
        const double oneRow = 1.0 / double(rows.size(0));
        std::vector<torch::Tensor> asked{truth};
        auto merged = truth.clone();
        merged.masked_fill_(merged == 1, 0);   // a merge: two groups change
        asked.push_back(merged);
        auto split = merged.clone();
        const auto third = (truth == 2).nonzero().flatten();
        split.index_fill_(0, third.index({torch::arange(third.size(0)) % 2 == 1}), 1);   // and a split: three
        asked.push_back(split);
        asked.push_back(truth);                                                     // back to the reference
        asked.push_back(torch::randint(k, {x.size(0)}, generator, torch::kLong));   // everything moved: scored in full
        asked.push_back(merged);
        for (const auto &labels : asked) {
            const double expected = full(labels);
            const double got = judge(labels);
            QVERIFY2(std::abs(got - expected) <= 1.5 * oneRow, qPrintable(QStringLiteral("%1 against %2").arg(got).arg(expected)));
        }
        QVERIFY(judge(truth) < judge(asked[4]) - 0.5);   // the truth against a random partition
        // Without texts it is the leakage alone.
        sicops::PartitionJudge imageOnly(x, knn, torch::Tensor(), k, 30, rows);
        QCOMPARE(imageOnly(split), sicops::knnLeakage(split, knn, k, rows));
    }

    // Pruning (SicParams::pruneEpoch): at that epoch, or once the heads have taken 5,000 steps
    // if that is later, the heads outside the pruneKeep best by the selection's criterion stop,
    // each with a reason that names its rank; the kept heads train on alone with the same batches
    // and neighbour draws, so they end where they end when every head trains to the last epoch
    // (the products then have fewer columns: equal up to rounding).
    void pruningStopsTheWorstHeadsAndTheRestTrainAsBefore()
    {
        const auto set = graphSet({}, 100, 64, 10, 200, 20);
        SicParams params = defaultSicParams(set.k);
        params.learningRate = 1e-3;
        params.batchSize = 8;
        const auto stepsPerEpoch = (set.x.size(0) + params.batchSize - 1) / params.batchSize;
        const int prunedAt = int((5000 + stepsPerEpoch - 1) / stepsPerEpoch);   // the epoch of the 5,000th step
        QVERIFY(prunedAt > 5);
        params.maxEpochs = prunedAt + 4;
        params.stablePatience = 100;   // no head settles: every head trains until pruned or done
        params.kmeansRestarts = 3;
        params.gammaR = 50;
        params.xiA = 10;
        params.neighbours = 10;
        params.allowBf16 = false;
        params.pruneKeep = 0;
        sicops::SicInputs in;
        in.features = set.x;
        in.allTexts = set.texts;
        auto all = sicops::SicTrainer(params, nullptr).run(in);
        QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error()));
        params.pruneEpoch = 5;   // too early: the heads have taken fewer than 5,000 steps by then
        params.pruneKeep = 2;
        auto pruned = sicops::SicTrainer(params, nullptr).run(in);
        QVERIFY2(pruned.ok(), qPrintable(pruned.ok() ? QString() : pruned.error()));
        const auto heads = std::size_t(params.candidates);
        QCOMPARE(pruned->epochs.size(), heads);
        std::vector<std::size_t> kept, stopped;
        for (std::size_t h = 0; h < heads; ++h) {
            QCOMPARE(all->epochs[h], params.maxEpochs);
            QVERIFY(all->stopReasons[h].startsWith(QStringLiteral("reached the maximum")));
            (pruned->epochs[h] == params.maxEpochs ? kept : stopped).push_back(h);
        }
        QCOMPARE(kept.size(), std::size_t(2));
        std::vector<int> ranks;
        for (std::size_t h : stopped) {
            QCOMPARE(pruned->epochs[h], prunedAt);
            QVERIFY2(pruned->stopReasons[h].startsWith(QStringLiteral("stopped at epoch %1, ranked ").arg(prunedAt)),
                     qPrintable(pruned->stopReasons[h]));
            ranks.push_back(pruned->stopReasons[h].section(QLatin1Char(' '), 5, 5).toInt());
        }
        std::sort(ranks.begin(), ranks.end());
        QCOMPARE(ranks, (std::vector<int>{3, 4, 5}));
        for (std::size_t h : kept) {
            QVERIFY(pruned->stopReasons[h].startsWith(QStringLiteral("reached the maximum")));
            const auto mine = pruned->logits.select(1, std::int64_t(h));
            const auto theirs = all->logits.select(1, std::int64_t(h));
            QVERIFY2(torch::allclose(mine, theirs, 1e-3, 1e-3), qPrintable(QString::number((mine - theirs).abs().max().item<double>())));
        }
        // The heads as they stood when pruned (a run that ends there): the stopped heads kept
        // those weights, and they were the three worst by the criterion.
        params.maxEpochs = prunedAt;
        params.pruneKeep = 0;
        auto then = sicops::SicTrainer(params, nullptr).run(in);
        QVERIFY(then.ok());
        const auto criterion = [&](const torch::Tensor &labels) {
            return sicops::knnLeakage(labels, then->knn, set.k) - sicops::semanticAgreement(labels, set.x, then->semanticTexts, set.k, 10);
        };
        std::vector<double> scores;
        for (std::size_t h = 0; h < heads; ++h)
            scores.push_back(criterion(then->logits.select(1, std::int64_t(h)).argmax(1)));
        for (std::size_t h : stopped) {
            QVERIFY(torch::allclose(pruned->logits.select(1, std::int64_t(h)), then->logits.select(1, std::int64_t(h)), 1e-4, 1e-4));
            for (std::size_t other : kept)
                QVERIFY2(scores[h] >= scores[other],
                         qPrintable(QStringLiteral("head %1: %2, kept head %3: %4").arg(h).arg(scores[h]).arg(other).arg(scores[other])));
        }
    }

    // SicCache keeps no set above kMaxCachedRows rows (its copies would hold gigabytes at a
    // million photos), and storing one drops the smaller set held before.
    void cacheKeepsNoHugeSet()
    {
        SicParams params = defaultSicParams(3);
        FeatureMatrix small(100, 4);
        for (std::size_t i = 0; i < small.values.size(); ++i)
            small.values[i] = float(i % 13) - 6.0f;
        SicCache cache;
        const auto smallRows = torch::from_blob(small.values.data(), {100, 4}, torch::kFloat32).clone();
        cache.impl().store(small, smallRows, params, torch::zeros({100, 21}, torch::kLong), {});
        QVERIFY(cache.impl().find(small, torch::kCPU, params).features.defined());

        FeatureMatrix huge(std::size_t(SicCache::Impl::kMaxCachedRows) + 1, 2);
        huge.values[0] = 1.0f;
        const auto hugeRows = torch::from_blob(huge.values.data(), {std::int64_t(huge.rows), 2}, torch::kFloat32);
        cache.impl().store(huge, hugeRows, params, {}, {});
        QVERIFY(!cache.impl().find(huge, torch::kCPU, params).features.defined());
        QVERIFY(!cache.impl().find(small, torch::kCPU, params).features.defined());
        QCOMPARE(cache.hits(), 1);
        QCOMPARE(cache.misses(), 2);
    }

    // The training sample: all rows up to max(trainingRows, 500·K), else that many distinct sorted
    // rows, the same whatever the seed, and a larger sample holds the smaller one.
    void trainingSampleIsFixedSortedAndNested()
    {
        SicParams params = defaultSicParams(4);
        params.trainingRows = 3000;
        QCOMPARE(sicops::trainingRowCount(2500, params), std::int64_t(2500));
        QVERIFY(!sicops::trainingSample(2500, params).defined());
        QCOMPARE(sicops::trainingRowCount(10000, params), std::int64_t(3000));
        params.trainingRows = 100;   // below the per-group floor
        QCOMPARE(sicops::trainingRowCount(10000, params), 4 * kTrainingRowsPerGroup);
        params.trainingRows = 0;
        QCOMPARE(sicops::trainingRowCount(10000, params), std::int64_t(10000));
        QVERIFY(!sicops::trainingSample(10000, params).defined());

        params.trainingRows = 3000;
        const auto small = sicops::trainingSample(10000, params);
        QCOMPARE(small.size(0), std::int64_t(3000));
        QCOMPARE(small.scalar_type(), torch::kLong);
        QVERIFY(torch::equal(small, std::get<0>(small.sort())));
        QCOMPARE(std::get<0>(torch::_unique(small)).size(0), std::int64_t(3000));
        QVERIFY(small.min().item<std::int64_t>() >= 0 && small.max().item<std::int64_t>() < 10000);
        // Spread over all rows, not the first ones.
        QVERIFY(small.max().item<std::int64_t>() > 9000 && small.min().item<std::int64_t>() < 1000);
        params.seed = 7;
        params.k = 5;
        QVERIFY(torch::equal(sicops::trainingSample(10000, params), small));
        params.trainingRows = 6000;
        const auto large = sicops::trainingSample(10000, params);
        QCOMPARE(large.size(0), std::int64_t(6000));
        QCOMPARE(torch::isin(small, large).sum().item<std::int64_t>(), std::int64_t(3000));
    }
};

QTEST_GUILESS_MAIN(TestSicOps)
#include "tst_sicops.moc"
