#pragma once

#include "service/appcore.h"

#include <QObject>

class QLineEdit;
class QMenu;
class QAction;

namespace clade {

class MainWindow;

// Search across the catalog: the photos closest to a text (CLIP), to the current photo or to the
// current group's centre, best first, as many as the adaptive cut keeps (pipeline/search.h). The
// query is encoded and ranked on AppCore's worker; found() brings the photos. GUI thread.
class PhotoSearch : public QObject
{
    Q_OBJECT

public:
    PhotoSearch(AppCore &core, MainWindow &window);

    QLineEdit *field() const { return m_field; }
    void addActions(QMenu *edit);
    // Text search needs CLIP's text tower (EngineInfo::canEncodeText).
    void setAvailable(bool available);

    // Each returns false, with a message, when it cannot be asked for (no CLIP model, a run
    // working, no photo or group selected); else found() or message() follows.
    bool searchText(const QString &text);
    bool moreLikeThisPhoto();
    bool moreLikeThisGroup();

Q_SIGNALS:
    void found(const std::vector<clade::PhotoRecord> &photos, const QString &what);
    void message(const QString &text);

private:
    bool canSearch();
    bool send(SearchRequest request, const QString &what);

    AppCore &m_core;
    MainWindow &m_window;
    QLineEdit *m_field;
    QList<QAction *> m_actions;
    bool m_available = false;
    std::map<quint64, QString> m_sent;   // ticket -> what was searched, for the message
};

}   // namespace clade
