#include "cluster/metrics.h"

#include <cmath>
#include <limits>

namespace clade {

namespace {

bool isValidCostMatrix(const std::vector<std::vector<double>> &cost)
{
    if (cost.empty() || cost.front().empty() || cost.size() > cost.front().size())
        return false;
    for (const auto &row : cost) {
        if (row.size() != cost.front().size())
            return false;
        for (double c : row)
            if (!std::isfinite(c))
                return false;
    }
    return true;
}

}   // namespace

// Shortest augmenting paths with row and column potentials (Kuhn-Munkres in its O(n²m) form).
// Rows are added one at a time; index 0 of the column arrays is a virtual column that holds the
// row being inserted, so arrays are 1-based.
std::vector<int> hungarianMinCost(const std::vector<std::vector<double>> &cost)
{
    if (!isValidCostMatrix(cost))
        return {};
    const std::size_t n = cost.size();
    const std::size_t m = cost.front().size();
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
    std::vector<std::size_t> rowOfColumn(m + 1, 0), way(m + 1, 0);
    for (std::size_t i = 1; i <= n; ++i) {
        rowOfColumn[0] = i;
        std::size_t j0 = 0;
        std::vector<double> minSlack(m + 1, inf);
        std::vector<bool> used(m + 1, false);
        do {
            used[j0] = true;
            const std::size_t i0 = rowOfColumn[j0];
            double delta = inf;
            std::size_t j1 = 0;
            for (std::size_t j = 1; j <= m; ++j) {
                if (used[j])
                    continue;
                const double slack = cost[i0 - 1][j - 1] - u[i0] - v[j];
                if (slack < minSlack[j]) {
                    minSlack[j] = slack;
                    way[j] = j0;
                }
                if (minSlack[j] < delta) {
                    delta = minSlack[j];
                    j1 = j;
                }
            }
            for (std::size_t j = 0; j <= m; ++j) {
                if (used[j]) {
                    u[rowOfColumn[j]] += delta;
                    v[j] -= delta;
                } else {
                    minSlack[j] -= delta;
                }
            }
            j0 = j1;
        } while (rowOfColumn[j0] != 0);
        do {   // flip the augmenting path back to the virtual column
            const std::size_t j1 = way[j0];
            rowOfColumn[j0] = rowOfColumn[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<int> columnOfRow(n, -1);
    for (std::size_t j = 1; j <= m; ++j)
        if (rowOfColumn[j] != 0)
            columnOfRow[rowOfColumn[j] - 1] = int(j - 1);
    return columnOfRow;
}

}   // namespace clade
