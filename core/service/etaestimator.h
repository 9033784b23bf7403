#pragma once

#include <QString>

namespace clade {

// Estimates the rate of the current pipeline stage and the time left in it, from the counts
// and timestamps of its progress reports. Plain arithmetic on the caller's clock, so it is
// testable; used by AppCore on its own thread.
class EtaEstimator
{
public:
    // Returns the estimated milliseconds left in `stage`, or -1 while there is too little
    // evidence (a new stage, no progress yet, or under minEvidenceMs of it).
    qint64 update(const QString &stage, qint64 done, qint64 total, qint64 nowMs);
    // Items per second in the current stage, smoothed over about smoothingMs; -1 while unknown.
    double itemsPerSecond() const { return m_rate; }
    void reset();

    static constexpr qint64 minEvidenceMs = 500;
    static constexpr double smoothingMs = 5000;

private:
    void sample(qint64 done, qint64 nowMs);

    QString m_stage;
    qint64 m_startMs = 0;
    qint64 m_startDone = 0;
    qint64 m_lastDone = 0;
    qint64 m_sampleMs = 0;   // the last report that brought progress
    qint64 m_sampleDone = 0;
    double m_rate = -1;   // items per second, smoothed
    bool m_started = false;
};

}   // namespace clade
