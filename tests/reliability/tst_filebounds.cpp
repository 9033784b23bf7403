// Every file of ../shared/data/malformed and ../shared/data/metadata goes through format
// sniffing, metadata, decode and thumbnail within a time and a memory bound per file. A child
// process (this executable, in worker mode) does the work, so a crash or hang names its file
// and cannot take the test down; the child resets its peak RSS before each file and reports
// the growth, and the parent checks the bounds.
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/thumbnailcache.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtTest>

#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>

using namespace clade;

namespace {

constexpr qint64 kMaxMsPerFile = 10'000;                 // wall time on a loaded 2-core machine
constexpr qint64 kMaxGrowthKb = 512 * 1024;              // peak RSS growth while one file is read
constexpr qint64 kHangMs = 60'000;                       // no answer for this long: hung, killed
constexpr rlim_t kChildAddressSpace = rlim_t(6) << 30;   // keeps a runaway from hurting the machine
const char *const kWorkerEnv = "CLADE_FILEBOUNDS_WORKER";
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kAddressSanitizer = true;   // ASan and TSan reserve terabytes of shadow: no address-space limit
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A line "Key:   1234 kB" of /proc/self/status, in kB (-1 when absent).
qint64 statusKb(const QByteArray &key)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(key + ':'))
            return line.mid(key.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Peak RSS (VmHWM) starts again from the current RSS: "5" to clear_refs (Linux >= 4.0).
bool resetPeakRss()
{
    QFile file(QStringLiteral("/proc/self/clear_refs"));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

// What the pipeline does with one file before embedding it. Errors are fine; only the bounds matter.
QString readOneFile(const QString &path, const Exiv2MetadataReader &metadata, const OpenCvDecoder &decoder, ThumbnailCache &thumbnails)
{
    QFile file(path);
    QString format = file.open(QIODevice::ReadOnly) ? sniffImageFormat(file.read(64)) : QStringLiteral("unreadable");
    Result<PhotoMetadata> meta = metadata.read(path);
    DecodeOptions options;
    options.minShortSide = 224;
    Result<RgbImage> image = decoder.decode(path, options);
    Result<QString> thumbnail = thumbnails.thumbnail(path, QFileInfo(path).fileName(), 256);
    return QStringLiteral("%1 meta:%2 decode:%3 thumb:%4")
        .arg(format.isEmpty() ? QStringLiteral("?") : format, meta.ok() ? QStringLiteral("ok") : QStringLiteral("error"),
             image.ok() ? QStringLiteral("ok") : QStringLiteral("error"), thumbnail.ok() ? QStringLiteral("ok") : QStringLiteral("error"));
}

// Worker mode: reads paths from stdin; prints "begin PATH" before and "end MS GROWTH_KB SUMMARY"
// after each, flushed, so the parent knows which file was in hand when something went wrong.
int workerMain()
{
    if (!kAddressSanitizer) {
        const rlimit limit{kChildAddressSpace, kChildAddressSpace};
        setrlimit(RLIMIT_AS, &limit);
    }
    QTemporaryDir thumbDir;
    Exiv2MetadataReader metadata;
    OpenCvDecoder decoder(&metadata);
    ThumbnailCache thumbnails(decoder, thumbDir.path());
    QTextStream in(stdin);
    QString path;
    while (in.readLineInto(&path)) {
        malloc_trim(0);   // memory freed by the last file goes back, so growth is measured afresh
        if (!resetPeakRss())
            return 2;
        const qint64 before = statusKb("VmRSS");
        std::printf("begin %s\n", qPrintable(path));
        std::fflush(stdout);
        QElapsedTimer timer;
        timer.start();
        const QString summary = readOneFile(path, metadata, decoder, thumbnails);
        const qint64 ms = timer.elapsed();
        const qint64 peak = statusKb("VmHWM");
        // The kernel's RSS counters are approximate (batched per thread), so a file that needs no
        // memory can read a few hundred kB below `before` (seen under ASan): that is no growth.
        // -1 says a figure was missing.
        const qint64 growth = peak < 0 || before < 0 ? -1 : std::max<qint64>(0, peak - before);
        std::printf("end %lld %lld %s\n", ms, growth, qPrintable(summary));
        std::fflush(stdout);
    }
    return 0;
}

struct FileOutcome
{
    QString path;
    qint64 ms = -1;
    qint64 growthKb = -1;
    QString summary;
    QString failure;   // crash or hang: what happened
};

}   // namespace

class TestFileBounds : public QObject
{
    Q_OBJECT

private:
    // Runs files through worker children; a crash or hang is that file's outcome and a fresh
    // child carries on with the next file.
    static std::vector<FileOutcome> runWorkers(const QStringList &files)
    {
        std::vector<FileOutcome> outcomes;
        qsizetype next = 0;
        while (next < files.size()) {
            QProcess child;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QString::fromLatin1(kWorkerEnv), QStringLiteral("1"));
            child.setProcessEnvironment(env);
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start(QCoreApplication::applicationFilePath(), {});
            if (!child.waitForStarted(60'000))
                return outcomes;
            child.write(files.mid(next).join(QLatin1Char('\n')).toUtf8() + '\n');
            child.closeWriteChannel();
            next += readWorker(child, outcomes);
        }
        return outcomes;
    }

    // Returns how many files this child dealt with (finished, crashed on or hung on).
    static qsizetype readWorker(QProcess &child, std::vector<FileOutcome> &outcomes)
    {
        qsizetype handled = 0;
        bool inFile = false;
        QElapsedTimer quiet;
        quiet.start();
        for (;;) {
            while (child.canReadLine()) {
                const QString line = QString::fromUtf8(child.readLine()).trimmed();
                quiet.restart();
                if (line.startsWith(QLatin1String("begin "))) {
                    outcomes.push_back({line.mid(6), -1, -1, {}, {}});
                    inFile = true;
                } else if (line.startsWith(QLatin1String("end ")) && inFile) {
                    const QStringList parts = line.split(QLatin1Char(' '));
                    outcomes.back().ms = parts.value(1).toLongLong();
                    outcomes.back().growthKb = parts.value(2).toLongLong();
                    outcomes.back().summary = parts.mid(3).join(QLatin1Char(' '));
                    inFile = false;
                    ++handled;
                }
            }
            if (child.state() == QProcess::NotRunning && !child.canReadLine())
                break;
            if (quiet.elapsed() > kHangMs) {
                child.kill();
                child.waitForFinished(10'000);
                if (inFile)
                    outcomes.back().failure = QStringLiteral("no answer for %1 s: hung").arg(kHangMs / 1000);
                return handled + (inFile ? 1 : 0);
            }
            child.waitForReadyRead(100);
        }
        if (inFile)   // the child died with this file in hand
            outcomes.back().failure =
                QStringLiteral("the worker died (exit status %1, code %2)")
                    .arg(child.exitStatus() == QProcess::CrashExit ? QStringLiteral("crash") : QStringLiteral("normal"))
                    .arg(child.exitCode());
        else if (child.exitCode() != 0 || child.exitStatus() != QProcess::NormalExit)
            outcomes.push_back({QStringLiteral("(worker)"), -1, -1, {}, QStringLiteral("worker failed outside a file")});
        return std::max<qsizetype>(handled + (inFile ? 1 : 0), 1);
    }

    static QStringList filesIn(const QString &dir)
    {
        QStringList files;
        for (const QFileInfo &f : QDir(dir).entryInfoList(QDir::Files, QDir::Name)) {
            if (f.suffix() != QLatin1String("md") && f.suffix() != QLatin1String("tsv"))
                files << f.absoluteFilePath();
        }
        return files;
    }

    static void checkFolder(const QString &dir)
    {
        const QStringList files = filesIn(dir);
        QVERIFY(!files.isEmpty());
        QElapsedTimer timer;
        timer.start();
        const std::vector<FileOutcome> outcomes = runWorkers(files);
        QCOMPARE(qsizetype(outcomes.size()), files.size());
        const FileOutcome *slowest = &outcomes.front();
        const FileOutcome *hungriest = &outcomes.front();
        for (const FileOutcome &o : outcomes) {
            const QString name = QFileInfo(o.path).fileName();
            QVERIFY2(o.failure.isEmpty(), qPrintable(name + QLatin1String(": ") + o.failure));
            QVERIFY2(o.ms >= 0 && o.ms < kMaxMsPerFile, qPrintable(QStringLiteral("%1 took %2 ms").arg(name).arg(o.ms)));
            QVERIFY2(o.growthKb >= 0 && o.growthKb < kMaxGrowthKb,
                     qPrintable(QStringLiteral("%1: peak RSS grew by %2 kB").arg(name).arg(o.growthKb)));
            slowest = o.ms > slowest->ms ? &o : slowest;
            hungriest = o.growthKb > hungriest->growthKb ? &o : hungriest;
        }
        qInfo("%lld files in %lld ms; slowest %s %lld ms; largest peak RSS growth %s %lld kB", qint64(files.size()), timer.elapsed(),
              qPrintable(QFileInfo(slowest->path).fileName()), slowest->ms, qPrintable(QFileInfo(hungriest->path).fileName()),
              hungriest->growthKb);
    }

private Q_SLOTS:
    void malformedFilesWithinBounds()
    {
        CLADE_REQUIRE_SHARED("malformed");
        checkFolder(test::sharedData(QStringLiteral("malformed")));
    }

    void metadataFilesWithinBounds()
    {
        CLADE_REQUIRE_SHARED("metadata");
        checkFolder(test::sharedData(QStringLiteral("metadata")));
    }

    // The measurement itself: a PNG (no reduced-scale decoding) of 4000x3000 needs at least its
    // 36 MB of RGB pixels, and the growth shows it. A small JPEG goes first, so one-time library
    // set-up is not what is measured.
    void growthIsMeasured()
    {
        QTemporaryDir dir;
        const QString small = dir.filePath(QStringLiteral("small.jpg"));
        const QString big = dir.filePath(QStringLiteral("big.png"));
        QVERIFY(test::writeJpeg(small, 64, 48, Qt::darkCyan));
        QImage image(4000, 3000, QImage::Format_RGB888);
        image.fill(Qt::darkYellow);
        QVERIFY(image.save(big, "PNG"));
        const std::vector<FileOutcome> outcomes = runWorkers({small, big});
        QCOMPARE(outcomes.size(), std::size_t(2));
        qInfo("peak RSS growth: small JPEG %lld kB, 4000x3000 PNG %lld kB", outcomes[0].growthKb, outcomes[1].growthKb);
        QVERIFY2(outcomes[1].failure.isEmpty(), qPrintable(outcomes[1].failure));
        QVERIFY2(outcomes[1].summary.contains(QLatin1String("decode:ok")), qPrintable(outcomes[1].summary));
        QVERIFY2(outcomes[1].growthKb > 30 * 1024, qPrintable(QString::number(outcomes[1].growthKb)));
        QVERIFY2(outcomes[1].growthKb > 4 * outcomes[0].growthKb,
                 qPrintable(QStringLiteral("%1 vs %2").arg(outcomes[1].growthKb).arg(outcomes[0].growthKb)));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kWorkerEnv))
        return workerMain();
    TestFileBounds test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_filebounds.moc"
