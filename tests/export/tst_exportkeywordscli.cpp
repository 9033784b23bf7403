// clade-cli export --keywords and --table end to end: a real catalog written through Catalog,
// real photos, the real executable in a child process, sidecars read back with Exiv2.
#include "testsupport.h"

#include "catalog/catalog.h"

#include <exiv2/exiv2.hpp>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace clade;

namespace {

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList xmpItems(const QString &path, const char *key)
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

}   // namespace

class TestExportKeywordsCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_catalog;
    QString m_photos;
    qint64 m_run = 0;
    QStringList m_paths;   // a.jpg, b.jpg (cluster 0), c.jpg, d.nef (cluster 1); cluster 2 empty

    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Run cli(QStringList args)
    {
        args << QStringLiteral("--catalog") << m_catalog << QStringLiteral("--quiet");
        QProcess p;
        p.start(QStringLiteral(CLADE_CLI_PATH), args);
        if (!p.waitForFinished(120'000))
            p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
    }

    Run exportRun(const QStringList &more)
    {
        return cli(QStringList{QStringLiteral("export"), QStringLiteral("--run"), QString::number(m_run)} + more);
    }

    void addPhoto(Catalog &catalog, const QString &path, const QString &format)
    {
        PhotoRecord p;
        p.path = path;
        p.size = QFileInfo(path).size();
        p.mtimeMs = QFileInfo(path).lastModified().toMSecsSinceEpoch();
        p.format = format;
        p.hash = QString::fromLatin1(QCryptographicHash::hash(bytesOf(path), QCryptographicHash::Sha256).toHex());
        auto id = catalog.photos().upsert(p);
        QVERIFY2(id, qPrintable(id ? QString() : id.error()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_catalog = m_work.filePath(QStringLiteral("catalog.sqlite"));
        m_photos = m_work.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(m_photos));
        for (const char *name : {"a.jpg", "b.jpg", "c.jpg"}) {
            m_paths << m_photos + QLatin1Char('/') + QLatin1String(name);
            QVERIFY(clade::test::writeJpeg(m_paths.back(), 120, 90, QColor::fromHsv(m_paths.size() * 90, 200, 200)));
        }
        m_paths << m_photos + QStringLiteral("/d.nef");
        QFile raw(m_paths.back());
        QVERIFY(raw.open(QIODevice::WriteOnly));
        raw.write(QByteArray("II*\0", 4) + QByteArray(2000, 'r'));
        raw.close();

        auto catalog = Catalog::open(m_catalog);
        QVERIFY(catalog);
        for (int i = 0; i < 4; ++i)
            addPhoto(**catalog, m_paths[i], i < 3 ? QStringLiteral("jpeg") : QStringLiteral("raw-nef"));
        RunRecord r;
        r.folder = m_photos;
        r.k = 3;
        r.method = ClusterMethod::KMeans;
        r.modelId = QStringLiteral("visual-test");
        r.seed = 7;
        auto run = (*catalog)->runs().create(r);
        QVERIFY(run);
        m_run = *run;
        std::vector<ClusterRecord> clusters{
            {0,
             m_run,
             0,
             QStringLiteral("harbour boats"),
             {{QStringLiteral("harbour"), 0.31}, {QStringLiteral("boat"), 0.22}},
             0,
             {},
             0,
             false,
             false,
             {}},
            {0, m_run, 1, QStringLiteral("forest/trees"), {{QStringLiteral("forest"), 0.4}}, 0, {}, 0, false, false, {}},
            {0, m_run, 2, QStringLiteral("=empty"), {}, 0, {}, 0, false, false, {}}};
        std::vector<AssignmentRecord> assignments;
        for (int i = 0; i < 4; ++i) {
            auto photo = (*catalog)->photos().byPath(m_paths[i]);
            QVERIFY(photo && *photo);
            assignments.push_back({(**photo).id, i < 2 ? 0 : 1, 0.5f + 0.1f * float(i), i == 3});
        }
        QVERIFY((*catalog)->runs().storeClusters(m_run, clusters, assignments));
        QVERIFY((*catalog)->runs().finish(m_run, RunStatus::Done));
    }

    void usageErrors()
    {
        QCOMPARE(exportRun({QStringLiteral("--keywords"), QStringLiteral("bogus")}).code, 2);
        QCOMPARE(exportRun({QStringLiteral("--keywords"), QStringLiteral("sidecar"), QStringLiteral("--sidecar-name"), QStringLiteral("x")})
                     .code,
                 2);
        QCOMPARE(exportRun({QStringLiteral("--keywords"), QStringLiteral("sidecar"), QStringLiteral("--to"), m_work.path()}).code, 2);
        QCOMPARE(cli({QStringLiteral("export"), QStringLiteral("--run"), QStringLiteral("999"), QStringLiteral("--keywords"),
                      QStringLiteral("sidecar")})
                     .code,
                 1);
        QVERIFY(!QFileInfo::exists(m_paths[0] + QStringLiteral(".xmp")));
    }

    void sidecarKeywordsThenUnchanged()
    {
        const QByteArray rawBefore = bytesOf(m_paths[3]);
        const QByteArray jpgBefore = bytesOf(m_paths[0]);
        const Run first = exportRun({QStringLiteral("--keywords"), QStringLiteral("sidecar"), QStringLiteral("--json")});
        QVERIFY2(first.code == 0, first.err.constData());
        QCOMPARE(first.json().value(QStringLiteral("written")).toInt(), 4);
        QCOMPARE(first.json().value(QStringLiteral("files")).toArray().size(), 4);
        QCOMPARE(xmpItems(m_paths[0] + QStringLiteral(".xmp"), "Xmp.dc.subject"), QStringList{"harbour boats"});
        QCOMPARE(xmpItems(m_paths[2] + QStringLiteral(".xmp"), "Xmp.lr.hierarchicalSubject"), QStringList{"Clade|forest-trees"});
        QCOMPARE(xmpItems(m_paths[3] + QStringLiteral(".xmp"), "Xmp.digiKam.TagsList"), QStringList{"Clade/forest-trees"});
        QCOMPARE(bytesOf(m_paths[3]), rawBefore);
        QCOMPARE(bytesOf(m_paths[0]), jpgBefore);

        const Run again = exportRun({QStringLiteral("--keywords"), QStringLiteral("sidecar")});
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(again.out.contains("0 written, 4 unchanged"), again.out.constData());
    }

    void embeddedSkipsRawAndFailsLoudly()
    {
        const QByteArray rawBefore = bytesOf(m_paths[3]);
        const Run embedded = exportRun({QStringLiteral("--keywords"), QStringLiteral("embedded"), QStringLiteral("--json")});
        QVERIFY2(embedded.code == 0, embedded.err.constData());
        QCOMPARE(embedded.json().value(QStringLiteral("written")).toInt(), 3);
        QCOMPARE(embedded.json().value(QStringLiteral("skipped_raw")).toInt(), 1);
        QCOMPARE(bytesOf(m_paths[3]), rawBefore);
        QCOMPARE(xmpItems(m_paths[1], "Xmp.dc.subject"), QStringList{"harbour boats"});

        // A photo removed since the scan: reported with its reason and a non-zero exit code.
        const QString moved = m_paths[2] + QStringLiteral(".moved");
        QVERIFY(QFile::rename(m_paths[2], moved));
        const Run missing = exportRun({QStringLiteral("--keywords"), QStringLiteral("sidecar")});
        QVERIFY(QFile::rename(moved, m_paths[2]));
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.out.contains("c.jpg") && missing.out.contains("1 failed"), missing.out.constData());
    }

    void tables()
    {
        const QString csv = m_work.filePath(QStringLiteral("run.csv"));
        const Run written = exportRun({QStringLiteral("--table"), csv});
        QVERIFY2(written.code == 0, written.err.constData());
        const QStringList lines = QString::fromUtf8(bytesOf(csv)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 4 + 1);
        QVERIFY(lines[0].startsWith(QLatin1String("run_id,run_folder,")));
        QVERIFY(lines[1].contains(m_paths[0]) && lines[1].contains(QLatin1String("harbour boats"))
                && lines[1].contains(QLatin1String("harbour:0.3100; boat:0.2200")));
        QVERIFY(lines[4].contains(m_paths[3]) && lines[4].endsWith(QLatin1String(",1,0")));   // manual
        QVERIFY2(lines[5].contains(QLatin1String("\"'=empty\"")), qPrintable(lines[5]));      // formula guard

        const QByteArray before = bytesOf(csv);
        QCOMPARE(exportRun({QStringLiteral("--table"), csv}).code, 1);   // never overwritten
        QCOMPARE(bytesOf(csv), before);
        QCOMPARE(exportRun({QStringLiteral("--table"), m_work.filePath(QStringLiteral("run.txt"))}).code, 1);

        const QString json = m_work.filePath(QStringLiteral("run.json"));
        QVERIFY(exportRun({QStringLiteral("--table"), json}).code == 0);
        const QJsonObject doc = QJsonDocument::fromJson(bytesOf(json)).object();
        QCOMPARE(doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("id")).toInteger(), m_run);
        QCOMPARE(doc.value(QStringLiteral("run")).toObject().value(QStringLiteral("method")).toString(), QStringLiteral("kmeans"));
        const QJsonArray clusters = doc.value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 3);
        QCOMPARE(clusters[0].toObject().value(QStringLiteral("size")).toInt(), 2);
        QCOMPARE(clusters[0].toObject().value(QStringLiteral("names")).toArray()[1].toObject().value(QStringLiteral("noun")).toString(),
                 QStringLiteral("boat"));
        QCOMPARE(clusters[2].toObject().value(QStringLiteral("size")).toInt(), 0);
        const QJsonArray rows = doc.value(QStringLiteral("assignments")).toArray();
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[2].toObject().value(QStringLiteral("path")).toString(), m_paths[2]);
        QCOMPARE(rows[2].toObject().value(QStringLiteral("cluster")).toInt(), 1);
        QVERIFY(qAbs(rows[2].toObject().value(QStringLiteral("confidence")).toDouble() - 0.7) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestExportKeywordsCli)
#include "tst_exportkeywordscli.moc"
