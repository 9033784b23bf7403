// OpenCvDecoder with the real Exiv2 reader behind it, on the shared corpus: RAW files through
// their embedded previews, orientation stored only in XMP, and the hostile files again (now the
// metadata reader parses them too).

#include "decodetestutil.h"
#include "exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "testsupport.h"

#include <QDir>
#include <QtTest>

using namespace clade;
using namespace clade::test;

class TestDecodeWithExiv2 : public QObject
{
    Q_OBJECT

private:
    static QStringList files(const QString &folder)
    {
        QStringList out;
        const QDir dir(sharedData(folder));
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
            if (name != QLatin1String("README.md") && name != QLatin1String("MANIFEST.tsv"))
                out << dir.filePath(name);
        return out;
    }
    static QString formatOf(const QString &path)
    {
        QFile in(path);
        return in.open(QIODevice::ReadOnly) ? sniffImageFormat(in.read(4096)) : QString();
    }

    Exiv2MetadataReader m_reader;
    OpenCvDecoder m_decoder{&m_reader};

private Q_SLOTS:
    void rawFilesDecodeFromTheirPreview()
    {
        CLADE_REQUIRE_SHARED("metadata");
        int raws = 0, decoded = 0;
        QHash<QString, int> longSide;
        for (const QString &file : files(QStringLiteral("metadata"))) {
            if (!isRawFormat(formatOf(file)))
                continue;
            ++raws;
            const auto result = m_decoder.decode(file);
            if (result) {
                ++decoded;
                QVERIFY(!result->isNull());
                longSide.insert(QFileInfo(file).fileName(), std::max(result->width, result->height));
            } else {
                QVERIFY2(result.error().contains(QFileInfo(file).fileName()), qPrintable(result.error()));
            }
            qInfo("%s: %s", qPrintable(QFileInfo(file).fileName()),
                  result ? qPrintable(QStringLiteral("%1x%2").arg(result->width).arg(result->height)) : qPrintable(result.error()));
        }
        qInfo("RAW files: %d, decoded from their preview: %d", raws, decoded);
        QVERIFY(raws >= 10);
        // Many samples are metadata-only stubs; these two carry real full-size previews.
        QVERIFY(longSide.value(QStringLiteral("exiv2_Canon-R6-pruned.CR3")) >= 1000);
        QVERIFY(longSide.value(QStringLiteral("photoprism_canon_eos_6d.dng")) >= 1000);
    }

    void cameraOrientationsStillUpright()
    {
        CLADE_REQUIRE_SHARED("metadata/recurser_Portrait_1.jpg");
        const auto reference = m_decoder.decode(sharedData(QStringLiteral("metadata/recurser_Portrait_1.jpg")));
        QVERIFY(reference);
        for (int o = 2; o <= 8; ++o) {
            const auto result = m_decoder.decode(sharedData(QStringLiteral("metadata/recurser_Portrait_%1.jpg").arg(o)));
            QVERIFY(result);
            QVERIFY2(meanAbsDiff(*result, *reference) < 6.0, qPrintable(QString::number(o)));
        }
    }

    void xmpOnlyOrientationIsApplied()
    {
        CLADE_REQUIRE_SHARED("metadata/pillow_xmp_tags_orientation.png");
        const QString file = sharedData(QStringLiteral("metadata/pillow_xmp_tags_orientation.png"));
        const auto metadata = m_reader.read(file);
        QVERIFY2(metadata, metadata ? "" : qPrintable(metadata.error()));
        if (metadata->orientation < 2)
            QSKIP("this Exiv2 build does not report the XMP orientation of the file");
        DecodeOptions asStored;
        asStored.applyOrientation = false;
        const auto stored = m_decoder.decode(file, asStored);
        const auto upright = m_decoder.decode(file);
        QVERIFY(stored && upright);
        // storedFor(x, o) undoes orientation o; undoing its inverse applies it.
        const int o = metadata->orientation;
        const int inverse = o == 6 ? 8 : o == 8 ? 6 : o;
        const QImage storedImage(stored->data.data(), stored->width, stored->height, stored->width * 3, QImage::Format_RGB888);
        QVERIFY(meanAbsDiff(*upright, toRgbImage(storedFor(storedImage, inverse))) < 0.5);
        QVERIFY(meanAbsDiff(*upright, *stored) > 1.0);
    }

    void hostileFilesStillEndInAResult()
    {
        CLADE_REQUIRE_SHARED("malformed");
        int decoded = 0, refused = 0;
        for (const QString &file : files(QStringLiteral("malformed")))
            m_decoder.decode(file) ? ++decoded : ++refused;
        qInfo("malformed with Exiv2 previews: %d decoded, %d refused", decoded, refused);
        QVERIFY(decoded > 0 && refused > 0);
    }
};

QTEST_GUILESS_MAIN(TestDecodeWithExiv2)
#include "tst_decodewithexiv2.moc"
