#pragma once

#include "cluster/kmeanskernel.h"

#include <cstdint>
#include <random>
#include <vector>

class QString;

namespace clade {
class Progress;
}

// Internal to k-means: one restart (k-means++ seeding, then Lloyd iterations) on prepared data.
namespace clade::kmeansdetail {

struct SolverSettings
{
    int k = 0;
    int maxIterations = 0;
    double shiftTolerance = 0;   // absolute: already scaled by the data's variance
    int threads = 1;
    int seedingTrials = 1;
};

struct RestartOutcome
{
    PaddedMatrix centres;   // in the centred space of PreparedData
    std::vector<int> labels;
    std::vector<float> distances;   // exact squared distance to the assigned centre
    double inertia = 0;
    int iterations = 0;
    bool cancelled = false;
};

// Holds the buffers of one k-means call, reused by every restart. Runs on the thread that
// calls run(), which fans each pass over the rows out to settings.threads threads.
class KMeansSolver
{
public:
    KMeansSolver(const PreparedData &data, const SolverSettings &settings);
    RestartOutcome run(std::uint64_t seed, const Progress *progress);

private:
    std::size_t chunkBegin(std::size_t chunk) const { return chunk * m_chunkRows; }
    std::size_t chunkEnd(std::size_t chunk) const;
    void seedCentres(std::mt19937_64 &rng);
    std::size_t sampleByPotential(std::mt19937_64 &rng, const std::vector<double> &cumulative) const;
    std::size_t evaluateCandidates(const PaddedMatrix &candidates);
    void setCentre(std::size_t c, const float *row);
    std::size_t assign(bool accumulate);
    double update();
    void relocateEmptyClusters(std::vector<double> &sums, std::vector<std::int64_t> &counts);
    double finishDistances();

    const PreparedData &m_data;
    SolverSettings m_settings;
    std::size_t m_k;
    std::size_t m_chunkRows = 0;
    std::size_t m_chunks = 0;

    PaddedMatrix m_centres;
    std::vector<float> m_centreNorms;
    std::vector<int> m_labels;
    std::vector<float> m_dist;

    std::vector<double> m_partialSums;           // chunk × k × stride
    std::vector<std::int64_t> m_partialCounts;   // chunk × k
    std::vector<std::size_t> m_partialChanged;   // chunk
    std::vector<double> m_partialPotential;      // chunk × candidates
    std::vector<float> m_candidateDist;          // candidates × rows
};

}   // namespace clade::kmeansdetail
