#include "cluster/kmeanssolver.h"

#include "common/progress.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace clade::kmeansdetail {

namespace {

// Enough chunks to balance the load over any realistic thread count; the chunking depends only
// on the data's shape and k, never on the thread count, which keeps the sums reproducible.
constexpr std::size_t kTargetChunks = 64;
constexpr std::size_t kPartialSumBudget = std::size_t(64) << 20;   // bytes of per-chunk sums

// Draws from the raw 64-bit stream so that results do not depend on the standard library's
// distribution implementations.
double uniform01(std::mt19937_64 &rng)
{
    return double(rng() >> 11) * 0x1.0p-53;
}

std::size_t uniformIndex(std::mt19937_64 &rng, std::size_t n)
{
    return std::min(n - 1, std::size_t(uniform01(rng) * double(n)));
}

std::size_t roundUp(std::size_t value, std::size_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

}   // namespace

KMeansSolver::KMeansSolver(const PreparedData &data, const SolverSettings &settings)
    : m_data(data), m_settings(settings), m_k(std::size_t(settings.k))
{
    const std::size_t n = data.centred.rows;
    const std::size_t stride = data.centred.stride;
    const std::size_t maxChunks = std::max<std::size_t>(1, kPartialSumBudget / (m_k * stride * sizeof(double)));
    const std::size_t chunks = std::min(kTargetChunks, maxChunks);
    m_chunkRows = roundUp((n + chunks - 1) / chunks, kBlockRows);
    m_chunks = (n + m_chunkRows - 1) / m_chunkRows;

    m_partialSums.resize(m_chunks * m_k * stride);
    m_partialCounts.resize(m_chunks * m_k);
    m_partialChanged.resize(m_chunks);
    const std::size_t trials = std::size_t(std::max(1, settings.seedingTrials));
    m_partialPotential.resize(m_chunks * trials);
    m_candidateDist.resize(trials * n);
}

std::size_t KMeansSolver::chunkEnd(std::size_t chunk) const
{
    return std::min(m_data.centred.rows, (chunk + 1) * m_chunkRows);
}

RestartOutcome KMeansSolver::run(std::uint64_t seed, const Progress *progress)
{
    RestartOutcome out;
    std::mt19937_64 rng(seed);
    seedCentres(rng);
    m_labels.assign(m_data.centred.rows, -1);
    bool converged = false;
    while (out.iterations < m_settings.maxIterations) {
        if (progress && progress->cancelled()) {
            out.cancelled = true;
            return out;
        }
        ++out.iterations;
        // Unchanged labels: the centres are already the means of these labels.
        if (assign(true) == 0) {
            converged = true;
            break;
        }
        if (update() <= m_settings.shiftTolerance)
            break;
    }
    if (!converged)
        assign(false);   // labels must belong to the final centres
    out.inertia = finishDistances();
    out.centres = m_centres;
    out.labels = m_labels;
    out.distances = m_dist;
    return out;
}

void KMeansSolver::setCentre(std::size_t c, const float *row)
{
    std::copy_n(row, m_centres.stride, m_centres.row(c));
    m_centreNorms[c] = squaredNorm(m_centres.row(c), m_centres.stride);
}

// Greedy k-means++: each centre is the best (lowest potential) of a few D²-sampled candidates.
void KMeansSolver::seedCentres(std::mt19937_64 &rng)
{
    const std::size_t n = m_data.centred.rows;
    m_centres = PaddedMatrix(m_k, m_data.centred.cols);
    m_centreNorms.assign(m_k, 0.0f);
    PaddedMatrix first(1, m_data.centred.cols);
    std::copy_n(m_data.centred.row(uniformIndex(rng, n)), first.stride, first.row(0));
    setCentre(0, first.row(0));
    m_dist.assign(n, std::numeric_limits<float>::max());
    evaluateCandidates(first);
    std::copy_n(m_candidateDist.begin(), n, m_dist.begin());

    const std::size_t trials = std::size_t(std::max(1, m_settings.seedingTrials));
    std::vector<double> cumulative(n);
    PaddedMatrix candidates(trials, m_data.centred.cols);
    for (std::size_t c = 1; c < m_k; ++c) {
        double total = 0;
        for (std::size_t i = 0; i < n; ++i)
            cumulative[i] = total += m_dist[i];
        for (std::size_t t = 0; t < trials; ++t)
            std::copy_n(m_data.centred.row(sampleByPotential(rng, cumulative)), candidates.stride, candidates.row(t));
        const std::size_t best = evaluateCandidates(candidates);
        setCentre(c, candidates.row(best));
        std::copy_n(m_candidateDist.begin() + std::ptrdiff_t(best * n), n, m_dist.begin());
    }
}

std::size_t KMeansSolver::sampleByPotential(std::mt19937_64 &rng, const std::vector<double> &cumulative) const
{
    const double total = cumulative.back();
    if (!(total > 0))   // every row sits on a centre already
        return uniformIndex(rng, cumulative.size());
    const double u = uniform01(rng) * total;
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
    return std::min(cumulative.size() - 1, std::size_t(it - cumulative.begin()));
}

// m_candidateDist[t][i] = min(m_dist[i], d²(row i, candidate t)); returns the candidate whose
// potential (sum over rows) is lowest, the first one on ties.
std::size_t KMeansSolver::evaluateCandidates(const PaddedMatrix &candidates)
{
    const std::size_t n = m_data.centred.rows;
    const std::size_t trials = candidates.rows;
    std::vector<float> norms;
    computeNorms(candidates, norms);
    runChunks(m_settings.threads, m_chunks, [&](std::size_t ch) {
        std::vector<float> block(kBlockRows * trials);
        double *potential = m_partialPotential.data() + ch * trials;
        std::fill_n(potential, trials, 0.0);
        for (std::size_t b = chunkBegin(ch); b < chunkEnd(ch); b += kBlockRows) {
            const std::size_t count = std::min(kBlockRows, chunkEnd(ch) - b);
            blockDistances(m_data.centred, m_data.norms.data(), b, count, candidates, norms.data(), block.data());
            for (std::size_t r = 0; r < count; ++r)
                for (std::size_t t = 0; t < trials; ++t) {
                    const float d = std::min(m_dist[b + r], block[r * trials + t]);
                    m_candidateDist[t * n + b + r] = d;
                    potential[t] += d;
                }
        }
    });
    std::vector<double> potential(trials, 0.0);
    for (std::size_t ch = 0; ch < m_chunks; ++ch)
        for (std::size_t t = 0; t < trials; ++t)
            potential[t] += m_partialPotential[ch * trials + t];
    return std::size_t(std::min_element(potential.begin(), potential.end()) - potential.begin());
}

// Assigns every row to its nearest centre (lowest index on ties) and, when asked, sums the rows
// of each cluster per chunk. Returns how many labels changed.
std::size_t KMeansSolver::assign(bool accumulate)
{
    const std::size_t stride = m_data.centred.stride;
    runChunks(m_settings.threads, m_chunks, [&](std::size_t ch) {
        std::vector<float> block(kBlockRows * m_k);
        double *sums = m_partialSums.data() + ch * m_k * stride;
        std::int64_t *counts = m_partialCounts.data() + ch * m_k;
        if (accumulate) {
            std::fill_n(sums, m_k * stride, 0.0);
            std::fill_n(counts, m_k, 0);
        }
        std::size_t changed = 0;
        for (std::size_t b = chunkBegin(ch); b < chunkEnd(ch); b += kBlockRows) {
            const std::size_t count = std::min(kBlockRows, chunkEnd(ch) - b);
            blockDistances(m_data.centred, m_data.norms.data(), b, count, m_centres, m_centreNorms.data(), block.data());
            for (std::size_t r = 0; r < count; ++r) {
                const float *d = block.data() + r * m_k;
                const int label = int(std::min_element(d, d + m_k) - d);
                const std::size_t i = b + r;
                changed += m_labels[i] != label;
                m_labels[i] = label;
                m_dist[i] = d[label];
                if (!accumulate)
                    continue;
                addRow(m_data.centred.row(i), stride, sums + std::size_t(label) * stride);
                ++counts[label];
            }
        }
        m_partialChanged[ch] = changed;
    });
    return std::accumulate(m_partialChanged.begin(), m_partialChanged.end(), std::size_t(0));
}

// Moves each centre to the mean of its rows; returns the summed squared shift.
double KMeansSolver::update()
{
    const std::size_t stride = m_data.centred.stride;
    std::vector<double> sums(m_k * stride, 0.0);
    std::vector<std::int64_t> counts(m_k, 0);
    for (std::size_t ch = 0; ch < m_chunks; ++ch) {   // fixed order: reproducible sums
        const double *part = m_partialSums.data() + ch * m_k * stride;
        for (std::size_t j = 0; j < m_k * stride; ++j)
            sums[j] += part[j];
        for (std::size_t c = 0; c < m_k; ++c)
            counts[c] += m_partialCounts[ch * m_k + c];
    }
    relocateEmptyClusters(sums, counts);
    double shift = 0;
    for (std::size_t c = 0; c < m_k; ++c) {
        if (counts[c] == 0)
            continue;   // nothing to relocate (fewer distinct rows than k): keep the centre
        float *centre = m_centres.row(c);
        for (std::size_t j = 0; j < stride; ++j) {
            const float next = float(sums[c * stride + j] / double(counts[c]));
            const double delta = double(next) - double(centre[j]);
            shift += delta * delta;
            centre[j] = next;
        }
        m_centreNorms[c] = squaredNorm(centre, stride);
    }
    return shift;
}

// An empty cluster takes the row farthest from its centre (among clusters that keep a row).
void KMeansSolver::relocateEmptyClusters(std::vector<double> &sums, std::vector<std::int64_t> &counts)
{
    if (std::find(counts.begin(), counts.end(), 0) == counts.end())
        return;
    std::vector<std::size_t> order(m_labels.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return m_dist[a] > m_dist[b]; });
    const std::size_t stride = m_data.centred.stride;
    auto next = order.begin();
    for (std::size_t empty = 0; empty < m_k; ++empty) {
        if (counts[empty] != 0)
            continue;
        next = std::find_if(next, order.end(), [&](std::size_t i) { return counts[std::size_t(m_labels[i])] > 1; });
        if (next == order.end())
            return;
        const std::size_t i = *next++;
        const std::size_t from = std::size_t(m_labels[i]);
        const float *x = m_data.centred.row(i);
        for (std::size_t j = 0; j < stride; ++j) {
            sums[from * stride + j] -= x[j];
            sums[empty * stride + j] = x[j];
        }
        --counts[from];
        counts[empty] = 1;
        m_labels[i] = int(empty);
        m_dist[i] = 0;
    }
}

double KMeansSolver::finishDistances()
{
    runChunks(m_settings.threads, m_chunks, [&](std::size_t ch) {
        double sum = 0;
        for (std::size_t i = chunkBegin(ch); i < chunkEnd(ch); ++i) {
            const double d = exactSquaredDistance(m_data.centred.row(i), m_centres.row(std::size_t(m_labels[i])), m_data.centred.stride);
            m_dist[i] = float(d);
            sum += d;
        }
        m_partialPotential[ch] = sum;
    });
    double inertia = 0;
    for (std::size_t ch = 0; ch < m_chunks; ++ch)
        inertia += m_partialPotential[ch];
    return inertia;
}

}   // namespace clade::kmeansdetail
