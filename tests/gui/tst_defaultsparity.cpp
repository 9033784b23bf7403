// `clade-cli cluster` and a run started in the main window use one set of defaults: the
// parameters each stores with its run are the same (the SIC table's, K and seed aside), and the
// seed chosen in Clustering Settings reaches the run.
#include "catalog/catalog.h"
#include "clusteringsettingsdialog.h"
#include "mainwindow.h"
#include "opencv/thumbnailcache.h"
#include "services.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

class TestDefaultsParity : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QString m_folder;

    // The run's parameters as the main window stores them, with `settings` as the user's.
    QJsonObject guiRun(QSettings &settings, const QString &catalogPath, quint64 &seed, QString &method)
    {
        ServiceOptions options;
        options.catalogPath = catalogPath;
        AppServices media = makeMediaServices();
        auto catalog = Catalog::open(catalogPath);
        if (!catalog)
            return {};
        ThumbnailCache thumbnails(*media.decoder, m_home.filePath(QStringLiteral("thumbs")));
        AppCore core(catalogPath, media.decoder.get(), media.metadata.get());
        core.loadEngine([options] { return makeEngine(options); });   // as the app does
        MainWindowContext context;
        context.catalog = catalog->get();
        context.core = &core;
        context.decoder = media.decoder.get();
        context.thumbnails = &thumbnails;
        context.settings = &settings;
        QJsonObject params;
        {
            MainWindow window(context);
            window.openFolder(m_folder);
            window.setK(3);
            QSignalSpy finished(&core, &AppCore::runFinished);
            if (!window.startRun() || !finished.wait(120000))
                return {};
            auto run = (*catalog)->runs().get(finished.first().first().toLongLong());
            if (!run || !*run)
                return {};
            params = (**run).params;
            seed = (**run).seed;
            method = clusterMethodName((**run).method);
        }
        return params;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        m_folder = m_home.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(m_folder));
        const QColor bases[] = {QColor(200, 40, 30), QColor(30, 140, 60), QColor(40, 60, 200)};
        for (int family = 0; family < 3; ++family)
            for (int variant = 0; variant < 5; ++variant)
                QVERIFY(test::writeJpeg(QStringLiteral("%1/p%2-%3.jpg").arg(m_folder).arg(family).arg(variant), 160, 120, bases[family], 90,
                                        variant));
    }

    void guiAndCliStoreTheSameParameters()
    {
        QSettings settings(m_home.filePath(QStringLiteral("gui.conf")), QSettings::IniFormat);
        quint64 guiSeed = 99;
        QString guiMethod;
        QJsonObject gui = guiRun(settings, m_home.filePath(QStringLiteral("gui.sqlite")), guiSeed, guiMethod);
        QVERIFY(!gui.isEmpty());

        QProcess cli;
        cli.start(QStringLiteral(CLADE_CLI_PATH),
                  {QStringLiteral("cluster"), m_folder, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--catalog"),
                   m_home.filePath(QStringLiteral("cli.sqlite")), QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        const QJsonObject out = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QJsonObject fromCli = out.value(QStringLiteral("parameters")).toObject();
        QCOMPARE(out.value(QStringLiteral("method")).toString(), guiMethod);
        QCOMPARE(guiSeed, quint64(0));
        // What was chosen differs only if the runs differ; the settings must not.
        gui.remove(QStringLiteral("selection"));
        fromCli.remove(QStringLiteral("selection"));
        QVERIFY(!gui.isEmpty());
        QCOMPARE(fromCli, gui);
    }

    void theSeedOfTheSettingsReachesTheRun()
    {
        QSettings settings(m_home.filePath(QStringLiteral("seeded.conf")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("clustering/seed"), 17);
        QCOMPARE(ClusteringSettingsDialog::seed(&settings), quint64(17));
        quint64 seed = 0;
        QString method;
        QVERIFY(!guiRun(settings, m_home.filePath(QStringLiteral("seeded.sqlite")), seed, method).isEmpty());
        QCOMPARE(seed, quint64(17));
    }
};

QTEST_MAIN(TestDefaultsParity)
#include "tst_defaultsparity.moc"
