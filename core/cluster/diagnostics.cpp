#include "cluster/diagnostics.h"

#include "cluster/kmeans.h"

#include <cmath>
#include <limits>

namespace clade {

namespace {

// Rows scaled to unit length (zero rows stay zero), so dot products are cosines.
FeatureMatrix unitRows(const FeatureMatrix &features)
{
    FeatureMatrix out = features;
    for (std::size_t i = 0; i < out.rows; ++i) {
        float *row = out.row(i);
        double norm = 0;
        for (std::size_t j = 0; j < out.cols; ++j)
            norm += double(row[j]) * row[j];
        norm = std::sqrt(norm);
        if (norm > 0)
            for (std::size_t j = 0; j < out.cols; ++j)
                row[j] = float(row[j] / norm);
    }
    return out;
}

// The bimodality figures of one cluster's (unit) member rows.
void splitFigures(const FeatureMatrix &members, const DiagnosticsOptions &options, ClusterDiagnostics &out)
{
    if (int(members.rows) < options.minSizeForSplit)
        return;
    std::vector<double> mean(members.cols, 0.0);
    for (std::size_t i = 0; i < members.rows; ++i)
        for (std::size_t j = 0; j < members.cols; ++j)
            mean[j] += members.row(i)[j];
    for (double &m : mean)
        m /= double(members.rows);
    double spread = 0;
    for (std::size_t i = 0; i < members.rows; ++i)
        for (std::size_t j = 0; j < members.cols; ++j) {
            const double d = members.row(i)[j] - mean[j];
            spread += d * d;
        }
    if (spread <= 0)
        return;
    KMeansOptions two;
    two.k = 2;
    two.restarts = 3;
    two.seed = options.seed;
    two.threads = 1;
    Result<KMeansResult> halves = kmeans(members, two);
    if (!halves)
        return;
    out.splitRatio = halves->inertia / spread;
    int first = 0;
    for (int label : halves->labels)
        first += label == 0 ? 1 : 0;
    const double smaller = std::min(first, int(members.rows) - first) / double(members.rows);
    out.looksBimodal = out.splitRatio < options.bimodalRatio && smaller >= 0.15;
}

}   // namespace

PartitionDiagnostics diagnosePartition(const FeatureMatrix &features, const std::vector<int> &labels, int k,
                                       const DiagnosticsOptions &options)
{
    PartitionDiagnostics out;
    out.members.resize(features.rows);
    out.clusters.resize(std::size_t(std::max(k, 0)));
    if (k <= 0 || labels.size() != features.rows)
        return out;
    const FeatureMatrix unit = unitRows(features);
    // Unit centroids of the unit rows.
    FeatureMatrix centres(std::size_t(k), unit.cols);
    for (std::size_t i = 0; i < unit.rows; ++i) {
        if (labels[i] < 0 || labels[i] >= k)
            continue;
        float *c = centres.row(std::size_t(labels[i]));
        for (std::size_t j = 0; j < unit.cols; ++j)
            c[j] += unit.row(i)[j];
        ++out.clusters[std::size_t(labels[i])].size;
    }
    const FeatureMatrix unitCentres = unitRows(centres);
    for (std::size_t i = 0; i < unit.rows; ++i) {
        const int own = labels[i];
        if (own < 0 || own >= k)
            continue;
        MemberDiagnostics &m = out.members[i];
        float best = -std::numeric_limits<float>::infinity();
        for (int c = 0; c < k; ++c) {
            if (out.clusters[std::size_t(c)].size == 0)
                continue;
            double dot = 0;
            for (std::size_t j = 0; j < unit.cols; ++j)
                dot += double(unit.row(i)[j]) * unitCentres.row(std::size_t(c))[j];
            if (c == own)
                m.typicality = float(dot);
            else if (float(dot) > best) {
                best = float(dot);
                m.nearestOther = c;
            }
        }
        m.margin = m.nearestOther >= 0 ? m.typicality - best : m.typicality + 1;
        ClusterDiagnostics &cluster = out.clusters[std::size_t(own)];
        cluster.cohesion += m.typicality;
        cluster.borderline += m.margin < options.borderlineMargin ? 1 : 0;
    }
    for (int c = 0; c < k; ++c) {
        ClusterDiagnostics &cluster = out.clusters[std::size_t(c)];
        if (cluster.size == 0)
            continue;
        cluster.cohesion /= cluster.size;
        FeatureMatrix members(std::size_t(cluster.size), unit.cols);
        std::size_t r = 0;
        for (std::size_t i = 0; i < unit.rows; ++i)
            if (labels[i] == c)
                std::copy_n(unit.row(i), unit.cols, members.row(r++));
        splitFigures(members, options, cluster);
    }
    return out;
}

}   // namespace clade
