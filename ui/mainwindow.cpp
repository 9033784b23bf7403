#include "mainwindow.h"

#include "backgroundtask.h"
#include "clusteringsettingsdialog.h"
#include "clusterlistmodel.h"
#include "exportdialog.h"
#include "groupcorrections.h"
#include "groupdiagnostics.h"
#include "keywordsdialog.h"
#include "mainmenus.h"
#include "photogridmodel.h"
#include "photosearch.h"
#include "photoviewer.h"
#include "problemspanel.h"
#include "previewpane.h"
#include "runbar.h"
#include "thumbnailprovider.h"
#include "windowparts.h"
#include "common/paths.h"
#include "export/runtable.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
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
#include <unordered_map>
#include <utility>

namespace clade {

namespace {

// QSettings keys; the file is ~/.config/clade/clade.conf for the app.
const QString folderKey = QStringLiteral("run/folder");
const QString kKey = QStringLiteral("run/k");
const QString geometryKey = QStringLiteral("window/geometry");
const QString orderKey = QStringLiteral("grid/order");
const QString problemsPanelKey = QStringLiteral("window/problemsPanel");

}   // namespace

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
    restoreSettings();
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings()
{
    if (!m_context.settings)
        return;
    restoreGeometry(m_context.settings->value(geometryKey).toByteArray());
    bool ok = false;
    const int k = m_context.settings->value(kKey).toInt(&ok);
    if (ok && k >= 2)
        m_runBar->setK(k);
    // The grid's order and whether the Problems panel is open, as the user left them.
    const int order = m_order->findData(m_context.settings->value(orderKey, int(PhotoOrder::Typicality)).toInt());
    if (order >= 0)
        m_order->setCurrentIndex(order);
    m_problemsPanel->setVisible(m_context.settings->value(problemsPanelKey, false).toBool());
}

void MainWindow::saveSettings()
{
    if (!m_context.settings)
        return;
    m_context.settings->setValue(geometryKey, saveGeometry());
    m_context.settings->setValue(kKey, m_runBar->k());
    m_context.settings->setValue(orderKey, m_order->currentData().toInt());
    m_context.settings->setValue(problemsPanelKey, !m_problemsPanel->isHidden());
    if (const QString folder = catalogFolderKey(m_runBar->folder()); QFileInfo(folder).isDir())
        m_context.settings->setValue(folderKey, folder);
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

// The grid with its order and filter above it.
QWidget *MainWindow::buildGridPanel()
{
    auto *panel = new QWidget(this);
    m_order = makePhotoOrderBox(panel);
    m_filter = new QLineEdit(panel);
    m_filter->setAccessibleName(tr("Filter the photos by file name"));
    m_filter->setPlaceholderText(tr("Filter by file name"));
    m_filter->setClearButtonEnabled(true);
    const auto rearranged = [this] {
        if (m_photoModel->rowCount() > 0)
            m_photoView->setCurrentIndex(m_photoModel->index(0));
        else
            m_preview->clear();
    };
    connect(m_order, &QComboBox::currentIndexChanged, this, [this, rearranged] {
        m_photoModel->setOrder(PhotoOrder(m_order->currentData().toInt()));
        rearranged();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this, rearranged](const QString &text) {
        m_photoModel->setFilter(text);
        rearranged();
    });
    m_below = new QDoubleSpinBox(panel);
    m_below->setAccessibleName(tr("Show only photos with a confidence below"));
    m_below->setToolTip(tr("Shows only the photos the clustering was less sure of than this (1: all photos)"));
    // 0 (the special text, the start) shows every photo; 0.05 to 1 only those below.
    m_below->setRange(0.0, 1.0);
    m_below->setSingleStep(0.05);
    m_below->setDecimals(2);
    m_below->setPrefix(tr("Confidence below "));
    m_below->setSpecialValueText(tr("Any confidence"));
    m_below->setValue(0.0);
    connect(m_below, &QDoubleSpinBox::valueChanged, this, [this, rearranged](double value) {
        m_photoModel->setConfidenceBelow(value <= 0.0 ? 1.0 : value);
        rearranged();
    });
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    m_search->field()->setParent(panel);
    bar->addWidget(m_search->field(), 2);
    bar->addWidget(m_order);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_below);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_photoView, 1);
    return panel;
}

// Ranked photos of the shown run in the grid, which then belongs to no group (the group list
// loses its selection; photos can be dragged onto a group).
void MainWindow::showFound(const std::vector<PhotoRecord> &photos, const QString &what)
{
    m_clusterView->selectionModel()->clearCurrentIndex();
    m_clusterView->clearSelection();
    m_order->setCurrentIndex(0);   // as ranked
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
    if (clean.isEmpty() && m_context.settings) {
        const QString remembered = m_context.settings->value(folderKey).toString();
        if (QFileInfo(remembered).isDir())
            clean = catalogFolderKey(remembered);
    }
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
void MainWindow::renameCluster(qint64 clusterId, const QString &name)
{
    int index = -1;
    for (int row = 0; row < m_clusterModel->rowCount(); ++row) {
        if (Result<qint64> id = m_context.catalog->corrections().clusterId(m_shownRun, m_clusterModel->clusterIndex(row));
            id && *id == clusterId)
            index = m_clusterModel->clusterIndex(row);
    }
    if (index < 0) {
        say(tr("Cannot rename the group: it is not shown any more."));
        return;
    }
    m_corrections->renameGroup(index, name);
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
    if (m_shownRun == 0 || m_context.core->isRunning()) {
        say(m_shownRun == 0 ? tr("There are no groups to export yet.") : tr("Export when the current run has finished."));
        return nullptr;
    }
    auto *dialog = new ExportDialog(*m_context.catalog, m_shownRun, this);
    // The gallery shows the moved photos at their new place (or their old one after undo).
    connect(dialog, &ExportDialog::photosMoved, this, &MainWindow::onClusterChanged);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

KeywordsDialog *MainWindow::showKeywords()
{
    if (m_shownRun == 0 || m_context.core->isRunning()) {
        say(m_shownRun == 0 ? tr("There are no groups to write as keywords yet.")
                            : tr("Write keywords when the current run has finished."));
        return nullptr;
    }
    auto *dialog = new KeywordsDialog(*m_context.catalog, m_shownRun, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

void MainWindow::exportTable(const QString &path)
{
    if (m_shownRun == 0) {
        say(tr("There are no groups to export yet."));
        return;
    }
    QString target = path;
    if (target.isEmpty()) {
        const QString suggested = QDir::home().filePath(QStringLiteral("clade-run-%1.csv").arg(m_shownRun));
        // Never over an existing file (writeRunTable refuses), so no question about replacing one.
        target = QFileDialog::getSaveFileName(this, tr("Export Table"), suggested, tr("CSV table (*.csv);;JSON (*.json)"), nullptr,
                                              QFileDialog::DontConfirmOverwrite);
        if (target.isEmpty())
            return;
        if (QFileInfo(target).suffix().isEmpty())
            target += QStringLiteral(".csv");
    }
    if (!runTableFormatFor(target)) {
        const QString error = tr("A table is written as .csv or .json: %1").arg(QDir::toNativeSeparators(target));
        say(error);
        Q_EMIT tableWritten(target, error);
        return;
    }
    if (!m_tableTask)
        m_tableTask = std::make_unique<BackgroundTask>();
    say(tr("Writing the table…"));
    m_tableTask->start([this, target, runId = m_shownRun, catalogPath = m_context.core->catalogPath()](Progress &) {
        QString error;
        if (auto catalog = Catalog::open(catalogPath); !catalog)
            error = catalog.error();
        else if (Status written = writeRunTable(**catalog, runId, target); !written)
            error = written.error();
        return [this, target, error] {
            say(error.isEmpty() ? tr("Wrote the table %1").arg(QDir::toNativeSeparators(target))
                                : tr("Cannot write the table: %1").arg(error));
            Q_EMIT tableWritten(target, error);
        };
    });
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
    const qint64 pending = std::exchange(m_pendingPhoto, 0);
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
    if (m_shownRun == 0) {
        say(tr("There are no groups yet."));
        return false;
    }
    auto assignments = m_context.catalog->runs().assignments(m_shownRun);
    if (!assignments) {
        say(tr("Cannot read the groups: %1").arg(assignments.error()));
        return false;
    }
    // The queue: (group's row in the list, confidence, photo id), in that order.
    struct Entry
    {
        int row;
        float confidence;
        qint64 photo;
        int group;
        auto operator<=>(const Entry &) const = default;
    };
    std::vector<Entry> queue;
    std::unordered_map<int, int> rowOfGroup;
    for (int row = 0; row < m_clusterModel->rowCount(); ++row)
        rowOfGroup.emplace(m_clusterModel->clusterIndex(row), row);
    std::vector<float> confidences;
    for (const AssignmentRecord &a : *assignments)
        confidences.push_back(a.confidence);
    const float threshold = uncertainThreshold(std::move(confidences));
    for (const AssignmentRecord &a : *assignments) {
        const auto row = rowOfGroup.find(a.clusterIndex);
        if (row != rowOfGroup.end() && (a.confidence < threshold || m_photoModel->isBorderline(a.photoId)))
            queue.push_back({row->second, a.confidence, a.photoId, a.clusterIndex});
    }
    if (queue.empty()) {
        say(tr("No photo of this run is uncertain or borderline."));
        return false;
    }
    std::sort(queue.begin(), queue.end());
    // From the current photo on; before the first entry of the current group when there is none.
    const PhotoRecord *current = m_photoModel->photo(m_photoView->currentIndex().row());
    const int currentRow = m_clusterView->currentIndex().row();
    Entry here{currentRow, -1.0f, 0, 0};
    if (current && currentRow >= 0) {
        // A collapsed burst's row shows its representative: the queued photo it stands for counts.
        const qint64 id =
            m_photoModel->photosOfRow(m_photoView->currentIndex().row()).contains(m_lastUncertain) ? m_lastUncertain : current->id;
        const auto it = std::find_if(queue.begin(), queue.end(), [&](const Entry &e) { return e.photo == id; });
        here = it != queue.end() ? *it : Entry{currentRow, std::max(0.0f, m_photoModel->confidence(current->id)), current->id, 0};
    }
    auto next = std::upper_bound(queue.begin(), queue.end(), here);
    if (next == queue.end())
        next = queue.begin();   // around again
    m_lastUncertain = next->photo;
    const qsizetype position = next - queue.begin() + 1;
    say(tr("Uncertain photo %1 of %2 in this run (confidence %3).")
            .arg(position)
            .arg(queue.size())
            .arg(QString::number(next->confidence, 'f', 2)));
    // A filter that hides it would make the step invisible.
    if (m_photoModel->confidenceBelow() < 1.0 && next->confidence >= m_photoModel->confidenceBelow())
        m_below->setValue(0.0);
    if (next->row == currentRow && !m_photoModel->loadingGroup()) {
        int row = m_photoModel->rowOfPhoto(next->photo);
        if (row < 0 && !m_filter->text().isEmpty()) {
            m_filter->clear();
            row = m_photoModel->rowOfPhoto(next->photo);
        }
        if (row >= 0)
            m_photoView->setCurrentIndex(m_photoModel->index(row));
        return row >= 0;
    }
    m_pendingPhoto = next->photo;
    m_clusterView->setCurrentIndex(m_clusterModel->index(next->row));   // loads it; onGroupLoaded selects the photo
    return true;
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
