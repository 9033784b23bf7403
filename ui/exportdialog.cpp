#include "exportdialog.h"

#include "export/catalogfollow.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace clade {

namespace {

constexpr int previewLines = 2000;   // a longer dry run is summarised after these

// A move's catalog records follow the files (core/export/catalogfollow.h), through a connection
// of the export's own thread.
Result<ExportReport> exportFollowing(const QString &catalogPath, const std::vector<ExportItem> &items, const ExportOptions &options,
                                     Progress &progress)
{
    if (options.mode != ExportMode::Move || options.dryRun)
        return exportGroups(items, options, &progress);
    auto catalog = Catalog::open(catalogPath);
    if (!catalog)
        return catalog.takeError();   // before any file is touched
    return exportFollowingCatalog(**catalog, items, options, &progress);
}

// The files come back even when the catalog cannot be opened; its records follow them when it is
// next opened.
Result<UndoReport> undoFollowing(const QString &catalogPath, const QString &manifest, Progress &progress)
{
    auto catalog = Catalog::open(catalogPath);
    if (catalog)
        return undoFollowingCatalog(**catalog, manifest, &progress);
    Result<UndoReport> report = undoExport(manifest, &progress);
    if (report)
        report->messages << catalog.error();
    return report;
}

}   // namespace

ExportDialog::ExportDialog(const Catalog &catalog, qint64 runId, QWidget *parent)
    : QDialog(parent), m_catalogPath(catalog.path()), m_runId(runId)
{
    setWindowTitle(tr("Export Groups"));
    if (auto plan = planRunExport(catalog, runId))
        m_plan = std::move(*plan);
    else
        m_planError = plan.error();
    const std::vector<ExportGroup> &groups = m_plan.groups;

    m_target = new QLineEdit(this);
    // Beside the photo folder by default, never inside it (a re-scan would find the copies).
    if (!m_plan.folder.isEmpty())
        m_target->setText(QDir::toNativeSeparators(m_plan.folder + tr(" (groups)")));
    m_target->setAccessibleName(tr("Target folder"));
    m_target->setPlaceholderText(tr("A folder for one sub-folder per group"));
    m_browse = new QPushButton(tr("&Browse…"), this);
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::chooseTarget);
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(m_browse);

    m_mode = new QComboBox(this);
    m_mode->setAccessibleName(tr("Export mode"));
    m_mode->addItem(tr("Copy the photos"), int(ExportMode::Copy));
    m_mode->addItem(tr("Move the photos (undo puts them back)"), int(ExportMode::Move));
    m_mode->addItem(tr("Symbolic links to the photos"), int(ExportMode::Symlink));
    m_mode->addItem(tr("Hard links to the photos (same drive only)"), int(ExportMode::Hardlink));

    m_table = new QTableWidget(int(groups.size()), 2, this);
    m_table->setAccessibleName(tr("Groups and their folder names"));
    m_table->setHorizontalHeaderLabels({tr("Folder name (editable)"), tr("Photos")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    for (int row = 0; row < int(groups.size()); ++row) {
        m_table->setItem(row, 0, new QTableWidgetItem(groups[std::size_t(row)].name));
        auto *count = new QTableWidgetItem(QString::number(groups[std::size_t(row)].files.size()));
        count->setFlags(count->flags() & ~Qt::ItemIsEditable);
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, 1, count);
    }

    m_preview = new QPlainTextEdit(this);
    m_preview->setReadOnly(true);
    m_preview->setAccessibleName(tr("Preview of the export"));
    m_preview->setPlaceholderText(tr("Preview lists where every photo would go, without touching anything."));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status = new QLabel(this);
    showProgressOn(*m_task, m_progress);
    connect(m_task.get(), &BackgroundTask::finished, this, [this] {
        setBusy(false);
        Q_EMIT finishedWork();
    });
    m_status->setWordWrap(true);
    if (!m_planError.isEmpty())
        m_status->setText(tr("Nothing can be exported: %1").arg(m_planError));
    else if (m_plan.missing > 0)
        m_status->setText(tr("%n photo(s) of this run are missing from the folder and are left out.", nullptr, m_plan.missing));

    m_previewButton = new QPushButton(tr("&Preview"), this);
    m_exportButton = new QPushButton(tr("&Export"), this);
    m_exportButton->setDefault(true);
    m_undoButton = new QPushButton(tr("&Undo Export"), this);
    m_undoButton->setEnabled(false);
    m_cancelButton = new QPushButton(tr("Close"), this);
    connect(m_previewButton, &QPushButton::clicked, this, &ExportDialog::preview);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_undoButton, &QPushButton::clicked, this, &ExportDialog::undoExport);
    m_previewButton->setEnabled(m_planError.isEmpty());
    m_exportButton->setEnabled(m_planError.isEmpty());
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_task->running())
            m_task->cancel();
        else
            reject();
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_previewButton);
    buttons->addWidget(m_undoButton);
    buttons->addStretch(1);
    buttons->addWidget(m_exportButton);
    buttons->addWidget(m_cancelButton);

    auto *form = new QFormLayout;
    auto *targetLabel = new QLabel(tr("&Target folder:"), this);
    targetLabel->setBuddy(m_target);   // a label of a layout row gets no buddy by itself
    form->addRow(targetLabel, targetRow);
    form->addRow(tr("&Mode:"), m_mode);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_table, 2);
    layout->addWidget(m_preview, 3);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    resize(760, 620);
}

ExportDialog::~ExportDialog() = default;   // m_task cancels and waits

void ExportDialog::setTarget(const QString &folder)
{
    m_target->setText(folder);
}

void ExportDialog::setMode(ExportMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void ExportDialog::setFolderName(int row, const QString &name)
{
    if (QTableWidgetItem *item = m_table->item(row, 0))
        item->setText(name);
}

int ExportDialog::groupCount() const
{
    return int(m_plan.groups.size());
}

QString ExportDialog::previewText() const
{
    return m_preview->toPlainText();
}

QString ExportDialog::statusText() const
{
    return m_status->text();
}

void ExportDialog::chooseTarget()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Export into"), m_target->text());
    if (!chosen.isEmpty())
        m_target->setText(QDir::toNativeSeparators(chosen));
}

std::vector<ExportItem> ExportDialog::items() const
{
    QStringList names;
    for (int row = 0; row < m_table->rowCount(); ++row)
        names << m_table->item(row, 0)->text();
    return m_plan.items(names);
}

ExportOptions ExportDialog::options(bool dryRun) const
{
    ExportOptions o;
    o.targetRoot = QDir::cleanPath(QDir::fromNativeSeparators(m_target->text().trimmed()));
    o.mode = ExportMode(m_mode->currentData().toInt());
    o.dryRun = dryRun;
    o.runId = m_runId;
    return o;
}

bool ExportDialog::checkTarget()
{
    if (!m_planError.isEmpty()) {
        m_status->setText(tr("Nothing can be exported: %1").arg(m_planError));
        return false;
    }
    if (m_target->text().trimmed().isEmpty()) {
        m_status->setText(tr("Choose a target folder first."));
        m_target->setFocus();
        return false;
    }
    if (items().empty()) {
        m_status->setText(tr("This run has no photos to export."));
        return false;
    }
    return true;
}

void ExportDialog::setBusy(bool busy)
{
    for (QWidget *w : std::initializer_list<QWidget *>{m_target, m_browse, m_mode, m_table, m_previewButton, m_exportButton})
        w->setEnabled(!busy);
    m_undoButton->setEnabled(!busy && !m_manifest.isEmpty());
    m_cancelButton->setText(busy ? tr("Cancel") : tr("Close"));
}

// Runs `work` in the background (BackgroundTask); its Progress is shown here, and what it
// returns runs here when it ends.
void ExportDialog::runInBackground(BackgroundTask::Work work)
{
    setBusy(true);
    m_task->start(std::move(work));
}

void ExportDialog::preview()
{
    if (m_task->running() || !checkTarget())
        return;
    m_status->setText(tr("Planning…"));
    runInBackground([this, items = items(), options = options(true)](Progress &progress) {
        Result<ExportReport> report = exportGroups(items, options, &progress);
        return [this, report] {
            if (!report)
                m_status->setText(tr("Cannot export: %1").arg(report.error()));
            else
                showReport(*report, true);
        };
    });
}

void ExportDialog::startExport()
{
    if (m_task->running() || !checkTarget())
        return;
    const ExportOptions o = options(false);
    if (o.mode == ExportMode::Move
        && QMessageBox::question(
               this, tr("Move Photos"),
               tr("Move %n photo(s) out of the photo folder into %1? Undo Export puts them back.", nullptr, int(items().size()))
                   .arg(QDir::toNativeSeparators(o.targetRoot)))
               != QMessageBox::Yes)
        return;
    m_status->setText(tr("Exporting…"));
    runInBackground([this, items = items(), o, catalogPath = m_catalogPath](Progress &progress) {
        Result<ExportReport> report = exportFollowing(catalogPath, items, o, progress);
        return [this, report, moved = o.mode == ExportMode::Move] {
            if (!report) {
                m_status->setText(tr("Cannot export: %1").arg(report.error()));
                return;
            }
            m_manifest = report->manifestPath;
            m_manifestMoved = moved;
            showReport(*report, false);
            if (moved)
                Q_EMIT photosMoved();
        };
    });
}

void ExportDialog::undoExport()
{
    if (m_task->running() || m_manifest.isEmpty())
        return;
    m_status->setText(tr("Undoing the export…"));
    runInBackground([this, manifest = m_manifest, catalogPath = m_catalogPath](Progress &progress) {
        Result<UndoReport> report = undoFollowing(catalogPath, manifest, progress);
        return [this, report, moved = m_manifestMoved] {
            if (moved)
                Q_EMIT photosMoved();
            if (!report) {
                m_status->setText(tr("Cannot undo the export: %1").arg(report.error()));
                return;
            }
            m_status->setText(tr("Export undone: %1 copies or links removed, %2 photos moved back, %3 left alone, %4 failed.")
                                  .arg(report->removed)
                                  .arg(report->restored)
                                  .arg(report->skipped)
                                  .arg(report->failed)
                              + (report->messages.isEmpty() ? QString() : QLatin1Char('\n') + report->messages.join(QLatin1Char('\n'))));
            m_manifest.clear();
        };
    });
}

void ExportDialog::showReport(const ExportReport &report, bool dryRun)
{
    QStringList lines;
    int shown = 0;
    for (const ExportAction &a : report.actions) {
        if (shown++ == previewLines) {
            lines << tr("… and %n more", nullptr, int(report.actions.size()) - previewLines);
            break;
        }
        lines << (a.error.isEmpty() ? tr("%1 → %2").arg(QDir::toNativeSeparators(a.source), QDir::toNativeSeparators(a.destination))
                                    : tr("%1: %2").arg(QDir::toNativeSeparators(a.source), a.error));
    }
    m_preview->setPlainText(lines.join(QLatin1Char('\n')));
    int failed = 0;
    for (const ExportAction &a : report.actions)
        failed += a.status == u"failed" ? 1 : 0;
    QString text;
    if (dryRun)
        text = tr("Preview: %n photo(s) would be exported; nothing was touched.", nullptr, int(report.actions.size()));
    else if (report.cancelled)
        text = tr("Cancelled after %1 of %2 photos. Undo Export reverts what was done.").arg(report.done).arg(report.actions.size());
    else
        text = tr("Exported %1 of %2 photos into %3.")
                   .arg(report.done)
                   .arg(report.actions.size())
                   .arg(QDir::toNativeSeparators(options(false).targetRoot));
    if (failed > 0)
        text += QLatin1Char(' ') + tr("%n photo(s) failed; the list says why.", nullptr, failed);
    if (!report.messages.isEmpty())
        text += QLatin1Char('\n') + report.messages.join(QLatin1Char('\n'));
    m_status->setText(text);
}

void ExportDialog::reject()
{
    if (m_task->running()) {
        m_task->cancelAndWait();   // the exporter stops within one file; its manifest is on disk
        setBusy(false);
    }
    QDialog::reject();
}

}   // namespace clade
