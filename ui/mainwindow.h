#pragma once

#include "backgroundtask.h"
#include "pipeline/corrections.h"
#include "pipeline/pipeline.h"
#include "pipeline/rundiagnostics.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QSettings;
class QUndoStack;

namespace clade {

class ClusterListModel;
class ExportDialog;
class PhotoViewer;
class ModelManager;
class PhotoGridModel;
class PreviewPane;
class RunBar;
class RunController;
class ThumbnailCache;
class ThumbnailProvider;

// What the window works with; app/ builds it. Nothing here is owned by the window.
struct MainWindowContext
{
    QString catalogPath;                   // the run worker opens its own connection to it
    Catalog *catalog = nullptr;            // the GUI thread's reader connection
    PipelineServices services;             // the decoder also serves previews (it is thread-safe)
    ThumbnailCache *thumbnails = nullptr;
    bool semantic = false;                 // false: runs group by look, and a banner says so
    QString description;                   // one line about the features and method in use
    ModelManager *models = nullptr;        // for the Models dialog; none: no button for it
    QSettings *settings = nullptr;         // folder, K and geometry kept at close; none: not kept
    // CLIP's text tower for text search; empty: text search is off and says why. Called on the
    // GUI thread, never while a run works (the run's worker shares the model).
    std::function<Result<std::vector<float>>(const QString &text)> encodeText;
};

// Folder + K + Run/Cancel on top; clusters left, the selected cluster's photos in the centre,
// a preview on the right. Runs go to RunController's worker thread; the window only shows
// what the catalog holds. GUI thread.
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
    // A run, a thumbnail or the preview is still being worked on.
    bool isBusy() const;

    // Corrections of the shown run (the Group menu, drag and drop): each is stored at once, can be
    // undone and redone (Edit menu), and reports a failure in the status bar. The group indices
    // are those of the catalog (ClusterListModel::ClusterIndexRole).
    bool movePhotos(const QList<qint64> &photoIds, int toIndex);
    bool mergeGroup(int fromIndex, int intoIndex);
    bool splitGroup(int index, int parts);
    bool setGroupLocked(int index, bool locked);
    int createGroup(const QString &name);   // the new group's index, or -1
    QUndoStack *undoStack() const { return m_undo; }
    int currentGroup() const;                // the selected group's index, or -1
    // File › Export: the export dialog for the shown run, window-modal; null (with a message)
    // when there is no run or one is working. It deletes itself when closed.
    ExportDialog *showExport();
    // The large viewer on the grid's current photo (Enter or double-click); null without one.
    PhotoViewer *openViewer();
    // Search: the shown run's photos closest to a text (CLIP), to the current photo or to the
    // current group's centre, best first in the grid (at most 200). False, with a message, when
    // it cannot be done (no CLIP model, no run, a run working, a run grouped by look for a text
    // query).
    bool searchText(const QString &text);
    bool moreLikeThisPhoto();
    bool moreLikeThisGroup();
    QLineEdit *searchField() const { return m_search; }
    QComboBox *photoOrderBox() const { return m_order; }
    QLineEdit *photoFilter() const { return m_filter; }
    QList<qint64> selectedPhotos() const;

    ClusterListModel *clusterModel() const { return m_clusterModel; }
    PhotoGridModel *photoModel() const { return m_photoModel; }
    RunController *runController() const { return m_runs; }
    QListView *clusterView() const { return m_clusterView; }
    QListView *photoView() const { return m_photoView; }
    PreviewPane *previewPane() const { return m_preview; }

Q_SIGNALS:
    void runShown(qint64 runId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildCentre();
    QWidget *buildGridPanel();
    bool canSearch();
    bool showSearch(const Result<std::vector<float>> &query, const QString &what);
    void buildMenus();
    void chooseFolder();
    void showAbout();
    void restoreSettings();
    void saveSettings();
    QWidget *buildBanner();
    void showModels();
    void showClusteringSettings();
    void connectRuns();
    bool showRun(qint64 runId);
    void showNoRun(const QString &folder);
    void onClusterChanged();
    void renameCluster(qint64 clusterId, const QString &name);
    bool canCorrect();
    bool applyCorrection(Result<CorrectionStep> step, const QString &text, int selectGroup);
    void restoreState(const RunState &state, bool undo, int selectGroup);
    void reloadGroups(int selectGroup);
    // Diagnostics of the shown run on a thread of its own (its own catalog connection); the
    // models get them when they arrive. A request while one works runs after it.
    void startDiagnostics();
    void diagnosticsReady(qint64 runId, const Result<RunDiagnostics> &result);
    void updateGroupActions();
    void chooseMoveTarget();
    void chooseMergeTarget();
    void chooseSplit();
    void chooseNewGroup();
    // The other visible groups as "name" -> index, for the Move and Merge choosers.
    QList<std::pair<QString, int>> otherGroups(int except) const;
    void onPhotoChanged();
    void onRunFinished(qint64 runId);
    void onRunStopped(const QString &message);
    void showProblems(const QString &folder);
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
    RunController *m_runs = nullptr;
    QLabel *m_problems = nullptr;
    QUndoStack *m_undo = nullptr;
    QComboBox *m_order = nullptr;
    QLineEdit *m_filter = nullptr;
    QLineEdit *m_search = nullptr;
    QAction *m_lockAction = nullptr;
    QList<QAction *> m_groupActions;   // need a shown run and a selected group
    qint64 m_shownRun = 0;
    // Diagnostics on a connection of their own (BackgroundTask); reset first in the destructor.
    std::unique_ptr<BackgroundTask> m_diagnoser = std::make_unique<BackgroundTask>();
};

// Absolute, clean form of a folder path as the catalog stores it.
QString normalizedFolder(const QString &folder);

} // namespace clade
