#pragma once

#include "common/progress.h"
#include "media/decoder.h"

#include <QThreadPool>

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace clade {

struct DecodeJob
{
    qint64 photoId = 0;
    QString path;
};

// One photo of a decoded batch: the image, or the reason it could not be decoded.
struct DecodedPhoto
{
    qint64 photoId = 0;
    QString path;
    RgbImage image;
    QString error;
};

struct FeederOptions
{
    std::size_t batchSize = 16;
    int threads = 1;                      // decode workers of the feeder's own pool
    bool idlePriority = false;            // workers at QThread::IdlePriority (SCHED_IDLE on Linux)
    int batchesAhead = 2;                 // decoded or decoding beyond the batch the consumer holds
    const Progress *progress = nullptr;   // decoding stops once it is cancelled
};

// Where the consumer's time went, for benchmarks and logs.
struct FeederStats
{
    qint64 waitMs = 0;           // next() blocked on photos other threads were decoding
    int decodedByConsumer = 0;   // photos next() decoded itself instead of waiting
};

// Decodes photos on a bounded pool ahead of the single inference thread, which takes them batch
// by batch in input order. Memory stays bounded: at most batchesAhead batches beyond the one the
// consumer holds are decoded or in flight. When the consumer has to wait for a batch it decodes
// that batch's remaining photos itself at its own priority, so idle-priority workers can never
// stall a run. next() and stop() run on the consumer thread; the pool threads only decode.
class DecodeFeeder
{
public:
    DecodeFeeder(const ImageDecoder &decoder, DecodeOptions decodeOptions, std::vector<DecodeJob> jobs, FeederOptions options);
    ~DecodeFeeder();   // stops and waits for the pool: no worker outlives the feeder
    DecodeFeeder(const DecodeFeeder &) = delete;
    DecodeFeeder &operator=(const DecodeFeeder &) = delete;

    std::size_t batchCount() const { return m_batches.size(); }
    // The next batch in input order, every photo decoded or failed; nullopt when all batches were
    // delivered, after stop(), or once the progress is cancelled.
    std::optional<std::vector<DecodedPhoto>> next();
    // Abandons queued decodes; workers finish the photo in hand.
    void stop();
    FeederStats stats() const { return m_stats; }

private:
    struct Batch
    {
        std::vector<DecodedPhoto> photos;
        std::size_t nextPhoto = 0;   // the first photo nobody has claimed yet
        std::size_t remaining = 0;   // photos not decoded yet
        bool submitted = false;
    };

    bool halted() const;
    void submit(std::size_t batch);
    void work(std::size_t batch);   // pool thread
    bool decodeOne(std::size_t batch, std::unique_lock<std::mutex> &lock);

    const ImageDecoder &m_decoder;
    const DecodeOptions m_decodeOptions;
    const FeederOptions m_options;
    std::vector<Batch> m_batches;   // guarded by m_mutex once the pool runs
    std::size_t m_nextOut = 0;      // consumer thread only
    bool m_stopping = false;
    FeederStats m_stats;   // consumer thread only
    std::mutex m_mutex;
    std::condition_variable m_decoded;
    QThreadPool m_pool;   // last: destroyed first, after waitForDone()
};

}   // namespace clade
