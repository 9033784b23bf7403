#include "openmpenv.h"

#include <cstdlib>
#include <unistd.h>

namespace clade {

void ensurePassiveOpenMpWait(char **argv)
{
    if (std::getenv("OMP_WAIT_POLICY") || !argv || !argv[0])
        return;
    if (::setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0)
        return;
    ::execv("/proc/self/exe", argv);
    // Still here: exec failed (no /proc?). Run on; torch threads will spin-wait.
}

}   // namespace clade
