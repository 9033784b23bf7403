// The gallery at scale: a catalog of N generated photos (default 50,000) in K groups (the
// largest holds half of them), shown by the real MainWindow with its real thumbnail pipeline.
//   bench_gallery [--photos N] [--k K] [--workdir DIR] [--no-scroll]
// (--no-scroll stops after the first two: scrolling a 500,000-photo group end to end takes over
// ten minutes.)
// Measures, on the offscreen platform unless QT_QPA_PLATFORM says otherwise:
//   open     Catalog::open + MainWindow + openFolder (the group list and the first grid shown);
//            target under 1 s
//   select   switching to the largest group (its members read off the GUI thread, the grid
//            reset), and the longest GUI-thread stall meanwhile; target under 50 ms
//   scroll   the grid scrolled end to end, one page per 16 ms frame, while thumbnails are decoded
//            off the GUI thread; the longest gap between two ticks of a 2 ms heartbeat timer is
//            the longest GUI-thread stall; target under 50 ms
//   memory   RSS and its peak after each step, the peak reset once the catalog is written
// Baseline in the same run: the same heartbeat with the window idle (timer jitter alone), so
// the stall figure can be read against what the machine gives an idle event loop.
// Photos are small generated JPEGs (kept in WORKDIR/photos-N for the next run); the catalog
// and the thumbnail cache are new each run, so every thumbnail is decoded.
#include "catalog/catalog.h"
#include "clusterlistmodel.h"
#include "exiv2/exiv2metadatareader.h"
#include "mainwindow.h"
#include "opencv/opencvdecoder.h"
#include "opencv/thumbnailcache.h"
#include "photogridmodel.h"
#include "thumbnailprovider.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QListView>
#include <QPainter>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace clade;

namespace {

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

// N small JPEGs with varied colour and a stripe, so thumbnails differ; kept between runs. A few
// hundred are encoded; each file is one of them with its index appended after the end-of-image
// marker, so that a million files take a minute or two to write.
bool makePhotos(const QString &dir, int count)
{
    QDir().mkpath(dir);
    if (QDir(dir).entryList({QStringLiteral("*.jpg")}, QDir::Files).size() == count)
        return true;
    constexpr int kEncoded = 360;
    std::vector<QByteArray> encoded;
    QImage image(160, 120, QImage::Format_RGB32);
    for (int i = 0; i < kEncoded; ++i) {
        image.fill(QColor::fromHsv(i * 37 % 360, 120 + i % 100, 90 + i % 160));
        QPainter painter(&image);
        painter.fillRect(0, (i * 13) % 100, 160, 20, QColor::fromHsv((i * 91) % 360, 200, 220));
        painter.end();
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "JPEG", 80))
            return false;
        encoded.push_back(buffer.data());
    }
    for (int i = 0; i < count; ++i) {
        QFile file(QStringLiteral("%1/p%2.jpg").arg(dir).arg(i, 7, 10, QLatin1Char('0')));
        const QByteArray tail = QByteArray::number(i);
        if (!file.open(QIODevice::WriteOnly) || file.write(encoded[std::size_t(i % kEncoded)]) < 0 || file.write(tail) != tail.size())
            return false;
    }
    return true;
}

// Photos, a finished run and K groups, written straight into the catalog (no embedding: this
// measures the gallery, not the pipeline). Group sizes: half of the photos in group 0, the rest
// spread over the others.
Result<qint64> fillCatalog(Catalog &catalog, const QString &folder, int k)
{
    const QStringList files = QDir(folder).entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name);
    std::vector<qint64> ids;
    Status filled = catalog.transaction([&]() -> Status {
        for (const QString &file : files) {
            PhotoRecord p;
            p.path = folder + QLatin1Char('/') + file;
            const QFileInfo info(p.path);
            p.size = info.size();
            p.mtimeMs = info.lastModified().toMSecsSinceEpoch();
            p.hash = QStringLiteral("bench%1").arg(ids.size());
            p.format = QStringLiteral("jpeg");
            p.width = 160;
            p.height = 120;
            Result<qint64> id = catalog.photos().upsert(p);
            if (!id)
                return id.takeError();
            ids.push_back(*id);
        }
        return {};
    });
    if (!filled)
        return filled.takeError();
    RunRecord run;
    run.folder = folder;
    run.k = k;
    run.method = ClusterMethod::KMeans;
    run.modelId = QStringLiteral("bench");
    Result<qint64> runId = catalog.runs().create(run);
    if (!runId)
        return runId;
    std::vector<ClusterRecord> clusters(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c) {
        clusters[std::size_t(c)].index = c;
        clusters[std::size_t(c)].name = QStringLiteral("group %1").arg(c + 1);
    }
    std::vector<AssignmentRecord> assignments;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const int c = i < ids.size() / 2 ? 0 : 1 + int(i % std::size_t(std::max(1, k - 1)));
        assignments.push_back({ids[i], std::min(c, k - 1), 1.0f - float(i % 1000) / 1000.0f, false});
    }
    if (Status s = catalog.runs().storeClusters(*runId, clusters, assignments); !s)
        return s.takeError();
    if (Status s = catalog.runs().finish(*runId, RunStatus::Done); !s)
        return s.takeError();
    return runId;
}

// Longest gap between ticks of a 2 ms timer while `work` runs the event loop until it says stop.
struct Heartbeat
{
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 longest = 0;
    std::vector<qint64> gaps;
    QTimer timer;

    Heartbeat()
    {
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(2);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.nsecsElapsed();
            gaps.push_back(now - last);
            longest = std::max(longest, now - last);
            last = now;
        });
    }
    void start()
    {
        gaps.clear();
        longest = 0;
        clock.start();
        last = 0;
        timer.start();
    }
    double longestMs() const { return longest / 1e6; }
    double percentileMs(double p) const
    {
        if (gaps.empty())
            return 0;
        std::vector<qint64> sorted = gaps;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, std::size_t(p * double(sorted.size())))] / 1e6;
    }
};

// A field of /proc/self/status in MiB (VmRSS: now, VmHWM: the peak), -1 when unknown.
double statusMiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(int(std::strlen(field)) + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

// Starts the peak (VmHWM) again from the current RSS (Linux >= 4.0), so that what follows is
// measured without the generator's and the catalog writer's peak.
void resetPeakRss()
{
    QFile refs(QStringLiteral("/proc/self/clear_refs"));
    if (refs.open(QIODevice::WriteOnly))
        refs.write("5");
}

void printRss(const char *when)
{
    std::printf("memory %s: RSS %.0f MiB, peak %.0f MiB since the catalog was written\n", when, statusMiB("VmRSS:"), statusMiB("VmHWM:"));
}

}   // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int count = std::max(100, option(args, QStringLiteral("--photos"), QStringLiteral("50000")).toInt());
    const int k = std::max(2, option(args, QStringLiteral("--k"), QStringLiteral("10")).toInt());
    const QString workdir = option(args, QStringLiteral("--workdir"), QDir::tempPath() + QStringLiteral("/clade-bench-gallery"));
    const QString folder = QStringLiteral("%1/photos-%2").arg(workdir).arg(count);

    QElapsedTimer timer;
    timer.start();
    if (!makePhotos(folder, count)) {
        std::fprintf(stderr, "bench_gallery: cannot write photos under %s\n", qPrintable(folder));
        return 1;
    }
    std::printf("photos: %d generated 160x120 JPEGs in %s (%.1f s)\n", count, qPrintable(folder), timer.nsecsElapsed() / 1e9);
    QTemporaryDir scratch;
    const QString catalogPath = scratch.filePath(QStringLiteral("catalog.sqlite"));
    {
        auto catalog = Catalog::open(catalogPath);
        if (!catalog) {
            std::fprintf(stderr, "bench_gallery: %s\n", qPrintable(catalog.error()));
            return 1;
        }
        timer.restart();
        Result<qint64> run = fillCatalog(**catalog, QFileInfo(folder).canonicalFilePath(), k);
        if (!run) {
            std::fprintf(stderr, "bench_gallery: %s\n", qPrintable(run.error()));
            return 1;
        }
        std::printf("catalog: %d photos in %d groups written in %.1f s\n", count, k, timer.nsecsElapsed() / 1e9);
    }
    resetPeakRss();
    printRss("before the window");

    Exiv2MetadataReader metadata;
    OpenCvDecoder decoder(&metadata);
    ThumbnailCache thumbnails(decoder, scratch.filePath(QStringLiteral("thumbnails")));
    Heartbeat beat;

    // Baseline: the idle event loop's own jitter, 1 s.
    beat.start();
    QTimer::singleShot(1000, &app, &QCoreApplication::quit);
    app.exec();
    beat.timer.stop();
    const double idleLongest = beat.longestMs();

    timer.restart();
    auto catalog = Catalog::open(catalogPath);
    if (!catalog) {
        std::fprintf(stderr, "bench_gallery: %s\n", qPrintable(catalog.error()));
        return 1;
    }
    // No engine is loaded: browsing needs none, and no banner shows.
    AppCore core(catalogPath, &decoder, &metadata);
    MainWindowContext context;
    context.catalog = catalog->get();
    context.core = &core;
    context.decoder = &decoder;
    context.thumbnails = &thumbnails;
    MainWindow window(context);
    window.resize(1280, 800);
    window.show();
    window.openFolder(folder);
    app.processEvents();
    const double openSeconds = timer.nsecsElapsed() / 1e9;

    // Another group first (the window opens on the largest), then the largest: its members are
    // read off the GUI thread and shown when they arrive; the heartbeat measures the stall.
    const auto waitForGroup = [&] {
        while (window.loadingGroup())
            app.processEvents(QEventLoop::WaitForMoreEvents, 5);
    };
    waitForGroup();
    window.clusterView()->setCurrentIndex(window.clusterModel()->index(window.clusterModel()->rowOfCluster(1)));
    waitForGroup();
    beat.start();
    timer.restart();
    const int largestRow = window.clusterModel()->rowOfCluster(0);
    window.clusterView()->setCurrentIndex(window.clusterModel()->index(largestRow));
    waitForGroup();
    app.processEvents();
    const double selectSeconds = timer.nsecsElapsed() / 1e9;
    beat.timer.stop();
    const double selectStallMs = beat.longestMs();
    const int shown = window.photoModel()->rowCount();
    QScrollBar *bar = window.photoView()->verticalScrollBar();
    std::printf("\nopen the catalog and show it: %8.3f s   (target < 1 s: %s)\n", openSeconds, openSeconds < 1 ? "met" : "MISSED");
    std::printf("show the largest group (%d photos): %8.3f s, longest GUI-thread stall meanwhile %.1f ms   (target < 50 ms: %s)\n", shown,
                selectSeconds, selectStallMs, selectStallMs < 50 ? "met" : "MISSED");
    printRss("after showing it");
    std::fflush(stdout);
    if (args.contains(QStringLiteral("--no-scroll")))
        return 0;

    beat.start();
    timer.restart();
    int frames = 0;
    QTimer scroller;
    scroller.setTimerType(Qt::PreciseTimer);
    scroller.setInterval(16);
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        ++frames;
        if (bar->value() >= bar->maximum() && frames > 10) {
            scroller.stop();
            app.quit();
            return;
        }
        bar->setValue(bar->value() + bar->pageStep());
    });
    scroller.start();
    app.exec();
    beat.timer.stop();
    const double scrollSeconds = timer.nsecsElapsed() / 1e9;

    std::printf("scroll it end to end: %d frames in %.1f s, scroll bar 0..%d\n", frames, scrollSeconds, bar->maximum());
    std::printf("GUI-thread stall while scrolling: longest %.1f ms, 99th percentile %.1f ms   (target < 50 ms: %s)\n", beat.longestMs(),
                beat.percentileMs(0.99), beat.longestMs() < 50 ? "met" : "MISSED");
    std::printf("baseline, idle event loop: longest gap %.1f ms (ratio %.1fx)\n", idleLongest,
                beat.longestMs() / std::max(0.1, idleLongest));
    printRss("after scrolling");
    return 0;
}
