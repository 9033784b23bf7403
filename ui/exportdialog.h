#pragma once

#include "backgroundtask.h"
#include "catalog/catalog.h"
#include "export/exporter.h"
#include "export/plan.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace clade {

// Export of a stored run over core/export: a target folder, the mode (copy, move, symbolic or
// hard link), one folder per group named after it (editable), a dry-run preview of every file's
// destination, then the export with progress and cancel, and undo of it from its manifest. The
// file work runs on a thread of its own; closing the dialog cancels it and waits. GUI thread.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(const Catalog &catalog, qint64 runId, QWidget *parent = nullptr);
    ~ExportDialog() override;

    void setTarget(const QString &folder);
    void setMode(ExportMode mode);
    // The folder name of the group shown on `row` (for tests and scripts; users edit the table).
    void setFolderName(int row, const QString &name);
    int groupCount() const;
    bool isWorking() const { return m_task->running(); }

    QString previewText() const;   // the dry run's list, one "source → destination" per line
    QString statusText() const;
    QString manifestPath() const { return m_manifest; }

public Q_SLOTS:
    void preview();   // dry run: lists what would happen, touches nothing
    void startExport();
    void undoExport();        // reverts the last export made here, from its manifest
    void reject() override;   // cancels work in flight first

Q_SIGNALS:
    void finishedWork();   // a preview, export or undo ended (the status says how)
    // A move export or its undo ended: photos have other paths in the catalog now.
    void photosMoved();

private:
    std::vector<ExportItem> items() const;
    ExportOptions options(bool dryRun) const;
    bool checkTarget();
    void setBusy(bool busy);
    void runInBackground(BackgroundTask::Work work);
    void showReport(const ExportReport &report, bool dryRun);
    void chooseTarget();

    ExportPlan m_plan;     // the run's groups and files (core/export/plan.h)
    QString m_planError;   // why the run cannot be exported; empty when it can
    QString m_catalogPath;
    qint64 m_runId;
    QLineEdit *m_target = nullptr;
    QComboBox *m_mode = nullptr;
    QTableWidget *m_table = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_previewButton = nullptr;
    QPushButton *m_exportButton = nullptr;
    QPushButton *m_undoButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_browse = nullptr;
    QString m_manifest;
    bool m_manifestMoved = false;   // m_manifest is a move's
    // Last, so that it is destroyed first: it cancels and waits for work in flight.
    std::unique_ptr<BackgroundTask> m_task = std::make_unique<BackgroundTask>();
};

}   // namespace clade
