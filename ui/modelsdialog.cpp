#include "modelsdialog.h"

#include "backgroundtask.h"

#include "models/modeldownload.h"
#include "models/modelmanager.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

namespace clade {

QString noModelBanner()
{
    return QCoreApplication::translate("clade::ModelsDialog", "No CLIP model installed — clusters are grouped by look (colour, texture, "
                                                              "layout), not by meaning.");
}

ModelsDialog::ModelsDialog(ModelManager &manager, QWidget *parent)
    : QDialog(parent), m_manager(manager), m_model(new QStandardItemModel(0, ColumnCount, this))
{
    setWindowTitle(tr("CLIP models"));
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Architecture"), tr("Size"), tr("Licence"), tr("Status")});
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("CLIP models"));
    m_view->setTabKeyNavigation(false);   // Tab moves on to the buttons; the arrows pick a model

    m_downloadButton = new QPushButton(tr("&Download"), this);
    m_cancelButton = new QPushButton(tr("&Cancel"), this);   // a download or an import
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_importButton = new QPushButton(tr("&Import file…"), this);
    m_deleteButton = new QPushButton(tr("De&lete"), this);
    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Progress of the download or import"));
    m_progress->hide();
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {m_downloadButton, m_cancelButton, m_importButton, m_deleteButton})
        buttons->addWidget(button);
    buttons->addStretch();
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_message);
    layout->addWidget(close);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_downloadButton, &QPushButton::clicked, this, &ModelsDialog::startDownload);
    connect(m_cancelButton, &QPushButton::clicked, this, &ModelsDialog::cancelDownload);
    connect(m_importButton, &QPushButton::clicked, this, &ModelsDialog::importFile);
    connect(m_deleteButton, &QPushButton::clicked, this, &ModelsDialog::deleteSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelsDialog::updateButtons);
    refresh();
    resize(760, 360);
}

ModelsDialog::~ModelsDialog() = default;   // m_download is a child: deleting it aborts the transfer

bool ModelsDialog::importing() const
{
    return m_importTask && m_importTask->running();
}

QAbstractItemModel *ModelsDialog::model() const
{
    return m_model;
}

void ModelsDialog::appendRow(const QString &id, const QString &name, const QString &architecture, qint64 size, const QString &licence)
{
    QList<QStandardItem *> row;
    const QString sizeText = size > 0 ? QLocale().formattedDataSize(size) : tr("unknown");
    for (const QString &text : {name, architecture, sizeText, licence, statusText(id)}) {
        auto *item = new QStandardItem(text);
        item->setData(id, IdRole);
        row.append(item);
    }
    m_model->appendRow(row);
}

// Rebuilds the rows, keeping the selected id selected.
void ModelsDialog::refresh()
{
    const QString selected = selectedId();
    m_model->removeRows(0, m_model->rowCount());
    for (const ModelEntry &e : m_manager.catalogue().entries()) {
        const QString arch = e.isModel() ? e.architecture : tr("vocabulary (needed by every model)");
        appendRow(e.id, e.name, arch, e.size.value_or(-1), e.licence);
    }
    for (const InstalledModel &m : m_manager.installed()) {
        if (!m_manager.catalogue().find(m.id))
            appendRow(m.id, m.id, tr("user file"), m.size, tr("unknown"));
    }
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->item(row)->data(IdRole).toString() == selected)
            m_view->selectRow(row);
    }
    updateButtons();
}

QString ModelsDialog::statusText(const QString &id) const
{
    if (m_download && m_download->entry().id == id)
        return tr("Downloading…");
    const auto model = m_manager.installedModel(id);
    if (!model)
        return tr("Not installed");
    if (model->userAccepted)
        return tr("Installed, not verified (accepted by you)");
    return id == m_manager.catalogue().defaultId() ? tr("Installed, verified (default)") : tr("Installed, verified");
}

QString ModelsDialog::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(IdRole).toString();
}

void ModelsDialog::updateButtons()
{
    const QString id = selectedId();
    const auto entry = m_manager.catalogue().find(id);
    const bool busy = m_download != nullptr || importing();
    const bool installed = m_manager.isInstalled(id);
    m_downloadButton->setEnabled(!busy && entry && entry->hasChecksum() && !installed);
    m_cancelButton->setEnabled(busy);
    m_importButton->setEnabled(!busy && !id.isEmpty());
    m_deleteButton->setEnabled(!busy && installed);
}

void ModelsDialog::startDownload()
{
    m_queued.clear();
    startDownloadOf(selectedId());
}

void ModelsDialog::startDownloadOf(const QString &id)
{
    const auto entry = m_manager.catalogue().find(id);
    if (!entry || m_download)
        return;
    m_download = new ModelDownload(m_manager, *entry, DownloadOptions{}, this);
    connect(m_download, &ModelDownload::progress, this, &ModelsDialog::onDownloadProgress);
    connect(m_download, &ModelDownload::succeeded, this,
            [this](const QString &path) { onDownloadEnded(tr("Installed and verified: %1").arg(path), true); });
    connect(m_download, &ModelDownload::failed, this, [this](const QString &message) { onDownloadEnded(message, false); });
    connect(m_download, &ModelDownload::cancelled, this,
            [this] { onDownloadEnded(tr("Download cancelled; starting it again resumes where it stopped."), false); });
    m_progress->setRange(0, 0);
    m_progress->show();
    m_message->setText(tr("Downloading %1 from %2…").arg(entry->name, entry->urls.value(0)));
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->item(row)->data(IdRole).toString() == id)
            m_view->selectRow(row);
    }
    m_download->start();
    refresh();
}

bool ModelsDialog::downloadDefault()
{
    if (m_download) {
        m_message->setText(tr("A download is already going on."));
        return false;
    }
    const ModelCatalogue &catalogue = m_manager.catalogue();
    const auto model = catalogue.find(catalogue.defaultId());
    if (!model || !model->hasChecksum()) {
        m_message->setText(tr("The catalogue names no default model that can be downloaded; import one instead."));
        return false;
    }
    m_queued.clear();
    for (const auto &entry : {catalogue.vocabulary(), model}) {
        if (entry && !m_manager.isInstalled(entry->id))
            m_queued << entry->id;
    }
    if (m_queued.isEmpty()) {
        m_message->setText(tr("%1 is installed already.").arg(model->name));
        return false;
    }
    startDownloadOf(m_queued.takeFirst());
    return true;
}

void ModelsDialog::cancelDownload()
{
    if (m_download)
        m_download->cancel();
    if (m_importTask)
        m_importTask->cancel();
}

void ModelsDialog::onDownloadProgress(qint64 bytes, qint64 total)
{
    showTransferProgress(bytes, total);
    Q_EMIT downloadProgress(m_download->entry().name, bytes, total);
}

void ModelsDialog::showTransferProgress(qint64 bytes, qint64 total)
{
    if (total > 0) {   // per mille keeps the range inside int for multi-gigabyte files
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(bytes * 1000 / total));
    }
    m_progress->setFormat(total > 0 ? tr("%1 of %2").arg(QLocale().formattedDataSize(bytes), QLocale().formattedDataSize(total))
                                    : QLocale().formattedDataSize(bytes));
}

void ModelsDialog::onDownloadEnded(const QString &message, bool changed)
{
    m_download->deleteLater();
    m_download = nullptr;
    m_progress->hide();
    m_message->setText(message);
    refresh();
    Q_EMIT downloadEnded(message);
    // The window loads the model again once, when the queue of downloadDefault() is done.
    if (changed && !m_queued.isEmpty()) {
        m_changedMeanwhile = true;
        startDownloadOf(m_queued.takeFirst());
        return;
    }
    m_queued.clear();   // what comes after a failed or cancelled file waits for the user
    if (std::exchange(m_changedMeanwhile, false) || changed)
        Q_EMIT modelsChanged();
}

void ModelsDialog::importFile()
{
    if (const QString path = QFileDialog::getOpenFileName(this, tr("Import a model file")); !path.isEmpty())
        importFrom(path);
}

bool ModelsDialog::acceptUnverified(const QString &problem)
{
    return QMessageBox::warning(this, tr("File not verified"),
                                tr("%1\n\nUse this file anyway? Clade will mark it as not verified.").arg(problem),
                                QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
           == QMessageBox::Yes;
}

bool ModelsDialog::importFrom(const QString &path)
{
    const QString id = selectedId();
    if (id.isEmpty() || m_download || importing()) {
        m_message->setText(id.isEmpty() ? tr("Choose the model the file is for first.") : tr("Wait until the current transfer has ended."));
        return false;
    }
    // What can be told before reading the file (an unknown id, a wrong size) is asked now.
    bool accepted = false;
    if (Status checked = m_manager.checkImport(path, id, false); !checked) {
        if (!acceptUnverified(checked.error())) {
            m_message->setText(checked.error());
            return false;
        }
        accepted = true;
        if (Status again = m_manager.checkImport(path, id, true); !again) {
            m_message->setText(again.error());
            return false;
        }
    }
    if (!m_importTask) {
        m_importTask = std::make_unique<BackgroundTask>();
        connect(m_importTask.get(), &BackgroundTask::progressed, this,
                [this](const QString &, qint64 done, qint64 total) { showTransferProgress(done, total); });
        // Cancelled before the copy began: the work never ran, so there is no result to finish with.
        connect(m_importTask.get(), &BackgroundTask::finished, this, [this] {
            if (m_importOpen)
                finishImport(fail(tr("Import cancelled; nothing was installed.")), false);
        });
    }
    m_importOpen = true;
    m_message->setText(tr("Importing %1…").arg(QDir::toNativeSeparators(path)));
    m_progress->show();
    // The copy and its SHA-256 off the GUI thread; copyForImport touches nothing the dialog uses.
    m_importTask->start([this, manager = &m_manager, path, id, accepted](Progress &progress) {
        auto copy = manager->copyForImport(path, id, &progress);
        return [this, copy = std::move(copy), accepted]() mutable { finishImport(std::move(copy), accepted); };
    });
    updateButtons();
    return true;
}

void ModelsDialog::finishImport(Result<ImportedCopy> copy, bool accepted)
{
    m_importOpen = false;
    m_progress->hide();
    if (copy && !copy->matches && !accepted)
        accepted = acceptUnverified(copy->problem);
    // A refused copy is deleted.
    const Result<InstalledModel> result = copy ? m_manager.installImported(*copy, accepted) : Result<InstalledModel>(copy.takeError());
    const QString message = result ? tr("Imported %1.").arg(result->path) : result.error();
    m_message->setText(message);
    refresh();
    if (result)
        Q_EMIT modelsChanged();
    Q_EMIT importEnded(message, result.ok());
}

void ModelsDialog::deleteSelected()
{
    const QString id = selectedId();
    const QString path = m_manager.installedPath(id);
    if (path.isEmpty() || QMessageBox::question(this, tr("Delete model"), tr("Delete %1?").arg(path)) != QMessageBox::Yes)
        return;
    const Status removed = m_manager.remove(id);
    m_message->setText(removed ? tr("Deleted %1.").arg(path) : removed.error());
    refresh();
    Q_EMIT modelsChanged();
}

}   // namespace clade
