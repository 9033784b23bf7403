#pragma once

#include "service/appcore.h"
#include "vocab/wordnetvocabulary.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListView;
class QSettings;
class QUndoStack;

namespace clade {

class ClusterListModel;
class ExportDialog;
class GridBar;
class GroupCorrections;
class GroupDiagnostics;
class KeywordsDialog;
class MainMenus;
class PhotoViewer;
class ModelManager;
class PhotoGridModel;
class PhotoSearch;
class PreviewPane;
class ProblemsLabel;
class ProblemsPanel;
class RunBar;
class RunOutputs;
class ThumbnailCache;
class ThumbnailProvider;
class UncertainQueue;

using EngineReloader = std::function<Result<Engine>(const VocabularyChoice &vocabulary)>;

// What the window works with; app/ builds it. Nothing here is owned by the window.
struct MainWindowContext
{
    Catalog *catalog = nullptr;              // the GUI thread's reader connection
    AppCore *core = nullptr;                 // its worker runs, corrects, searches and owns the model
    const ImageDecoder *decoder = nullptr;   // for previews (thread-safe)
    ThumbnailCache *thumbnails = nullptr;
    ModelManager *models = nullptr;   // for the Models dialog; none: no button for it
    QSettings *settings = nullptr;    // folder, K and geometry kept at close; none: not kept
    // Builds the engine again, with this vocabulary, after the installed or chosen model or the
    // vocabulary changed (called on the worker; the vocabulary is read on the GUI thread before).
    // Empty: the user is told to restart.
    EngineReloader reloadEngine;
    // On first start without a model, offer the default one (MainMenus::setOfferDefaultModel).
    bool offerDefaultModel = false;
};

// Folder + K + Run/Cancel on top; clusters left, the selected cluster's photos in the centre,
// a preview on the right. Layout and wiring only: runs, corrections, searches and diagnostics
// are requests to AppCore's worker (corrections and search through their controllers); the
// window shows what the catalog holds. GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const MainWindowContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the folder's latest finished run; with an empty folder, the remembered folder if it
    // still exists, else the latest run of any folder.
    void openFolder(const QString &folder);
    // Starts a run on the chosen folder and K; false with a message when it cannot start.
    bool startRun();
    void setK(int k);
    qint64 shownRun() const { return m_shownRun; }
    // A request to the worker, a group's photos, a thumbnail or the preview is still being
    // worked on.
    bool isBusy() const;
    // The selected group's photos are still being read (the grid is empty meanwhile).
    bool loadingGroup() const;

    int currentGroup() const;   // the selected group's index, or -1
    QList<qint64> selectedPhotos() const;
    // File › Export, Write Keywords and Export Table (RunOutputs).
    ExportDialog *showExport();
    KeywordsDialog *showKeywords();
    void exportTable(const QString &path = QString());
    // The large viewer on the grid's current photo (Enter or double-click); null without one.
    PhotoViewer *openViewer();
    // Edit › Next Uncertain (UncertainQueue::next).
    bool nextUncertain();

    AppCore *core() const { return m_context.core; }
    GroupCorrections *corrections() const { return m_corrections; }
    PhotoSearch *search() const { return m_search; }
    MainMenus *menus() const { return m_menus; }
    QUndoStack *undoStack() const;
    QLineEdit *searchField() const;
    QComboBox *photoOrderBox() const;
    QLineEdit *photoFilter() const;
    QDoubleSpinBox *confidenceFilter() const;
    ClusterListModel *clusterModel() const { return m_clusterModel; }
    PhotoGridModel *photoModel() const { return m_photoModel; }
    QListView *clusterView() const { return m_clusterView; }
    QListView *photoView() const { return m_photoView; }
    PreviewPane *previewPane() const { return m_preview; }
    RunBar *runBar() const { return m_runBar; }
    ProblemsPanel *problemsPanel() const { return m_problemsPanel; }

Q_SIGNALS:
    void runShown(qint64 runId);
    void tableWritten(const QString &path, const QString &error);   // error empty: written

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildCentre();
    QWidget *buildGridPanel();
    void onEngineChanged(const EngineInfo &info);
    void connectCore();
    bool showRun(qint64 runId);
    void showNoRun(const QString &folder);
    void onClusterChanged();
    void onGroupLoaded(qint64 runId, int clusterIndex, const QString &error);
    void renameCluster(qint64 runId, int clusterIndex, const QString &name);
    // Shows the groups of the shown run again and selects `selectGroup` (else the first).
    void reloadGroups(int selectGroup);
    // Search results: the grid shows them, and belongs to no group.
    void showFound(const std::vector<PhotoRecord> &photos, const QString &what);
    void onPhotoChanged();
    void onRunFinished(qint64 runId);
    void onRunStopped(const QString &message);
    void say(const QString &message);

    MainWindowContext m_context;
    RunBar *m_runBar = nullptr;
    ThumbnailProvider *m_coverThumbnails = nullptr;
    ThumbnailProvider *m_gridThumbnails = nullptr;
    ClusterListModel *m_clusterModel = nullptr;
    PhotoGridModel *m_photoModel = nullptr;
    QListView *m_clusterView = nullptr;
    QListView *m_photoView = nullptr;
    PreviewPane *m_preview = nullptr;
    GroupCorrections *m_corrections = nullptr;
    PhotoSearch *m_search = nullptr;
    GroupDiagnostics *m_diagnostics = nullptr;
    MainMenus *m_menus = nullptr;
    UncertainQueue *m_uncertain = nullptr;
    RunOutputs *m_outputs = nullptr;
    ProblemsLabel *m_problems = nullptr;
    ProblemsPanel *m_problemsPanel = nullptr;
    QWidget *m_banner = nullptr;
    GridBar *m_gridBar = nullptr;
    qint64 m_shownRun = 0;
    bool m_startWhenLoaded = false;   // Run was pressed before the worker had a model
};

}   // namespace clade
