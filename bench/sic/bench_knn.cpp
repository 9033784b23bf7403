// The exact kNN graph of SIC (spec §1.4) on the CPU: the per-row heap selection against torch's
// topk on every block (the previous code, still the GPU path), measured in the same run.
//   bench_knn [--rows N] [--dims D] [--k K] [--block B] [--clusters C] [--seed S] [--repeat R]
// Defaults: the spec's speed target (50,000 x 512) with SIC's defaults (k = 20, blocks of 4,096).
// Prints each variant's best time over R runs, the speed-up, and whether both graphs pick
// neighbours at the same distances (compared by distance: float near-ties may swap indices).
#include "sic/sic.h"
#include "sic/sicops_p.h"
#include "runtime.h"

#include <torch/torch.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <cstdio>

using namespace clade;

namespace {

int flag(const QStringList &args, const QString &name, int fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
}

// Gaussian clusters around random centres, so that neighbours mean something (as CLIP features).
torch::Tensor clusteredRows(int rows, int dims, int clusters, int seed)
{
    torch::manual_seed(seed);
    const auto centres = torch::randn({clusters, dims});
    const auto which = torch::randint(clusters, {rows}, torch::kLong);
    return centres.index_select(0, which) + 0.5 * torch::randn({rows, dims});
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    torchrt::configure();   // one torch thread per core, as the product sets it
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
