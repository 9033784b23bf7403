#include "mainmenus.h"

#include "problemspanel.h"

#include "clusteringsettingsdialog.h"
#include "groupcorrections.h"
#include "mainwindow.h"
#include "modelsdialog.h"
#include "models/modelmanager.h"
#include "photogridmodel.h"
#include "photosearch.h"
#include "problemspanel.h"
#include "runbar.h"
#include "common/paths.h"

#include <QAction>
#include <QActionGroup>
#include <QFileDialog>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace clade {

MainMenus::MainMenus(MainWindow &window, AppCore &core, ModelManager *models, QSettings *settings, EngineReloader reloadEngine)
    : QObject(&window), m_window(window), m_core(core), m_models(models), m_settings(settings), m_reloadEngine(std::move(reloadEngine))
{
}

void MainMenus::build(GroupCorrections &corrections, PhotoSearch &search)
{
    QMenuBar *bar = m_window.menuBar();
    QMenu *file = bar->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Folder…"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainMenus::chooseFolder);
    QAction *run = file->addAction(tr("&Run"));
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(run, &QAction::triggered, &m_window, &MainWindow::startRun);
    QAction *exportAction = file->addAction(tr("&Export…"));
    exportAction->setObjectName(QStringLiteral("exportRun"));
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAction, &QAction::triggered, &m_window, &MainWindow::showExport);
    QAction *keywords = file->addAction(tr("Write &Keywords…"));
    keywords->setObjectName(QStringLiteral("writeKeywords"));
    connect(keywords, &QAction::triggered, &m_window, &MainWindow::showKeywords);
    QAction *table = file->addAction(tr("Export &Table…"));
    table->setObjectName(QStringLiteral("exportTable"));
    connect(table, &QAction::triggered, &m_window, [this] { m_window.exportTable(); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, &m_window, &QWidget::close);

    QMenu *edit = bar->addMenu(tr("&Edit"));
    corrections.addUndoActions(edit);
    edit->addSeparator();
    QAction *filter = edit->addAction(tr("&Filter Photos"));
    filter->setShortcut(QKeySequence::Find);
    connect(filter, &QAction::triggered, this, [this] {
        m_window.photoFilter()->setFocus();
        m_window.photoFilter()->selectAll();
    });
    search.addActions(edit);
    QAction *bursts = edit->addAction(tr("Collapse &Bursts"));
    bursts->setObjectName(QStringLiteral("collapseBursts"));
    bursts->setCheckable(true);
    bursts->setChecked(m_window.photoModel()->collapsesBursts());
    bursts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    bursts->setToolTip(tr("Show photos taken in a burst, or nearly the same, as one"));
    connect(bursts, &QAction::toggled, this, [this](bool on) {
        PhotoGridModel *photos = m_window.photoModel();
        photos->setCollapseBursts(on);
        if (photos->rowCount() > 0)
            m_window.photoView()->setCurrentIndex(photos->index(0));
    });
    QAction *uncertain = edit->addAction(tr("Next &Uncertain Photo"));
    uncertain->setObjectName(QStringLiteral("nextUncertain"));
    uncertain->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    uncertain->setToolTip(tr("The next photo the clustering was unsure of, across the groups"));
    connect(uncertain, &QAction::triggered, &m_window, &MainWindow::nextUncertain);
    QAction *view = edit->addAction(tr("&View Photo"));
    view->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(view, &QAction::triggered, &m_window, &MainWindow::openViewer);

    corrections.addGroupMenu(bar);
    if (m_models) {
        QMenu *models = bar->addMenu(tr("&Models"));
        QAction *manage = models->addAction(tr("&Manage Models…"));
        manage->setObjectName(QStringLiteral("manageModels"));
        connect(manage, &QAction::triggered, this, &MainMenus::showModels);
        m_useMenu = models->addMenu(tr("&Use"));
        m_useMenu->setObjectName(QStringLiteral("useModel"));
        connect(m_useMenu, &QMenu::aboutToShow, this, &MainMenus::fillUseMenu);
    }
    QMenu *tools = bar->addMenu(tr("&Tools"));
    QAction *problems = m_window.problemsPanel()->toggleViewAction();
    problems->setText(tr("&Problems"));
    problems->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    tools->addAction(problems);
    m_settingsAction = tools->addAction(tr("&Clustering Settings…"));
    m_settingsAction->setObjectName(QStringLiteral("clusteringSettings"));
    m_settingsAction->setEnabled(false);   // until the worker has a clusterer
    connect(m_settingsAction, &QAction::triggered, this, &MainMenus::showClusteringSettings);
    QMenu *help = bar->addMenu(tr("&Help"));
    connect(help->addAction(tr("&About Clade")), &QAction::triggered, this, &MainMenus::showAbout);
}

void MainMenus::onEngineChanged(const EngineInfo &info)
{
    m_settingsAction->setEnabled(!info.method.isEmpty());
    if (!info.semantic)
        offerDefaultModel();
    if (!m_settings || info.method.isEmpty() || info.generation == m_restoredGeneration)
        return;
    m_restoredGeneration = info.generation;
    QStringList problems;
    auto values = ClusteringSettingsDialog::restore(info.method, info.hyperparameters, *m_settings, &problems);
    if (!values.empty())
        m_core.setHyperparameters(std::move(values));
    for (const QString &problem : std::as_const(problems))
        Q_EMIT message(problem, 10'000);
}

ModelsDialog *MainMenus::showModels()
{
    if (!m_models)
        return nullptr;
    if (!m_modelsDialog) {
        m_modelsDialog = new ModelsDialog(*m_models, &m_window);
        connect(m_modelsDialog, &ModelsDialog::modelsChanged, this, &MainMenus::onModelsChanged);
        connect(m_modelsDialog, &ModelsDialog::downloadProgress, this, [this](const QString &name, qint64 bytes, qint64 total) {
            const QString done = QLocale().formattedDataSize(bytes);
            Q_EMIT message(total > 0 ? tr("Downloading %1: %2 of %3").arg(name, done, QLocale().formattedDataSize(total))
                                     : tr("Downloading %1: %2").arg(name, done));
        });
        connect(m_modelsDialog, &ModelsDialog::downloadEnded, this, [this](const QString &text) { Q_EMIT message(text, 10'000); });
    }
    m_modelsDialog->refresh();
    m_modelsDialog->show();
    m_modelsDialog->raise();
    m_modelsDialog->activateWindow();
    return m_modelsDialog;
}

void MainMenus::downloadDefaultModel()
{
    if (ModelsDialog *dialog = showModels())
        dialog->downloadDefault();
}

// Loaded on the worker after what it is doing now; a run in progress keeps its model.
EngineLoader MainMenus::reloader() const
{
    return [reload = m_reloadEngine, vocabulary = ClusteringSettingsDialog::vocabulary(m_settings)] { return reload(vocabulary); };
}

void MainMenus::onModelsChanged()
{
    if (!m_reloadEngine) {
        Q_EMIT message(tr("The installed models changed; restart Clade to use them."));
        return;
    }
    m_core.loadEngine(reloader());
    Q_EMIT message(tr("Loading the model…"));
}

void MainMenus::fillUseMenu()
{
    m_useMenu->clear();
    const auto preferred = m_models->preferredModel();
    auto *group = new QActionGroup(m_useMenu);
    for (const InstalledModel &model : m_models->installed()) {
        const auto entry = m_models->catalogue().find(model.id);
        if (entry && !entry->isModel())
            continue;   // the vocabulary
        QString name = entry ? entry->name : model.id;
        if (!model.verified())
            name = tr("%1 (not verified)").arg(name);
        QAction *use = m_useMenu->addAction(name);
        use->setData(model.id);
        use->setCheckable(true);
        use->setChecked(preferred && preferred->id == model.id);
        group->addAction(use);
        connect(use, &QAction::triggered, this, [this, id = model.id] { useModel(id); });
    }
    if (group->actions().isEmpty())
        m_useMenu->addAction(tr("No model installed"))->setEnabled(false);
}

void MainMenus::useModel(const QString &id)
{
    const auto preferred = m_models->preferredModel();
    if (preferred && preferred->id == id && m_core.engine().semantic)
        return;   // in use already
    if (Status chosen = m_models->setActive(id); !chosen) {
        Q_EMIT message(tr("Cannot use this model: %1").arg(chosen.error()), 10'000);
        return;
    }
    onModelsChanged();
}

// Asked once, and only while no model is installed at all (one that failed to load is the
// Models dialog's business).
void MainMenus::offerDefaultModel()
{
    if (!m_offerDefault || m_offered || !m_models || m_models->preferredModel())
        return;
    const QString askedKey = QStringLiteral("models/offeredDefault");
    if (m_settings && m_settings->value(askedKey).toBool())
        return;
    const auto entry = m_models->catalogue().find(m_models->catalogue().defaultId());
    if (!entry || !entry->hasChecksum())
        return;
    m_offered = true;
    if (m_settings)
        m_settings->setValue(askedKey, true);
    auto *ask = new QMessageBox(QMessageBox::Question, tr("Download a CLIP model?"),
                                tr("Clade groups photos by what they show, and names the groups, with a CLIP model. "
                                   "None is installed yet, so photos are grouped by look (colour, texture, layout)."),
                                QMessageBox::NoButton, &m_window);
    ask->setObjectName(QStringLiteral("offerDefaultModel"));
    ask->setInformativeText(
        tr("Download %1 now? It is %2, under the %3 licence. The download runs in the background "
           "and can be cancelled; Models › Manage Models does it later.")
            .arg(entry->name, entry->size ? QLocale().formattedDataSize(*entry->size) : tr("of unknown size"), entry->licence));
    QPushButton *download = ask->addButton(tr("&Download"), QMessageBox::AcceptRole);
    ask->addButton(tr("&Not Now"), QMessageBox::RejectRole);
    ask->setDefaultButton(download);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QMessageBox::buttonClicked, this, [this, download](QAbstractButton *clicked) {
        if (clicked == download)
            downloadDefaultModel();
    });
    ask->open();
}

void MainMenus::chooseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(&m_window, tr("Choose a photo folder"), m_window.runBar()->folder());
    if (!chosen.isEmpty())
        m_window.openFolder(chosen);
}

// The worker applies the settings after the requests before them, so a run in progress keeps
// the ones it started with; they are edited only between runs to say so plainly.
void MainMenus::showClusteringSettings()
{
    if (m_core.isRunning()) {
        QMessageBox::information(&m_window, tr("Clustering Settings"),
                                 tr("The settings can be changed when the current run has finished."));
        return;
    }
    const EngineInfo &engine = m_core.engine();
    ClusteringSettingsDialog dialog(engine.method, engine.hyperparameters, m_settings, &m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_core.setHyperparameters(dialog.values());
    if (dialog.vocabularyChanged())
        useVocabulary();
}

void MainMenus::useVocabulary()
{
    if (!m_reloadEngine) {
        Q_EMIT message(tr("The vocabulary changed; restart Clade to use it."));
        return;
    }
    // The engine is made again with the remembered vocabulary (the reload reads it), then the
    // shown run's groups are named again from it, in that order on the worker.
    m_core.loadEngine(reloader());
    if (m_window.shownRun() != 0 && m_core.engine().semantic) {
        m_core.renameRun(m_window.shownRun());
        Q_EMIT message(tr("Naming the groups again from the new vocabulary…"));
    }
}

void MainMenus::showAbout()
{
    QMessageBox::about(&m_window, tr("About Clade"),
                       tr("<p><b>Clade %1</b></p><p>Sorts a photo folder into groups by meaning.</p>"
                          "<p>Licensed under the GNU General Public License, version 3 or later.</p>")
                           .arg(softwareVersion().toHtmlEscaped()));
}

}   // namespace clade
