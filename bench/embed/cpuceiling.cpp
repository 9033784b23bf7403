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

void setIsa(CpuCeiling &c, const QStringList &flags)
{
    if (flags.contains(QStringLiteral("avx512f"))) {
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

}   // namespace

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
        else if (line.startsWith(u"flags") && flags.isEmpty())
            flags = field(line).split(u' ', Qt::SkipEmptyParts);
    }
    c.cores = cores.isEmpty() ? processors : int(cores.size());
    const double maxKhz = readText(QStringLiteral("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")).trimmed().toDouble();
    c.ghz = maxKhz > 0 ? maxKhz / 1e6 : maxMhz / 1e3;
    c.clockSource = maxKhz > 0 ? QStringLiteral("cpufreq cpuinfo_max_freq") : QStringLiteral("highest 'cpu MHz' in /proc/cpuinfo");
    setIsa(c, flags);
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
