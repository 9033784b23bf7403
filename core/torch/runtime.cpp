#include "runtime.h"

#include <QFile>

#include <c10/core/CPUAllocator.h>
#include <torch/torch.h>

#include <dlfcn.h>
#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace clade::torchrt {

namespace {

// libtorch's default CPU allocator takes every block from posix_memalign() and frees it at once.
// For blocks of megabytes glibc then maps fresh pages: a 20 MiB allocate/touch/free loop faulted
// in all 5,120 of its pages again nearly every round (the 64-byte alignment keeps glibc from
// reusing the freed block; mallopt() does not help). A forward pass allocates and frees its activations
// (ViT-B/32 at batch 32: up to 20 MB) a dozen times per batch, and faulting them in cost the
// model-only benchmark about a quarter of its speed (docs/THREADS.md).
// This allocator keeps freed blocks of kMinCached bytes and more, in size classes an eighth of a
// power of two apart, and hands them out again; at most kCacheLimit bytes wait in it.
// Fresh blocks of kPopulated bytes and more are mapped with their pages populated at once: on the
// 2-core machine a first touch costs ~15 µs per 4 KiB page (1.5 s for the 400 MB of 200,000
// features), where the kernel fills the same 400 MB in 0.1 s when asked up front. Such a block
// is either about to be written whole (a result, a copy) or is a cached block's reuse anyway.
class ReusingCpuAllocator final : public c10::Allocator
{
public:
    // libtorch 1.13 declares allocate() const; 2.3 and later declare it non-const and add a pure
    // copy_data(). Both allocate() overloads and a copy_data() without "override" build against
    // either (whichever the base declares is overridden).
    c10::DataPtr allocate(std::size_t bytes) const
    {
        void *data = acquire(bytes);
        return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DataPtr allocate(std::size_t bytes) { return std::as_const(*this).allocate(bytes); }
    void copy_data(void *dest, const void *src, std::size_t count) const { std::memcpy(dest, src, count); }
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

    static std::size_t cachedBytes()
    {
        std::lock_guard lock(cache().mutex);
        return cache().bytes;
    }

    static void releaseAll()
    {
        std::vector<void *> blocks;
        {
            std::lock_guard lock(cache().mutex);
            for (auto &[size, list] : cache().free)
                blocks.insert(blocks.end(), list.begin(), list.end());
            cache().free.clear();
            cache().bytes = 0;
        }
        for (void *block : blocks)
            freeBlock(block);
    }

private:
    static constexpr std::size_t kHeader = 64;   // the block's size class, then whether it is mapped; keeps c10's 64-byte alignment
    static constexpr std::size_t kMinCached = 256 * 1024;
    static constexpr std::size_t kCacheLimit = std::size_t(256) << 20;
    static constexpr std::size_t kPopulated = std::size_t(4) << 20;

    static void *newBlock(std::size_t size)
    {
        if (size >= kPopulated) {
            void *mapped = mmap(nullptr, kHeader + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            if (mapped == MAP_FAILED)
                return nullptr;
            static_cast<std::size_t *>(mapped)[1] = 1;
            return mapped;
        }
        void *block = std::aligned_alloc(kHeader, kHeader + size);
        if (block)
            static_cast<std::size_t *>(block)[1] = 0;
        return block;
    }

    static void freeBlock(void *block)
    {
        const auto *header = static_cast<const std::size_t *>(block);
        if (header[1])
            munmap(block, kHeader + header[0]);
        else
            std::free(block);
    }

    struct Cache
    {
        std::mutex mutex;
        std::unordered_map<std::size_t, std::vector<void *>> free;
        std::size_t bytes = 0;
    };
    // Never destroyed: tensors may be freed during static destruction.
    static Cache &cache()
    {
        static Cache *c = new Cache;
        return *c;
    }

    static std::size_t sizeClass(std::size_t bytes)
    {
        if (bytes < kMinCached)
            return (bytes + kHeader - 1) / kHeader * kHeader;
        std::size_t power = kMinCached;
        while (power <= bytes / 2)
            power *= 2;
        const std::size_t step = power / 8;
        return (bytes + step - 1) / step * step;
    }

    static void *acquire(std::size_t bytes)
    {
        if (bytes == 0)
            return nullptr;
        const std::size_t size = sizeClass(bytes);
        void *block = nullptr;
        if (size >= kMinCached) {
            std::lock_guard lock(cache().mutex);
            auto it = cache().free.find(size);
            if (it != cache().free.end() && !it->second.empty()) {
                block = it->second.back();
                it->second.pop_back();
                cache().bytes -= size;
            }
        }
        if (!block)
            block = newBlock(size);
        if (!block) {   // memory is short: give back what waits here and try once more
            releaseAll();
            block = newBlock(size);
        }
        TORCH_CHECK(block, "Out of memory: could not allocate ", bytes, " bytes on the CPU");
        *static_cast<std::size_t *>(block) = size;
        return static_cast<char *>(block) + kHeader;
    }

    static void release(void *data)
    {
        if (!data)
            return;
        void *block = static_cast<char *>(data) - kHeader;
        const std::size_t size = *static_cast<const std::size_t *>(block);
        if (size >= kMinCached) {
            std::lock_guard lock(cache().mutex);
            if (cache().bytes + size <= kCacheLimit) {
                cache().free[size].push_back(block);
                cache().bytes += size;
                return;
            }
        }
        freeBlock(block);
    }
};

ReusingCpuAllocator &reusingAllocator()
{
    static ReusingCpuAllocator *allocator = new ReusingCpuAllocator;   // outlives every tensor
    return *allocator;
}

}   // namespace

bool cpuHasFastBf16()
{
    static const bool fast = [] {
        QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
        if (!cpuinfo.open(QIODevice::ReadOnly))
            return false;
        for (QByteArray line = cpuinfo.readLine(); !line.isEmpty(); line = cpuinfo.readLine()) {
            if (!line.startsWith("flags"))
                continue;
            const auto flags = line.mid(line.indexOf(':') + 1).simplified().split(' ');
            return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
        }
        return false;
    }();
    return fast;
}

void configure(int threads)
{
    static std::once_flag once;
    std::call_once(once, [threads] {
        const int cores = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
        at::set_num_threads(cores);
        // Priority 1 wins over c10's default allocator (0). Tensors made before keep their own deleter.
        c10::SetCPUAllocator(&reusingAllocator(), 1);
    });
}

void releaseCachedCpuMemory()
{
    ReusingCpuAllocator::releaseAll();
}

std::size_t cachedCpuBytes()
{
    return ReusingCpuAllocator::cachedBytes();
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

BlasInfo blasInfo()
{
    BlasInfo info;
    // sgemm_ is the routine libtorch calls for fp32 matrix products on the CPU; the symbol the
    // process resolves first is the one libtorch gets.
    void *sgemm = dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info where{};
    if (sgemm && dladdr(sgemm, &where) && where.dli_fname)
        info.library = QString::fromLocal8Bit(where.dli_fname);
    using Config = const char *(*)();
    if (auto config = reinterpret_cast<Config>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
        info.openBlas = true;
        info.config = QString::fromLatin1(config()).trimmed();
    }
#ifdef CLADE_OPENBLAS_DIR
    info.fromClade = info.openBlas && info.library.startsWith(QStringLiteral(CLADE_OPENBLAS_DIR "/"));
#endif
    return info;
}

}   // namespace clade::torchrt
