#include "cpuceiling.h"

#include <QFile>
#include <QSet>
#include <QStringList>

#include <algorithm>

namespace clade::bench {

namespace {

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()) : QString();
}

QString field(const QString &line)
{
    return line.section(u':', 1).trimmed();
}

// AVX-512 executed as two 256-bit halves: AMD Zen 4 (family 19h) and Zen 5's Strix Point
// mobile parts (family 1Ah, models 20h-2Fh). Server and desktop Zen 5 (family 1Ah, models
// 00h-1Fh and 40h-4Fh) have full-width 512-bit pipes. Other parts are taken at full width: the
// measured GEMM peak beside this figure is the one to trust.
bool doublePumpedAvx512(const CpuCeiling &c)
{
    if (c.vendor != u"AuthenticAMD")
        return false;
    if (c.family == 0x19)
        return true;
    return c.family == 0x1A && c.modelNumber >= 0x20 && c.modelNumber <= 0x2F;
}

}   // namespace

void setFlopPerCycle(CpuCeiling &c, const QStringList &flags)
{
    if (flags.contains(QStringLiteral("avx512f")) && doublePumpedAvx512(c)) {
        c.flopPerCycle = 32;
        c.isa = QStringLiteral("AVX-512F (256-bit halves)");
    } else if (flags.contains(QStringLiteral("avx512f"))) {
        c.flopPerCycle = 64;
        c.isa = QStringLiteral("AVX-512F");
    } else if (flags.contains(QStringLiteral("avx2")) && flags.contains(QStringLiteral("fma"))) {
        c.flopPerCycle = 32;
        c.isa = QStringLiteral("AVX2+FMA");
    } else if (flags.contains(QStringLiteral("avx"))) {
        c.flopPerCycle = 16;
        c.isa = QStringLiteral("AVX");
    } else {
        c.flopPerCycle = 8;
        c.isa = QStringLiteral("SSE");
    }
}

CpuCeiling readCpuCeiling()
{
    CpuCeiling c;
    QSet<QString> cores;
    QString physical;
    int processors = 0;
    double maxMhz = 0;
    QStringList flags;
    const QStringList lines = readText(QStringLiteral("/proc/cpuinfo")).split(u'\n');
    for (const QString &line : lines) {
        if (line.startsWith(u"processor"))
            ++processors;
        else if (line.startsWith(u"physical id"))
            physical = field(line);
        else if (line.startsWith(u"core id"))
            cores.insert(physical + u'/' + field(line));
        else if (line.startsWith(u"cpu MHz"))
            maxMhz = std::max(maxMhz, field(line).toDouble());
        else if (line.startsWith(u"model name") && c.model.isEmpty())
            c.model = field(line);
        else if (line.startsWith(u"vendor_id") && c.vendor.isEmpty())
            c.vendor = field(line);
        else if (line.startsWith(u"cpu family") && c.family == 0)
            c.family = field(line).toInt();
        else if (line.startsWith(u"model") && line.section(u':', 0, 0).trimmed() == u"model" && c.modelNumber == 0)
            c.modelNumber = field(line).toInt();
        else if (line.startsWith(u"flags") && flags.isEmpty())
            flags = field(line).split(u' ', Qt::SkipEmptyParts);
    }
    c.cores = cores.isEmpty() ? processors : int(cores.size());
    const double maxKhz = readText(QStringLiteral("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")).trimmed().toDouble();
    c.ghz = maxKhz > 0 ? maxKhz / 1e6 : maxMhz / 1e3;
    c.clockSource = maxKhz > 0 ? QStringLiteral("cpufreq cpuinfo_max_freq") : QStringLiteral("highest 'cpu MHz' in /proc/cpuinfo");
    setFlopPerCycle(c, flags);
    return c;
}

double vitImageFlops(int width, int layers, int patch, int resolution, int embedDim)
{
    const double w = width, grid = resolution / patch, tokens = grid * grid + 1;
    const double patchMacs = grid * grid * w * 3.0 * patch * patch;
    // Per block: QKV 3TW^2, scores T^2W, weighted values T^2W, output TW^2, MLP 8TW^2.
    const double blockMacs = 12.0 * tokens * w * w + 2.0 * tokens * tokens * w;
    return 2.0 * (patchMacs + layers * blockMacs + w * embedDim);
}

}   // namespace clade::bench
