#pragma once

#include <QString>

namespace clade::bench {

// The machine's nominal fp32 peak: physical cores x highest clock x fp32 FLOP per cycle.
// FLOP per cycle follows the widest FMA the CPU reports and how its core executes it: 64 with
// AVX-512F on two full-width pipes; 32 where AVX-512 runs as two 256-bit halves (AMD Zen 4,
// family 19h, and Zen 5's Strix Point, family 1Ah models 20h-2Fh) and with AVX2 + FMA (two
// 256-bit pipes); 16 with AVX; 8 otherwise. It is an upper bound, not a measurement:
// it ignores turbo limits and what else runs on the cores. bench_embed also measures a GEMM
// peak (measuredGemmGflops) and rates the model against that.
struct CpuCeiling
{
    QString model;
    QString vendor;   // vendor_id: "AuthenticAMD", "GenuineIntel", ...
    int family = 0;   // cpu family and model, as /proc/cpuinfo gives them (decimal)
    int modelNumber = 0;
    int cores = 0;    // physical cores (distinct physical id / core id pairs)
    double ghz = 0;   // cpufreq's cpuinfo_max_freq when present, else the highest "cpu MHz"
    QString clockSource;
    int flopPerCycle = 0;
    QString isa;   // "AVX-512F", "AVX-512F (256-bit halves)", "AVX2+FMA", "AVX" or "SSE"
    double gflops() const { return cores * ghz * flopPerCycle; }
};

// Reads /proc/cpuinfo and /sys/devices/system/cpu; cores = 0 when nothing could be read.
CpuCeiling readCpuCeiling();
// FLOP per cycle and ISA name for a CPU's flags, vendor and family/model (readCpuCeiling's rule;
// public for the benchmark's own check).
void setFlopPerCycle(CpuCeiling &c, const QStringList &flags);

// Forward FLOPs of one image through a ViT image tower (2 FLOP per multiply-add): patch
// embedding, `layers` blocks of attention + 4x MLP over grid^2 + 1 tokens, and the projection.
double vitImageFlops(int width, int layers, int patch, int resolution, int embedDim);

}   // namespace clade::bench
