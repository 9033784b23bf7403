#include "windowparts.h"

#include "mainwindow.h"
#include "modelsdialog.h"
#include "photogridmodel.h"
#include "problemspanel.h"
#include "runbar.h"

#include "catalog/catalog.h"
#include "common/paths.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSet>
#include <QSettings>

namespace clade {

namespace {

const QString folderKey = QStringLiteral("run/folder");
const QString kKey = QStringLiteral("run/k");
const QString geometryKey = QStringLiteral("window/geometry");
const QString orderKey = QStringLiteral("grid/order");
const QString problemsPanelKey = QStringLiteral("window/problemsPanel");

}   // namespace

QListView *makeClusterView(QWidget *parent)
{
    auto *view = new QListView(parent);
    view->setIconSize(QSize(coverEdge, coverEdge));
    view->setUniformItemSizes(true);
    view->setSpacing(2);
    view->setWordWrap(true);
    view->setTextElideMode(Qt::ElideRight);
    view->setMinimumWidth(200);
    view->setAcceptDrops(true);
    view->setDragDropMode(QAbstractItemView::DropOnly);
    view->setDropIndicatorShown(true);
    view->setAccessibleName(QObject::tr("Groups"));
    return view;
}

QListView *makePhotoView(QWidget *parent)
{
    auto *view = new QListView(parent);
    view->setViewMode(QListView::IconMode);
    view->setIconSize(QSize(gridEdge, gridEdge));
    view->setGridSize(QSize(gridEdge + 20, gridEdge + 34));
    view->setUniformItemSizes(true);
    view->setResizeMode(QListView::Adjust);
    view->setMovement(QListView::Static);
    view->setLayoutMode(QListView::Batched);
    view->setTextElideMode(Qt::ElideMiddle);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setMinimumWidth(2 * (gridEdge + 20) + 24);
    view->setDragEnabled(true);
    view->setDragDropMode(QAbstractItemView::DragOnly);
    view->setAccessibleName(QObject::tr("Photos of the group"));
    return view;
}

QComboBox *makePhotoOrderBox(QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setAccessibleName(QObject::tr("Order of the photos"));
    box->addItem(QObject::tr("Most typical first"), int(PhotoOrder::Typicality));
    box->addItem(QObject::tr("By date taken"), int(PhotoOrder::DateTaken));
    box->addItem(QObject::tr("By file name"), int(PhotoOrder::FileName));
    box->addItem(QObject::tr("Borderline first"), int(PhotoOrder::Borderline));
    box->setItemData(3, QObject::tr("Photos nearly as close to another group first"), Qt::ToolTipRole);
    box->addItem(QObject::tr("Least certain first"), int(PhotoOrder::LeastCertain));
    box->setItemData(4, QObject::tr("The photos the clustering was least sure of first"), Qt::ToolTipRole);
    return box;
}

void restoreWindowState(const QSettings &settings, MainWindow &window)
{
    window.restoreGeometry(settings.value(geometryKey).toByteArray());
    bool ok = false;
    if (const int k = settings.value(kKey).toInt(&ok); ok && k >= 2)
        window.runBar()->setK(k);
    QComboBox *orders = window.photoOrderBox();
    if (const int order = orders->findData(settings.value(orderKey, int(PhotoOrder::Typicality)).toInt()); order >= 0)
        orders->setCurrentIndex(order);
    window.problemsPanel()->setVisible(settings.value(problemsPanelKey, false).toBool());
}

void saveWindowState(QSettings &settings, const MainWindow &window)
{
    settings.setValue(geometryKey, window.saveGeometry());
    settings.setValue(kKey, window.runBar()->k());
    settings.setValue(orderKey, window.photoOrderBox()->currentData().toInt());
    settings.setValue(problemsPanelKey, !window.problemsPanel()->isHidden());
    if (const QString folder = catalogFolderKey(window.runBar()->folder()); QFileInfo(folder).isDir())
        settings.setValue(folderKey, folder);
}

QString rememberedFolder(const QSettings &settings)
{
    const QString remembered = settings.value(folderKey).toString();
    return QFileInfo(remembered).isDir() ? catalogFolderKey(remembered) : QString();
}

GridBar::GridBar(PhotoGridModel &photos, QLineEdit *searchField, QWidget *parent)
    : QWidget(parent), m_order(makePhotoOrderBox(this)), m_filter(new QLineEdit(this)), m_below(new QDoubleSpinBox(this))
{
    m_filter->setAccessibleName(tr("Filter the photos by file name"));
    m_filter->setPlaceholderText(tr("Filter by file name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_order, &QComboBox::currentIndexChanged, this, [this, &photos] {
        photos.setOrder(PhotoOrder(m_order->currentData().toInt()));
        Q_EMIT rearranged();
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this, &photos](const QString &text) {
        photos.setFilter(text);
        Q_EMIT rearranged();
    });
    m_below->setAccessibleName(tr("Show only photos with a confidence below"));
    m_below->setToolTip(tr("Shows only the photos the clustering was less sure of than this (1: all photos)"));
    // 0 (the special text, the start) shows every photo; 0.05 to 1 only those below.
    m_below->setRange(0.0, 1.0);
    m_below->setSingleStep(0.05);
    m_below->setDecimals(2);
    m_below->setPrefix(tr("Confidence below "));
    m_below->setSpecialValueText(tr("Any confidence"));
    m_below->setValue(0.0);
    connect(m_below, &QDoubleSpinBox::valueChanged, this, [this, &photos](double value) {
        photos.setConfidenceBelow(value <= 0.0 ? 1.0 : value);
        Q_EMIT rearranged();
    });
    auto *bar = new QHBoxLayout(this);
    bar->setContentsMargins(0, 0, 0, 0);
    searchField->setParent(this);
    bar->addWidget(searchField, 2);
    bar->addWidget(m_order);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_below);
}

NoModelBanner::NoModelBanner(bool withModelsButton, QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("noModelBanner"));
    setStyleSheet(QStringLiteral("#noModelBanner { background: #fff4ce; border: 1px solid #e6c65c; "
                                 "border-radius: 4px; } #noModelBanner QLabel { color: #3d3000; }"));
    auto *text = new QLabel(noModelBanner(), this);
    text->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(text, 1);
    if (withModelsButton) {
        auto *button = new QPushButton(tr("Download a Model…"), this);
        button->setObjectName(QStringLiteral("downloadModel"));
        button->setToolTip(tr("Downloads the default CLIP model in the background (Models › Manage Models shows it)"));
        connect(button, &QPushButton::clicked, this, &NoModelBanner::downloadRequested);
        layout->addWidget(button);
    }
}

ProblemsLabel::ProblemsLabel(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    connect(this, &QLabel::linkActivated, this, &ProblemsLabel::showPanel);
}

void ProblemsLabel::showProblems(const std::vector<ProblemRecord> &problems)
{
    if (problems.empty()) {
        clear();
        setToolTip(QString());
        return;
    }
    QSet<QString> files;   // a file may have failed at several stages
    for (const ProblemRecord &problem : problems)
        files.insert(problem.path);
    QStringList lines;
    for (const ProblemRecord &problem : problems) {
        if (lines.size() == 40)
            break;
        lines << tr("%1 (%2): %3").arg(QDir::toNativeSeparators(problem.path), problem.stage, problem.message);
    }
    setText(QStringLiteral("<a href=\"problems\">%1</a>").arg(tr("Files that could not be used: %1").arg(files.size()).toHtmlEscaped()));
    setToolTip(lines.join(QLatin1Char('\n')));
}

}   // namespace clade
