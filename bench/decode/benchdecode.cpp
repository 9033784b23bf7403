// clade_bench_decode FOLDER [ROUNDS]
// Decodes every image under FOLDER to a 224-pixel short side two ways, in the same run:
//   baseline: full-resolution decode, then resize
//   reduced:  decode with DecodeOptions::minShortSide = 224 (JPEG DCT scaling), then resize
// and prints images/s for each and their ratio. Rounds alternate the two modes; the best round
// of each counts, so a cold page cache or a busy neighbour hurts neither mode alone.

#include "opencv/imageops.h"
#include "opencv/opencvdecoder.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>

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

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: clade_bench_decode FOLDER [ROUNDS]\n");
        return 2;
    }
    const int rounds = args.size() > 2 ? std::max(1, args[2].toInt()) : 3;
    const QStringList files = decodableFiles(args[1]);
    if (files.isEmpty()) {
        std::fprintf(stderr, "no decodable images under %s\n", qPrintable(args[1]));
        return 1;
    }
    const OpenCvDecoder decoder;
    run(decoder, files, kShortSide);   // warm the page cache
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
