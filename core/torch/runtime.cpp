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
