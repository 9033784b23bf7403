#pragma once

namespace clade {

// libgomp reads OMP_WAIT_POLICY once, while it is being loaded (before main), so setting it
// later in the process changes nothing. Spinning OpenMP workers lose 2-7x whenever anything
// else uses a core (shared/docs/MEASURED.md; docs/THREADS.md), so when the variable is unset
// this sets it to PASSIVE and re-executes the program in place (same PID, same arguments).
// A value the user set is kept. Call first thing in main(), before any thread exists.
// Returns when nothing had to be done, or when the re-exec failed (the program then runs
// with libgomp's default spinning).
void ensurePassiveOpenMpWait(char **argv);

}   // namespace clade
