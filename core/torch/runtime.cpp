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
        // libgomp reads this when its pool starts; later changes are ignored, so set it first.
        ::setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        const int cores = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
        at::set_num_threads(cores);
    });
}

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

QString deviceName()
{
    return cudaAvailable() ? QStringLiteral("cuda") : QStringLiteral("cpu");
}

} // namespace clade::torchrt
