#pragma once

#include <QString>

#include <cstddef>

namespace clade::torchrt {

// Configures libtorch once per process: intra-op threads = cores (libtorch 1.13 picks one on
// a 2-vCPU machine because it assumes SMT). The OpenMP wait policy cannot be set from here
// (libgomp reads it before main): executables call ensurePassiveOpenMpWait() (common/openmpenv.h).
// It also installs libtorch's CPU allocator for the process: one that keeps freed blocks of
// 256 KiB and more (up to 256 MiB in all) for reuse, because faulting in fresh pages for every
// activation cost a quarter of the CPU forward's speed (runtime.cpp).
// Safe to call from any thread, any number of times; the first call wins.
void configure(int threads = 0);

// Frees the blocks that wait for reuse (see configure()); tensors alive stay untouched. Called
// when a model is unloaded. Any thread.
void releaseCachedCpuMemory();
std::size_t cachedCpuBytes();   // bytes waiting for reuse now

// Intra-op threads for CPU work from now on (the pipeline's thread layout). Call from the
// thread that runs inference, between batches.
void setThreads(int threads);
int threads();

// Whether this CPU multiplies bf16 natively (/proc/cpuinfo lists avx512_bf16 or amx_bf16):
// where it does, oneDNN's bf16 matrix products run 2.5-3.5x fp32's; elsewhere it emulates
// bf16, slower than fp32. Any thread.
bool cpuHasFastBf16();

// True when CUDA is usable; the device every torch component should use.
bool cudaAvailable();
QString deviceName();   // "cuda" or "cpu"

// Process-wide: no TF32 in cuBLAS matmuls or cuDNN convolutions. TF32 keeps 10 mantissa bits,
// so fp32 results on Ampere and later drift ~1e-3 from the CPU; fp32 CLIP must match to 1e-4.
// Costs fp32 speed on those GPUs only; fp16 work is unaffected. Any thread; idempotent.
void disallowTf32();

// The BLAS that libtorch's CPU matrix products run on. library: the file that provides sgemm_,
// as the loader found it; openBlas: it is OpenBLAS (config: its build string); fromClade: it is
// the OpenBLAS-openmp that Clade's run path names (CLADE_OPENBLAS), not whatever the system's
// libblas.so.3 alternative points to. The reference BLAS is about 55x slower for CLIP.
struct BlasInfo
{
    QString library;
    bool openBlas = false;
    QString config;
    bool fromClade = false;
};
BlasInfo blasInfo();

}   // namespace clade::torchrt
