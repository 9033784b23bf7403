#include "groupcorrections.h"

#include "clusterlistmodel.h"
#include "mainwindow.h"

#include <QAction>
#include <QInputDialog>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QUndoCommand>
#include <QUndoStack>

#include <functional>

namespace clade {

namespace {

// One stored correction on the undo stack. It is in the catalog when pushed, so the first
// redo() (QUndoStack::push calls it) does nothing; later ones put the "after" state back.
class CorrectionCommand : public QUndoCommand
{
public:
    using Apply = std::function<void(const CorrectionStep &step, bool undo, int selectGroup)>;
    CorrectionCommand(const QString &text, CorrectionStep step, int selectGroup, Apply apply)
        : QUndoCommand(text), m_step(std::move(step)), m_group(selectGroup), m_apply(std::move(apply))
    {
    }
    void undo() override { m_apply(m_step, true, m_group); }
    void redo() override
    {
        if (m_stored) {
            m_stored = false;
            return;
        }
        m_apply(m_step, false, m_group);
    }

private:
    CorrectionStep m_step;
    int m_group;
    Apply m_apply;
    bool m_stored = true;
};

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

}   // namespace

GroupCorrections::GroupCorrections(AppCore &core, MainWindow &window)
    : QObject(&window), m_core(core), m_window(window), m_undo(new QUndoStack(this))
{
    connect(&m_core, &AppCore::corrected, this, &GroupCorrections::onCorrected);
    connect(m_undo, &QUndoStack::indexChanged, this, &GroupCorrections::updateActions);
}

GroupCorrections::~GroupCorrections() = default;

void GroupCorrections::addUndoActions(QMenu *edit)
{
    // Own actions rather than QUndoStack's: they also wait for the answer to the last step.
    m_undoAction = edit->addAction(tr("&Undo"));
    m_undoAction->setObjectName(QStringLiteral("undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    connect(m_undoAction, &QAction::triggered, m_undo, &QUndoStack::undo);
    m_redoAction = edit->addAction(tr("&Redo"));
    m_redoAction->setObjectName(QStringLiteral("redo"));
    // The platform's Redo keys, plus the two that users of other platforms expect.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)})
        if (!redoKeys.contains(keys))
            redoKeys << keys;
    m_redoAction->setShortcuts(redoKeys);
    connect(m_redoAction, &QAction::triggered, m_undo, &QUndoStack::redo);
    updateActions();
}

void GroupCorrections::addGroupMenu(QMenuBar *bar)
{
    QMenu *group = bar->addMenu(tr("&Group"));
    const auto addGroupAction = [&](const QString &text, const char *name, const QKeySequence &keys) {
        QAction *action = group->addAction(text);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(keys);
        m_groupActions << action;
        return action;
    };
    QAction *rename = addGroupAction(tr("&Rename"), "renameGroup", QKeySequence(Qt::Key_F2));
    connect(rename, &QAction::triggered, this, [this] {
        QListView *view = m_window.clusterView();
        if (view->currentIndex().isValid())
            view->edit(view->currentIndex());
    });
    connect(addGroupAction(tr("&Move Selected Photos To…"), "movePhotos", QKeySequence(Qt::CTRL | Qt::Key_M)), &QAction::triggered, this,
            &GroupCorrections::chooseMoveTarget);
    connect(addGroupAction(tr("M&erge Into…"), "mergeGroup", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M)), &QAction::triggered, this,
            &GroupCorrections::chooseMergeTarget);
    connect(addGroupAction(tr("&Split…"), "splitGroup", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)), &QAction::triggered, this,
            &GroupCorrections::chooseSplit);
    m_lockAction = addGroupAction(tr("&Lock"), "lockGroup", QKeySequence(Qt::CTRL | Qt::Key_L));
    m_lockAction->setCheckable(true);
    m_lockAction->setToolTip(tr("A locked group keeps its photos and name when the folder is run again"));
    connect(m_lockAction, &QAction::triggered, this, [this](bool checked) { setGroupLocked(m_window.currentGroup(), checked); });
    group->addSeparator();
    QAction *create = group->addAction(tr("&New Group…"));
    create->setObjectName(QStringLiteral("newGroup"));
    create->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    connect(create, &QAction::triggered, this, &GroupCorrections::chooseNewGroup);
    m_groupActions << create;
    updateActions();
}

void GroupCorrections::updateActions()
{
    const bool ready = m_window.shownRun() != 0 && !m_core.isRunning();
    const bool haveGroup = ready && m_window.currentGroup() >= 0;
    for (QAction *action : std::as_const(m_groupActions))
        action->setEnabled(action->objectName() == u"newGroup" ? ready : haveGroup);
    if (m_lockAction) {
        const QModelIndex current = m_window.clusterView()->currentIndex();
        m_lockAction->setChecked(current.isValid() && current.data(ClusterListModel::LockedRole).toBool());
    }
    const bool settled = ready && m_inFlight == 0;
    if (m_undoAction) {
        m_undoAction->setEnabled(settled && m_undo->canUndo());
        m_undoAction->setText(m_undo->canUndo() ? tr("&Undo %1").arg(m_undo->undoText()) : tr("&Undo"));
    }
    if (m_redoAction) {
        m_redoAction->setEnabled(settled && m_undo->canRedo());
        m_redoAction->setText(m_undo->canRedo() ? tr("&Redo %1").arg(m_undo->redoText()) : tr("&Redo"));
    }
}

void GroupCorrections::clear()
{
    m_undo->clear();
    updateActions();
}

// A correction while a run is working would be read by it half-way, or not at all.
bool GroupCorrections::canCorrect()
{
    if (m_window.shownRun() != 0 && !m_core.isRunning())
        return true;
    Q_EMIT message(m_window.shownRun() == 0 ? tr("There are no groups to correct yet.")
                                            : tr("Groups can be corrected when the current run has finished."));
    return false;
}

bool GroupCorrections::send(CorrectionRequest request, Sent sent)
{
    request.runId = m_window.shownRun();
    m_sent.emplace(m_core.correct(std::move(request)), std::move(sent));
    ++m_inFlight;
    updateActions();
    return true;
}

void GroupCorrections::onCorrected(quint64 ticket, const CorrectionRequest &request, const Result<CorrectionStep> &step)
{
    const auto found = m_sent.find(ticket);
    if (found == m_sent.end())
        return;   // another window's
    const Sent sent = found->second;
    m_sent.erase(found);
    --m_inFlight;
    const bool restoring = request.kind == CorrectionRequest::Kind::Undo || request.kind == CorrectionRequest::Kind::Redo;
    if (request.runId != m_window.shownRun()) {   // the window moved on to another run meanwhile
        updateActions();
        return;
    }
    if (!step) {
        Q_EMIT message(restoring ? tr("Cannot undo or redo: %1").arg(step.error()) : tr("Cannot correct the groups: %1").arg(step.error()));
        updateActions();
        return;
    }
    const int select = sent.selectGroup >= 0 || step->madeClusters.empty() ? sent.selectGroup : step->madeClusters.front();
    if (!restoring) {
        m_undo->push(new CorrectionCommand(sent.undoText, *step, select,
                                           [this](const CorrectionStep &s, bool undo, int group) { restore(s, undo, group); }));
    }
    updateActions();
    Q_EMIT applied(select);
    if (!sent.doneText.isEmpty())
        Q_EMIT message(sent.doneText);
}

void GroupCorrections::restore(const CorrectionStep &step, bool undo, int selectGroup)
{
    if (step.before.runId != m_window.shownRun() || m_core.isRunning()) {
        Q_EMIT message(tr("Cannot undo or redo while a run is in progress."));
        return;
    }
    CorrectionRequest request;
    request.kind = undo ? CorrectionRequest::Kind::Undo : CorrectionRequest::Kind::Redo;
    request.step = step;
    send(std::move(request), {{}, {}, selectGroup});
}

bool GroupCorrections::movePhotos(const QList<qint64> &photoIds, int toIndex)
{
    if (!canCorrect())
        return false;
    CorrectionRequest request;
    request.kind = CorrectionRequest::Kind::Move;
    request.photos.assign(photoIds.begin(), photoIds.end());
    request.target = toIndex;
    const int from = m_window.currentGroup();
    const int n = int(photoIds.size());
    return send(std::move(request),
                {tr("Move %n photo(s)", nullptr, n), tr("Moved %n photo(s). Running again keeps them in that group.", nullptr, n),
                 from >= 0 ? from : toIndex});
}

bool GroupCorrections::mergeGroup(int fromIndex, int intoIndex)
{
    if (!canCorrect())
        return false;
    CorrectionRequest request;
    request.kind = CorrectionRequest::Kind::Merge;
    request.group = fromIndex;
    request.target = intoIndex;
    return send(std::move(request), {tr("Merge groups"), tr("Groups merged. Running again keeps their photos together."), intoIndex});
}

bool GroupCorrections::splitGroup(int index, int parts)
{
    if (!canCorrect())
        return false;
    CorrectionRequest request;
    request.kind = CorrectionRequest::Kind::Split;
    request.group = index;
    request.parts = parts;
    return send(std::move(request), {tr("Split group"), tr("Group split in %1. Running again keeps the parts apart.").arg(parts), index});
}

bool GroupCorrections::setGroupLocked(int index, bool locked)
{
    if (!canCorrect())
        return false;
    CorrectionRequest request;
    request.kind = CorrectionRequest::Kind::SetLocked;
    request.group = index;
    request.locked = locked;
    return send(std::move(request), {locked ? tr("Lock group") : tr("Unlock group"),
                                     locked ? tr("Group locked: running again keeps its photos and name.") : tr("Group unlocked."), index});
}

bool GroupCorrections::createGroup(const QString &name)
{
    if (!canCorrect())
        return false;
    CorrectionRequest request;
    request.kind = CorrectionRequest::Kind::Create;
    request.name = name;
    return send(std::move(request), {tr("New group"),
                                     tr("New group made: move photos into it with drag and drop or %1.")
                                         .arg(QKeySequence(Qt::CTRL | Qt::Key_M).toString(QKeySequence::NativeText)),
                                     -1});
}

bool GroupCorrections::renameGroup(int index, const QString &name)
{
    if (!canCorrect())
        return false;
    CorrectionRequest request;
    request.kind = CorrectionRequest::Kind::Rename;
    request.group = index;
    request.name = name;
    return send(std::move(request),
                {tr("Rename group"),
                 name.isEmpty() ? tr("The group has its computed name again.")
                                : tr("Group renamed. Running again keeps the name on the group that continues this one."),
                 index});
}

QList<std::pair<QString, int>> GroupCorrections::otherGroups(int except) const
{
    QList<std::pair<QString, int>> groups;
    const ClusterListModel *model = m_window.clusterModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const int index = model->clusterIndex(row);
        if (index != except)
            groups.append({model->index(row).data(ClusterListModel::NameRole).toString(), index});
    }
    return groups;
}

void GroupCorrections::chooseMoveTarget()
{
    const QList<qint64> photos = m_window.selectedPhotos();
    if (photos.isEmpty()) {
        Q_EMIT message(tr("Select the photos to move first."));
        return;
    }
    const int to = askForGroup(&m_window, tr("Move Photos"), tr("Move %n photo(s) to:", nullptr, int(photos.size())),
                               otherGroups(m_window.currentGroup()));
    if (to >= 0)
        movePhotos(photos, to);
}

void GroupCorrections::chooseMergeTarget()
{
    const int from = m_window.currentGroup();
    const int into = askForGroup(&m_window, tr("Merge Groups"), tr("Merge this group into:"), otherGroups(from));
    if (into >= 0)
        mergeGroup(from, into);
}

void GroupCorrections::chooseSplit()
{
    const int index = m_window.currentGroup();
    const int size = m_window.clusterView()->currentIndex().data(ClusterListModel::SizeRole).toInt();
    if (size < 2) {
        Q_EMIT message(tr("A group needs at least two photos to be split."));
        return;
    }
    bool ok = false;
    const int parts = QInputDialog::getInt(&m_window, tr("Split Group"), tr("Number of parts:"), 2, 2, std::min(size, 12), 1, &ok);
    if (ok)
        splitGroup(index, parts);
}

void GroupCorrections::chooseNewGroup()
{
    bool ok = false;
    const QString name = QInputDialog::getText(&m_window, tr("New Group"), tr("Name of the new group:"), QLineEdit::Normal, {}, &ok);
    if (ok)
        createGroup(name);
}

}   // namespace clade
