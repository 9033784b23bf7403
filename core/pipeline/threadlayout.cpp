#include "pipeline/threadlayout.h"

#include <algorithm>

namespace clade {

ThreadLayout defaultThreadLayout(int cores, InferenceKind kind)
{
    cores = std::max(1, cores);
    ThreadLayout layout;
    switch (kind) {
    case InferenceKind::GpuModel:
    case InferenceKind::Light:
        // Inference barely uses the CPU: decoding is the bottleneck and gets every core.
        layout.inferenceThreads = 1;
        layout.decodeThreads = cores;
        layout.decodeAtIdlePriority = false;
        layout.batchesAhead = 2;
        break;
    case InferenceKind::CpuModel:
        // Inference keeps every core; decoding fills the gaps it leaves (THREADS.md). From four
        // cores on, a quarter of them decode at normal priority and the model keeps the rest.
        if (cores >= 4) {
            layout.decodeThreads = std::max(1, cores / 4);
            layout.inferenceThreads = cores - layout.decodeThreads;
            layout.decodeAtIdlePriority = false;
        } else {
            layout.decodeThreads = 1;
            layout.inferenceThreads = cores;
            layout.decodeAtIdlePriority = true;
        }
        layout.batchesAhead = 2;
        break;
    }
    return layout;
}

QString describe(const ThreadLayout &layout)
{
    return QStringLiteral("%1 inference + %2%3 decode, %4")
        .arg(layout.inferenceThreads)
        .arg(layout.decodeThreads)
        .arg(layout.decodeAtIdlePriority ? QStringLiteral(" idle-priority") : QString())
        .arg(layout.batchesAhead > 0 ? QStringLiteral("%1 batches ahead").arg(layout.batchesAhead)
                                     : QStringLiteral("alternating"));
}

} // namespace clade
