#include "etaestimator.h"

#include <cmath>

namespace clade {

qint64 EtaEstimator::update(const QString &stage, qint64 done, qint64 total, qint64 nowMs)
{
    // A stage change or a counter going backwards starts a new measurement.
    const bool restart = !m_started || stage != m_stage || done < m_lastDone;
    m_lastDone = done;
    if (restart) {
        m_started = true;
        m_stage = stage;
        m_startMs = m_sampleMs = nowMs;
        m_startDone = m_sampleDone = done;
        m_rate = -1;
        return (total > 0 && done >= total) ? 0 : -1;
    }
    sample(done, nowMs);
    if (total <= 0)
        return -1;
    if (done >= total)
        return 0;
    if (m_rate <= 0)
        return -1;
    return qint64(double(total - done) * 1000.0 / m_rate + 0.5);
}

// Progress arrives in steps (a batch at a time), so a rate is taken only between reports that
// moved the count, over the whole time since the previous such report.
void EtaEstimator::sample(qint64 done, qint64 nowMs)
{
    if (done <= m_sampleDone || nowMs <= m_sampleMs)
        return;
    if (m_rate < 0) {
        // The first rate covers the whole stage so far and needs enough of it to mean anything.
        if (nowMs - m_startMs < minEvidenceMs)
            return;
        m_rate = double(done - m_startDone) * 1000.0 / double(nowMs - m_startMs);
    } else {
        const double dt = double(nowMs - m_sampleMs);
        const double rate = double(done - m_sampleDone) * 1000.0 / dt;
        const double weight = 1.0 - std::exp(-dt / smoothingMs);
        m_rate += weight * (rate - m_rate);
    }
    m_sampleMs = nowMs;
    m_sampleDone = done;
}

void EtaEstimator::reset()
{
    m_started = false;
    m_stage.clear();
    m_startMs = m_sampleMs = 0;
    m_startDone = m_sampleDone = m_lastDone = 0;
    m_rate = -1;
}

}   // namespace clade
