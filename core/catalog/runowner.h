#pragma once

#include <QString>

namespace clade {

// The process that created a run: enough to tell later, from another process, whether it is
// still alive. PIDs are reused, so the process start time (and the boot it belongs to) is part
// of the identity.
struct RunOwner
{
    QString host;   // QSysInfo::machineHostName()
    qint64 pid = 0;
    QString startToken;   // "<boot id>/<start time in clock ticks>" from /proc; empty where unknown
};

enum class OwnerState {
    Alive,     // the same process still runs (or might: it cannot be ruled out)
    Gone,      // certainly ended: no such PID, a zombie, or the PID now belongs to another process
    Unknown,   // recorded on another host or by a Clade that did not record owners
};

// This process, computed once. Any thread.
const RunOwner &currentRunOwner();

// Whether the owner of a run still runs. Errs towards Alive/Unknown: a live run must never be
// declared dead. Any thread.
OwnerState ownerState(const RunOwner &owner);

}   // namespace clade
