// The XMP keyword writer on real files: sidecars and JPEG/TIFF files written by the test, read
// back with Exiv2 itself; RAW files, read-only targets and failed writes left byte-identical.
#include "testsupport.h"

#include "xmpkeywordwriter.h"

#include <exiv2/exiv2.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <utime.h>

using namespace clade;

namespace {

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QString allValues(const Exiv2::Xmpdatum &d)
{
    if (d.typeId() != Exiv2::xmpBag && d.typeId() != Exiv2::xmpSeq && d.typeId() != Exiv2::xmpAlt)
        return QString::fromStdString(d.toString());
    QStringList values;
    for (long i = 0; i < d.count(); ++i)
        values << QString::fromStdString(d.toString(i));
    return values.join(QLatin1String("; "));
}

bool isKeywordKey(const QString &key)
{
    return key == QLatin1String("Xmp.dc.subject") || key == QLatin1String("Xmp.lr.hierarchicalSubject")
           || key == QLatin1String("Xmp.digiKam.TagsList") || key == QLatin1String("Xmp.xmp.MetadataDate")
           || key == QLatin1String("Iptc.Application2.Keywords");   // Exiv2 derives it from dc:subject in sidecars
}

mode_t modeOf(const QString &path)
{
    struct stat st
    { };
    ::stat(QFile::encodeName(path).constData(), &st);
    return st.st_mode & 07777;
}

// Metadata as Exiv2 reads it from a file: every key with its value as text.
QMap<QString, QString> exiv2Read(const QString &path)
{
    QMap<QString, QString> out;
    auto image = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
    image->readMetadata();
    for (const auto &d : image->xmpData())
        out.insert(QString::fromStdString(d.key()), allValues(d));
    for (const auto &d : image->exifData())
        out.insert(QString::fromStdString(d.key()), QString::fromStdString(d.toString()));
    for (const auto &d : image->iptcData())
        out.insert(QString::fromStdString(d.key()), QString::fromStdString(d.toString()));
    return out;
}

QStringList items(const QString &path, const char *key)
{
    auto image = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
    image->readMetadata();
    QStringList out;
    const auto it = image->xmpData().findKey(Exiv2::XmpKey(key));
    if (it != image->xmpData().end())
        for (long i = 0; i < it->count(); ++i)
            out << QString::fromStdString(it->toString(i));
    return out;
}

void setMetadata(const QString &path)
{
    auto image = Exiv2::ImageFactory::open(QFile::encodeName(path).toStdString());
    image->readMetadata();
    image->exifData()["Exif.Image.Make"] = "Clade Test Camera";
    image->exifData()["Exif.Image.Artist"] = "A. Photographer";
    image->iptcData()["Iptc.Application2.Keywords"] = "iptc-keyword";
    image->xmpData()["Xmp.dc.creator"] = "Someone Else";
    image->xmpData()["Xmp.xmp.Rating"] = "4";
    image->writeMetadata();
}

const QByteArray kExistingSidecar = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                                    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                                    "  <rdf:Description rdf:about=\"\"\n"
                                    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                                    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                                    "    xmlns:lr=\"http://ns.adobe.com/lightroom/1.0/\"\n"
                                    "    xmlns:my=\"http://example.org/my-tool/1.0/\"\n"
                                    "    xmp:Rating=\"3\" my:Flag=\"kept\">\n"
                                    "   <dc:subject><rdf:Bag><rdf:li>beach</rdf:li><rdf:li>family</rdf:li></rdf:Bag></dc:subject>\n"
                                    "   <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>\n"
                                    "   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|Beach</rdf:li></rdf:Bag></lr:hierarchicalSubject>\n"
                                    "  </rdf:Description>\n"
                                    " </rdf:RDF>\n"
                                    "</x:xmpmeta>\n";

KeywordWriteReport run(const std::vector<KeywordJob> &jobs, KeywordOptions options = {})
{
    auto report = writeClusterKeywords(jobs, options);
    if (!report)
        qFatal("writeClusterKeywords: %s", qPrintable(report.error()));
    return *report;
}

QStringList leftovers(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral(".clade-tmp-*")}, QDir::Files | QDir::Hidden);
}

}   // namespace

class TestXmpKeywordWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString photo(const QString &name, int variant = 0)
    {
        const QString p = path(name);
        if (!clade::test::writeJpeg(p, 200, 150, QColor::fromHsv(variant * 40 % 360, 200, 200), 90, variant))
            qFatal("cannot write %s", qPrintable(p));
        return p;
    }

private Q_SLOTS:
    void keywordRules()
    {
        QCOMPARE(keywords::keywordName(QStringLiteral("  indoor/outdoor | x\x01y\tz ")), QStringLiteral("indoor-outdoor - xy z"));
        QVERIFY(keywords::keywordName(QStringLiteral("\x01\x02 ")).isEmpty());
        const KeywordLists before{{"beach", "dog"}, {"Places|Beach", "Clade|dog"}, {"Clade/dog", "People/Ann"}};
        const KeywordLists after = keywords::merge(before, QStringLiteral("cat"));
        QCOMPARE(after.subject, (QStringList{"beach", "cat"}));
        QCOMPARE(after.hierarchical, (QStringList{"Places|Beach", "Clade|cat"}));
        QCOMPARE(after.tagsList, (QStringList{"People/Ann", "Clade/cat"}));
        QCOMPARE(keywords::merge(after, QStringLiteral("cat")), after);
        QVERIFY(keywords::hasRawExtension(QStringLiteral("/x/IMG_1.NEF")));
        QVERIFY(!keywords::hasRawExtension(QStringLiteral("/x/IMG_1.jpg")));
    }

    void sidecarsInBothNamingsReadBackWithExiv2()
    {
        const QString a = photo(QStringLiteral("a.jpg"), 1);
        const QString b = photo(QStringLiteral("b.jpg"), 2);
        const QByteArray aBytes = bytesOf(a);
        KeywordWriteReport r = run({{a, QStringLiteral("harbour")}});
        QCOMPARE(r.written, 1);
        QCOMPARE(r.results[0].targetPath, a + QStringLiteral(".xmp"));
        r = run({{b, QStringLiteral("forest")}}, {KeywordTarget::Sidecar, SidecarNaming::ReplaceExtension});
        QCOMPARE(r.written, 1);
        QCOMPARE(r.results[0].targetPath, path(QStringLiteral("b.xmp")));
        QCOMPARE(items(a + QStringLiteral(".xmp"), "Xmp.dc.subject"), QStringList{"harbour"});
        QCOMPARE(items(a + QStringLiteral(".xmp"), "Xmp.lr.hierarchicalSubject"), QStringList{"Clade|harbour"});
        QCOMPARE(items(a + QStringLiteral(".xmp"), "Xmp.digiKam.TagsList"), QStringList{"Clade/harbour"});
        QCOMPARE(items(path(QStringLiteral("b.xmp")), "Xmp.digiKam.TagsList"), QStringList{"Clade/forest"});
        QCOMPARE(bytesOf(a), aBytes);
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    void mergeKeepsExistingContentAndReplacesOldCladeKeywords()
    {
        const QString p = photo(QStringLiteral("merge.jpg"), 3);
        const QString sidecar = p + QStringLiteral(".xmp");
        QVERIFY(writeFile(sidecar, kExistingSidecar));
        QVERIFY(QFile::setPermissions(sidecar, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        const QMap<QString, QString> before = exiv2Read(sidecar);
        QCOMPARE(run({{p, QStringLiteral("dog")}}).written, 1);
        const QMap<QString, QString> after = exiv2Read(sidecar);
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (!isKeywordKey(it.key()))
                QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key()));
        }
        QCOMPARE(after.value(QStringLiteral("Xmp.my.Flag")), QStringLiteral("kept"));
        QCOMPARE(items(sidecar, "Xmp.dc.subject"), (QStringList{"beach", "family", "dog"}));
        QCOMPARE(items(sidecar, "Xmp.lr.hierarchicalSubject"), (QStringList{"Places|Beach", "Clade|dog"}));
        QCOMPARE(modeOf(sidecar), mode_t(0640));

        const QByteArray once = bytesOf(sidecar);
        KeywordWriteReport again = run({{p, QStringLiteral("dog")}});
        QCOMPARE(again.unchanged, 1);
        QCOMPARE(bytesOf(sidecar), once);

        QCOMPARE(run({{p, QStringLiteral("Cat")}}).written, 1);
        QCOMPARE(items(sidecar, "Xmp.dc.subject"), (QStringList{"beach", "family", "Cat"}));
        QCOMPARE(items(sidecar, "Xmp.lr.hierarchicalSubject"), (QStringList{"Places|Beach", "Clade|Cat"}));
        QCOMPARE(items(sidecar, "Xmp.digiKam.TagsList"), QStringList{"Clade/Cat"});
        QCOMPARE(exiv2Read(sidecar).value(QStringLiteral("Xmp.dc.creator")), before.value(QStringLiteral("Xmp.dc.creator")));
    }

    void rawFilesAreNeverWritten()
    {
        QByteArray fake("II*\0", 4);
        fake += QByteArray(4000, '\x5a');
        const QString nef = path(QStringLiteral("DSC_0001.NEF"));
        QVERIFY(writeFile(nef, fake));
        QStringList raws{nef};
        const QString shared = clade::test::sharedData(QStringLiteral("metadata/exiftool_Nikon.nef"));
        if (!shared.isEmpty()) {
            QVERIFY(QFile::copy(shared, path(QStringLiteral("real.nef"))));
            raws << path(QStringLiteral("real.nef"));
        }
        for (const QString &raw : raws) {
            const QByteArray before = bytesOf(raw);
            KeywordWriteReport r = run({{raw, QStringLiteral("birds")}}, {KeywordTarget::Embedded});
            QCOMPARE(r.skippedRaw, 1);
            QCOMPARE(bytesOf(raw), before);
            QVERIFY(!QFileInfo::exists(raw + QStringLiteral(".xmp")));
            r = run({{raw, QStringLiteral("birds")}});
            QCOMPARE(r.written, 1);
            QCOMPARE(bytesOf(raw), before);
            QCOMPARE(items(raw + QStringLiteral(".xmp"), "Xmp.dc.subject"), QStringList{"birds"});
        }
    }

    void embeddedJpegKeepsPixelsAndMetadata()
    {
        const QString p = photo(QStringLiteral("embedded.jpg"), 4);
        setMetadata(p);
        QVERIFY(QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        const QImage pixels(p);
        const QMap<QString, QString> before = exiv2Read(p);
        QCOMPARE(run({{p, QStringLiteral("harbour")}}, {KeywordTarget::Embedded}).written, 1);
        QCOMPARE(QImage(p), pixels);
        const QMap<QString, QString> after = exiv2Read(p);
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (!isKeywordKey(it.key()))
                QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key()));
        }
        QCOMPARE(after.value(QStringLiteral("Iptc.Application2.Keywords")), QStringLiteral("iptc-keyword"));
        QCOMPARE(items(p, "Xmp.dc.subject"), QStringList{"harbour"});
        QCOMPARE(items(p, "Xmp.lr.hierarchicalSubject"), QStringList{"Clade|harbour"});
        QCOMPARE(items(p, "Xmp.digiKam.TagsList"), QStringList{"Clade/harbour"});
        QCOMPARE(modeOf(p), mode_t(0640));
        QVERIFY(!QFileInfo::exists(p + QStringLiteral(".xmp")));
        QCOMPARE(run({{p, QStringLiteral("harbour")}}, {KeywordTarget::Embedded}).unchanged, 1);
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    void embeddedKeepsModifiedTimeOnlyWhenAsked()
    {
        const QString p = photo(QStringLiteral("mtime.jpg"), 5);
        const struct utimbuf old
        {
            1'000'000'000, 1'000'000'000
        };
        QCOMPARE(::utime(QFile::encodeName(p).constData(), &old), 0);
        KeywordOptions keep{KeywordTarget::Embedded};
        keep.keepModifiedTime = true;
        QCOMPARE(run({{p, QStringLiteral("a")}}, keep).written, 1);
        QCOMPARE(QFileInfo(p).lastModified().toSecsSinceEpoch(), 1'000'000'000);
        QCOMPARE(run({{p, QStringLiteral("b")}}, {KeywordTarget::Embedded}).written, 1);
        QVERIFY(QFileInfo(p).lastModified().toSecsSinceEpoch() > 1'000'000'000);
    }

    void embeddedTiffAndOtherFormats()
    {
        cv::Mat image(48, 64, CV_8UC3);
        cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
        const QString tif = path(QStringLiteral("scan.tif"));
        const QString png = path(QStringLiteral("shot.png"));
        QVERIFY(cv::imwrite(QFile::encodeName(tif).toStdString(), image));
        QVERIFY(cv::imwrite(QFile::encodeName(png).toStdString(), image));
        const QByteArray pngBytes = bytesOf(png);
        const KeywordWriteReport r = run({{tif, QStringLiteral("sky")}, {png, QStringLiteral("sky")}}, {KeywordTarget::Embedded});
        QCOMPARE(r.results[0].outcome, KeywordOutcome::Written);
        QCOMPARE(r.results[1].outcome, KeywordOutcome::SkippedFormat);
        const cv::Mat after = cv::imread(QFile::encodeName(tif).toStdString(), cv::IMREAD_UNCHANGED);
        QVERIFY(!after.empty());
        QCOMPARE(cv::norm(image, after, cv::NORM_INF), 0.0);
        QCOMPARE(items(tif, "Xmp.dc.subject"), QStringList{"sky"});
        QCOMPARE(bytesOf(png), pngBytes);
    }

    // The writer treats a folder or file without write bits as read-only even for root, so
    // this runs the same as root (where chmod alone would not stop a write) and as a user.
    void readOnlyTargetsAreReportedAndLeftAlone() { checkReadOnlyTargets(); }

    // The same as nobody when the suite runs as root (CI), where the system refuses the writes.
    void readOnlyTargetsAsAnUnprivilegedUser()
    {
        CLADE_RUN_AS_NOBODY();
        checkReadOnlyTargets();
    }

private:
    void checkReadOnlyTargets()
    {
        const QString dir = path(QStringLiteral("readonly"));
        QVERIFY(QDir().mkpath(dir));
        const QString p1 = dir + QStringLiteral("/one.jpg");
        const QString p2 = dir + QStringLiteral("/two.jpg");
        QVERIFY(clade::test::writeJpeg(p1, 80, 60, Qt::red));
        QVERIFY(clade::test::writeJpeg(p2, 80, 60, Qt::blue));
        QVERIFY(writeFile(p2 + QStringLiteral(".xmp"), kExistingSidecar));
        const QByteArray b1 = bytesOf(p1), b2 = bytesOf(p2), s2 = bytesOf(p2 + QStringLiteral(".xmp"));
        QCOMPARE(::chmod(QFile::encodeName(dir).constData(), 0555), 0);
        KeywordWriteReport r = run({{p1, QStringLiteral("x")}, {p2, QStringLiteral("x")}});
        KeywordWriteReport e = run({{p1, QStringLiteral("x")}}, {KeywordTarget::Embedded});
        QCOMPARE(::chmod(QFile::encodeName(dir).constData(), 0755), 0);
        QCOMPARE(r.failed, 2);
        QCOMPARE(e.failed, 1);
        QVERIFY2(r.results[0].error.contains(QLatin1String("read-only")), qPrintable(r.results[0].error));
        QVERIFY(e.results[0].error.contains(QLatin1String("read-only")));
        QCOMPARE(bytesOf(p1), b1);
        QCOMPARE(bytesOf(p2), b2);
        QCOMPARE(bytesOf(p2 + QStringLiteral(".xmp")), s2);
        QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden).size(), 3);

        QCOMPARE(::chmod(QFile::encodeName(p2 + QStringLiteral(".xmp")).constData(), 0444), 0);
        r = run({{p2, QStringLiteral("x")}});
        QCOMPARE(r.failed, 1);
        QVERIFY(r.results[0].error.contains(QLatin1String("read-only")));
        QCOMPARE(bytesOf(p2 + QStringLiteral(".xmp")), s2);

        // Keywords already in place: nothing to write, so a read-only folder is no failure.
        QCOMPARE(run({{p1, QStringLiteral("y")}}).written, 1);
        QCOMPARE(::chmod(QFile::encodeName(dir).constData(), 0555), 0);
        r = run({{p1, QStringLiteral("y")}});
        QCOMPARE(::chmod(QFile::encodeName(dir).constData(), 0755), 0);
        QCOMPARE(r.unchanged, 1);
    }

private Q_SLOTS:
    void failedWritesLeaveOldFilesByteIdentical()
    {
        const QString p = photo(QStringLiteral("broken-sidecar.jpg"), 6);
        const QString sidecar = p + QStringLiteral(".xmp");
        const QByteArray garbage("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><unclosed");
        QVERIFY(writeFile(sidecar, garbage));
        KeywordWriteReport r = run({{p, QStringLiteral("x")}});
        QCOMPARE(r.failed, 1);
        QCOMPARE(bytesOf(sidecar), garbage);

        const QString truncated = path(QStringLiteral("truncated.jpg"));
        QVERIFY(writeFile(truncated, bytesOf(photo(QStringLiteral("whole.jpg"), 7)).left(300)));
        const QByteArray tBytes = bytesOf(truncated);
        r = run({{truncated, QStringLiteral("x")}}, {KeywordTarget::Embedded});
        QCOMPARE(bytesOf(truncated), tBytes);
        QCOMPARE(r.results[0].outcome, KeywordOutcome::Failed);
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    // A write that fails half-way (here: the file size limit, as on a full disk) must not
    // touch the old file and must not leave its temp file behind.
    void writeFailingHalfWayLeavesTheOldFile()
    {
        const QString big = path(QStringLiteral("big.jpg"));
        cv::Mat noise(400, 400, CV_8UC3);
        cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
        QVERIFY(cv::imwrite(QFile::encodeName(big).toStdString(), noise));
        const QByteArray before = bytesOf(big);
        QVERIFY(before.size() > 64 * 1024);
        rlimit old{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto previous = std::signal(SIGXFSZ, SIG_IGN);
        rlimit small = old;
        small.rlim_cur = 32 * 1024;
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        const KeywordWriteReport r = run({{big, QStringLiteral("x")}}, {KeywordTarget::Embedded});
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previous);
        QCOMPARE(r.failed, 1);
        QVERIFY2(r.results[0].error.contains(QLatin1String("big.jpg")), qPrintable(r.results[0].error));
        QCOMPARE(bytesOf(big), before);
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    void sharedSidecarsInDifferentClustersFail()
    {
        const QString jpg = photo(QStringLiteral("pair.jpg"), 8);
        const QString nef = path(QStringLiteral("pair.nef"));
        QVERIFY(writeFile(nef, QByteArray(100, 'n')));
        const KeywordOptions replace{KeywordTarget::Sidecar, SidecarNaming::ReplaceExtension};
        KeywordWriteReport r = run({{jpg, QStringLiteral("a")}, {nef, QStringLiteral("b")}}, replace);
        QCOMPARE(r.failed, 2);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("pair.xmp"))));
        r = run({{jpg, QStringLiteral("a")}, {nef, QStringLiteral("a")}}, replace);
        QCOMPARE(r.written, 1);
        QCOMPARE(r.unchanged, 1);
    }

    void missingPhotoAndEmptyNameFail()
    {
        const KeywordWriteReport r =
            run({{path(QStringLiteral("gone.jpg")), QStringLiteral("x")}, {photo(QStringLiteral("named.jpg")), QStringLiteral("\x01 ")}});
        QCOMPARE(r.failed, 2);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("gone.jpg.xmp"))));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("named.jpg.xmp"))));
    }

    void hardLinkedPhotoIsNotSplit()
    {
        const QString p = photo(QStringLiteral("linked.jpg"), 10);
        const QString other = path(QStringLiteral("linked-too.jpg"));
        QCOMPARE(::link(QFile::encodeName(p).constData(), QFile::encodeName(other).constData()), 0);
        const QByteArray before = bytesOf(p);
        const KeywordWriteReport r = run({{p, QStringLiteral("x")}}, {KeywordTarget::Embedded});
        QCOMPARE(r.failed, 1);
        QVERIFY2(r.results[0].error.contains(QLatin1String("hard links")), qPrintable(r.results[0].error));
        QCOMPARE(bytesOf(p), before);
        QCOMPARE(bytesOf(other), before);
    }

    void cancelledBeforeStartWritesNothing()
    {
        const QString p = photo(QStringLiteral("cancelled.jpg"), 9);
        Progress progress;
        progress.cancel();
        auto report = writeClusterKeywords({{p, QStringLiteral("x")}}, {}, &progress);
        QVERIFY(report);
        QVERIFY(report->cancelled);
        QVERIFY(report->results.empty());
        QVERIFY(!QFileInfo::exists(p + QStringLiteral(".xmp")));
    }

    void realSidecarKeepsEveryProperty()
    {
        CLADE_REQUIRE_SHARED("metadata/photoprism_ladybug.xmp");
        const QString p = path(QStringLiteral("photoprism_ladybug.jpg"));
        const QString sidecar = path(QStringLiteral("photoprism_ladybug.xmp"));
        QVERIFY(QFile::copy(clade::test::sharedData(QStringLiteral("metadata/photoprism_ladybug.jpg")), p));
        QVERIFY(QFile::copy(clade::test::sharedData(QStringLiteral("metadata/photoprism_ladybug.xmp")), sidecar));
        QVERIFY(QFile::setPermissions(sidecar, QFile::ReadOwner | QFile::WriteOwner));
        const QMap<QString, QString> before = exiv2Read(sidecar);
        const QStringList subject = items(sidecar, "Xmp.dc.subject");
        const QStringList hierarchical = items(sidecar, "Xmp.lr.hierarchicalSubject");
        const QByteArray photoBytes = bytesOf(p);
        const KeywordWriteReport r = run({{p, QStringLiteral("insect")}}, {KeywordTarget::Sidecar, SidecarNaming::ReplaceExtension});
        QCOMPARE(r.written, 1);
        const QMap<QString, QString> after = exiv2Read(sidecar);
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            if (!isKeywordKey(it.key()))
                QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key()));
        }
        QCOMPARE(items(sidecar, "Xmp.dc.subject"), subject + QStringList{"insect"});
        QCOMPARE(items(sidecar, "Xmp.lr.hierarchicalSubject"), hierarchical + QStringList{"Clade|insect"});
        QCOMPARE(bytesOf(p), photoBytes);
    }
};

QTEST_GUILESS_MAIN(TestXmpKeywordWriter)
#include "tst_xmpkeywordwriter.moc"
