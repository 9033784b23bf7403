#include "windowparts.h"

#include "modelsdialog.h"
#include "photogridmodel.h"

#include "catalog/catalog.h"

#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSet>

namespace clade {

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
