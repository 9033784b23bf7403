#include "problemspanel.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace clade {

namespace {

enum Column { FileColumn, StageColumn, MessageColumn, TimeColumn, ColumnCount };
constexpr int pathRole = Qt::UserRole + 1;

}   // namespace

ProblemsPanel::ProblemsPanel(QWidget *parent) : QDockWidget(tr("Problems"), parent)
{
    setObjectName(QStringLiteral("problemsPanel"));
    m_model = new QStandardItemModel(0, ColumnCount, this);
    m_model->setHorizontalHeaderLabels({tr("File"), tr("Stage"), tr("Message"), tr("When")});
    m_filtered = new QSortFilterProxyModel(this);
    m_filtered->setSourceModel(m_model);
    m_filtered->setFilterKeyColumn(-1);   // any column
    m_filtered->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filtered->setSortRole(Qt::UserRole);

    auto *body = new QWidget(this);
    m_filter = new QLineEdit(body);
    m_filter->setAccessibleName(tr("Filter problems"));
    m_filter->setPlaceholderText(tr("Filter by file, stage or message"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filtered->setFilterFixedString(text);
        updateActions();
    });
    m_count = new QLabel(body);
    m_copy = new QPushButton(tr("&Copy"), body);
    m_copy->setToolTip(tr("Copies the selected problems (all shown ones when none is selected) as tab-separated lines"));
    m_open = new QPushButton(tr("&Open Folder"), body);
    m_open->setToolTip(tr("Opens the folder of the current file in the file manager"));
    m_retry = new QPushButton(tr("&Retry"), body);
    m_retry->setToolTip(tr("Runs the folder again: every file that failed is read again, and the list shows what still fails"));
    connect(m_copy, &QPushButton::clicked, this, &ProblemsPanel::copy);
    connect(m_open, &QPushButton::clicked, this, &ProblemsPanel::openFolder);
    connect(m_retry, &QPushButton::clicked, this, &ProblemsPanel::retryRequested);

    m_view = new QTableView(body);
    m_view->setAccessibleName(tr("Files that could not be used"));
    m_view->setModel(m_filtered);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TimeColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(MessageColumn, QHeaderView::Stretch);
    m_view->setColumnWidth(FileColumn, 320);
    connect(m_view, &QTableView::doubleClicked, this, &ProblemsPanel::openFolder);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &ProblemsPanel::updateActions);

    auto *top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);
    top->addWidget(m_copy);
    top->addWidget(m_open);
    top->addWidget(m_retry);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    setWidget(body);
    updateActions();
}

void ProblemsPanel::showProblems(const std::vector<ProblemRecord> &problems)
{
    m_model->removeRows(0, m_model->rowCount());
    const QLocale locale;
    for (const ProblemRecord &p : problems) {
        const QDateTime local = p.at.toLocalTime();
        QList<QStandardItem *> row;
        row << new QStandardItem(QDir::toNativeSeparators(p.path)) << new QStandardItem(p.stage) << new QStandardItem(p.message)
            << new QStandardItem(p.at.isValid() ? locale.toString(local, QLocale::ShortFormat) : QString());
        for (int c = 0; c < ColumnCount; ++c)
            row[c]->setData(c == TimeColumn ? QVariant(p.at) : QVariant(row[c]->text()), Qt::UserRole);
        row[FileColumn]->setData(p.path, pathRole);
        row[MessageColumn]->setToolTip(p.message);
        m_model->appendRow(row);
    }
    updateActions();
}

int ProblemsPanel::problemCount() const
{
    return m_model->rowCount();
}

int ProblemsPanel::shownCount() const
{
    return m_filtered->rowCount();
}

void ProblemsPanel::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

QString ProblemsPanel::copyText() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty()) {
        for (int r = 0; r < m_filtered->rowCount(); ++r)
            rows << r;
    }
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int r : std::as_const(rows)) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            cells << m_filtered->index(r, c).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n'));
}

void ProblemsPanel::copy()
{
    QApplication::clipboard()->setText(copyText());
}

void ProblemsPanel::openFolder()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QString path = m_filtered->index(current.row(), FileColumn).data(pathRole).toString();
    QString folder = QFileInfo(path).absolutePath();
    while (!folder.isEmpty() && !QFileInfo(folder).isDir() && folder != QDir::rootPath())   // a folder that went away
        folder = QFileInfo(folder).absolutePath();
    QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

void ProblemsPanel::updateActions()
{
    // A file may have failed at several stages: files are counted, not rows.
    QSet<QString> allFiles, shownFiles;
    for (int r = 0; r < m_model->rowCount(); ++r)
        allFiles.insert(m_model->index(r, FileColumn).data(pathRole).toString());
    for (int r = 0; r < m_filtered->rowCount(); ++r)
        shownFiles.insert(m_filtered->index(r, FileColumn).data(pathRole).toString());
    const int all = m_model->rowCount();
    const int shown = m_filtered->rowCount();
    m_count->setText(shown == all ? tr("%n file(s)", nullptr, int(allFiles.size()))
                                  : tr("%1 of %2 files").arg(shownFiles.size()).arg(allFiles.size()));
    m_copy->setEnabled(shown > 0);
    m_open->setEnabled(m_view->currentIndex().isValid());
    m_retry->setEnabled(all > 0);
}

}   // namespace clade
