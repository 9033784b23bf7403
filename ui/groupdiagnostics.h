#pragma once

#include "service/appcore.h"

#include <QObject>

namespace clade {

class MainWindow;

// How well the shown run's groups hold together (cohesion per group, margin and typicality per
// photo, bursts), asked of AppCore's worker whenever the groups change; the window's models get
// them when they arrive. An answer superseded by a later request is dropped. GUI thread.
class GroupDiagnostics : public QObject
{
    Q_OBJECT

public:
    GroupDiagnostics(AppCore &core, MainWindow &window);

    // Asks again for the run the window shows (none: nothing).
    void refresh();

Q_SIGNALS:
    void message(const QString &text);

private:
    void apply(const RunDiagnostics &diagnostics);

    AppCore &m_core;
    MainWindow &m_window;
    quint64 m_ticket = 0;   // the latest request
};

}   // namespace clade
