#include "mainwindow.h"

#include "clusteringsettingsdialog.h"
#include "clusterlistmodel.h"
#include "exportdialog.h"
#include "modelsdialog.h"
#include "photogridmodel.h"
#include "photoviewer.h"
#include "pipeline/search.h"
#include "previewpane.h"
#include "runbar.h"
#include "runcontroller.h"
#include "thumbnailprovider.h"
#include "common/paths.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace clade {

namespace {

constexpr int coverEdge = 56;
constexpr int gridEdge = 150;

// QSettings keys; the file is ~/.config/clade/clade.conf for the app.
const QString folderKey = QStringLiteral("run/folder");
const QString kKey = QStringLiteral("run/k");
const QString geometryKey = QStringLiteral("window/geometry");

QListView *makeClusterView(QWidget *parent)
{
    auto *view = new QListView(parent);
    view->setIconSize(QSize(coverEdge, coverEdge));
    view->setUniformItemSizes(true);
    view->setSpacing(2);
    view->setWordWrap(true);
    view->setTextElideMode(Qt::ElideRight);
    view->setMinimumWidth(200);
    view->setAcceptDrops(true);
    view->setDragDropMode(QAbstractItemView::DropOnly);
    view->setDropIndicatorShown(true);
    view->setAccessibleName(QObject::tr("Groups"));
    return view;
}

QListView *makePhotoView(QWidget *parent)
{
    auto *view = new QListView(parent);
    view->setViewMode(QListView::IconMode);
    view->setIconSize(QSize(gridEdge, gridEdge));
    view->setGridSize(QSize(gridEdge + 20, gridEdge + 34));
    view->setUniformItemSizes(true);
    view->setResizeMode(QListView::Adjust);
    view->setMovement(QListView::Static);
    view->setLayoutMode(QListView::Batched);
    view->setTextElideMode(Qt::ElideMiddle);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setMinimumWidth(2 * (gridEdge + 20) + 24);
    view->setDragEnabled(true);
    view->setDragDropMode(QAbstractItemView::DragOnly);
    view->setAccessibleName(QObject::tr("Photos of the group"));
    return view;
}

// One stored correction on the undo stack. It is in the catalog when pushed, so the first
// redo() (QUndoStack::push calls it) does nothing; later ones put the "after" state back.
class CorrectionCommand : public QUndoCommand
{
public:
    using Apply = std::function<void(const RunState &state, bool undo, int selectGroup)>;
    CorrectionCommand(const QString &text, CorrectionStep step, int selectGroup, Apply apply)
        : QUndoCommand(text), m_step(std::move(step)), m_group(selectGroup), m_apply(std::move(apply))
    {
    }
    void undo() override { m_apply(m_step.before, true, m_group); }
    void redo() override
    {
        if (m_stored) {
            m_stored = false;
            return;
        }
        m_apply(m_step.after, false, m_group);
    }

private:
    CorrectionStep m_step;
    int m_group;
    Apply m_apply;
    bool m_stored = true;
};

} // namespace

QString normalizedFolder(const QString &folder)
{
    if (folder.isEmpty())
        return {};
    // The pipeline records runs under the canonical path (symbolic links resolved).
    const QFileInfo info(folder);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

MainWindow::MainWindow(const MainWindowContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(context)
    , m_runBar(new RunBar(this))
    , m_coverThumbnails(new ThumbnailProvider(*context.thumbnails, coverEdge, this))
    , m_gridThumbnails(new ThumbnailProvider(*context.thumbnails, gridEdge, this))
    , m_clusterModel(new ClusterListModel(m_coverThumbnails, this))
    , m_photoModel(new PhotoGridModel(m_gridThumbnails, this))
    , m_runs(new RunController(context.catalogPath, context.services, this))
    , m_problems(new QLabel(this))
{
    setWindowTitle(tr("Clade"));
    m_undo = new QUndoStack(this);
    buildCentre();
    buildMenus();
    connectRuns();
    statusBar()->addPermanentWidget(m_problems);
    statusBar()->showMessage(m_context.description);
    resize(1280, 800);
    restoreSettings();
}

MainWindow::~MainWindow()
{
    m_diagnoser.reset();   // waits for diagnostics in flight and drops their result
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
    if (m_context.services.clusterer)
        for (const QString &problem : ClusteringSettingsDialog::restore(*m_context.services.clusterer, *m_context.settings))
            statusBar()->showMessage(problem, 10'000);
}

void MainWindow::saveSettings()
{
    if (!m_context.settings)
        return;
    m_context.settings->setValue(geometryKey, saveGeometry());
    m_context.settings->setValue(kKey, m_runBar->k());
    if (const QString folder = normalizedFolder(m_runBar->folder()); QFileInfo(folder).isDir())
        m_context.settings->setValue(folderKey, folder);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Folder…"));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainWindow::chooseFolder);
    QAction *run = file->addAction(tr("&Run"));
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(run, &QAction::triggered, this, &MainWindow::startRun);
    QAction *exportAction = file->addAction(tr("&Export…"));
    exportAction->setObjectName(QStringLiteral("exportRun"));
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAction, &QAction::triggered, this, &MainWindow::showExport);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undo"));
    undo->setShortcut(QKeySequence::Undo);
    edit->addAction(undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redo"));
    // The platform's Redo keys, plus the two that users of other platforms expect.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)})
        if (!redoKeys.contains(keys))
            redoKeys << keys;
    redo->setShortcuts(redoKeys);
    edit->addAction(redo);
    edit->addSeparator();
    QAction *filter = edit->addAction(tr("&Filter Photos"));
    filter->setShortcut(QKeySequence::Find);
    connect(filter, &QAction::triggered, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    QAction *search = edit->addAction(tr("&Search by Description"));
    search->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(search, &QAction::triggered, this, [this] {
        if (m_search->isEnabled())
            m_search->setFocus();
        else
            say(m_search->toolTip());
    });
    QAction *likePhoto = edit->addAction(tr("More Like This &Photo"));
    likePhoto->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    connect(likePhoto, &QAction::triggered, this, &MainWindow::moreLikeThisPhoto);
    QAction *likeGroup = edit->addAction(tr("More Like This &Group"));
    likeGroup->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    connect(likeGroup, &QAction::triggered, this, &MainWindow::moreLikeThisGroup);
    for (QAction *action : {search, likePhoto, likeGroup}) {
        action->setEnabled(bool(m_context.encodeText));
        if (!m_context.encodeText)
            action->setToolTip(m_search->toolTip());
    }
    QAction *bursts = edit->addAction(tr("Collapse &Bursts"));
    bursts->setObjectName(QStringLiteral("collapseBursts"));
    bursts->setCheckable(true);
    bursts->setChecked(m_photoModel->collapsesBursts());
    bursts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    bursts->setToolTip(tr("Show photos taken in a burst, or nearly the same, as one"));
    connect(bursts, &QAction::toggled, this, [this](bool on) {
        m_photoModel->setCollapseBursts(on);
        if (m_photoModel->rowCount() > 0)
            m_photoView->setCurrentIndex(m_photoModel->index(0));
    });
    QAction *view = edit->addAction(tr("&View Photo"));
    view->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    connect(view, &QAction::triggered, this, &MainWindow::openViewer);

    QMenu *group = menuBar()->addMenu(tr("&Group"));
    const auto addGroupAction = [&](const QString &text, const char *name, const QKeySequence &keys) {
        QAction *action = group->addAction(text);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(keys);
        m_groupActions << action;
        return action;
    };
    QAction *rename = addGroupAction(tr("&Rename"), "renameGroup", QKeySequence(Qt::Key_F2));
    connect(rename, &QAction::triggered, this, [this] {
        if (m_clusterView->currentIndex().isValid())
            m_clusterView->edit(m_clusterView->currentIndex());
    });
    connect(addGroupAction(tr("&Move Selected Photos To…"), "movePhotos", QKeySequence(Qt::CTRL | Qt::Key_M)),
            &QAction::triggered, this, &MainWindow::chooseMoveTarget);
    connect(addGroupAction(tr("M&erge Into…"), "mergeGroup", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)),
            &QAction::triggered, this, &MainWindow::chooseMergeTarget);
    connect(addGroupAction(tr("&Split…"), "splitGroup", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)),
            &QAction::triggered, this, &MainWindow::chooseSplit);
    m_lockAction = addGroupAction(tr("&Lock"), "lockGroup", QKeySequence(Qt::CTRL | Qt::Key_L));
    m_lockAction->setCheckable(true);
    m_lockAction->setToolTip(tr("A locked group keeps its photos and name when the folder is run again"));
    connect(m_lockAction, &QAction::triggered, this, [this](bool checked) { setGroupLocked(currentGroup(), checked); });
    group->addSeparator();
    QAction *create = group->addAction(tr("&New Group…"));
    create->setObjectName(QStringLiteral("newGroup"));
    create->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    connect(create, &QAction::triggered, this, &MainWindow::chooseNewGroup);
    m_groupActions << create;
    updateGroupActions();
    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    if (m_context.models)
        connect(tools->addAction(tr("&Models…")), &QAction::triggered, this, &MainWindow::showModels);
    if (m_context.services.clusterer) {
        QAction *settings = tools->addAction(tr("&Clustering Settings…"));
        settings->setObjectName(QStringLiteral("clusteringSettings"));
        connect(settings, &QAction::triggered, this, &MainWindow::showClusteringSettings);
    }
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    connect(help->addAction(tr("&About Clade")), &QAction::triggered, this, &MainWindow::showAbout);
}

// The clusterer belongs to the run worker while a run is active, so it is edited only between runs.
void MainWindow::showClusteringSettings()
{
    if (m_runs->isRunning()) {
        QMessageBox::information(this, tr("Clustering Settings"),
                                 tr("The settings can be changed when the current run has finished."));
        return;
    }
    ClusteringSettingsDialog dialog(*m_context.services.clusterer, m_context.settings, this);
    dialog.exec();
}

void MainWindow::chooseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Choose a photo folder"), m_runBar->folder());
    if (!chosen.isEmpty())
        openFolder(chosen);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Clade"),
                       tr("<p><b>Clade %1</b></p><p>Sorts a photo folder into groups by meaning.</p>"
                          "<p>Licensed under the GNU General Public License, version 3 or later.</p>")
                           .arg(softwareVersion().toHtmlEscaped()));
}

void MainWindow::buildCentre()
{
    m_clusterView = makeClusterView(this);
    m_clusterView->setModel(m_clusterModel);
    m_photoView = makePhotoView(this);
    m_photoView->setModel(m_photoModel);
    m_preview = new PreviewPane(m_context.services.decoder, this);

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
    if (!m_context.semantic)
        layout->addWidget(buildBanner());
    layout->addWidget(m_runBar);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    connect(m_clusterView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onClusterChanged);
    connect(m_clusterModel, &ClusterListModel::renameRequested, this, &MainWindow::renameCluster, Qt::QueuedConnection);
    // Queued: the drop is still being delivered when the signal comes, and the lists reload.
    connect(m_clusterModel, &ClusterListModel::movePhotosRequested, this, &MainWindow::movePhotos, Qt::QueuedConnection);
    connect(m_photoView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onPhotoChanged);
    connect(m_photoView, &QAbstractItemView::activated, this, &MainWindow::openViewer);
}

// The grid with its order and filter above it.
QWidget *MainWindow::buildGridPanel()
{
    auto *panel = new QWidget(this);
    m_order = new QComboBox(panel);
    m_order->setAccessibleName(tr("Order of the photos"));
    m_order->addItem(tr("Most typical first"), int(PhotoOrder::Typicality));
    m_order->addItem(tr("By date taken"), int(PhotoOrder::DateTaken));
    m_order->addItem(tr("By file name"), int(PhotoOrder::FileName));
    m_order->addItem(tr("Borderline first"), int(PhotoOrder::Borderline));
    m_order->setItemData(3, tr("Photos nearly as close to another group first"), Qt::ToolTipRole);
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
    m_search = new QLineEdit(panel);
    m_search->setAccessibleName(tr("Search the photos by a description"));
    m_search->setClearButtonEnabled(true);
    if (m_context.encodeText) {
        m_search->setPlaceholderText(tr("Search: describe a photo, e.g. dog on a beach"));
        connect(m_search, &QLineEdit::returnPressed, this, [this] { searchText(m_search->text()); });
    } else {
        m_search->setEnabled(false);
        m_search->setPlaceholderText(tr("Search needs a CLIP model"));
        m_search->setToolTip(tr("Install a CLIP model (Tools › Models) to search by description or for more photos like one."));
    }
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_search, 2);
    bar->addWidget(m_order);
    bar->addWidget(m_filter, 1);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_photoView, 1);
    return panel;
}

bool MainWindow::searchText(const QString &text)
{
    const QString query = text.simplified();
    if (!canSearch() || query.isEmpty())
        return false;
    auto run = m_shownRun ? m_context.catalog->run(m_shownRun) : Result<std::optional<RunRecord>>(std::nullopt);
    if (!run || !*run) {
        say(tr("There are no photos to search yet."));
        return false;
    }
    if (!(*run)->semantic) {
        say(tr("These groups were made by look, without CLIP: run the folder again with the CLIP model to search it by description."));
        return false;
    }
    return showSearch(m_context.encodeText(query), tr("“%1”").arg(query));
}

// Search needs CLIP: without it a run's features describe colour and texture, and "more like
// this" by look would promise more than it gives.
bool MainWindow::canSearch()
{
    if (!m_context.encodeText) {
        say(tr("Search needs a CLIP model (Tools › Models)."));
        return false;
    }
    if (m_runs->isRunning()) {   // the run's worker uses the model
        say(tr("Search when the current run has finished."));
        return false;
    }
    return true;
}

bool MainWindow::moreLikeThisPhoto()
{
    if (!canSearch())
        return false;
    const PhotoRecord *photo = m_photoModel->photo(m_photoView->currentIndex().row());
    if (m_shownRun == 0 || !photo) {
        say(tr("Select a photo first."));
        return false;
    }
    return showSearch(photoQuery(*m_context.catalog, m_shownRun, photo->id),
                      tr("photos like %1").arg(QFileInfo(photo->path).fileName()));
}

bool MainWindow::moreLikeThisGroup()
{
    if (!canSearch())
        return false;
    const int group = currentGroup();
    if (m_shownRun == 0 || group < 0) {
        say(tr("Select a group first."));
        return false;
    }
    const QString name = m_clusterView->currentIndex().data(ClusterListModel::NameRole).toString();
    return showSearch(groupQuery(*m_context.catalog, m_shownRun, group), tr("photos like the group “%1”").arg(name));
}

// Ranks the shown run's photos against the query and shows the best in the grid, which then
// belongs to no group (the group list loses its selection; photos can be dragged onto a group).
bool MainWindow::showSearch(const Result<std::vector<float>> &query, const QString &what)
{
    if (!query) {
        say(tr("Cannot search: %1").arg(query.error()));
        return false;
    }
    constexpr int shown = 200;
    Result<std::vector<SearchHit>> hits = searchRun(*m_context.catalog, m_shownRun, *query, shown);
    if (!hits) {
        say(tr("Cannot search: %1").arg(hits.error()));
        return false;
    }
    std::vector<PhotoRecord> photos;
    for (const SearchHit &hit : *hits) {
        if (auto photo = m_context.catalog->photo(hit.photoId); photo && *photo)
            photos.push_back(std::move(**photo));
    }
    m_clusterView->selectionModel()->clearCurrentIndex();
    m_clusterView->clearSelection();
    m_order->setCurrentIndex(0);   // as ranked
    m_photoModel->showPhotos(std::move(photos));
    if (m_photoModel->rowCount() > 0)
        m_photoView->setCurrentIndex(m_photoModel->index(0));
    updateGroupActions();
    say(tr("Search for %1: the %n closest photo(s), best first.", nullptr, m_photoModel->rowCount()).arg(what));
    return true;
}

PhotoViewer *MainWindow::openViewer()
{
    const int row = m_photoView->currentIndex().row();
    if (row < 0)
        return nullptr;
    auto *viewer = new PhotoViewer(*m_photoModel, m_context.services.decoder, row, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    connect(viewer, &PhotoViewer::rowChanged, this, [this](int shown) { m_photoView->setCurrentIndex(m_photoModel->index(shown)); });
    // The grid may change under it (another group, a correction): the viewer closes then.
    connect(m_photoModel, &QAbstractItemModel::modelReset, viewer, &QWidget::close);
    viewer->show();
    return viewer;
}

QWidget *MainWindow::buildBanner()
{
    auto *banner = new QFrame(this);
    banner->setObjectName(QStringLiteral("noModelBanner"));
    banner->setStyleSheet(QStringLiteral("#noModelBanner { background: #fff4ce; border: 1px solid #e6c65c; "
                                         "border-radius: 4px; } #noModelBanner QLabel { color: #3d3000; }"));
    auto *text = new QLabel(noModelBanner(), banner);
    text->setWordWrap(true);
    auto *layout = new QHBoxLayout(banner);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(text, 1);
    if (m_context.models) {
        auto *button = new QPushButton(tr("Models…"), banner);
        connect(button, &QPushButton::clicked, this, &MainWindow::showModels);
        layout->addWidget(button);
    }
    return banner;
}

void MainWindow::showModels()
{
    ModelsDialog dialog(*m_context.models, this);
    connect(&dialog, &ModelsDialog::modelsChanged, this,
            [this] { say(tr("The installed models changed; restart Clade to use them.")); });
    dialog.exec();
}

void MainWindow::connectRuns()
{
    connect(m_runBar, &RunBar::runRequested, this, &MainWindow::startRun);
    connect(m_runBar, &RunBar::cancelRequested, m_runs, &RunController::cancel);
    connect(m_runBar, &RunBar::folderChosen, this, &MainWindow::openFolder);
    connect(m_runs, &RunController::progressChanged, m_runBar, &RunBar::showProgress);
    connect(m_runs, &RunController::finished, this, &MainWindow::onRunFinished);
    connect(m_runs, &RunController::cancelled, this, [this] { onRunStopped(tr("Cancelled.")); });
    connect(m_runs, &RunController::failed, this,
            [this](const QString &message) { onRunStopped(tr("The run failed: %1").arg(message)); });
}

void MainWindow::openFolder(const QString &folder)
{
    QString clean = normalizedFolder(folder);
    if (clean.isEmpty() && m_context.settings) {
        const QString remembered = m_context.settings->value(folderKey).toString();
        if (QFileInfo(remembered).isDir())
            clean = normalizedFolder(remembered);
    }
    auto latest = m_context.catalog->latestRun(clean);
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
    const QString folder = normalizedFolder(m_runBar->folder());
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
        say(folder.isEmpty() ? tr("Choose a photo folder first.")
                             : tr("%1 is not a folder.").arg(QDir::toNativeSeparators(folder)));
        return false;
    }
    PipelineOptions options;
    options.folder = folder;
    options.k = m_runBar->k();
    options.seed = ClusteringSettingsDialog::seed(m_context.settings);
    if (!m_runs->start(options))
        return false;
    m_runBar->setRunning(true);
    updateGroupActions();
    return true;
}

void MainWindow::setK(int k)
{
    m_runBar->setK(k);
}

bool MainWindow::isBusy() const
{
    return m_runs->isRunning() || !m_coverThumbnails->isIdle() || !m_gridThumbnails->isIdle()
           || m_preview->isLoading() || m_diagnoser->running();
}

bool MainWindow::showRun(qint64 runId)
{
    auto run = m_context.catalog->run(runId);
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
        m_undo->clear();   // the steps belong to the run shown before
    m_shownRun = runId;
    setWindowTitle(tr("%1 — Clade").arg(QDir::toNativeSeparators(record.folder)));
    say(tr("Groups: %1 · made %2 with %3 on %4 features")
            .arg(QString::number(m_clusterModel->rowCount()),
                 QLocale().toString(record.finishedAt, QLocale::ShortFormat), record.method, record.modelId));
    showProblems(record.folder);
    m_photoModel->setDiagnostics({}, {});   // those of another run must not show meanwhile
    m_photoModel->setBursts({});
    if (m_clusterModel->rowCount() > 0)
        m_clusterView->setCurrentIndex(m_clusterModel->index(0));
    updateGroupActions();
    startDiagnostics();
    Q_EMIT runShown(runId);
    return true;
}

void MainWindow::showNoRun(const QString &folder)
{
    m_shownRun = 0;
    m_undo->clear();
    m_clusterModel->clear();
    m_photoModel->clear();
    m_preview->clear();
    m_problems->clear();
    setWindowTitle(folder.isEmpty() ? tr("Clade") : tr("%1 — Clade").arg(QDir::toNativeSeparators(folder)));
    say(folder.isEmpty() ? tr("Choose a photo folder and press Run.")
                         : tr("This folder has not been grouped yet: press Run."));
}

// Stores the user's name for a group and shows it; the list reloads after the editor has closed
// (the connection is queued).
void MainWindow::renameCluster(qint64 clusterId, const QString &name)
{
    int index = -1;
    for (int row = 0; row < m_clusterModel->rowCount(); ++row) {
        if (Result<qint64> id = m_context.catalog->clusterId(m_shownRun, m_clusterModel->clusterIndex(row)); id && *id == clusterId)
            index = m_clusterModel->clusterIndex(row);
    }
    if (index < 0) {
        say(tr("Cannot rename the group: it is not shown any more."));
        return;
    }
    if (!applyCorrection(Corrections(*m_context.catalog, m_shownRun).rename(index, name), tr("Rename group"), index))
        return;
    say(name.isEmpty() ? tr("The group has its computed name again.")
                       : tr("Group renamed. Running again keeps the name on the group that continues this one."));
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

// Stores nothing itself: `step` is the outcome of a correction already in the catalog. Pushes it
// on the undo stack and shows the groups again; a failure is said and changes nothing.
bool MainWindow::applyCorrection(Result<CorrectionStep> step, const QString &text, int selectGroup)
{
    if (!step) {
        say(tr("Cannot correct the groups: %1").arg(step.error()));
        return false;
    }
    m_undo->push(new CorrectionCommand(text, std::move(*step), selectGroup,
                                       [this](const RunState &state, bool undo, int group) { restoreState(state, undo, group); }));
    reloadGroups(selectGroup);
    return true;
}

void MainWindow::restoreState(const RunState &state, bool undo, int selectGroup)
{
    if (state.runId != m_shownRun || m_runs->isRunning()) {
        say(tr("Cannot undo or redo while a run is in progress."));
        return;
    }
    if (Status s = m_context.catalog->restoreRunState(state, undo ? QStringLiteral("undo") : QStringLiteral("redo")); !s) {
        say(tr("Cannot undo or redo: %1").arg(s.error()));
        return;
    }
    reloadGroups(selectGroup);
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
    updateGroupActions();
    startDiagnostics();   // the corrected partition
}

void MainWindow::startDiagnostics()
{
    if (m_shownRun == 0)
        return;
    // A diagnosis still working is superseded: its result is dropped, this one runs after it.
    m_diagnoser->start([this, runId = m_shownRun, path = m_context.catalogPath](Progress &) -> BackgroundTask::Delivery {
        Result<std::unique_ptr<Catalog>> catalog = Catalog::open(path);
        const Result<RunDiagnostics> result = catalog ? diagnoseRun(**catalog, runId) : Result<RunDiagnostics>(catalog.takeError());
        return [this, runId, result] { diagnosticsReady(runId, result); };
    });
}

void MainWindow::diagnosticsReady(qint64 runId, const Result<RunDiagnostics> &result)
{
    if (runId != m_shownRun)
        return;
    if (!result) {
        say(tr("Cannot work out how well the groups hold together: %1").arg(result.error()));
        return;
    }
    QStringList names;   // by cluster index
    names.resize(qsizetype(result->clusters.size()));
    for (int row = 0; row < m_clusterModel->rowCount(); ++row) {
        const int index = m_clusterModel->clusterIndex(row);
        if (index >= 0 && index < names.size())
            names[index] = m_clusterModel->index(row).data(ClusterListModel::NameRole).toString();
    }
    // The grid may be rearranged (borderline order, collapsed bursts): keep the current photo.
    const PhotoRecord *current = m_photoModel->photo(m_photoView->currentIndex().row());
    const qint64 currentId = current ? current->id : 0;
    m_clusterModel->setDiagnostics(result->clusters);
    m_photoModel->setDiagnostics(result->photos, names);
    m_photoModel->setBursts(result->burstOf);
    if (!m_photoView->currentIndex().isValid() && m_photoModel->rowCount() > 0) {
        int row = 0;
        for (int r = 0; r < m_photoModel->rowCount(); ++r)
            if (m_photoModel->photosOfRow(r).contains(currentId))
                row = r;
        m_photoView->setCurrentIndex(m_photoModel->index(row));
    }
}

void MainWindow::updateGroupActions()
{
    const bool ready = m_shownRun != 0 && !m_runs->isRunning();
    const bool haveGroup = ready && currentGroup() >= 0;
    for (QAction *action : std::as_const(m_groupActions))
        action->setEnabled(action->objectName() == u"newGroup" ? ready : haveGroup);
    if (m_lockAction) {
        const QModelIndex current = m_clusterView->currentIndex();
        m_lockAction->setChecked(current.isValid() && current.data(ClusterListModel::LockedRole).toBool());
    }
}

// A correction while a run is working would be read by it half-way, or not at all.
bool MainWindow::canCorrect()
{
    if (m_shownRun != 0 && !m_runs->isRunning())
        return true;
    say(m_shownRun == 0 ? tr("There are no groups to correct yet.") : tr("Groups can be corrected when the current run has finished."));
    return false;
}

bool MainWindow::movePhotos(const QList<qint64> &photoIds, int toIndex)
{
    if (!canCorrect())
        return false;
    const std::vector<qint64> ids(photoIds.begin(), photoIds.end());
    const int from = currentGroup();
    if (!applyCorrection(Corrections(*m_context.catalog, m_shownRun).move(ids, toIndex),
                         tr("Move %n photo(s)", nullptr, int(ids.size())), from >= 0 ? from : toIndex))
        return false;
    say(tr("Moved %n photo(s). Running again keeps them in that group.", nullptr, int(ids.size())));
    return true;
}

bool MainWindow::mergeGroup(int fromIndex, int intoIndex)
{
    if (!canCorrect())
        return false;
    if (!applyCorrection(Corrections(*m_context.catalog, m_shownRun).merge(fromIndex, intoIndex), tr("Merge groups"), intoIndex))
        return false;
    say(tr("Groups merged. Running again keeps their photos together."));
    return true;
}

bool MainWindow::splitGroup(int index, int parts)
{
    if (!canCorrect())
        return false;
    auto step = Corrections(*m_context.catalog, m_shownRun).split(index, parts);
    if (!applyCorrection(std::move(step), tr("Split group"), index))
        return false;
    say(tr("Group split in %1. Running again keeps the parts apart.").arg(parts));
    return true;
}

bool MainWindow::setGroupLocked(int index, bool locked)
{
    if (!canCorrect())
        return false;
    if (!applyCorrection(Corrections(*m_context.catalog, m_shownRun).setLocked(index, locked),
                         locked ? tr("Lock group") : tr("Unlock group"), index))
        return false;
    say(locked ? tr("Group locked: running again keeps its photos and name.") : tr("Group unlocked."));
    return true;
}

int MainWindow::createGroup(const QString &name)
{
    if (!canCorrect())
        return -1;
    auto step = Corrections(*m_context.catalog, m_shownRun).create(name);
    const int index = step ? step->madeClusters.front() : -1;
    if (!applyCorrection(std::move(step), tr("New group"), index))
        return -1;
    say(tr("New group made: move photos into it with drag and drop or %1.")
            .arg(QKeySequence(Qt::CTRL | Qt::Key_M).toString(QKeySequence::NativeText)));
    return index;
}

ExportDialog *MainWindow::showExport()
{
    if (m_shownRun == 0 || m_runs->isRunning()) {
        say(m_shownRun == 0 ? tr("There are no groups to export yet.") : tr("Export when the current run has finished."));
        return nullptr;
    }
    auto *dialog = new ExportDialog(*m_context.catalog, m_shownRun, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

QList<std::pair<QString, int>> MainWindow::otherGroups(int except) const
{
    QList<std::pair<QString, int>> groups;
    for (int row = 0; row < m_clusterModel->rowCount(); ++row) {
        const int index = m_clusterModel->clusterIndex(row);
        if (index != except)
            groups.append({m_clusterModel->index(row).data(ClusterListModel::NameRole).toString(), index});
    }
    return groups;
}

namespace {

// Asks for one of `groups` by name; -1 when cancelled.
int askForGroup(QWidget *parent, const QString &title, const QString &label, const QList<std::pair<QString, int>> &groups)
{
    QStringList names;
    for (const auto &group : groups)
        names << group.first;
    bool ok = false;
    const QString chosen = QInputDialog::getItem(parent, title, label, names, 0, false, &ok);
    const qsizetype at = names.indexOf(chosen);
    return ok && at >= 0 ? groups[at].second : -1;
}

} // namespace

void MainWindow::chooseMoveTarget()
{
    const QList<qint64> photos = selectedPhotos();
    if (photos.isEmpty()) {
        say(tr("Select the photos to move first."));
        return;
    }
    const int to = askForGroup(this, tr("Move Photos"), tr("Move %n photo(s) to:", nullptr, int(photos.size())),
                               otherGroups(currentGroup()));
    if (to >= 0)
        movePhotos(photos, to);
}

void MainWindow::chooseMergeTarget()
{
    const int from = currentGroup();
    const int into = askForGroup(this, tr("Merge Groups"), tr("Merge this group into:"), otherGroups(from));
    if (into >= 0)
        mergeGroup(from, into);
}

void MainWindow::chooseSplit()
{
    const int index = currentGroup();
    const int size = m_clusterView->currentIndex().data(ClusterListModel::SizeRole).toInt();
    if (size < 2) {
        say(tr("A group needs at least two photos to be split."));
        return;
    }
    bool ok = false;
    const int parts = QInputDialog::getInt(this, tr("Split Group"), tr("Number of parts:"), 2, 2, std::min(size, 12), 1, &ok);
    if (ok)
        splitGroup(index, parts);
}

void MainWindow::chooseNewGroup()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New Group"), tr("Name of the new group:"), QLineEdit::Normal, {}, &ok);
    if (ok)
        createGroup(name);
}

void MainWindow::onClusterChanged()
{
    const int clusterIndex = m_clusterModel->clusterIndex(m_clusterView->currentIndex().row());
    updateGroupActions();
    m_preview->clear();
    if (clusterIndex < 0) {
        m_photoModel->clear();
        return;
    }
    if (Status loaded = m_photoModel->load(*m_context.catalog, m_shownRun, clusterIndex); !loaded) {
        say(tr("Cannot read the photos of this group: %1").arg(loaded.error()));
        return;
    }
    if (m_photoModel->rowCount() > 0)
        m_photoView->setCurrentIndex(m_photoModel->index(0));
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
    Result<QStringList> notCarried = m_context.catalog->namesNotCarried(runId);
    QString message = !notCarried || notCarried->isEmpty()
                          ? tr("Done.")
                          : tr("Done. No group of this run continues the one you named “%1”; the name stays on the earlier run.")
                                .arg(notCarried->join(QStringLiteral("”, “")));
    // Training that left groups empty: they were refilled so that there are K groups.
    if (auto run = m_context.catalog->run(runId); run && *run) {
        const int refilled = (**run).params.value(QStringLiteral("selection")).toObject().value(QStringLiteral("repaired")).toInt();
        if (refilled > 0)
            message += QLatin1Char(' ') + tr("Training left %n group(s) empty; each was refilled with half of the widest group.",
                                             nullptr, refilled);
    }
    m_runBar->showMessage(message, true);
    showRun(runId);
}

void MainWindow::onRunStopped(const QString &message)
{
    m_runBar->setRunning(false);
    updateGroupActions();
    m_runBar->showMessage(message);
}

void MainWindow::showProblems(const QString &folder)
{
    auto problems = m_context.catalog->problemsUnder(folder);
    if (!problems || problems->empty()) {
        m_problems->clear();
        return;
    }
    QStringList lines;
    for (const ProblemRecord &problem : *problems)
        lines << tr("%1 (%2): %3").arg(QDir::toNativeSeparators(problem.path), problem.stage, problem.message);
    m_problems->setText(tr("Files that could not be used: %1").arg(problems->size()));
    m_problems->setToolTip(lines.mid(0, 40).join(QLatin1Char('\n')));
}

void MainWindow::say(const QString &message)
{
    statusBar()->showMessage(message);
}

} // namespace clade
