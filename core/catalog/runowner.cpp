#include "catalog/runowner.h"

#include <QFile>
#include <QSysInfo>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace clade {

namespace {

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.read(4096).trimmed();
}

struct ProcStat
{
    bool readable = false;
    bool zombie = false;
    QByteArray startTicks;
};

// /proc/<pid>/stat: "pid (comm) state ... starttime(22nd field) ...". The command name may hold
// spaces and parentheses, so fields are counted from the last ')'.
ProcStat procStat(qint64 pid)
{
    const QByteArray stat = readSmallFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return {};
    const QList<QByteArray> fields = stat.mid(close + 1).simplified().split(' ');
    if (fields.size() < 20)   // fields 3..22 at least
        return {};
    return {true, fields[0] == "Z" || fields[0] == "X", fields[19]};
}

QString startToken(const ProcStat &stat)
{
    static const QByteArray bootId = readSmallFile(QStringLiteral("/proc/sys/kernel/random/boot_id"));
    if (!stat.readable || bootId.isEmpty())
        return {};
    return QString::fromLatin1(bootId + '/' + stat.startTicks);
}

}   // namespace

const RunOwner &currentRunOwner()
{
    static const RunOwner owner{QSysInfo::machineHostName(), qint64(::getpid()), startToken(procStat(::getpid()))};
    return owner;
}

OwnerState ownerState(const RunOwner &owner)
{
    if (owner.host.isEmpty() || owner.pid <= 0)
        return OwnerState::Unknown;
    if (owner.host != currentRunOwner().host)
        return OwnerState::Unknown;
    if (::kill(pid_t(owner.pid), 0) != 0 && errno == ESRCH)
        return OwnerState::Gone;
    const ProcStat stat = procStat(owner.pid);
    if (!stat.readable)   // no /proc, or hidden from us: kill() said it exists
        return OwnerState::Alive;
    if (stat.zombie)
        return OwnerState::Gone;
    const QString token = startToken(stat);
    if (!owner.startToken.isEmpty() && !token.isEmpty() && token != owner.startToken)
        return OwnerState::Gone;   // the PID was reused, or the machine rebooted since
    return OwnerState::Alive;
}

}   // namespace clade
