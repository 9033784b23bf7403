// clade: the GUI. Wires the services, the catalog and the thumbnail cache into MainWindow.

#include "common/openmpenv.h"
#include "common/paths.h"
#include "export/catalogfollow.h"
#include "services.h"
#include "clusteringsettingsdialog.h"
#include "mainwindow.h"
#include "models/modelmanager.h"
#include "opencv/thumbnailcache.h"
#include "screenshot.h"
#include "translators.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include <cstdio>
#include <memory>

namespace {

struct GuiOptions
{
    QString folder;
    QString catalogPath;
    QString modelPath;
    QString screenshot;
    int k = 0;   // 0: keep the window's default or the shown run's K
    bool runNow = false;
    bool exportNow = false;
};

GuiOptions parseArguments(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Sort a photo folder into groups."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("folder"), QApplication::translate("main", "Photo folder to open."),
                                 QStringLiteral("[FOLDER]"));
    const QCommandLineOption catalog(QStringLiteral("catalog"), QApplication::translate("main", "Catalog file to use."),
                                     QStringLiteral("PATH"), clade::defaultCatalogPath());
    const QCommandLineOption model(QStringLiteral("model"), QApplication::translate("main", "CLIP weights file to use."),
                                   QStringLiteral("PATH"));
    const QCommandLineOption k(QStringLiteral("k"), QApplication::translate("main", "Number of groups."), QStringLiteral("K"));
    const QCommandLineOption run(QStringLiteral("run"), QApplication::translate("main", "Start grouping FOLDER at once."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QApplication::translate("main", "Save a picture of the window to FILE once it is idle, then quit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption exportDialog(QStringLiteral("export"),
                                          QApplication::translate("main", "Open the export dialog for the latest run of FOLDER."));
    parser.addOptions({catalog, model, k, run, screenshot, exportDialog});
    parser.process(app);

    GuiOptions options;
    options.folder = parser.positionalArguments().value(0);
    options.catalogPath = parser.value(catalog);
    options.modelPath = parser.value(model);
    options.screenshot = parser.value(screenshot);
    options.runNow = parser.isSet(run);
    options.exportNow = parser.isSet(exportDialog);
    if (parser.isSet(k)) {
        bool ok = false;
        options.k = parser.value(k).toInt(&ok);
        if (!ok || options.k < 2) {
            std::fprintf(stderr, "clade: --k needs a whole number of at least 2\n");
            std::exit(2);
        }
    }
    if (options.runNow && options.exportNow) {
        std::fprintf(stderr, "clade: --run and --export cannot be used together\n");
        std::exit(2);
    }
    if (options.runNow && options.folder.isEmpty()) {
        std::fprintf(stderr, "clade: --run needs a FOLDER\n");
        std::exit(2);
    }
    return options;
}

int fatal(const QString &message, bool quiet)
{
    std::fprintf(stderr, "clade: %s\n", qPrintable(message));
    if (!quiet)
        QMessageBox::critical(nullptr, QApplication::translate("main", "Clade"), message);
    return 1;
}

}   // namespace

int main(int argc, char *argv[])
{
    clade::ensurePassiveOpenMpWait(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("clade"));
    QApplication::setApplicationDisplayName(QStringLiteral("Clade"));
    QApplication::setApplicationVersion(clade::softwareVersion());
    clade::installTranslators(app);
    const GuiOptions options = parseArguments(app);
    const bool quiet = !options.screenshot.isEmpty();

    QDir().mkpath(QFileInfo(options.catalogPath).absolutePath());
    auto catalog = clade::Catalog::open(options.catalogPath);
    if (!catalog)
        return fatal(QApplication::translate("main", "Cannot open the catalog %1: %2").arg(options.catalogPath, catalog.error()), quiet);
    // A move export or its undo that was interrupted: the records follow the files now.
    if (auto followed = clade::reconcilePendingExports(**catalog); !followed)
        qWarning("%s", qUtf8Printable(followed.error()));
    else
        for (const QString &message : followed->messages)
            qWarning("%s", qUtf8Printable(message));
    // The decoder and metadata reader are quick to make; the model is loaded on AppCore's worker
    // (reading and checking its weights takes seconds) while the window is already up.
    clade::AppServices media = clade::makeMediaServices();
    clade::AppCore core(options.catalogPath, media.decoder.get(), media.metadata.get());
    // ~/.config/clade/clade.conf: last folder, K, window geometry, clustering settings, vocabulary.
    QSettings settings(QStringLiteral("clade"), QStringLiteral("clade"));
    clade::ServiceOptions serviceOptions;
    serviceOptions.modelPath = options.modelPath;
    serviceOptions.catalogPath = options.catalogPath;
    serviceOptions.vocabulary = clade::ClusteringSettingsDialog::vocabulary(&settings);
    const clade::EngineLoader loadEngine = [serviceOptions] { return clade::makeEngine(serviceOptions); };
    // A model that cannot be loaded at start (a broken --model file) ends the program, as the
    // user asked for that model; a later reload that fails keeps the model in use.
    QObject::connect(&core, &clade::AppCore::engineFailed, &app, [&core, quiet](const QString &message) {
        if (core.engine().loaded)
            return;
        fatal(message, quiet);
        QCoreApplication::exit(1);
    });
    core.loadEngine(loadEngine);
    clade::ThumbnailCache thumbnails(*media.decoder);
    // Without a readable built-in catalogue the window simply offers no Models button.
    std::unique_ptr<clade::ModelManager> models;
    if (auto catalogue = clade::builtinCatalogue())
        models = std::make_unique<clade::ModelManager>(std::move(catalogue.value()));

    clade::MainWindowContext context;
    context.catalog = catalog->get();
    context.core = &core;
    context.decoder = media.decoder.get();
    context.thumbnails = &thumbnails;
    context.models = models.get();
    // After the user installed or chose a model in the window, that choice is loaded, not --model.
    // ... and with the vocabulary as now remembered (Clustering Settings).
    context.reloadEngine = [serviceOptions](const clade::VocabularyChoice &vocabulary) {
        clade::ServiceOptions chosen = serviceOptions;
        chosen.modelPath.clear();
        chosen.vocabulary = vocabulary;
        return clade::makeEngine(chosen);
    };
    context.offerDefaultModel = !quiet;   // not while taking screenshots
    context.settings = &settings;

    clade::MainWindow window(context);
    window.show();
    window.openFolder(options.folder);
    if (options.k > 0)
        window.setK(options.k);
    if (const QString copy = (*catalog)->migrationBackup(); !copy.isEmpty()) {
        const QString message =
            QApplication::translate("main", "The catalog was upgraded; the old one is kept at %1").arg(QDir::toNativeSeparators(copy));
        std::fprintf(stderr, "%s\n", qPrintable(message));
        window.statusBar()->showMessage(message);
    }
    std::unique_ptr<clade::ScreenshotTaker> screenshot;
    if (!options.screenshot.isEmpty())
        screenshot = std::make_unique<clade::ScreenshotTaker>(window, options.screenshot);
    if (options.exportNow && !window.showExport())
        return fatal(QApplication::translate("main", "There is no finished run of %1 to export").arg(options.folder), quiet);
    if (options.runNow && !window.startRun())
        return fatal(QApplication::translate("main", "Cannot start a run on %1").arg(options.folder), quiet);
    return app.exec();
}
