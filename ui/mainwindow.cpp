#include "mainwindow.h"

#include "clusteringsettingsdialog.h"
#include "clusterlistmodel.h"
#include "modelsdialog.h"
#include "photogridmodel.h"
#include "previewpane.h"
#include "runbar.h"
#include "runcontroller.h"
#include "thumbnailprovider.h"
#include "common/paths.h"

#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include <algorithm>

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
    return view;
}

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
    buildCentre();
    buildMenus();
    connectRuns();
    statusBar()->addPermanentWidget(m_problems);
    statusBar()->showMessage(m_context.description);
    resize(1280, 800);
    restoreSettings();
}

MainWindow::~MainWindow() = default;

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
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    QMenu *group = menuBar()->addMenu(tr("&Group"));
    QAction *rename = group->addAction(tr("&Rename"));
    rename->setObjectName(QStringLiteral("renameGroup"));
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    connect(rename, &QAction::triggered, this, [this] {
        if (m_clusterView->currentIndex().isValid())
            m_clusterView->edit(m_clusterView->currentIndex());
    });
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
    splitter->addWidget(m_photoView);
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
    connect(m_photoView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onPhotoChanged);
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
    if (!m_runs->start(options))
        return false;
    m_runBar->setRunning(true);
    return true;
}

void MainWindow::setK(int k)
{
    m_runBar->setK(k);
}

bool MainWindow::isBusy() const
{
    return m_runs->isRunning() || !m_coverThumbnails->isIdle() || !m_gridThumbnails->isIdle()
           || m_preview->isLoading();
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
    m_shownRun = runId;
    setWindowTitle(tr("%1 — Clade").arg(QDir::toNativeSeparators(record.folder)));
    say(tr("Groups: %1 · made %2 with %3 on %4 features")
            .arg(QString::number(m_clusterModel->rowCount()),
                 QLocale().toString(record.finishedAt, QLocale::ShortFormat), record.method, record.modelId));
    showProblems(record.folder);
    if (m_clusterModel->rowCount() > 0)
        m_clusterView->setCurrentIndex(m_clusterModel->index(0));
    Q_EMIT runShown(runId);
    return true;
}

void MainWindow::showNoRun(const QString &folder)
{
    m_shownRun = 0;
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
    const int row = m_clusterView->currentIndex().row();
    if (Status s = m_context.catalog->renameCluster(clusterId, name); !s) {
        say(tr("Cannot rename the group: %1").arg(s.error()));
        return;
    }
    if (Status loaded = m_clusterModel->load(*m_context.catalog, m_shownRun); !loaded) {
        say(tr("Cannot read the groups: %1").arg(loaded.error()));
        return;
    }
    m_clusterView->setCurrentIndex(m_clusterModel->index(std::max(0, row)));
    say(name.isEmpty() ? tr("The group has its computed name again.")
                       : tr("Group renamed. Running again keeps the name on the group that continues this one."));
}

void MainWindow::onClusterChanged()
{
    const int clusterIndex = m_clusterModel->clusterIndex(m_clusterView->currentIndex().row());
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
    m_runBar->showMessage(!notCarried || notCarried->isEmpty()
                              ? tr("Done.")
                              : tr("Done. No group of this run continues the one you named “%1”; the name stays on the earlier run.")
                                    .arg(notCarried->join(QStringLiteral("”, “"))),
                          true);
    showRun(runId);
}

void MainWindow::onRunStopped(const QString &message)
{
    m_runBar->setRunning(false);
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
