#pragma once

#include <QObject>

#include <memory>

namespace clade {

class AppCore;
class BackgroundTask;
class Catalog;
class ExportDialog;
class KeywordsDialog;
class MainWindow;

// What File offers for the shown run: the Export and Write Keywords dialogs and Export Table.
// GUI thread; the table is written off it.
class RunOutputs : public QObject
{
    Q_OBJECT

public:
    RunOutputs(Catalog &catalog, AppCore &core, MainWindow &window);
    ~RunOutputs() override;

    // The export dialog for the shown run, window-modal; null (with a message) when there is no
    // run or one is working. It deletes itself when closed.
    ExportDialog *showExport();
    // The keyword dialog for the shown run, like showExport().
    KeywordsDialog *showKeywords();
    // The shown run as CSV or JSON (by the extension) at `path`, asked for when empty. Written
    // off the GUI thread through a catalog connection of its own, never over an existing file;
    // tableWritten() says how it went.
    void exportTable(const QString &path);

Q_SIGNALS:
    void message(const QString &text);
    void photosMoved();                                             // by the export dialog, or back
    void tableWritten(const QString &path, const QString &error);   // error empty: written

private:
    Catalog &m_catalog;
    AppCore &m_core;
    MainWindow &m_window;
    // Last, so that it is destroyed first: it cancels and waits for a table being written.
    std::unique_ptr<BackgroundTask> m_tableTask;
};

}   // namespace clade
