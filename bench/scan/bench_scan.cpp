// Scan speed: first scan and unchanged rescan of N generated photos (default 10,000).
//   clade_bench_scan [N] [WORKDIR]
// Targets on the 2-core machine: an unchanged rescan of 10,000 files in under 2 s (issue 2) and
// of 1,000,000 in under 60 s (issue 17: clade_bench_scan 1000000 /tmp, about 10 minutes in all).
// The baseline in the same run is a bare directory walk with stat (the floor any scan pays).
#include "catalog/catalog.h"
#include "exiv2/exiv2metadatareader.h"
#include "scan/filewalker.h"
#include "scan/scanner.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>

#include <cstdio>
#include <vector>

using namespace clade;

namespace {

// N distinct small JPEGs, 500 per folder. A few dozen are encoded; each file is one of them with
// its index appended after the end-of-image marker, so every file decodes and hashes differently
// and a million files take a minute or two to write, not hours of encoding.
bool generate(const QString &root, int count)
{
    constexpr int kEncoded = 64;
    std::vector<QByteArray> encoded;
    QImage image(96, 64, QImage::Format_RGB888);
    for (int i = 0; i < kEncoded; ++i) {
        image.fill(QColor::fromHsv((i * 37) % 360, 180, 60 + (i * 13) % 190));
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "JPEG", 80))
            return false;
        encoded.push_back(buffer.data());
    }
    for (int i = 0; i < count; ++i) {
        const QString folder = QStringLiteral("%1/shoot%2").arg(root).arg(i / 500, 4, 10, QLatin1Char('0'));
        if (i % 500 == 0 && !QDir().mkpath(folder))
            return false;
        QFile file(QStringLiteral("%1/IMG_%2.jpg").arg(folder).arg(i, 7, 10, QLatin1Char('0')));
        if (!file.open(QIODevice::WriteOnly))
            return false;
        const QByteArray tail = QByteArray::number(i);
        if (file.write(encoded[std::size_t(i % kEncoded)]) < 0 || file.write(tail) != tail.size())
            return false;
    }
    return true;
}

double seconds(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e9;
}

}   // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    QTemporaryDir temp(argc > 2 ? QString::fromLocal8Bit(argv[2]) + QStringLiteral("/clade-bench-XXXXXX") : QString());
    const QString root = QFileInfo(temp.path()).canonicalFilePath() + QStringLiteral("/photos");
    std::printf("generating %d photos in %s ...\n", count, qPrintable(root));
    if (!generate(root, count)) {
        std::fprintf(stderr, "cannot write the photos under %s\n", qPrintable(root));
        return 1;
    }

    auto catalog = Catalog::open(temp.filePath(QStringLiteral("catalog.sqlite")));
    if (!catalog) {
        std::fprintf(stderr, "%s\n", qPrintable(catalog.error()));
        return 1;
    }
    Exiv2MetadataReader metadata;
    Scanner scanner(**catalog, &metadata);
    Progress progress;

    QElapsedTimer t;
    t.start();
    const WalkResult walk = walkFolder(root, progress);
    const double walkTime = seconds(t);

    t.restart();
    auto first = scanner.scan(root, progress);
    const double firstTime = seconds(t);
    t.restart();
    auto again = scanner.scan(root, progress);
    const double againTime = seconds(t);
    if (!first || !again) {
        std::fprintf(stderr, "scan failed\n");
        return 1;
    }
    std::printf("bare walk + stat      %6zu files  %7.3f s  %9.0f files/s\n", walk.files.size(), walkTime,
                double(walk.files.size()) / walkTime);
    std::printf("first scan            %6d files  %7.3f s  %9.0f files/s  (hash + metadata)\n", first->images, firstTime,
                first->images / firstTime);
    std::printf("unchanged rescan      %6d files  %7.3f s  %9.0f files/s  (%d metadata reads)\n", again->unchanged, againTime,
                again->unchanged / againTime, again->metadataReads);
    std::printf("rescan / bare walk    %.2fx the floor; first scan / rescan %.1fx\n", againTime / walkTime, firstTime / againTime);
    if (count >= 1000000)
        std::printf("target: unchanged rescan of 1,000,000 files < 60 s -> %s\n", againTime * 1e6 / count < 60.0 ? "met" : "NOT met");
    else
        std::printf("target: unchanged rescan of 10,000 files < 2 s -> %s\n",
                    count >= 10000 ? (againTime * 1e4 / count < 2.0 ? "met" : "NOT met") : "(run with N >= 10000)");
    return 0;
}
