#pragma once

#include <QString>

namespace clade {

// Estimates the time left in the current pipeline stage from the rate seen so far in that
// stage. Plain arithmetic on the caller's clock, so it is testable; used on the GUI thread.
class EtaEstimator
{
public:
    // Returns the estimated milliseconds left in `stage`, or -1 while there is too little
    // evidence (a new stage, no progress yet, or under minEvidenceMs of it).
    qint64 update(const QString &stage, qint64 done, qint64 total, qint64 nowMs);
    void reset();

    static constexpr qint64 minEvidenceMs = 500;

private:
    QString m_stage;
    qint64 m_startMs = 0;
    qint64 m_startDone = 0;
    qint64 m_lastDone = 0;
    bool m_started = false;
};

} // namespace clade
