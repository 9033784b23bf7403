#pragma once

#include <QObject>

namespace clade {

class Catalog;
class MainWindow;

// Edit › Next Uncertain: the curator's queue through the shown run. The next photo after the
// current one, across the groups in list order (least certain first within a group), whose
// confidence is below the run's uncertainThreshold() or that diagnostics found borderline. It is
// selected in the window's grid, its group first when it is another (the window then asks for
// pendingPhoto() once the group has loaded). GUI thread.
class UncertainQueue : public QObject
{
    Q_OBJECT

public:
    UncertainQueue(const Catalog &catalog, MainWindow &window);

    // Goes to the next queued photo; wraps around; false with a message when the run has none.
    bool next();
    // The photo to select once its group has loaded (0: none); asking clears it.
    qint64 takePendingPhoto();

Q_SIGNALS:
    void message(const QString &text);

private:
    const Catalog &m_catalog;
    MainWindow &m_window;
    qint64 m_pendingPhoto = 0;    // to select once its group has loaded
    qint64 m_lastUncertain = 0;   // the queue's photo last gone to
};

}   // namespace clade
