// clade_bench_decode FOLDER [ROUNDS] [--threads 1,2]
// Decodes every image under FOLDER to a 224-pixel short side two ways, in the same run:
//   baseline: full-resolution decode, then resize
//   reduced:  decode with DecodeOptions::minShortSide = 224 (JPEG DCT scaling), then resize
// and prints images/s for each and their ratio. Rounds alternate the two modes; the best round
// of each counts, so a cold page cache or a busy neighbour hurts neither mode alone.
// --threads T1,T2,...: instead, the reduced decode on T threads at once (each takes the next file,
// as the pipeline's decode pool does), images/s for each count and its ratio to the first, in the
// same run: whether decoding scales with the cores.

#include "opencv/imageops.h"
#include "opencv/opencvdecoder.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace clade;

namespace {

constexpr int kShortSide = 224;

QStringList decodableFiles(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && OpenCvDecoder::canDecodeFormat(sniffImageFormat(file.read(64))))
            files << path;
    }
    files.sort();
    return files;
}

struct Round
{
    double seconds = 0;
    int decoded = 0;
    double megapixels = 0;   // of the images as the decoder returned them
};

Round run(const OpenCvDecoder &decoder, const QStringList &files, int minShortSide)
{
    DecodeOptions options;
    options.minShortSide = minShortSide;
    Round round;
    QElapsedTimer timer;
    timer.start();
    for (const QString &path : files) {
        const auto image = decoder.decode(path, options);
        if (!image)
            continue;
        const RgbImage small = scaledToShortSide(*image, kShortSide);
        round.decoded += small.isNull() ? 0 : 1;
        round.megapixels += double(image->width) * image->height / 1e6;
    }
    round.seconds = double(timer.nsecsElapsed()) / 1e9;
    return round;
}

// The reduced decode of every file on `threads` threads, each taking the next file.
Round runThreads(const OpenCvDecoder &decoder, const QStringList &files, int threads)
{
    DecodeOptions options;
    options.minShortSide = kShortSide;
    std::atomic<int> next{0}, decoded{0};
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (int i = next++; i < int(files.size()); i = next++) {
                const auto image = decoder.decode(files[i], options);
                if (image && !scaledToShortSide(*image, kShortSide).isNull())
                    ++decoded;
            }
        });
    }
    for (auto &t : pool)
        t.join();
    Round round;
    round.seconds = double(timer.nsecsElapsed()) / 1e9;
    round.decoded = decoded;
    return round;
}

int threadsMain(const OpenCvDecoder &decoder, const QStringList &files, const QStringList &counts, int rounds)
{
    std::vector<double> rates;
    for (const QString &count : counts) {
        const int threads = std::max(1, count.toInt());
        Round best;
        best.seconds = 1e30;
        for (int i = 0; i < rounds; ++i) {
            const Round r = runThreads(decoder, files, threads);
            if (r.seconds < best.seconds)
                best = r;
        }
        rates.push_back(best.decoded / best.seconds);
        std::printf("reduced decode + resize to %d on %d thread(s): %8.1f images/s  (%.2fx the first count)\n", kShortSide, threads,
                    rates.back(), rates.back() / rates.front());
    }
    return 0;
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: clade_bench_decode FOLDER [ROUNDS]\n");
        return 2;
    }
    const int rounds = args.size() > 2 && !args[2].startsWith(QLatin1String("--")) ? std::max(1, args[2].toInt()) : 3;
    const QStringList files = decodableFiles(args[1]);
    if (files.isEmpty()) {
        std::fprintf(stderr, "no decodable images under %s\n", qPrintable(args[1]));
        return 1;
    }
    const OpenCvDecoder decoder;
    run(decoder, files, kShortSide);   // warm the page cache
    if (const qsizetype at = args.indexOf(QStringLiteral("--threads")); at >= 0 && at + 1 < args.size())
        return threadsMain(decoder, files, args[at + 1].split(QLatin1Char(',')), rounds);
    Round full, reduced;
    full.seconds = reduced.seconds = 1e30;
    for (int i = 0; i < rounds; ++i) {
        const Round f = run(decoder, files, 0);
        const Round r = run(decoder, files, kShortSide);
        if (f.seconds < full.seconds)
            full = f;
        if (r.seconds < reduced.seconds)
            reduced = r;
    }
    const double fullRate = full.decoded / full.seconds, reducedRate = reduced.decoded / reduced.seconds;
    std::printf("files: %d decodable under %s, %d decoded, best of %d rounds each\n", int(files.size()), qPrintable(args[1]), full.decoded,
                rounds);
    std::printf("full decode + resize to %d:    %8.1f images/s  (%.1f MP decoded)\n", kShortSide, fullRate, full.megapixels);
    std::printf("reduced decode + resize to %d: %8.1f images/s  (%.1f MP decoded)\n", kShortSide, reducedRate, reduced.megapixels);
    std::printf("ratio reduced/full: %.2fx\n", reducedRate / fullRate);
    return 0;
}
