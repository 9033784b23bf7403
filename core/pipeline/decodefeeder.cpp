#include "pipeline/decodefeeder.h"

#include <QElapsedTimer>
#include <QThread>

#include <algorithm>

namespace clade {

DecodeFeeder::DecodeFeeder(const ImageDecoder &decoder, DecodeOptions decodeOptions, std::vector<DecodeJob> jobs, FeederOptions options)
    : m_decoder(decoder), m_decodeOptions(decodeOptions), m_options(options)
{
    const std::size_t size = std::max<std::size_t>(1, m_options.batchSize);
    for (std::size_t start = 0; start < jobs.size(); start += size) {
        Batch batch;
        const std::size_t end = std::min(jobs.size(), start + size);
        for (std::size_t i = start; i < end; ++i)
            batch.photos.push_back({jobs[i].photoId, std::move(jobs[i].path), {}, {}});
        batch.remaining = batch.photos.size();
        m_batches.push_back(std::move(batch));
    }
    m_pool.setMaxThreadCount(std::max(1, m_options.threads));
    if (m_options.idlePriority)
        m_pool.setThreadPriority(QThread::IdlePriority);
}

DecodeFeeder::~DecodeFeeder()
{
    stop();
    m_pool.waitForDone();
}

void DecodeFeeder::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_decoded.notify_all();
    m_pool.clear();
}

bool DecodeFeeder::halted() const
{
    return m_stopping || (m_options.progress && m_options.progress->cancelled());
}

std::optional<std::vector<DecodedPhoto>> DecodeFeeder::next()
{
    const std::size_t b = m_nextOut;
    if (b >= m_batches.size() || halted())
        return std::nullopt;
    for (std::size_t a = b; a <= b + std::size_t(std::max(0, m_options.batchesAhead)); ++a)
        submit(a);
    QElapsedTimer waited;
    std::unique_lock lock(m_mutex);
    while (m_batches[b].remaining > 0) {
        if (decodeOne(b, lock)) {
            ++m_stats.decodedByConsumer;
            continue;
        }
        // Halting is final; otherwise every unfinished photo is in a worker's hands and its
        // decode will notify.
        if (halted())
            break;
        waited.start();
        m_decoded.wait(lock);
        m_stats.waitMs += waited.elapsed();
    }
    if (halted())
        return std::nullopt;
    ++m_nextOut;
    return std::move(m_batches[b].photos);
}

void DecodeFeeder::submit(std::size_t batch)
{
    if (batch >= m_batches.size())
        return;
    std::size_t workers = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_batches[batch].submitted || m_stopping)
            return;
        m_batches[batch].submitted = true;
        workers = std::min<std::size_t>(std::size_t(std::max(1, m_options.threads)), m_batches[batch].photos.size());
    }
    for (std::size_t w = 0; w < workers; ++w)
        m_pool.start([this, batch] { work(batch); });
}

void DecodeFeeder::work(std::size_t batch)
{
    std::unique_lock lock(m_mutex);
    while (decodeOne(batch, lock)) { }
}

// Claims the batch's next photo, decodes it with the lock released and stores the outcome.
// False when there is nothing left to claim or the feeder is stopping.
bool DecodeFeeder::decodeOne(std::size_t batch, std::unique_lock<std::mutex> &lock)
{
    Batch &b = m_batches[batch];
    if (halted() || b.nextPhoto >= b.photos.size())
        return false;
    const std::size_t index = b.nextPhoto++;
    const QString path = b.photos[index].path;
    lock.unlock();
    Result<RgbImage> image = m_decoder.decode(path, m_decodeOptions);
    lock.lock();
    DecodedPhoto &photo = m_batches[batch].photos[index];
    if (image)
        photo.image = std::move(*image);
    else
        photo.error = image.error();
    --m_batches[batch].remaining;
    m_decoded.notify_all();
    return true;
}

}   // namespace clade
