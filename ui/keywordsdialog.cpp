#include "keywordsdialog.h"

#include "exiv2/xmpkeywordwriter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace clade {

namespace {

QString outcomeText(KeywordOutcome outcome)
{
    switch (outcome) {
    case KeywordOutcome::Written: return KeywordsDialog::tr("written");
    case KeywordOutcome::Unchanged: return KeywordsDialog::tr("already there");
    case KeywordOutcome::SkippedRaw: return KeywordsDialog::tr("skipped (RAW)");
    case KeywordOutcome::SkippedFormat: return KeywordsDialog::tr("skipped (format)");
    case KeywordOutcome::Failed: return KeywordsDialog::tr("failed");
    }
    return {};
}

}   // namespace

KeywordsDialog::KeywordsDialog(const Catalog &catalog, qint64 runId, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Write Keywords"));
    if (auto plan = planRunExport(catalog, runId))
        m_plan = std::move(*plan);
    else
        m_planError = plan.error();

    auto *intro = new QLabel(tr("Each photo gets its group's name as a keyword (XMP dc:subject, a \"Clade|name\" hierarchy "
                                "for Lightroom and \"Clade/name\" for digiKam). Other keywords are kept."),
                             this);
    intro->setWordWrap(true);
    m_sidecar = new QRadioButton(tr("In &sidecar files beside the photos (the photos are not touched)"), this);
    m_embedded = new QRadioButton(tr("&Inside the photos (JPEG and TIFF; RAW files are never written)"), this);
    m_sidecar->setChecked(true);
    m_naming = new QComboBox(this);
    m_naming->setAccessibleName(tr("Sidecar file names"));
    m_naming->addItem(tr("photo.jpg.xmp (darktable, digiKam)"), int(SidecarNaming::AppendXmp));
    m_naming->addItem(tr("photo.xmp (Lightroom)"), int(SidecarNaming::ReplaceExtension));
    m_keepTime = new QCheckBox(tr("Keep each photo's modification time"), this);
    m_keepTime->setEnabled(false);
    connect(m_embedded, &QRadioButton::toggled, this, [this](bool embedded) {
        m_naming->setEnabled(!embedded);
        m_keepTime->setEnabled(embedded);
    });

    m_results = new QTableWidget(0, 4, this);
    m_results->setAccessibleName(tr("Outcome per photo"));
    m_results->setHorizontalHeaderLabels({tr("Photo"), tr("Written to"), tr("Result"), tr("Message")});
    m_results->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_results->verticalHeader()->hide();
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    if (!m_planError.isEmpty())
        m_status->setText(tr("No keywords can be written: %1").arg(m_planError));
    else
        m_status->setText(tr("%n photo(s) in %1 group(s).", nullptr, int(m_plan.fileCount())).arg(m_plan.groups.size()));
    showProgressOn(*m_task, m_progress);
    connect(m_task.get(), &BackgroundTask::finished, this, [this] {
        setBusy(false);
        Q_EMIT finishedWork();
    });

    m_writeButton = new QPushButton(tr("&Write Keywords"), this);
    m_writeButton->setDefault(true);
    m_writeButton->setEnabled(m_planError.isEmpty());
    m_closeButton = new QPushButton(tr("Close"), this);
    connect(m_writeButton, &QPushButton::clicked, this, &KeywordsDialog::write);
    connect(m_closeButton, &QPushButton::clicked, this, [this] {
        if (m_task->running())
            m_task->cancel();
        else
            reject();
    });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_writeButton);
    buttons->addWidget(m_closeButton);
    auto *form = new QFormLayout;
    form->addRow(tr("Sidecar &names:"), m_naming);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_sidecar);
    layout->addWidget(m_embedded);
    layout->addLayout(form);
    layout->addWidget(m_keepTime);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    resize(760, 520);
}

KeywordsDialog::~KeywordsDialog() = default;   // m_task cancels and waits

void KeywordsDialog::setTarget(KeywordTarget target)
{
    (target == KeywordTarget::Embedded ? m_embedded : m_sidecar)->setChecked(true);
}

void KeywordsDialog::setNaming(SidecarNaming naming)
{
    m_naming->setCurrentIndex(m_naming->findData(int(naming)));
}

QString KeywordsDialog::statusText() const
{
    return m_status->text();
}

int KeywordsDialog::resultCount() const
{
    return m_results->rowCount();
}

QString KeywordsDialog::resultText(int row) const
{
    QStringList cells;
    for (int column = 0; column < m_results->columnCount(); ++column) {
        const QTableWidgetItem *item = m_results->item(row, column);
        cells << (item ? item->text() : QString());
    }
    return cells.join(QLatin1Char('\t'));
}

KeywordOptions KeywordsDialog::options() const
{
    KeywordOptions o;
    o.target = m_embedded->isChecked() ? KeywordTarget::Embedded : KeywordTarget::Sidecar;
    o.naming = SidecarNaming(m_naming->currentData().toInt());
    o.keepModifiedTime = m_keepTime->isChecked();
    return o;
}

void KeywordsDialog::setBusy(bool busy)
{
    for (QWidget *w : std::initializer_list<QWidget *>{m_sidecar, m_embedded, m_writeButton})
        w->setEnabled(!busy && m_planError.isEmpty());
    m_naming->setEnabled(!busy && !m_embedded->isChecked());
    m_keepTime->setEnabled(!busy && m_embedded->isChecked());
    m_closeButton->setText(busy ? tr("Cancel") : tr("Close"));
}

void KeywordsDialog::write()
{
    if (m_task->running() || !m_planError.isEmpty())
        return;
    std::vector<KeywordJob> jobs;
    for (const ExportItem &item : m_plan.items())
        jobs.push_back({item.source, item.group});
    if (jobs.empty()) {
        m_status->setText(tr("This run has no photos to write keywords to."));
        return;
    }
    const KeywordOptions o = options();
    if (o.target == KeywordTarget::Embedded
        && QMessageBox::warning(this, tr("Write Into the Photos"),
                                tr("Rewrite %n photo(s) to put the keywords inside them? Each file is replaced by a new copy "
                                   "with the keywords; RAW files are never written. Sidecar files leave your photos untouched.",
                                   nullptr, int(jobs.size())),
                                QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
               != QMessageBox::Yes)
        return;
    m_results->setRowCount(0);
    m_status->setText(tr("Writing keywords…"));
    setBusy(true);
    m_task->start([this, jobs = std::move(jobs), o](Progress &progress) {
        Result<KeywordWriteReport> report = writeClusterKeywords(jobs, o, &progress);
        return [this, report] {
            if (!report)
                m_status->setText(tr("Cannot write keywords: %1").arg(report.error()));
            else
                showReport(*report);
        };
    });
}

void KeywordsDialog::showReport(const KeywordWriteReport &report)
{
    m_results->setRowCount(int(report.results.size()));
    for (int row = 0; row < int(report.results.size()); ++row) {
        const KeywordResult &r = report.results[std::size_t(row)];
        const QStringList cells = {QDir::toNativeSeparators(r.photoPath), QDir::toNativeSeparators(r.targetPath), outcomeText(r.outcome),
                                   r.error};
        for (int column = 0; column < cells.size(); ++column)
            m_results->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
    QString text = tr("%1 written, %2 already there, %3 RAW skipped, %4 other formats skipped, %5 failed.")
                       .arg(report.written)
                       .arg(report.unchanged)
                       .arg(report.skippedRaw)
                       .arg(report.skippedFormat)
                       .arg(report.failed);
    if (report.cancelled)
        text = tr("Cancelled.") + QLatin1Char(' ') + text;
    m_status->setText(text);
}

void KeywordsDialog::reject()
{
    if (m_task->running()) {
        m_task->cancelAndWait();
        setBusy(false);
    }
    QDialog::reject();
}

}   // namespace clade
