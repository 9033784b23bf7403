#pragma once

#include <QString>

namespace clade::bench {

// The machine's nominal fp32 peak: physical cores x highest clock x fp32 FLOP per cycle.
// FLOP per cycle follows the widest FMA the CPU reports: 64 with AVX-512F, 32 with AVX2 + FMA
// (two 256-bit FMA pipes), 16 with AVX, 8 otherwise. It is an upper bound, not a measurement:
// it ignores turbo limits, double-pumped AVX-512 (Zen 4) and what else runs on the cores.
struct CpuCeiling
{
    QString model;
    int cores = 0;    // physical cores (distinct physical id / core id pairs)
    double ghz = 0;   // cpufreq's cpuinfo_max_freq when present, else the highest "cpu MHz"
    QString clockSource;
    int flopPerCycle = 0;
    QString isa;   // "AVX-512F", "AVX2+FMA", "AVX" or "SSE"
    double gflops() const { return cores * ghz * flopPerCycle; }
};

// Reads /proc/cpuinfo and /sys/devices/system/cpu; cores = 0 when nothing could be read.
CpuCeiling readCpuCeiling();

// Forward FLOPs of one image through a ViT image tower (2 FLOP per multiply-add): patch
// embedding, `layers` blocks of attention + 4x MLP over grid^2 + 1 tokens, and the projection.
double vitImageFlops(int width, int layers, int patch, int resolution, int embedDim);

}   // namespace clade::bench
