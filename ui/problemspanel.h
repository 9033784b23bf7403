#pragma once

#include "domain/records.h"

#include <QDockWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace clade {

// The files of the shown folder that could not be used (scan, metadata, decode, …), one row
// each with file, stage, message and when it was met, as the catalog keeps them (the latest per
// file and stage). Filtered by any text in a row, sorted by any column; the selected rows (all
// shown ones when none is selected) are copied as tab-separated lines; a file's folder is opened
// in the file manager; Retry asks for the folder to be run again, which reads every file that
// failed again (retryRequested). A dock of the main window, hidden until asked for. GUI thread.
class ProblemsPanel : public QDockWidget
{
    Q_OBJECT

public:
    explicit ProblemsPanel(QWidget *parent = nullptr);

    void showProblems(const std::vector<ProblemRecord> &problems);
    void clear() { showProblems({}); }
    int problemCount() const;   // all of them
    int shownCount() const;     // those the filter lets through
    void setFilterText(const QString &text);
    QString copyText() const;   // what Copy puts on the clipboard
    QTableView *view() const { return m_view; }

public Q_SLOTS:
    void copy();
    void openFolder();   // of the current row's file, in the file manager

Q_SIGNALS:
    void retryRequested();

private:
    void updateActions();

    QStandardItemModel *m_model = nullptr;
    QSortFilterProxyModel *m_filtered = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_retry = nullptr;
};

}   // namespace clade
