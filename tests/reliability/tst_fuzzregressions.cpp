// Every input saved under tests/fuzz/regressions/<target>/ (crashes the fuzzers found, and
// hand-made hostile inputs) goes through the same entry point as the libFuzzer harness. A
// regression shows as a crash, a hang (ctest timeout) or, in the asan preset, a sanitizer report.
#include "fuzzentries.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <functional>

namespace {

using Entry = std::function<int(const std::uint8_t *, std::size_t)>;

int feedAll(const QString &target, const Entry &entry)
{
    const QDir dir(QStringLiteral(CLADE_FUZZ_REGRESSIONS) + QLatin1Char('/') + target);
    int fed = 0;
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files | QDir::Hidden, QDir::Name)) {
        QFile f(info.filePath());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        if (entry(reinterpret_cast<const std::uint8_t *>(bytes.constData()), std::size_t(bytes.size())) != 0)
            return -1;
        ++fed;
    }
    return fed;
}

}   // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void regressions_data()
    {
        QTest::addColumn<QString>("target");
        for (const char *t : {"npy", "exiv2Metadata", "decoder", "catalogue", "safetensors"})
            QTest::newRow(t) << QString::fromLatin1(t);
    }

    void regressions()
    {
        QFETCH(QString, target);
        static const QHash<QString, Entry> entries = {
            {QStringLiteral("npy"), clade::fuzz::npy},
            {QStringLiteral("exiv2Metadata"), clade::fuzz::exiv2Metadata},
            {QStringLiteral("decoder"), clade::fuzz::decoder},
            {QStringLiteral("catalogue"), clade::fuzz::catalogue},
            {QStringLiteral("safetensors"), clade::fuzz::safetensors},
        };
        const int fed = feedAll(target, entries.value(target));
        QVERIFY(fed >= 0);
        qInfo("%s: %d saved input(s)", qPrintable(target), fed);
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
