#include "cluster/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace clade {

namespace {

// Counts n_ij of rows with truth class i and predicted cluster j, over the distinct values
// that actually occur on each side.
struct Contingency
{
    std::size_t classes = 0;
    std::size_t clusters = 0;
    std::vector<std::int64_t> cells;          // classes × clusters
    std::vector<std::int64_t> classSizes;     // row sums a_i
    std::vector<std::int64_t> clusterSizes;   // column sums b_j
    std::int64_t n = 0;

    std::int64_t at(std::size_t i, std::size_t j) const { return cells[i * clusters + j]; }
};

std::vector<std::size_t> compactLabels(const std::vector<int> &labels, std::size_t &distinct)
{
    std::vector<int> values(labels);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    distinct = values.size();
    std::vector<std::size_t> compact(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i)
        compact[i] = std::size_t(std::lower_bound(values.begin(), values.end(), labels[i]) - values.begin());
    return compact;
}

Contingency contingency(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    Contingency t;
    const auto rows = compactLabels(truth, t.classes);
    const auto cols = compactLabels(predicted, t.clusters);
    t.cells.assign(t.classes * t.clusters, 0);
    t.classSizes.assign(t.classes, 0);
    t.clusterSizes.assign(t.clusters, 0);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        ++t.cells[rows[k] * t.clusters + cols[k]];
        ++t.classSizes[rows[k]];
        ++t.clusterSizes[cols[k]];
    }
    t.n = std::int64_t(truth.size());
    return t;
}

bool comparable(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    return !truth.empty() && truth.size() == predicted.size();
}

double entropy(const std::vector<std::int64_t> &sizes, std::int64_t n)
{
    double h = 0;
    for (std::int64_t s : sizes)
        if (s > 0)
            h -= double(s) / double(n) * std::log(double(s) / double(n));
    return h;
}

std::int64_t pairs(std::int64_t count)
{
    return count * (count - 1) / 2;
}

}   // namespace

double clusteringAccuracy(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    if (!comparable(truth, predicted))
        return std::numeric_limits<double>::quiet_NaN();
    const Contingency t = contingency(truth, predicted);
    // The Hungarian solver wants rows <= cols: put the smaller side on the rows.
    const bool classesOnRows = t.classes <= t.clusters;
    const std::size_t rows = classesOnRows ? t.classes : t.clusters;
    const std::size_t cols = classesOnRows ? t.clusters : t.classes;
    std::vector<std::vector<double>> cost(rows, std::vector<double>(cols));
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            cost[r][c] = -double(classesOnRows ? t.at(r, c) : t.at(c, r));
    const std::vector<int> match = hungarianMinCost(cost);
    double matched = 0;
    for (std::size_t r = 0; r < rows; ++r)
        matched -= cost[r][std::size_t(match[r])];
    return matched / double(t.n);
}

double normalizedMutualInformation(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    if (!comparable(truth, predicted))
        return std::numeric_limits<double>::quiet_NaN();
    const Contingency t = contingency(truth, predicted);
    if (t.classes == 1 && t.clusters == 1)
        return 1.0;   // neither side splits the data: a perfect (if trivial) match
    const double n = double(t.n);
    double mi = 0;
    for (std::size_t i = 0; i < t.classes; ++i)
        for (std::size_t j = 0; j < t.clusters; ++j)
            if (const double nij = double(t.at(i, j)); nij > 0)
                mi += nij / n * std::log(nij * n / (double(t.classSizes[i]) * double(t.clusterSizes[j])));
    if (mi <= 0)
        return 0.0;
    const double normaliser = (entropy(t.classSizes, t.n) + entropy(t.clusterSizes, t.n)) / 2;
    return std::clamp(mi / normaliser, 0.0, 1.0);
}

double adjustedRandIndex(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    if (!comparable(truth, predicted))
        return std::numeric_limits<double>::quiet_NaN();
    const Contingency t = contingency(truth, predicted);
    if (t.n < 2)
        return 1.0;
    std::int64_t index = 0, classPairs = 0, clusterPairs = 0;
    for (std::int64_t c : t.cells)
        index += pairs(c);
    for (std::int64_t a : t.classSizes)
        classPairs += pairs(a);
    for (std::int64_t b : t.clusterSizes)
        clusterPairs += pairs(b);
    const double expected = double(classPairs) * double(clusterPairs) / double(pairs(t.n));
    const double maximum = (double(classPairs) + double(clusterPairs)) / 2;
    // Equal only for identical trivial partitions (one group each, or all singletons).
    if (maximum == expected)
        return 1.0;
    return (double(index) - expected) / (maximum - expected);
}

ClusteringScores scoreClustering(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    return {clusteringAccuracy(truth, predicted), normalizedMutualInformation(truth, predicted), adjustedRandIndex(truth, predicted)};
}

Result<ClusteringScores> evaluateClustering(const std::vector<int> &truth, const std::vector<int> &predicted)
{
    if (truth.empty())
        return fail(QStringLiteral("There are no labels to compare"));
    if (truth.size() != predicted.size())
        return fail(QStringLiteral("The ground truth has %1 labels but the clustering has %2").arg(truth.size()).arg(predicted.size()));
    return scoreClustering(truth, predicted);
}

}   // namespace clade
