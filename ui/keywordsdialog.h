#pragma once

#include "backgroundtask.h"
#include "catalog/catalog.h"
#include "export/keywords.h"
#include "export/plan.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTableWidget;

namespace clade {

// File › Write Keywords: a finished run's group names as XMP keywords for Lightroom, digiKam or
// darktable, through the same writer as `clade-cli export --keywords` (exiv2/xmpkeywordwriter.h).
// Sidecars by default; writing into the photos (JPEG and TIFF, never RAW) only after a warning
// the user accepts. Progress and cancel; every file's outcome in a list. The writing runs on a
// thread of its own; closing the dialog cancels it and waits. GUI thread.
class KeywordsDialog : public QDialog
{
    Q_OBJECT

public:
    KeywordsDialog(const Catalog &catalog, qint64 runId, QWidget *parent = nullptr);
    ~KeywordsDialog() override;

    void setTarget(KeywordTarget target);
    void setNaming(SidecarNaming naming);
    bool isWorking() const { return m_task->running(); }
    QString statusText() const;
    int resultCount() const;
    // Row `row` of the outcome list: photo, written file, outcome, message (tab-separated).
    QString resultText(int row) const;

public Q_SLOTS:
    void write();
    void reject() override;   // cancels work in flight first

Q_SIGNALS:
    void finishedWork();

private:
    KeywordOptions options() const;
    void setBusy(bool busy);
    void showReport(const KeywordWriteReport &report);

    ExportPlan m_plan;
    QString m_planError;
    QRadioButton *m_sidecar = nullptr;
    QRadioButton *m_embedded = nullptr;
    QComboBox *m_naming = nullptr;
    QCheckBox *m_keepTime = nullptr;
    QTableWidget *m_results = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_writeButton = nullptr;
    QPushButton *m_closeButton = nullptr;
    // Last, so that it is destroyed first: it cancels and waits for work in flight.
    std::unique_ptr<BackgroundTask> m_task = std::make_unique<BackgroundTask>();
};

}   // namespace clade
