#pragma once

#include "common/result.h"
#include "models/modelmanager.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <memory>

class QAbstractItemModel;
class QLabel;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace clade {

class BackgroundTask;
class ModelDownload;

// The main window's one-line banner when no CLIP model is installed.
QString noModelBanner();

// Lists the catalogue (name, architecture, size, licence, installed or not) and user-imported
// models; downloads (progress, cancel), imports and deletes them. GUI thread only; the
// ModelManager must outlive the dialog. Emits modelsChanged() after anything was installed
// or deleted, so the main window can load the model again. A download goes on while the
// dialog is hidden (it is aborted only when the dialog is deleted); downloadProgress() and
// downloadEnded() let the window show it.
class ModelsDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column { NameColumn, ArchitectureColumn, SizeColumn, LicenceColumn, StatusColumn, ColumnCount };
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ModelsDialog(ModelManager &manager, QWidget *parent = nullptr);
    ~ModelsDialog() override;

    QAbstractItemModel *model() const;
    void refresh();
    // Downloads what the catalogue's default model needs and is missing, one after another: the
    // vocabulary, then the model. False (with the reason shown) when there is nothing to fetch
    // or a download is already going on.
    bool downloadDefault();
    bool downloading() const { return m_download != nullptr; }
    // Import file… with the file chosen: copies it into the selected model's place, hashing it
    // off the GUI thread (progress below, Cancel stops it), and installs it when the catalogue
    // vouches for it, or when the user accepts an unverified file. importEnded() says how it
    // went. False (with the reason shown) when it does not start.
    bool importFrom(const QString &path);
    bool importing() const;

Q_SIGNALS:
    void modelsChanged();
    void downloadProgress(const QString &name, qint64 bytes, qint64 total);
    void downloadEnded(const QString &message);
    void importEnded(const QString &message, bool installed);

private:
    QString selectedId() const;
    QString statusText(const QString &id) const;
    void appendRow(const QString &id, const QString &name, const QString &architecture, qint64 size, const QString &licence);
    void updateButtons();
    void startDownload();
    void startDownloadOf(const QString &id);
    void cancelDownload();
    void importFile();
    void finishImport(Result<ImportedCopy> copy, bool accepted);
    // "Use this file anyway?" after `problem`; true when the user says yes.
    bool acceptUnverified(const QString &problem);
    void deleteSelected();
    void onDownloadProgress(qint64 bytes, qint64 total);
    void showTransferProgress(qint64 bytes, qint64 total);   // the bar, for a download or an import
    void onDownloadEnded(const QString &message, bool changed);

    ModelManager &m_manager;
    QStandardItemModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_downloadButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_importButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_message = nullptr;
    ModelDownload *m_download = nullptr;
    QStringList m_queued;              // ids downloadDefault() fetches after the current one
    bool m_changedMeanwhile = false;   // a file of the queue was installed
    bool m_importOpen = false;         // an import started and not yet finished
    // Last, so that it is destroyed first: it cancels and waits for an import's copy.
    std::unique_ptr<BackgroundTask> m_importTask;
};

}   // namespace clade
