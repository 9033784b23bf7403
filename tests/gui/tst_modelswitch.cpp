// The GUI's way to a CLIP model, offscreen, with the real window, AppCore and model manager and a
// catalogue served from 127.0.0.1 (the tiny parity models of ../shared): a first start without a
// model offers the default with its size and licence; one click downloads the vocabulary and the
// model in the background and the window groups by meaning without a restart; Models › Use
// switches to another installed model, again without a restart.

#include "httptestserver.h"
#include "mainmenus.h"
#include "mainwindow.h"
#include "modelsdialog.h"
#include "services.h"
#include "testsupport.h"
#include "catalog/catalog.h"
#include "models/modelmanager.h"
#include "opencv/thumbnailcache.h"

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// Fill the menu first (Q_EMIT menu->aboutToShow(), as opening it does): filling it again
// deletes the actions found before.
QAction *useAction(QMenu *menu, const QString &id)
{
    for (QAction *action : menu->actions()) {
        if (action->data().toString() == id)
            return action;
    }
    return nullptr;
}

// What main() wires for a window, on a catalog of its own: the catalog's reader connection, the
// application core and the thumbnails. The test adds the models, the settings and the engine.
struct WindowParts
{
    WindowParts(const QString &catalogPath, const QString &thumbs)
        : catalog(Catalog::open(catalogPath)), media(makeMediaServices()), core(catalogPath, media.decoder.get(), media.metadata.get()),
          thumbnails(*media.decoder, thumbs)
    {
    }

    MainWindowContext context(ModelManager &models, QSettings &settings)
    {
        MainWindowContext c;
        c.catalog = catalog->get();
        c.core = &core;
        c.decoder = media.decoder.get();
        c.thumbnails = &thumbnails;
        c.models = &models;
        c.settings = &settings;
        c.offerDefaultModel = true;
        return c;
    }

    Result<std::unique_ptr<Catalog>> catalog;
    AppServices media;
    AppCore core;
    ThumbnailCache thumbnails;
};

}   // namespace

class TestModelSwitch : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;
    test::HttpTestServer m_server;
    QByteArray m_weights;

private Q_SLOTS:
    void initTestCase()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/weights.safetensors");
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit-b/weights.safetensors");
        QVERIFY(m_home.isValid());
        for (const char *name : {"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"})
            qputenv(name, m_home.filePath(QString::fromLatin1(name).toLower()).toUtf8());
        QVERIFY(m_server.listen());
        m_weights = readAll(test::sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights.safetensors")));
        const QByteArray vocabulary = readAll(test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")));
        QVERIFY(!m_weights.isEmpty() && !vocabulary.isEmpty());
        m_server.setRoute("/tiny.safetensors", m_weights);
        m_server.setRoute("/bpe_simple_vocab_16e6.txt.gz", vocabulary);
        const QJsonObject model{{"id", "tiny"},
                                {"kind", "model"},
                                {"name", "Tiny parity model"},
                                {"architecture", "ViT (tiny)"},
                                {"activation", "quick_gelu"},
                                {"fileName", "weights.safetensors"},
                                {"format", "safetensors"},
                                {"urls", QJsonArray{m_server.url(QStringLiteral("/tiny.safetensors"))}},
                                {"redirectHosts", QJsonArray()},
                                {"size", double(m_weights.size())},
                                {"sha256", sha256(m_weights)},
                                {"licence", "test licence"},
                                {"source", "../shared/data/clip-parity, served by the test"}};
        const QJsonObject vocab{{"id", "vocab"},
                                {"kind", "vocabulary"},
                                {"name", "CLIP BPE vocabulary"},
                                {"architecture", QJsonValue()},
                                {"activation", QJsonValue()},
                                {"fileName", "bpe_simple_vocab_16e6.txt.gz"},
                                {"format", "bpe-gzip"},
                                {"urls", QJsonArray{m_server.url(QStringLiteral("/bpe_simple_vocab_16e6.txt.gz"))}},
                                {"redirectHosts", QJsonArray()},
                                {"size", double(vocabulary.size())},
                                {"sha256", sha256(vocabulary)},
                                {"licence", "MIT"},
                                {"source", "../shared/data/clip-parity, served by the test"}};
        const QString cataloguePath = m_home.filePath(QStringLiteral("catalogue.json"));
        QFile catalogue(cataloguePath);
        QVERIFY(catalogue.open(QIODevice::WriteOnly));
        catalogue.write(QJsonDocument(QJsonObject{{"version", 1}, {"default", "tiny"}, {"entries", QJsonArray{model, vocab}}}).toJson());
        catalogue.close();
        qputenv("CLADE_MODEL_CATALOGUE", cataloguePath.toUtf8());
    }

    void offerDownloadThenUseAnotherModel()
    {
        const QString catalogPath = m_home.filePath(QStringLiteral("catalog.sqlite"));
        WindowParts parts(catalogPath, m_home.filePath(QStringLiteral("thumbs")));
        QVERIFY(parts.catalog.ok());
        AppCore &core = parts.core;
        ServiceOptions options;
        options.catalogPath = catalogPath;
        const EngineLoader loader = [options] { return makeEngine(options); };
        auto catalogue = builtinCatalogue();
        QVERIFY2(catalogue.ok(), qPrintable(catalogue.ok() ? QString() : catalogue.error()));
        ModelManager models(*catalogue);
        QSettings settings(m_home.filePath(QStringLiteral("clade.conf")), QSettings::IniFormat);
        MainWindowContext context = parts.context(models, settings);
        context.reloadEngine = [options](const VocabularyChoice &vocabulary) {
            ServiceOptions chosen = options;
            chosen.vocabulary = vocabulary;
            return makeEngine(chosen);
        };
        QSignalSpy engines(&core, &AppCore::engineChanged);
        core.loadEngine(loader);
        MainWindow window(context);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(!engines.isEmpty(), 30000);
        QVERIFY(!core.engine().semantic);
        auto *banner = window.findChild<QWidget *>(QStringLiteral("noModelBanner"));
        QVERIFY(banner && banner->isVisible());

        // The first start asks once, naming the default's size and licence.
        QMessageBox *ask = nullptr;
        QTRY_VERIFY((ask = window.findChild<QMessageBox *>(QStringLiteral("offerDefaultModel"))) && ask->isVisible());
        QVERIFY2(ask->informativeText().contains(QLatin1String("Tiny parity model")), qPrintable(ask->informativeText()));
        QVERIFY(ask->informativeText().contains(QLocale().formattedDataSize(m_weights.size())));
        QVERIFY(ask->informativeText().contains(QLatin1String("test licence")));
        QVERIFY(settings.value(QStringLiteral("models/offeredDefault")).toBool());
        QPushButton *download = nullptr;
        for (QAbstractButton *button : ask->buttons()) {
            if (ask->buttonRole(button) == QMessageBox::AcceptRole)
                download = qobject_cast<QPushButton *>(button);
        }
        QVERIFY(download);
        QTest::mouseClick(download, Qt::LeftButton);

        // The vocabulary, then the model, then the engine again: grouped by meaning, no restart.
        QTRY_VERIFY_WITH_TIMEOUT(core.engine().semantic, 60000);
        QVERIFY(models.isInstalled(QStringLiteral("tiny")));
        QVERIFY(models.isInstalled(QStringLiteral("vocab")));
        QCOMPARE(readAll(models.installedPath(QStringLiteral("tiny"))), m_weights);
        QVERIFY(!banner->isVisible());
        QVERIFY(window.searchField()->isEnabled());   // text search needs the text tower
        const QString first = core.engine().modelId;
        QVERIFY(!first.isEmpty());

        // Models › Use: another installed model, loaded at once.
        QMenu *use = window.menus()->useMenu();
        QVERIFY(use);
        ImportOptions accept;
        accept.acceptUnknown = true;
        QVERIFY(models
                    .importFile(test::sharedData(QStringLiteral("clip-parity/models/tiny-vit-b/weights.safetensors")),
                                QStringLiteral("tiny-b"), accept)
                    .ok());
        Q_EMIT use->aboutToShow();
        QAction *tiny = useAction(use, QStringLiteral("tiny"));
        QAction *other = useAction(use, QStringLiteral("tiny-b"));
        QVERIFY(tiny && other);
        QVERIFY(tiny->isChecked());
        QVERIFY(!other->isChecked());
        QVERIFY(other->text().contains(QLatin1String("not verified")));
        QVERIFY(!useAction(use, QStringLiteral("vocab")));   // the vocabulary is not a model to use
        const int loads = int(engines.size());
        other->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(engines.size() > loads && core.engine().modelId != first, 60000);
        QVERIFY(core.engine().semantic);
        QCOMPARE(models.activeId(), QStringLiteral("tiny-b"));
        Q_EMIT use->aboutToShow();
        QVERIFY(useAction(use, QStringLiteral("tiny-b"))->isChecked());
        QVERIFY(!useAction(use, QStringLiteral("tiny"))->isChecked());

        // Choosing the model in use does not load it again.
        const int settled = int(engines.size());
        useAction(use, QStringLiteral("tiny-b"))->trigger();
        QTest::qWait(200);
        QCOMPARE(int(engines.size()), settled);
    }

    // Asked once: a later start without a model does not ask again.
    void offerIsMadeOnce()
    {
        QSettings settings(m_home.filePath(QStringLiteral("clade.conf")), QSettings::IniFormat);
        QVERIFY(settings.value(QStringLiteral("models/offeredDefault")).toBool());
        WindowParts parts(m_home.filePath(QStringLiteral("second.sqlite")), m_home.filePath(QStringLiteral("thumbs")));
        QVERIFY(parts.catalog.ok());
        auto catalogue = builtinCatalogue();
        QVERIFY(catalogue.ok());
        ModelManager models(*catalogue, m_home.filePath(QStringLiteral("no-models")));   // none installed here
        const MainWindowContext context = parts.context(models, settings);
        QSignalSpy engines(&parts.core, &AppCore::engineChanged);
        parts.core.loadEngine([] {
            ServiceOptions none;
            none.loadModel = false;
            return makeEngine(none);
        });
        MainWindow window(context);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(!engines.isEmpty(), 30000);
        QTest::qWait(100);
        QVERIFY(!window.findChild<QMessageBox *>(QStringLiteral("offerDefaultModel")));
    }
};

QTEST_MAIN(TestModelSwitch)
#include "tst_modelswitch.moc"
