#pragma once

#include <QString>

#include <atomic>
#include <functional>

namespace clade {

// Progress and cancellation for long work. The worker calls report() and checks
// cancelled() between steps; the owner (GUI thread or CLI) sets cancel().
// report() is called on the worker thread: the callback must only copy values.
class Progress
{
public:
    using Callback = std::function<void(const QString &stage, qint64 done, qint64 total)>;

    Progress() = default;
    explicit Progress(Callback callback) : m_callback(std::move(callback)) { }

    void report(const QString &stage, qint64 done, qint64 total) const
    {
        if (m_callback)
            m_callback(stage, done, total);
    }
    void cancel() { m_cancelled.store(true); }
    bool cancelled() const { return m_cancelled.load(); }

private:
    Callback m_callback;
    std::atomic<bool> m_cancelled{false};
};

}   // namespace clade
