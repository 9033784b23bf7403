#include "runoutputs.h"

#include "backgroundtask.h"
#include "exportdialog.h"
#include "keywordsdialog.h"
#include "mainwindow.h"
#include "export/runtable.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace clade {

RunOutputs::RunOutputs(Catalog &catalog, AppCore &core, MainWindow &window)
    : QObject(&window), m_catalog(catalog), m_core(core), m_window(window)
{
}

RunOutputs::~RunOutputs() = default;

ExportDialog *RunOutputs::showExport()
{
    const qint64 runId = m_window.shownRun();
    if (runId == 0 || m_core.isRunning()) {
        Q_EMIT message(runId == 0 ? tr("There are no groups to export yet.") : tr("Export when the current run has finished."));
        return nullptr;
    }
    auto *dialog = new ExportDialog(m_catalog, runId, &m_window);
    // The gallery shows the moved photos at their new place (or their old one after undo).
    connect(dialog, &ExportDialog::photosMoved, this, &RunOutputs::photosMoved);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

KeywordsDialog *RunOutputs::showKeywords()
{
    const qint64 runId = m_window.shownRun();
    if (runId == 0 || m_core.isRunning()) {
        Q_EMIT message(runId == 0 ? tr("There are no groups to write as keywords yet.")
                                  : tr("Write keywords when the current run has finished."));
        return nullptr;
    }
    auto *dialog = new KeywordsDialog(m_catalog, runId, &m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->show();
    return dialog;
}

void RunOutputs::exportTable(const QString &path)
{
    const qint64 runId = m_window.shownRun();
    if (runId == 0) {
        Q_EMIT message(tr("There are no groups to export yet."));
        return;
    }
    QString target = path;
    if (target.isEmpty()) {
        const QString suggested = QDir::home().filePath(QStringLiteral("clade-run-%1.csv").arg(runId));
        // Never over an existing file (writeRunTable refuses), so no question about replacing one.
        target = QFileDialog::getSaveFileName(&m_window, tr("Export Table"), suggested, tr("CSV table (*.csv);;JSON (*.json)"), nullptr,
                                              QFileDialog::DontConfirmOverwrite);
        if (target.isEmpty())
            return;
        if (QFileInfo(target).suffix().isEmpty())
            target += QStringLiteral(".csv");
    }
    if (!runTableFormatFor(target)) {
        const QString error = tr("A table is written as .csv or .json: %1").arg(QDir::toNativeSeparators(target));
        Q_EMIT message(error);
        Q_EMIT tableWritten(target, error);
        return;
    }
    if (!m_tableTask)
        m_tableTask = std::make_unique<BackgroundTask>();
    Q_EMIT message(tr("Writing the table…"));
    m_tableTask->start([this, target, runId, catalogPath = m_core.catalogPath()](Progress &) {
        QString error;
        if (auto catalog = Catalog::open(catalogPath); !catalog)
            error = catalog.error();
        else if (Status written = writeRunTable(**catalog, runId, target); !written)
            error = written.error();
        return [this, target, error] {
            Q_EMIT message(error.isEmpty() ? tr("Wrote the table %1").arg(QDir::toNativeSeparators(target))
                                           : tr("Cannot write the table: %1").arg(error));
            Q_EMIT tableWritten(target, error);
        };
    });
}

}   // namespace clade
