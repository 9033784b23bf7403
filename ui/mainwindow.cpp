#include "mainwindow.h"

#include "clusteringsettingsdialog.h"
#include "clusterlistmodel.h"
#include "groupcorrections.h"
#include "groupdiagnostics.h"
#include "mainmenus.h"
#include "photogridmodel.h"
#include "photosearch.h"
#include "photoviewer.h"
#include "problemspanel.h"
#include "previewpane.h"
#include "runbar.h"
#include "runoutputs.h"
#include "thumbnailprovider.h"
#include "uncertainqueue.h"
#include "windowparts.h"
#include "common/paths.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace clade {

MainWindow::MainWindow(const MainWindowContext &context, QWidget *parent)
    : QMainWindow(parent), m_context(context), m_runBar(new RunBar(this)),
      m_coverThumbnails(new ThumbnailProvider(*context.thumbnails, coverEdge, this)),
      m_gridThumbnails(new ThumbnailProvider(*context.thumbnails, gridEdge, this)),
      m_clusterModel(new ClusterListModel(m_coverThumbnails, this)), m_photoModel(new PhotoGridModel(m_gridThumbnails, this)),
      m_problems(new ProblemsLabel(this))
{
    setWindowTitle(tr("Clade"));
    m_corrections = new GroupCorrections(*m_context.core, *this);
    m_search = new PhotoSearch(*m_context.core, *this);
    m_diagnostics = new GroupDiagnostics(*m_context.core, *this);
    m_uncertain = new UncertainQueue(*m_context.catalog, *this);
    m_outputs = new RunOutputs(*m_context.catalog, *m_context.core, *this);
    m_menus = new MainMenus(*this, *m_context.core, m_context.models, m_context.settings, m_context.reloadEngine);
    m_menus->setOfferDefaultModel(m_context.offerDefaultModel);
    buildCentre();
    m_problemsPanel = new ProblemsPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsPanel);
    m_problemsPanel->hide();
    m_menus->build(*m_corrections, *m_search);
    connectCore();
    statusBar()->addPermanentWidget(m_problems);
    connect(m_problems, &ProblemsLabel::showPanel, m_problemsPanel, [this] {
        m_problemsPanel->show();
        m_problemsPanel->raise();
    });
    connect(m_problemsPanel, &ProblemsPanel::retryRequested, this, &MainWindow::startRun);
    resize(1280, 800);
    if (m_context.settings)
        restoreWindowState(*m_context.settings, *this);
    if (m_context.core->engine().loaded)
        onEngineChanged(m_context.core->engine());
    else
        say(tr("Loading the model…"));
}

MainWindow::~MainWindow() = default;

QUndoStack *MainWindow::undoStack() const
{
    return m_corrections->undoStack();
}

QLineEdit *MainWindow::searchField() const
{
    return m_search->field();
}

QComboBox *MainWindow::photoOrderBox() const
{
    return m_gridBar->order();
}

QLineEdit *MainWindow::photoFilter() const
{
    return m_gridBar->filter();
}

QDoubleSpinBox *MainWindow::confidenceFilter() const
{
    return m_gridBar->confidenceBelow();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_context.settings)
        saveWindowState(*m_context.settings, *this);
    QMainWindow::closeEvent(event);
}

// The worker's engine was loaded or changed: the banner, search and settings follow it; a run
// that waited for it starts now, after the remembered settings (MainMenus) reached the worker.
void MainWindow::onEngineChanged(const EngineInfo &info)
{
    m_banner->setVisible(!info.semantic);
    m_search->setAvailable(info.canEncodeText);
    m_menus->onEngineChanged(info);
    if (std::exchange(m_startWhenLoaded, false))
        startRun();
    else if (m_shownRun == 0 && !m_context.core->isRunning())
        say(info.description);
}

void MainWindow::buildCentre()
{
    m_clusterView = makeClusterView(this);
    m_clusterView->setModel(m_clusterModel);
    m_photoView = makePhotoView(this);
    m_photoView->setModel(m_photoModel);
    m_preview = new PreviewPane(m_context.decoder, this);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_clusterView);
    splitter->addWidget(buildGridPanel());
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({260, 620, 400});

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *banner = new NoModelBanner(m_context.models != nullptr, this);
    connect(banner, &NoModelBanner::downloadRequested, m_menus, &MainMenus::downloadDefaultModel);
    m_banner = banner;
    m_banner->hide();   // until the worker's engine says it groups by look
    layout->addWidget(m_banner);
    layout->addWidget(m_runBar);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    connect(m_clusterView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onClusterChanged);
    connect(m_clusterModel, &ClusterListModel::renameRequested, this, &MainWindow::renameCluster, Qt::QueuedConnection);
    // Queued: the drop is still being delivered when the signal comes, and the lists reload.
    connect(m_clusterModel, &ClusterListModel::movePhotosRequested, m_corrections, &GroupCorrections::movePhotos, Qt::QueuedConnection);
    connect(m_photoView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onPhotoChanged);
    connect(m_photoModel, &PhotoGridModel::groupLoaded, this, &MainWindow::onGroupLoaded);
    connect(m_photoView, &QAbstractItemView::activated, this, &MainWindow::openViewer);
}

// The grid with its bar above it.
QWidget *MainWindow::buildGridPanel()
{
    auto *panel = new QWidget(this);
    m_gridBar = new GridBar(*m_photoModel, m_search->field(), panel);
    connect(m_gridBar, &GridBar::rearranged, this, [this] {
        if (m_photoModel->rowCount() > 0)
            m_photoView->setCurrentIndex(m_photoModel->index(0));
        else
            m_preview->clear();
    });
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_gridBar);
    layout->addWidget(m_photoView, 1);
    return panel;
}

// Ranked photos of the shown run in the grid, which then belongs to no group (the group list
// loses its selection; photos can be dragged onto a group).
void MainWindow::showFound(const std::vector<PhotoRecord> &photos, const QString &what)
{
    m_clusterView->selectionModel()->clearCurrentIndex();
    m_clusterView->clearSelection();
    m_gridBar->order()->setCurrentIndex(0);   // as ranked
    m_photoModel->showPhotos(photos);
    if (m_photoModel->rowCount() > 0)
        m_photoView->setCurrentIndex(m_photoModel->index(0));
    m_corrections->updateActions();
    say(tr("Search for %1: the %n closest photo(s), best first.", nullptr, m_photoModel->rowCount()).arg(what));
}

PhotoViewer *MainWindow::openViewer()
{
    const int row = m_photoView->currentIndex().row();
    if (row < 0)
        return nullptr;
    auto *viewer = new PhotoViewer(*m_photoModel, m_context.decoder, row, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    connect(viewer, &PhotoViewer::rowChanged, this, [this](int shown) { m_photoView->setCurrentIndex(m_photoModel->index(shown)); });
    // The grid may change under it (another group, a correction): the viewer closes then.
    connect(m_photoModel, &QAbstractItemModel::modelReset, viewer, &QWidget::close);
    viewer->show();
    return viewer;
}

void MainWindow::connectCore()
{
    AppCore *core = m_context.core;
    connect(m_runBar, &RunBar::runRequested, this, &MainWindow::startRun);
    connect(m_runBar, &RunBar::cancelRequested, this, [this, core] {
        if (std::exchange(m_startWhenLoaded, false))
            onRunStopped(tr("Cancelled."));
        else
            core->cancelRun();
    });
    connect(m_runBar, &RunBar::folderChosen, this, &MainWindow::openFolder);
    connect(core, &AppCore::runProgress, m_runBar, &RunBar::showProgress);
    connect(core, &AppCore::runFinished, this, &MainWindow::onRunFinished);
    connect(core, &AppCore::runCancelled, this, [this] { onRunStopped(tr("Cancelled.")); });
    connect(core, &AppCore::runFailed, this, [this](const QString &message) { onRunStopped(tr("The run failed: %1").arg(message)); });
    connect(core, &AppCore::engineChanged, this, &MainWindow::onEngineChanged);
    connect(core, &AppCore::engineFailed, this, [this](const QString &message) {
        const QString text = tr("Cannot load the model: %1").arg(message);
        if (std::exchange(m_startWhenLoaded, false))
            onRunStopped(text);
        else
            say(text);
    });
    connect(core, &AppCore::settingsFailed, this,
            [this](const QString &message) { say(tr("A clustering setting was not used: %1").arg(message)); });
    connect(m_diagnostics, &GroupDiagnostics::message, this, &MainWindow::say);
    connect(m_uncertain, &UncertainQueue::message, this, &MainWindow::say);
    connect(m_outputs, &RunOutputs::message, this, &MainWindow::say);
    connect(m_outputs, &RunOutputs::photosMoved, this, &MainWindow::onClusterChanged);
    connect(m_outputs, &RunOutputs::tableWritten, this, &MainWindow::tableWritten);
    connect(m_menus, &MainMenus::message, this, [this](const QString &text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    connect(m_corrections, &GroupCorrections::applied, this, &MainWindow::reloadGroups);
    connect(m_corrections, &GroupCorrections::message, this, &MainWindow::say);
    connect(m_context.core, &AppCore::renamed, this, [this](quint64, qint64 runId, const Result<std::vector<ClusterRecord>> &clusters) {
        if (!clusters) {
            say(tr("Cannot name the groups again: %1").arg(clusters.error()));
            return;
        }
        if (runId != m_shownRun)
            return;
        reloadGroups(currentGroup());
        say(tr("The groups have been named again from the vocabulary."));
    });
    connect(m_search, &PhotoSearch::found, this, &MainWindow::showFound);
    connect(m_search, &PhotoSearch::message, this, &MainWindow::say);
}

void MainWindow::openFolder(const QString &folder)
{
    QString clean = catalogFolderKey(folder);
    if (clean.isEmpty() && m_context.settings)
        clean = rememberedFolder(*m_context.settings);
    auto latest = m_context.catalog->runs().latest(clean);
    if (!latest) {
        say(tr("Cannot read the catalog: %1").arg(latest.error()));
        return;
    }
    if (!latest->has_value()) {
        m_runBar->setFolder(clean);
        showNoRun(clean);
        return;
    }
    const RunRecord &run = **latest;
    m_runBar->setFolder(run.folder);
    m_runBar->setK(run.k);
    showRun(run.id);
}

bool MainWindow::startRun()
{
    const QString folder = catalogFolderKey(m_runBar->folder());
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
        say(folder.isEmpty() ? tr("Choose a photo folder first.") : tr("%1 is not a folder.").arg(QDir::toNativeSeparators(folder)));
        return false;
    }
    PipelineOptions options;
    options.folder = folder;
    options.k = m_runBar->k();
    options.seed = ClusteringSettingsDialog::seed(m_context.settings);
    if (m_startWhenLoaded)
        return false;   // one run at a time
    if (!m_context.core->engine().loaded) {
        // The settings the user chose go to the clusterer first (onEngineChanged), then the run.
        m_startWhenLoaded = true;
        m_runBar->setRunning(true);
        say(tr("The run starts once the model is loaded."));
        return true;
    }
    if (!m_context.core->startRun(options))
        return false;
    m_runBar->setRunning(true);
    m_corrections->updateActions();
    return true;
}

void MainWindow::setK(int k)
{
    m_runBar->setK(k);
}

bool MainWindow::isBusy() const
{
    return m_context.core->pending() > 0 || loadingGroup() || !m_coverThumbnails->isIdle() || !m_gridThumbnails->isIdle()
           || m_preview->isLoading();
}

bool MainWindow::loadingGroup() const
{
    return m_photoModel->loadingGroup();
}

bool MainWindow::showRun(qint64 runId)
{
    auto run = m_context.catalog->runs().get(runId);
    if (!run || !run->has_value()) {
        say(run ? tr("Run %1 is not in the catalog.").arg(runId) : run.error());
        return false;
    }
    if (Status loaded = m_clusterModel->load(*m_context.catalog, runId); !loaded) {
        say(tr("Cannot read the groups: %1").arg(loaded.error()));
        return false;
    }
    const RunRecord &record = **run;
    if (runId != m_shownRun)
        m_corrections->clear();   // the steps belong to the run shown before
    m_shownRun = runId;
    setWindowTitle(tr("%1 — Clade").arg(QDir::toNativeSeparators(record.folder)));
    say(tr("Groups: %1 · made %2 with %3 on %4 features")
            .arg(QString::number(m_clusterModel->rowCount()), QLocale().toString(record.finishedAt, QLocale::ShortFormat),
                 clusterMethodName(record.method), record.modelId));
    std::vector<ProblemRecord> problems;
    if (auto read = m_context.catalog->photos().problemsUnder(record.folder))
        problems = std::move(*read);
    else
        say(tr("Cannot read the problems of %1: %2").arg(QDir::toNativeSeparators(record.folder), read.error()));
    m_problems->showProblems(problems);
    m_problemsPanel->showProblems(problems);
    m_photoModel->setDiagnostics({}, {});   // those of another run must not show meanwhile
    m_photoModel->setBursts({});
    if (m_clusterModel->rowCount() > 0)
        m_clusterView->setCurrentIndex(m_clusterModel->index(0));
    m_corrections->updateActions();
    m_diagnostics->refresh();
    Q_EMIT runShown(runId);
    return true;
}

void MainWindow::showNoRun(const QString &folder)
{
    m_shownRun = 0;
    m_corrections->clear();
    m_clusterModel->clear();
    m_photoModel->clear();
    m_preview->clear();
    m_problems->clear();
    m_problemsPanel->clear();
    setWindowTitle(folder.isEmpty() ? tr("Clade") : tr("%1 — Clade").arg(QDir::toNativeSeparators(folder)));
    say(folder.isEmpty() ? tr("Choose a photo folder and press Run.") : tr("This folder has not been grouped yet: press Run."));
}

// Stores the user's name for a group; the list reloads when the worker has stored it.
void MainWindow::renameCluster(qint64 runId, int clusterIndex, const QString &name)
{
    if (runId != m_shownRun || m_clusterModel->rowOfCluster(clusterIndex) < 0)
        say(tr("Cannot rename the group: it is not shown any more."));
    else
        m_corrections->renameGroup(clusterIndex, name);
}

int MainWindow::currentGroup() const
{
    return m_clusterModel->clusterIndex(m_clusterView->currentIndex().row());
}

QList<qint64> MainWindow::selectedPhotos() const
{
    QList<qint64> ids;
    QModelIndexList rows = m_photoView->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : rows)
        ids << m_photoModel->photosOfRow(index.row());   // a collapsed burst: all of it
    return ids;
}

// Reloads the groups of the shown run and selects `selectGroup` (else the first).
void MainWindow::reloadGroups(int selectGroup)
{
    if (Status loaded = m_clusterModel->load(*m_context.catalog, m_shownRun); !loaded) {
        say(tr("Cannot read the groups: %1").arg(loaded.error()));
        return;
    }
    // The reset cleared the current group, so selecting one shows it (onClusterChanged); with
    // no group left, the grid is cleared here.
    const int row = m_clusterModel->rowOfCluster(selectGroup);
    if (m_clusterModel->rowCount() > 0)
        m_clusterView->setCurrentIndex(m_clusterModel->index(std::max(0, row)));
    else
        onClusterChanged();
    m_corrections->updateActions();
    m_diagnostics->refresh();   // the corrected partition
}

ExportDialog *MainWindow::showExport()
{
    return m_outputs->showExport();
}

KeywordsDialog *MainWindow::showKeywords()
{
    return m_outputs->showKeywords();
}

void MainWindow::exportTable(const QString &path)
{
    m_outputs->exportTable(path);
}

void MainWindow::onClusterChanged()
{
    const int clusterIndex = m_clusterModel->clusterIndex(m_clusterView->currentIndex().row());
    m_corrections->updateActions();
    m_preview->clear();
    if (clusterIndex < 0) {
        m_photoModel->clear();
        return;
    }
    // Read off the GUI thread: a group can hold tens of thousands of photos (onGroupLoaded).
    m_photoModel->loadGroup(m_context.core->catalogPath(), m_shownRun, clusterIndex);
}

void MainWindow::onGroupLoaded(qint64 runId, int clusterIndex, const QString &error)
{
    if (runId != m_shownRun || clusterIndex != currentGroup())
        return;
    const qint64 pending = m_uncertain->takePendingPhoto();
    const int pendingRow = pending ? m_photoModel->rowOfPhoto(pending) : -1;
    if (!error.isEmpty())
        say(tr("Cannot read the photos of this group: %1").arg(error));
    else if (pendingRow >= 0)
        m_photoView->setCurrentIndex(m_photoModel->index(pendingRow));
    else if (m_photoModel->rowCount() > 0)
        m_photoView->setCurrentIndex(m_photoModel->index(0));
}

bool MainWindow::nextUncertain()
{
    return m_uncertain->next();
}

void MainWindow::onPhotoChanged()
{
    if (const PhotoRecord *photo = m_photoModel->photo(m_photoView->currentIndex().row()))
        m_preview->showPhoto(*photo);
    else
        m_preview->clear();
}

void MainWindow::onRunFinished(qint64 runId)
{
    m_runBar->setRunning(false);
    // A name the user gave a group of the previous run that no group of this run continues.
    Result<QStringList> notCarried = m_context.catalog->corrections().namesNotCarried(runId);
    QString message = !notCarried || notCarried->isEmpty()
                          ? tr("Done.")
                          : tr("Done. No group of this run continues the one you named “%1”; the name stays on the earlier run.")
                                .arg(notCarried->join(QStringLiteral("”, “")));
    // Training that left groups empty: they were refilled so that there are K groups.
    if (auto run = m_context.catalog->runs().get(runId); run && *run) {
        const int refilled = (**run).params.value(QStringLiteral("selection")).toObject().value(QStringLiteral("repaired")).toInt();
        if (refilled > 0)
            message += QLatin1Char(' ')
                       + tr("Training left %n group(s) empty; each was refilled with half of the widest group.", nullptr, refilled);
    }
    m_runBar->showMessage(message, true);
    showRun(runId);
}

void MainWindow::onRunStopped(const QString &message)
{
    m_runBar->setRunning(false);
    m_corrections->updateActions();
    m_runBar->showMessage(message);
}

void MainWindow::say(const QString &message)
{
    statusBar()->showMessage(message);
}

}   // namespace clade
