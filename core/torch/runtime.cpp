#include "runtime.h"

#include <torch/torch.h>

#include <cstdlib>
#include <mutex>
#include <thread>

namespace clade::torchrt {

void configure(int threads)
{
    static std::once_flag once;
    std::call_once(once, [threads] {
        const int cores = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
        at::set_num_threads(cores);
    });
}

void setThreads(int threads)
{
    configure();
    if (threads > 0 && threads != at::get_num_threads())
        at::set_num_threads(threads);
}

int threads()
{
    return at::get_num_threads();
}

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

void disallowTf32()
{
    // Both setters exist in libtorch 1.13 and 2.x (where they also set the newer
    // fp32-precision flags consistently).
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
}

QString deviceName()
{
    return cudaAvailable() ? QStringLiteral("cuda") : QStringLiteral("cpu");
}

} // namespace clade::torchrt
