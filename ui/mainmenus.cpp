#include "mainmenus.h"

#include "clusteringsettingsdialog.h"
#include "groupcorrections.h"
#include "mainwindow.h"
#include "modelsdialog.h"
#include "photogridmodel.h"
#include "photosearch.h"
#include "runbar.h"
#include "common/paths.h"

#include <QAction>
#include <QFileDialog>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

namespace clade {

MainMenus::MainMenus(MainWindow &window, AppCore &core, ModelManager *models, QSettings *settings, EngineLoader reloadEngine)
    : QObject(&window), m_window(window), m_core(core), m_models(models), m_settings(settings),
      m_reloadEngine(std::move(reloadEngine))
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
    QAction *view = edit->addAction(tr("&View Photo"));
    view->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(view, &QAction::triggered, &m_window, &MainWindow::openViewer);

    corrections.addGroupMenu(bar);
    QMenu *tools = bar->addMenu(tr("&Tools"));
    if (m_models)
        connect(tools->addAction(tr("&Models…")), &QAction::triggered, this, &MainMenus::showModels);
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

void MainMenus::showModels()
{
    ModelsDialog dialog(*m_models, &m_window);
    bool changed = false;
    connect(&dialog, &ModelsDialog::modelsChanged, this, [&changed] { changed = true; });
    dialog.exec();
    if (!changed)
        return;
    if (!m_reloadEngine) {
        Q_EMIT message(tr("The installed models changed; restart Clade to use them."));
        return;
    }
    // Loaded on the worker after what it is doing now; a run in progress keeps its model.
    m_core.loadEngine(m_reloadEngine);
    Q_EMIT message(tr("Loading the model…"));
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
    if (dialog.exec() == QDialog::Accepted)
        m_core.setHyperparameters(dialog.values());
}

void MainMenus::showAbout()
{
    QMessageBox::about(&m_window, tr("About Clade"),
                       tr("<p><b>Clade %1</b></p><p>Sorts a photo folder into groups by meaning.</p>"
                          "<p>Licensed under the GNU General Public License, version 3 or later.</p>")
                           .arg(softwareVersion().toHtmlEscaped()));
}

} // namespace clade
