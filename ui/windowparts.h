#pragma once
// The parts the main window is laid out from: its two views, the order of the grid and the
// banner shown while photos are grouped by look.

#include <QFrame>
#include <QLabel>

#include "domain/records.h"

#include <vector>

class QComboBox;
class QListView;

namespace clade {

constexpr int coverEdge = 56;   // a group's cover in the list
constexpr int gridEdge = 150;   // a photo in the grid

// The group list: covers with names, a drop target for photos.
QListView *makeClusterView(QWidget *parent);
// The grid: icons, several selected at once, dragged onto groups.
QListView *makePhotoView(QWidget *parent);
// The grid's orders, PhotoOrder as item data, the first (most typical) selected.
QComboBox *makePhotoOrderBox(QWidget *parent);

// "No CLIP model installed — grouped by look…", with a Models… button when there is a model
// manager to open.
class NoModelBanner : public QFrame
{
    Q_OBJECT

public:
    NoModelBanner(bool withModelsButton, QWidget *parent);

Q_SIGNALS:
    void downloadRequested();
};

// The status bar's count of the files under a folder that could not be used, a link that opens
// the Problems panel (showPanel), with the first 40 (path, stage, why) in its tooltip; empty
// when there are none.
class ProblemsLabel : public QLabel
{
    Q_OBJECT

public:
    explicit ProblemsLabel(QWidget *parent);
    void showProblems(const std::vector<ProblemRecord> &problems);

Q_SIGNALS:
    void showPanel();
};

}   // namespace clade
