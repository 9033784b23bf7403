#include "etaestimator.h"

namespace clade {

qint64 EtaEstimator::update(const QString &stage, qint64 done, qint64 total, qint64 nowMs)
{
    // A stage change or a counter going backwards starts a new measurement.
    const bool restart = !m_started || stage != m_stage || done < m_lastDone;
    m_lastDone = done;
    if (restart) {
        m_started = true;
        m_stage = stage;
        m_startMs = nowMs;
        m_startDone = done;
        return (total > 0 && done >= total) ? 0 : -1;
    }
    if (total <= 0)
        return -1;
    if (done >= total)
        return 0;
    const qint64 progressed = done - m_startDone;
    const qint64 elapsed = nowMs - m_startMs;
    if (progressed <= 0 || elapsed < minEvidenceMs)
        return -1;
    const double msPerItem = double(elapsed) / double(progressed);
    return qint64(msPerItem * double(total - done) + 0.5);
}

void EtaEstimator::reset()
{
    m_started = false;
    m_stage.clear();
    m_startMs = 0;
    m_startDone = 0;
    m_lastDone = 0;
}

} // namespace clade
