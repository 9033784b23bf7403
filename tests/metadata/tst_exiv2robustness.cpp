// Every file in ../shared/data/metadata and ../shared/data/malformed (fuzzing PoCs, truncated
// and corrupt files) goes through read() and largestPreview(): each call returns a value or an
// Error naming the file, never a crash or a hang (ctest's TIMEOUT catches a hang). Then the same
// files are read (metadata and preview) from several threads at once and must give the
// single-threaded results.

#include "exiv2metadatareader.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QTest>

#include <thread>

using namespace clade;

namespace {

QStringList filesIn(const QString &folder)
{
    QStringList paths;
    const QDir dir(clade::test::sharedData(folder));
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files, QDir::Name))
        paths << info.absoluteFilePath();
    return paths;
}

QString describe(const Result<PhotoMetadata> &result)
{
    if (!result.ok())
        return QStringLiteral("error: ") + result.error();
    const PhotoMetadata &m = *result;
    const auto number = [](const std::optional<double> &v) { return v ? QString::number(*v, 'f', 9) : QStringLiteral("-"); };
    return QStringList{m.takenAt.toString(Qt::ISODateWithMs),
                       m.cameraMake,
                       m.cameraModel,
                       m.lens,
                       QString::number(m.orientation),
                       number(m.latitude),
                       number(m.longitude),
                       number(m.altitude),
                       m.keywords.join(QLatin1Char(',')),
                       QStringLiteral("%1x%2").arg(m.pixelWidth).arg(m.pixelHeight)}
        .join(QLatin1Char('|'));
}

QString describe(const Result<std::vector<std::uint8_t>> &preview)
{
    if (!preview.ok())
        return QStringLiteral("error: ") + preview.error();
    const QByteArray bytes(reinterpret_cast<const char *>(preview->data()), qsizetype(preview->size()));
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
}

// Everything both calls return for one file, as one comparable line.
QString describe(const Exiv2MetadataReader &reader, const QString &path)
{
    return describe(reader.read(path)) + QStringLiteral(" / preview ") + describe(reader.largestPreview(path));
}

bool isImageName(const QString &path)
{
    static const QStringList notImages = {QStringLiteral("md"), QStringLiteral("tsv"), QStringLiteral("gpx")};
    return !notImages.contains(QFileInfo(path).suffix().toLower());
}

}   // namespace

class TestExiv2Robustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyFileReturnsValueOrError_data();
    void everyFileReturnsValueOrError();
    void metadataFilesAreReadable();
    void concurrentReadsMatchSerialReads();

private:
    Exiv2MetadataReader m_reader;
};

void TestExiv2Robustness::initTestCase()
{
    CLADE_REQUIRE_SHARED("metadata");
    CLADE_REQUIRE_SHARED("malformed");
}

void TestExiv2Robustness::everyFileReturnsValueOrError_data()
{
    QTest::addColumn<QString>("folder");
    QTest::newRow("metadata") << QStringLiteral("metadata");
    QTest::newRow("malformed") << QStringLiteral("malformed");
}

void TestExiv2Robustness::everyFileReturnsValueOrError()
{
    QFETCH(QString, folder);
    const QStringList paths = filesIn(folder);
    QVERIFY2(paths.size() > 200, qPrintable(QString::number(paths.size())));
    int readOk = 0;
    int previewOk = 0;
    for (const QString &path : paths) {
        const auto metadata = m_reader.read(path);
        if (metadata.ok())
            ++readOk;
        else
            QVERIFY2(metadata.error().contains(path), qPrintable(metadata.error()));
        const auto preview = m_reader.largestPreview(path);
        if (preview.ok())
            QVERIFY2(!preview->empty(), qPrintable(path));
        else
            QVERIFY2(preview.error().contains(path), qPrintable(preview.error()));
        previewOk += preview.ok() ? 1 : 0;
    }
    qInfo("%s: %lld files; read(): %d ok, %lld errors; largestPreview(): %d ok, %lld errors", qPrintable(folder), qlonglong(paths.size()),
          readOk, qlonglong(paths.size() - readOk), previewOk, qlonglong(paths.size() - previewOk));
}

// README: Exiv2 0.27.6 reads every image here except the trimmed CR3 stub and the X3F file.
void TestExiv2Robustness::metadataFilesAreReadable()
{
    const QStringList knownUnreadable = {QStringLiteral("exiftool_CanonRaw.cr3"), QStringLiteral("exiftool_Sigma.x3f")};
    QStringList failures;
    for (const QString &path : filesIn(QStringLiteral("metadata"))) {
        if (!isImageName(path) || knownUnreadable.contains(QFileInfo(path).fileName()))
            continue;
        const auto metadata = m_reader.read(path);
        if (!metadata.ok())
            failures << metadata.error();
    }
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
}

void TestExiv2Robustness::concurrentReadsMatchSerialReads()
{
    const QStringList paths = filesIn(QStringLiteral("metadata")) + filesIn(QStringLiteral("malformed"));
    QStringList expected;
    for (const QString &path : paths)
        expected << describe(m_reader, path);

    constexpr int threads = 4;
    std::vector<QStringList> mismatches(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (qsizetype k = 0; k < paths.size(); ++k) {
                const qsizetype i = (k + t * paths.size() / threads) % paths.size();
                const QString got = describe(m_reader, paths[i]);
                if (got != expected[i])
                    mismatches[t] << paths[i] + QStringLiteral(": ") + got + QStringLiteral(" != ") + expected[i];
            }
        });
    }
    for (auto &worker : workers)
        worker.join();
    for (const QStringList &m : mismatches)
        QVERIFY2(m.isEmpty(), qPrintable(m.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestExiv2Robustness)
#include "tst_exiv2robustness.moc"
