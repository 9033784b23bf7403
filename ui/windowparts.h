#pragma once
// The parts the main window is laid out from: its two views, the order of the grid and the
// banner shown while photos are grouped by look.

#include <QFrame>
#include <QLabel>

#include "domain/records.h"

#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QListView;
class QSettings;

namespace clade {

class MainWindow;
class PhotoGridModel;

constexpr int coverEdge = 56;   // a group's cover in the list
constexpr int gridEdge = 150;   // a photo in the grid

// The group list: covers with names, a drop target for photos.
QListView *makeClusterView(QWidget *parent);
// The grid: icons, several selected at once, dragged onto groups.
QListView *makePhotoView(QWidget *parent);
// The grid's orders, PhotoOrder as item data, the first (most typical) selected.
QComboBox *makePhotoOrderBox(QWidget *parent);

// The window as the user left it, in the settings (~/.config/clade/clade.conf for the app):
// geometry, K, the grid's order, whether the Problems panel is open, and the folder.
void restoreWindowState(const QSettings &settings, MainWindow &window);
void saveWindowState(QSettings &settings, const MainWindow &window);
// The folder shown last (its catalog key), or empty when it is no longer a folder.
QString rememberedFolder(const QSettings &settings);

// The bar above the grid: the search field (PhotoSearch's), the order, a file-name filter and
// "confidence below". Each change goes to the grid's model at once; rearranged() follows.
class GridBar : public QWidget
{
    Q_OBJECT

public:
    GridBar(PhotoGridModel &photos, QLineEdit *searchField, QWidget *parent);

    QComboBox *order() const { return m_order; }
    QLineEdit *filter() const { return m_filter; }
    QDoubleSpinBox *confidenceBelow() const { return m_below; }

Q_SIGNALS:
    void rearranged();

private:
    QComboBox *m_order = nullptr;
    QLineEdit *m_filter = nullptr;
    QDoubleSpinBox *m_below = nullptr;
};

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
