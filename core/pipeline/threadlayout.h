#pragma once

#include <QString>

namespace clade {

// What computes the embeddings, which decides how decoding may share the cores with it.
enum class InferenceKind {
    CpuModel,   // CLIP on the CPU: intra-op threads want every core
    GpuModel,   // CLIP on CUDA: the CPU only decodes and preprocesses
    Light,      // the visual fallback: cheap next to decoding
};

// How the embed stage uses the cores: decode workers, torch intra-op threads, and whether the
// next batch is decoded while the current one is embedded. docs/THREADS.md has the measurements
// behind defaultThreadLayout().
struct ThreadLayout
{
    int inferenceThreads = 1;   // torch intra-op threads; the torch runtime applies it, once
    int decodeThreads = 1;      // workers of the bounded decode pool
    // Decode workers run at idle priority, so they only take the cycles the inference threads
    // leave (a decode thread competing at equal priority stalls every OpenMP barrier).
    bool decodeAtIdlePriority = false;
    // Batches decoded ahead of the one being embedded; 0 = alternate decode and inference.
    int batchesAhead = 2;
};

ThreadLayout defaultThreadLayout(int cores, InferenceKind kind);
// "2 torch + 1 idle-priority decode, 2 ahead": for logs and the CLI.
QString describe(const ThreadLayout &layout);

}   // namespace clade
