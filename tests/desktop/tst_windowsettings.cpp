// MainWindow remembers the folder, K and its geometry in the QSettings it is given, and a
// window given none leaves no trace. Real windows under the offscreen platform, a real INI file.

#include "catalog/catalog.h"
#include "mainwindow.h"
#include "common/paths.h"
#include "opencv/opencvdecoder.h"
#include "opencv/thumbnailcache.h"
#include "photogridmodel.h"
#include "problemspanel.h"
#include "runbar.h"

#include <QDir>
#include <QComboBox>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace clade;

class TestWindowSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void closingRemembersAndNextWindowRestores();
    void vanishedFolderIsNotRestored();
    void windowWithoutSettingsKeepsNothing();

private:
    std::unique_ptr<MainWindow> makeWindow(QSettings *settings);
    static QString folderShown(const MainWindow &window);
    static int kShown(const MainWindow &window);

    QTemporaryDir m_home;
    std::unique_ptr<Catalog> m_catalog;
    OpenCvDecoder m_decoder;
    std::unique_ptr<ThumbnailCache> m_thumbnails;
    std::unique_ptr<AppCore> m_core;
};

void TestWindowSettings::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Where a default-constructed QSettings would write.
    qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
    auto catalog = Catalog::open(m_home.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error()));
    m_catalog = std::move(catalog.value());
    m_thumbnails = std::make_unique<ThumbnailCache>(m_decoder, m_home.filePath(QStringLiteral("thumbs")));
    m_core = std::make_unique<AppCore>(m_catalog->path(), &m_decoder, nullptr);
}

std::unique_ptr<MainWindow> TestWindowSettings::makeWindow(QSettings *settings)
{
    MainWindowContext context;
    context.catalog = m_catalog.get();
    context.core = m_core.get();   // with no model loaded: these tests need none
    context.decoder = &m_decoder;
    context.thumbnails = m_thumbnails.get();
    context.settings = settings;
    return std::make_unique<MainWindow>(context);
}

QString TestWindowSettings::folderShown(const MainWindow &window)
{
    // The run bar's folder field.
    const auto bars = window.findChildren<RunBar *>();
    return bars.size() == 1 ? QDir::fromNativeSeparators(bars.first()->folder()) : QStringLiteral("(no single run bar)");
}

int TestWindowSettings::kShown(const MainWindow &window)
{
    const auto spins = window.findChildren<QSpinBox *>();
    return spins.size() == 1 ? spins.first()->value() : -1;
}

void TestWindowSettings::closingRemembersAndNextWindowRestores()
{
    const QString folder = catalogFolderKey(m_home.filePath(QStringLiteral("photos")));
    QVERIFY(QDir().mkpath(folder));
    const QString file = m_home.filePath(QStringLiteral("remember.ini"));
    {
        QSettings settings(file, QSettings::IniFormat);
        auto window = makeWindow(&settings);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->openFolder(folder);
        window->setK(13);
        window->resize(900, 610);
        QTRY_COMPARE(window->size(), QSize(900, 610));
        window->photoOrderBox()->setCurrentIndex(window->photoOrderBox()->findData(int(PhotoOrder::LeastCertain)));
        window->problemsPanel()->show();
        QVERIFY(window->close());
    }
    QSettings settings(file, QSettings::IniFormat);
    auto window = makeWindow(&settings);
    QCOMPARE(window->size(), QSize(900, 610));
    QCOMPARE(kShown(*window), 13);
    QCOMPARE(PhotoOrder(window->photoOrderBox()->currentData().toInt()), PhotoOrder::LeastCertain);
    QCOMPARE(window->photoModel()->order(), PhotoOrder::LeastCertain);
    QVERIFY(!window->problemsPanel()->isHidden());   // open again as it was left
    window->openFolder(QString());                   // what the app does when started without a folder
    QCOMPARE(folderShown(*window), folder);
}

void TestWindowSettings::vanishedFolderIsNotRestored()
{
    const QString folder = catalogFolderKey(m_home.filePath(QStringLiteral("gone")));
    QVERIFY(QDir().mkpath(folder));
    const QString file = m_home.filePath(QStringLiteral("vanished.ini"));
    {
        QSettings settings(file, QSettings::IniFormat);
        auto window = makeWindow(&settings);
        window->openFolder(folder);
        QVERIFY(window->close());
    }
    QVERIFY(QDir(folder).removeRecursively());
    QSettings settings(file, QSettings::IniFormat);
    auto window = makeWindow(&settings);
    window->openFolder(QString());
    QCOMPARE(folderShown(*window), QString());   // this catalog has no run to fall back to
    QCOMPARE(window->shownRun(), 0);
}

// Tests and embedders pass no settings: nothing may land in the user's configuration.
void TestWindowSettings::windowWithoutSettingsKeepsNothing()
{
    {
        auto window = makeWindow(nullptr);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        window->setK(17);
        window->openFolder(m_home.path());
        QVERIFY(window->close());
    }
    auto window = makeWindow(nullptr);
    QVERIFY(kShown(*window) != 17);
    const QDir config(m_home.filePath(QStringLiteral("config")));
    QVERIFY2(config.isEmpty(), qPrintable(config.entryList(QDir::AllEntries | QDir::NoDotAndDotDot).join(u' ')));
}

QTEST_MAIN(TestWindowSettings)
#include "tst_windowsettings.moc"
