#include "photosearch.h"

#include "clusterlistmodel.h"
#include "mainwindow.h"
#include "photogridmodel.h"

#include <QAction>
#include <QFileInfo>
#include <QLineEdit>
#include <QListView>
#include <QMenu>

namespace clade {

PhotoSearch::PhotoSearch(AppCore &core, MainWindow &window)
    : QObject(&window), m_core(core), m_window(window), m_field(new QLineEdit(&window))
{
    m_field->setAccessibleName(tr("Search the photos by a description"));
    m_field->setClearButtonEnabled(true);
    connect(m_field, &QLineEdit::returnPressed, this, [this] { searchText(m_field->text()); });
    connect(&m_core, &AppCore::searched, this, [this](quint64 ticket, const SearchRequest &request, const Result<SearchResults> &results) {
        const auto sent = m_sent.find(ticket);
        if (sent == m_sent.end())
            return;
        const QString what = sent->second;
        m_sent.erase(sent);
        if (request.runId != m_window.shownRun())
            return;   // another run is shown by now
        if (!results)
            Q_EMIT message(tr("Cannot search: %1").arg(results.error()));
        else
            Q_EMIT found(results->photos, what);
    });
    setAvailable(false);
}

void PhotoSearch::addActions(QMenu *edit)
{
    QAction *search = edit->addAction(tr("&Search by Description"));
    search->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(search, &QAction::triggered, this, [this] {
        if (m_field->isEnabled())
            m_field->setFocus();
        else
            Q_EMIT message(m_field->toolTip());
    });
    QAction *likePhoto = edit->addAction(tr("More Like This &Photo"));
    likePhoto->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    connect(likePhoto, &QAction::triggered, this, &PhotoSearch::moreLikeThisPhoto);
    QAction *likeGroup = edit->addAction(tr("More Like This &Group"));
    likeGroup->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    connect(likeGroup, &QAction::triggered, this, &PhotoSearch::moreLikeThisGroup);
    m_actions = {search, likePhoto, likeGroup};
    setAvailable(m_available);
}

void PhotoSearch::setAvailable(bool available)
{
    m_available = available;
    m_field->setEnabled(available);
    if (available) {
        m_field->setPlaceholderText(tr("Search: describe a photo, e.g. dog on a beach"));
        m_field->setToolTip({});
    } else {
        m_field->setPlaceholderText(tr("Search needs a CLIP model"));
        m_field->setToolTip(tr("Install a CLIP model (Tools › Models) to search by description or for more photos like one."));
    }
    for (QAction *action : std::as_const(m_actions)) {
        action->setEnabled(available);
        action->setToolTip(available ? QString() : m_field->toolTip());
    }
}

// Search needs CLIP: without it a run's features describe colour and texture, and "more like
// this" by look would promise more than it gives.
bool PhotoSearch::canSearch()
{
    if (!m_available) {
        Q_EMIT message(tr("Search needs a CLIP model (Tools › Models)."));
        return false;
    }
    if (m_core.isRunning()) {   // the run's worker uses the model
        Q_EMIT message(tr("Search when the current run has finished."));
        return false;
    }
    return true;
}

bool PhotoSearch::send(SearchRequest request, const QString &what)
{
    request.runId = m_window.shownRun();
    m_sent.emplace(m_core.search(std::move(request)), what);
    return true;
}

bool PhotoSearch::searchText(const QString &text)
{
    const QString query = text.simplified();
    if (!canSearch() || query.isEmpty())
        return false;
    // The whole catalog is searched, under the loaded CLIP model: the shown run may be another
    // folder, or grouped by look; the worker says when no photo has that model's features yet.
    SearchRequest request;
    request.kind = SearchRequest::Kind::Text;
    request.text = query;
    return send(std::move(request), tr("“%1”").arg(query));
}

bool PhotoSearch::moreLikeThisPhoto()
{
    if (!canSearch())
        return false;
    const PhotoRecord *photo = m_window.photoModel()->photo(m_window.photoView()->currentIndex().row());
    if (m_window.shownRun() == 0 || !photo) {
        Q_EMIT message(tr("Select a photo first."));
        return false;
    }
    SearchRequest request;
    request.kind = SearchRequest::Kind::Photo;
    request.photoId = photo->id;
    return send(std::move(request), tr("photos like %1").arg(QFileInfo(photo->path).fileName()));
}

bool PhotoSearch::moreLikeThisGroup()
{
    if (!canSearch())
        return false;
    const int group = m_window.currentGroup();
    if (m_window.shownRun() == 0 || group < 0) {
        Q_EMIT message(tr("Select a group first."));
        return false;
    }
    const QString name = m_window.clusterView()->currentIndex().data(ClusterListModel::NameRole).toString();
    SearchRequest request;
    request.kind = SearchRequest::Kind::Group;
    request.group = group;
    return send(std::move(request), tr("photos like the group “%1”").arg(name));
}

}   // namespace clade
