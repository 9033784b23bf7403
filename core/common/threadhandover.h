#pragma once

// ThreadSanitizer and work handed between threads through Qt (docs/RELIABILITY.md, "Thread
// sanitizer"). Debian's Qt is built without ThreadSanitizer, so the mutexes inside
// QCoreApplication::postEvent and QThreadPool are invisible to it, and everything one thread
// prepares before handing work to another through them looks like a race. handOver() just before
// the work is posted and takeOver() first thing in the posted code tell it what those mutexes
// guarantee: what came before the hand-over happens before what comes after the take-over.
// Without -fsanitize=thread both are empty.

#if defined(__SANITIZE_THREAD__)
extern "C" {
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
}
namespace clade::tsan {
// One point for every hand-over: a take-over is then ordered after every earlier hand-over, a
// little more than Qt promises, never less.
inline char handOverPoint = 0;
inline void handOver()
{
    __tsan_release(&handOverPoint);
}
inline void takeOver()
{
    __tsan_acquire(&handOverPoint);
}
}   // namespace clade::tsan
#else
namespace clade::tsan {
inline void handOver() { }
inline void takeOver() { }
}   // namespace clade::tsan
#endif

namespace clade::tsan {
// The last capture of a lambda that Qt copies into its own queued-call object (invokeMethod,
// QtConcurrent::run): every copy or move of it is a hand-over, so the hand-over comes after Qt
// has written the other captures into that object, and the posted code's takeOver() (its first
// statement) sees them.
struct HandOverMark
{
    HandOverMark() { handOver(); }
    HandOverMark(const HandOverMark &) noexcept { handOver(); }
    HandOverMark(HandOverMark &&) noexcept { handOver(); }
    HandOverMark &operator=(const HandOverMark &) noexcept
    {
        handOver();
        return *this;
    }
    HandOverMark &operator=(HandOverMark &&) noexcept
    {
        handOver();
        return *this;
    }
    // Declared last, destroyed first: when Qt drops a queued call without running it (its
    // receiver went away), the other captures are destroyed after a take-over too.
    ~HandOverMark() { takeOver(); }
};
}   // namespace clade::tsan
