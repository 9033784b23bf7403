// The exact kNN graph of SIC (spec §1.4) on the CPU: the per-row heap selection against torch's
// topk on every block (the previous code, still the GPU path), measured in the same run.
//   bench_knn [--rows N] [--dims D] [--k K] [--block B] [--clusters C] [--seed S] [--repeat R]
// Defaults: the spec's speed target (50,000 x 512) with SIC's defaults (k = 20, blocks of 4,096).
// Prints each variant's best time over R runs, the speed-up, and whether both graphs pick
// neighbours at the same distances (compared by distance: float near-ties may swap indices).
//   bench_knn --approx [--rows N] [--lists L] [--probes P[,P2...]] [--train-per-list T] [--spread S]
//             [--scenario look|clip|imbalanced|close|anisotropic] [--recall-sample M]
// instead times the exact graph (heap) against the approximate one (faiss IVF-Flat, the plan
// SIC would use unless overridden) in the same run and prints recall@k: the share of each row's
// exact k neighbours (self excluded) that the approximate graph also lists. --scenario takes the
// CLIP-like rows of tests/sic/sicsynthetic.h (--clusters classes) instead of Gaussian clusters.
#include "sic/sic.h"
#include "sic/sicops_p.h"
#include "runtime.h"
#include "sicsynthetic.h"

#include <torch/torch.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace clade;

namespace {

int flag(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
}

double real(const QStringList &args, const QString &name, double fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toDouble() : fallback;
}

// Gaussian clusters around random centres, so that neighbours mean something (as CLIP features).
torch::Tensor clusteredRows(int rows, int dims, int clusters, int seed, double spread = 0.5)
{
    torch::manual_seed(seed);
    const auto centres = torch::randn({clusters, dims});
    const auto which = torch::randint(clusters, {rows}, torch::kLong);
    return centres.index_select(0, which) + spread * torch::randn({rows, dims});
}

// CLIP-like rows of a sicsynthetic.h scenario (few nouns: only the images are used).
torch::Tensor scenarioRows(const QString &scenario, int rows, int dims, int classes, int seed)
{
    test::SicSyntheticSpec spec;
    spec.classes = classes;
    spec.imagesPerClass = std::max(1, rows / classes);
    spec.dims = dims;
    spec.nounsPerClass = 1;
    spec.distractorNouns = 1;
    spec.genericNouns = 1;
    spec.seed = unsigned(seed);
    if (!test::applyScenario(scenario, spec))
        return {};
    const auto data = test::makeSicSynthetic(spec);
    return torch::from_blob(const_cast<float *>(data.images.values.data()),
                            {std::int64_t(data.images.rows), std::int64_t(data.images.cols)}, torch::kFloat)
        .clone();
}

// recall@k of `approx` against `exact` (both N x (k+1), self first): the share of exact
// neighbours, self excluded, that approx lists anywhere in its row.
double recallAtK(const torch::Tensor &exact, const torch::Tensor &approx)
{
    const auto truth = exact.narrow(1, 1, exact.size(1) - 1);
    const auto found = approx.narrow(1, 1, approx.size(1) - 1);
    const auto hits = (truth.unsqueeze(2) == found.unsqueeze(1)).any(2).sum().item<double>();
    return hits / double(truth.numel());
}

int approximateMain(const QStringList &args)
{
    const SicParams defaults;
    const int dims = flag(args, QStringLiteral("--dims"), 512);
    const int k = flag(args, QStringLiteral("--k"), defaults.neighbours);
    const int clusters = flag(args, QStringLiteral("--clusters"), 20);
    const qsizetype scenarioAt = args.indexOf(QStringLiteral("--scenario"));
    const QString scenario = scenarioAt >= 0 && scenarioAt + 1 < args.size() ? args[scenarioAt + 1] : QString();
    // A scenario has the same number of rows per class.
    const int rows = scenario.isEmpty() ? flag(args, QStringLiteral("--rows"), 100'000)
                                        : std::max(1, flag(args, QStringLiteral("--rows"), 100'000) / clusters) * clusters;
    const double spread = real(args, QStringLiteral("--spread"), 0.5);
    auto plan = sicops::approximateKnnPlan(rows);
    plan.lists = flag(args, QStringLiteral("--lists"), plan.lists);
    plan.trainRows = std::min<std::int64_t>(
        rows, std::int64_t(plan.lists) * flag(args, QStringLiteral("--train-per-list"), int(plan.trainRows / std::max(1, plan.lists))));
    // Unit rows at SIC's scale, as runSic passes them.
    const int seed = flag(args, QStringLiteral("--seed"), 1);
    const auto raw =
        scenario.isEmpty() ? clusteredRows(rows, dims, clusters, seed, spread) : scenarioRows(scenario, rows, dims, clusters, seed);
    if (!raw.defined()) {
        std::printf("unknown scenario %s\n", qPrintable(scenario));
        return 2;
    }
    const auto x = torch::nn::functional::normalize(raw, torch::nn::functional::NormalizeFuncOptions().dim(1)) * kSicFeatureNorm;
    const QString data =
        scenario.isEmpty() ? QStringLiteral("Gaussian clusters (spread %1)").arg(spread) : QStringLiteral("scenario %1").arg(scenario);
    std::printf("kNN graph: %d x %d, k = %d, %d clusters, %s, %d threads; faiss IVF-Flat %d lists, %d probes, %lld training rows\n", rows,
                dims, k, clusters, qPrintable(data), torch::get_num_threads(), plan.lists, plan.probes,
                static_cast<long long>(plan.trainRows));
    QElapsedTimer timer;
    timer.start();
    // --recall-sample M: the exact neighbours of M random rows only (against every row), for sets
    // whose exact graph would take hours (1M rows: 5e14 multiply-adds); recall is measured on them.
    const int recallSample = flag(args, QStringLiteral("--recall-sample"), 0);
    torch::Tensor sampleRows;
    torch::Tensor exact;
    if (recallSample > 0) {
        sampleRows = torch::randperm(rows, torch::kLong).narrow(0, 0, std::min(recallSample, rows));
        const auto queries = x.index_select(0, sampleRows);
        const auto norms = x.pow(2).sum(1).unsqueeze(0);
        std::vector<torch::Tensor> parts;
        for (std::int64_t q0 = 0; q0 < queries.size(0); q0 += 64) {   // 64 x N floats at a time
            // ‖x_c‖² − 2 x_r·x_c ranks columns as the squared distance does.
            const auto rank = norms - 2 * queries.narrow(0, q0, std::min<std::int64_t>(64, queries.size(0) - q0)).mm(x.t());
            parts.push_back(std::get<1>(rank.topk(k + 1, 1, /*largest=*/false, /*sorted=*/true)));
        }
        exact = torch::cat(parts);
    } else {
        exact = sicops::knnGraph(x, k, defaults.knnBlock);
    }
    const double exactSeconds = timer.nsecsElapsed() / 1e9;
    // --probes P1,P2,...: one approximate graph per setting against the same exact one.
    const qsizetype probesAt = args.indexOf(QStringLiteral("--probes"));
    const QStringList probeList = probesAt >= 0 && probesAt + 1 < args.size() ? args[probesAt + 1].split(QLatin1Char(','))
                                                                              : QStringList{QString::number(plan.probes)};
    if (recallSample > 0)
        std::printf("exact neighbours of %lld sampled rows only: %.2f s (the whole exact graph: not run)\n",
                    static_cast<long long>(sampleRows.numel()), exactSeconds);
    else
        std::printf("exact %.2f s\n", exactSeconds);
    bool selfFirst = true;
    for (const QString &probes : probeList) {
        plan.probes = std::clamp(probes.toInt(), 1, plan.lists);
        timer.restart();
        auto approx = sicops::approximateKnnGraph(x, k, 0, {}, &plan);
        const double approxSeconds = timer.nsecsElapsed() / 1e9;
        if (!approx) {
            std::printf("approximate: %s\n", qPrintable(approx.error()));
            return 1;
        }
        const double recall = recallAtK(exact, sampleRows.defined() ? approx->index_select(0, sampleRows) : *approx);
        const bool first = (approx->select(1, 0) == torch::arange(rows, torch::kLong)).all().item<bool>();
        selfFirst = selfFirst && first;
        if (recallSample > 0)
            std::printf("%d probes: approximate %.2f s, recall@%d %.4f (on the sample), self first in every row: %s\n", plan.probes,
                        approxSeconds, k, recall, first ? "yes" : "NO");
        else
            std::printf("%d probes: approximate %.2f s (%.1fx faster), recall@%d %.4f, self first in every row: %s\n", plan.probes,
                        approxSeconds, exactSeconds / approxSeconds, k, recall, first ? "yes" : "NO");
    }
    return selfFirst ? 0 : 1;
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    torchrt::configure();   // one torch thread per core, as the product sets it
    if (args.contains(QStringLiteral("--approx")))
        return approximateMain(args);
    const SicParams defaults;
    const int rows = flag(args, QStringLiteral("--rows"), 50'000);
    const int dims = flag(args, QStringLiteral("--dims"), 512);
    const int k = flag(args, QStringLiteral("--k"), defaults.neighbours);
    const int block = flag(args, QStringLiteral("--block"), defaults.knnBlock);
    const int clusters = flag(args, QStringLiteral("--clusters"), 10);
    const int repeat = std::max(1, flag(args, QStringLiteral("--repeat"), 1));
    const auto x = clusteredRows(rows, dims, clusters, flag(args, QStringLiteral("--seed"), 1));
    std::printf("kNN graph: %d x %d, k = %d, blocks of %d rows, %d torch threads\n", rows, dims, k, block, torch::get_num_threads());

    torch::Tensor graphs[2];
    double best[2] = {1e300, 1e300};
    const char *names[2] = {"topk per block (baseline)", "heap per row"};
    const sicops::KnnSelection selections[2] = {sicops::KnnSelection::Topk, sicops::KnnSelection::Auto};
    for (int r = 0; r < repeat; ++r) {
        for (int v = 0; v < 2; ++v) {
            QElapsedTimer timer;
            timer.start();
            graphs[v] = sicops::knnGraph(x, k, block, {}, selections[v]);
            best[v] = std::min(best[v], timer.nsecsElapsed() / 1e9);
            std::printf("  run %d  %-26s %8.2f s\n", r + 1, names[v], timer.nsecsElapsed() / 1e9);
        }
    }
    // Same neighbours, by distance: the squared distance of each pick, recomputed in double, in
    // slices (rows x (k+1) x dims doubles at once would be large).
    const auto xd = x.to(torch::kDouble);
    bool same = graphs[0].sizes() == graphs[1].sizes();
    for (std::int64_t r0 = 0; same && r0 < rows; r0 += 2048) {
        const auto n = std::min<std::int64_t>(2048, rows - r0);
        const auto slice = [&](const torch::Tensor &g) {
            const auto gi = g.narrow(0, r0, n);
            const auto xi = xd.narrow(0, r0, n);
            return (xi.unsqueeze(1) - xd.index_select(0, gi.flatten()).view({n, gi.size(1), dims})).pow(2).sum(2);
        };
        same = torch::allclose(slice(graphs[0]), slice(graphs[1]), 1e-5, 1e-4);
    }
    std::printf("best of %d: %s %.2f s, %s %.2f s: %.1fx faster; same neighbour distances: %s\n", repeat, names[0], best[0], names[1],
                best[1], best[0] / best[1], same ? "yes" : "NO");
    return same ? 0 : 1;
}
