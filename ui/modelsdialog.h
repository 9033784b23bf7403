#pragma once

#include <QDialog>
#include <QString>

class QAbstractItemModel;
class QLabel;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace clade {

class ModelDownload;
class ModelManager;

// The main window's one-line banner when no CLIP model is installed.
QString noModelBanner();

// Lists the catalogue (name, architecture, size, licence, installed or not) and user-imported
// models; downloads (progress, cancel), imports and deletes them. GUI thread only; the
// ModelManager must outlive the dialog. Emits modelsChanged() after anything was installed
// or deleted, so the main window can update its banner.
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

Q_SIGNALS:
    void modelsChanged();

private:
    QString selectedId() const;
    QString statusText(const QString &id) const;
    void appendRow(const QString &id, const QString &name, const QString &architecture, qint64 size,
                   const QString &licence);
    void updateButtons();
    void startDownload();
    void cancelDownload();
    void importFile();
    void deleteSelected();
    void onDownloadProgress(qint64 bytes, qint64 total);
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
};

} // namespace clade
