// torchrt::configure(): the process-wide settings every libtorch user of Clade gets.
#include <torch/torch.h>

#include "runtime.h"

#include <QTest>

#include <sys/resource.h>

#include <cstdint>
#include <vector>

using namespace clade;

namespace {

long minorFaults()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

}   // namespace

class TstTorchRuntime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torchrt::configure(2); }

    void usesTheThreadsItWasGiven() { QCOMPARE(torchrt::threads(), 2); }

    // A forward pass allocates and frees activations of up to ~20 MB every few milliseconds.
    // With c10's default allocator glibc faulted every one of them in again (5,120 faults for
    // 20 MiB of 4 KiB pages). After configure() they are reused.
    void largeActivationsAreNotPageFaultedAnew()
    {
        c10::InferenceMode guard;
        const std::int64_t floats = 20 * 1024 * 1024 / 4;
        for (int warmUp = 0; warmUp < 2; ++warmUp)
            torch::empty({floats}).fill_(1.0f);
        const long before = minorFaults();
        for (int round = 0; round < 5; ++round) {
            torch::Tensor t = torch::empty({floats});
            t.fill_(float(round));
            QCOMPARE(t[floats - 1].item<float>(), float(round));
        }
        const long faults = minorFaults() - before;
        qInfo("minor page faults for five 20 MiB activations: %ld", faults);
        QVERIFY2(faults < 1000, qPrintable(QStringLiteral("%1 page faults").arg(faults)));
    }

    // Blocks of different sizes get their own, the values written stay, and the blocks that wait
    // for reuse are bounded and can be given back.
    void reusedBlocksAreSoundAndBounded()
    {
        c10::InferenceMode guard;
        torchrt::releaseCachedCpuMemory();
        QCOMPARE(torchrt::cachedCpuBytes(), std::size_t(0));
        {
            torch::Tensor a = torch::full({300'000}, 1.0f);     // 1.2 MB
            torch::Tensor b = torch::full({3'000'000}, 2.0f);   // 12 MB
            torch::Tensor small = torch::full({10}, 3.0f);
            QVERIFY(a.data_ptr() != b.data_ptr());
            QCOMPARE(reinterpret_cast<std::uintptr_t>(b.data_ptr()) % 64, std::uintptr_t(0));
            QCOMPARE(a.sum().item<double>(), 300'000.0);
            QCOMPARE(b.sum().item<double>(), 6'000'000.0);
            QCOMPARE(small.sum().item<double>(), 30.0);
        }
        const std::size_t waiting = torchrt::cachedCpuBytes();
        QVERIFY(waiting >= 13'200'000);   // both large blocks; the small one went back to malloc
        {
            torch::Tensor again = torch::zeros({3'000'000});   // takes the 12 MB block, zeroed
            QCOMPARE(again.sum().item<double>(), 0.0);
            QVERIFY(torchrt::cachedCpuBytes() < waiting);
        }
        {
            std::vector<torch::Tensor> many;   // 40 x 12 MB: more than may wait for reuse
            for (int i = 0; i < 40; ++i)
                many.push_back(torch::empty({3'000'000}));
        }
        QVERIFY(torchrt::cachedCpuBytes() <= std::size_t(256) << 20);
        torchrt::releaseCachedCpuMemory();
        QCOMPARE(torchrt::cachedCpuBytes(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TstTorchRuntime)
#include "tst_torchruntime.moc"
