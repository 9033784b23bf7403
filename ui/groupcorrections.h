#pragma once

#include "service/appcore.h"

#include <QList>
#include <QObject>

class QAction;
class QMenu;
class QMenuBar;
class QUndoStack;

namespace clade {

class MainWindow;

// The user's corrections of the shown run: the Group menu, drag and drop onto a group, and
// Edit › Undo and Redo. Each is a request to AppCore's worker, which stores it; its answer puts
// the step on the undo stack and asks the window to show the groups again (applied()). A
// failure is said (message()) and changes nothing. Group indices are the catalog's
// (ClusterListModel::ClusterIndexRole). GUI thread.
class GroupCorrections : public QObject
{
    Q_OBJECT

public:
    GroupCorrections(AppCore &core, MainWindow &window);
    ~GroupCorrections() override;

    void addUndoActions(QMenu *edit);
    void addGroupMenu(QMenuBar *bar);
    // Enables what the shown run, the selection and the work in progress allow.
    void updateActions();
    // Another run is shown: the steps on the stack belong to the one before.
    void clear();

    // Each returns false, with a message, when it cannot be asked for now (no run shown, a run
    // working); otherwise applied() or message() follows once the worker has answered.
    bool movePhotos(const QList<qint64> &photoIds, int toIndex);
    bool mergeGroup(int fromIndex, int intoIndex);
    bool splitGroup(int index, int parts);
    bool setGroupLocked(int index, bool locked);
    bool createGroup(const QString &name);
    bool renameGroup(int index, const QString &name);

    QUndoStack *undoStack() const { return m_undo; }

Q_SIGNALS:
    // The catalog changed: show the groups again, with `selectGroup` selected (else the first).
    void applied(int selectGroup);
    void message(const QString &text);

private:
    struct Sent
    {
        QString undoText;       // empty for an undo or redo
        QString doneText;       // said once stored
        int selectGroup = -1;   // -1: the first group the step made
    };
    bool canCorrect();
    bool send(CorrectionRequest request, Sent sent);
    void onCorrected(quint64 ticket, const CorrectionRequest &request, const Result<CorrectionStep> &step);
    void restore(const CorrectionStep &step, bool undo, int selectGroup);
    void chooseMoveTarget();
    void chooseMergeTarget();
    void chooseSplit();
    void chooseNewGroup();
    // The other visible groups as "name" -> index, for the Move and Merge choosers.
    QList<std::pair<QString, int>> otherGroups(int except) const;

    AppCore &m_core;
    MainWindow &m_window;
    QUndoStack *m_undo;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_lockAction = nullptr;
    QList<QAction *> m_groupActions;   // need a shown run and a selected group
    std::map<quint64, Sent> m_sent;
    int m_inFlight = 0;
};

}   // namespace clade
