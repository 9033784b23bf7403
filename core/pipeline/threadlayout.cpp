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
        if (cores <= 2) {
            // Measured (THREADS.md): a decode thread beside two torch threads was no faster than
            // alternating, so here the model has every core while it runs and decoding has
            // every core between batches.
            layout.inferenceThreads = cores;
            layout.decodeThreads = cores;
            layout.batchesAhead = 0;
        } else {
            // A quarter of the cores decode ahead; the model keeps the rest to itself.
            layout.decodeThreads = std::max(1, cores / 4);
            layout.inferenceThreads = cores - layout.decodeThreads;
            layout.batchesAhead = 2;
        }
        // Idle priority lost in every run: other processes starve such threads (THREADS.md).
        layout.decodeAtIdlePriority = false;
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
        .arg(layout.batchesAhead > 0 ? QStringLiteral("%1 batches ahead").arg(layout.batchesAhead) : QStringLiteral("alternating"));
}

}   // namespace clade
