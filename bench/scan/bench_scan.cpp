// Scan speed: first scan and unchanged rescan of N generated photos (default 10,000).
//   clade_bench_scan [N] [WORKDIR]
// Target (issue 2): an unchanged rescan of 10,000 files in under 2 s on the 2-core machine.
// The baseline in the same run is a bare directory walk with stat (the floor any scan pays).
#include "catalog/catalog.h"
#include "exiv2/exiv2metadatareader.h"
#include "scan/filewalker.h"
#include "scan/scanner.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>

#include <cstdio>

using namespace clade;

namespace {

void generate(const QString &root, int count)
{
    QImage image(96, 64, QImage::Format_RGB888);
    for (int i = 0; i < count; ++i) {
        image.fill(QColor::fromHsv((i * 37) % 360, 180, 60 + (i * 13) % 190));
        const QString folder = QStringLiteral("%1/shoot%2").arg(root).arg(i / 500, 3, 10, QLatin1Char('0'));
        if (i % 500 == 0)
            QDir().mkpath(folder);
        image.save(QStringLiteral("%1/IMG_%2.jpg").arg(folder).arg(i, 5, 10, QLatin1Char('0')), "JPEG", 80);
    }
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
    generate(root, count);

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
    std::printf("target: unchanged rescan of 10,000 files < 2 s -> %s\n",
                count >= 10000 ? (againTime < 2.0 ? "met" : "NOT met") : "(run with N >= 10000)");
    return 0;
}
