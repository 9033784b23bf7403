// The first GUI end to end: a real run on real JPEGs through MainWindow under the offscreen
// platform, with the real services (visual fallback: the test's XDG dirs hold no CLIP model).

#include "catalog/catalog.h"
#include "clusterlistmodel.h"
#include "groupcorrections.h"
#include "keywordsdialog.h"
#include "mainmenus.h"
#include "mainwindow.h"
#include "common/paths.h"
#include "opencv/thumbnailcache.h"
#include "photogridmodel.h"
#include "photosearch.h"
#include "photoviewer.h"
#include "problemspanel.h"
#include "previewpane.h"
#include "runbar.h"
#include "services.h"
#include "testsupport.h"
#include "vocab/wordnetvocabulary.h"

#include <QAbstractItemModelTester>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <map>
#include <memory>
#include <optional>
#include <set>

using namespace clade;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runKeepsGuiResponsiveAndFillsModels();
    void selectingClustersFillsGrid();
    void reopeningShowsLastRun();
    void renamingAGroupByKeyboard();
    void correctingGroupsWithUndoAndRedo();
    void sortingFilteringAndViewingPhotos();
    void textSearchWithClip();
    void everyActionHasKeysAndWidgetsHaveNames();
    void tableAndKeywordsFromTheFileMenu();
    void curatingUncertainPhotos();
    void cancelStopsRun();
    void missingFolderDoesNotStart();
    void unusableCatalogFails();
    void renamedGroupWithoutSuccessorIsReported();
    void cleanupTestCase();

private:
    std::unique_ptr<MainWindow> makeWindow();
    void makePhotos();
    QSet<QString> photoPaths() const;

    static constexpr int k = 4;
    QTemporaryDir m_home;
    QString m_folder;
    int m_photoCount = 0;
    std::unique_ptr<AppServices> m_services;
    std::unique_ptr<AppCore> m_core;   // one worker for every window, as in the app
    std::unique_ptr<Catalog> m_catalog;
    std::unique_ptr<ThumbnailCache> m_thumbnails;
    qint64 m_firstRun = 0;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_home.isValid());
    // Keep the user's catalog, caches and installed models out of the test.
    qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CACHE_HOME", m_home.filePath(QStringLiteral("cache")).toUtf8());
    makePhotos();
    QVERIFY(m_photoCount >= 3 * k);

    // k-means keeps this test about the GUI and quick; the methods have tests of their own.
    ServiceOptions options;
    options.method = QStringLiteral("kmeans");
    auto services = makeServices(options);
    QVERIFY2(services.ok(), qPrintable(services.ok() ? QString() : services.error()));
    m_services = std::make_unique<AppServices>(std::move(services.value()));
    auto catalog = Catalog::open(m_home.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error()));
    m_catalog = std::move(catalog.value());
    m_core = std::make_unique<AppCore>(m_catalog->path(), m_services->decoder.get(), m_services->metadata.get());
    QSignalSpy loaded(m_core.get(), &AppCore::engineChanged);
    m_core->loadEngine([options] { return makeEngine(options); });
    QVERIFY(loaded.wait(30000));
    QVERIFY(m_core->engine().loaded);
    QVERIFY(!m_core->engine().semantic);
    m_thumbnails = std::make_unique<ThumbnailCache>(*m_services->decoder, m_home.filePath(QStringLiteral("thumbs")));
}

void TestMainWindow::cleanupTestCase()
{
    m_thumbnails.reset();
    m_core.reset();
    m_catalog.reset();
    m_services.reset();
}

// 30 photographs from labeled-dev (10 of 3 classes) when ../shared is there, else 24 JPEGs
// written here in 3 colour families.
void TestMainWindow::makePhotos()
{
    m_folder = m_home.filePath(QStringLiteral("photos"));
    QVERIFY(QDir().mkpath(m_folder));
    const QString shared = test::sharedData(QStringLiteral("labeled-dev"));
    if (!shared.isEmpty()) {
        for (const QString &label : {QStringLiteral("church"), QStringLiteral("golf_ball"), QStringLiteral("tench")}) {
            QDir source(shared + QLatin1Char('/') + label);
            const QStringList files = source.entryList({QStringLiteral("*.JPEG")}, QDir::Files, QDir::Name).mid(0, 10);
            for (const QString &file : files)
                QVERIFY(QFile::copy(source.filePath(file), m_folder + QLatin1Char('/') + label + QLatin1Char('-') + file));
            m_photoCount += int(files.size());
        }
        return;
    }
    const QColor bases[] = {QColor(200, 40, 30), QColor(30, 140, 60), QColor(40, 60, 200)};
    for (int family = 0; family < 3; ++family) {
        for (int variant = 0; variant < 8; ++variant) {
            const QString path = QStringLiteral("%1/p%2-%3.jpg").arg(m_folder).arg(family).arg(variant);
            QVERIFY(test::writeJpeg(path, 320, 240, bases[family], 90, variant));
            ++m_photoCount;
        }
    }
}

QSet<QString> TestMainWindow::photoPaths() const
{
    QSet<QString> paths;
    QDirIterator it(m_folder, QDir::Files);
    while (it.hasNext())
        paths.insert(QDir::cleanPath(QFileInfo(it.next()).absoluteFilePath()));
    return paths;
}

std::unique_ptr<MainWindow> TestMainWindow::makeWindow()
{
    MainWindowContext context;
    context.catalog = m_catalog.get();
    context.core = m_core.get();
    context.decoder = m_services->decoder.get();
    context.thumbnails = m_thumbnails.get();
    return std::make_unique<MainWindow>(context);
}

void TestMainWindow::runKeepsGuiResponsiveAndFillsModels()
{
    auto window = makeWindow();
    QAbstractItemModelTester clusterTester(window->clusterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester photoTester(window->photoModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->openFolder(m_folder);
    QCOMPARE(window->shownRun(), 0);
    window->setK(k);

    // A timer on the GUI thread must keep firing while the worker runs.
    int ticksWhileRunning = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] { ticksWhileRunning += window->core()->isRunning(); });
    ticker.start(5);
    QSignalSpy finished(window->core(), &AppCore::runFinished);
    QSignalSpy failed(window->core(), &AppCore::runFailed);
    QSignalSpy progress(window->core(), &AppCore::runProgress);
    QVERIFY(window->startRun());
    QVERIFY(window->core()->isRunning());
    QVERIFY(!window->startRun());   // one run at a time
    QVERIFY(finished.wait(120000));
    ticker.stop();
    QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
    QVERIFY(ticksWhileRunning > 0);
    QVERIFY(!progress.isEmpty());

    m_firstRun = finished.first().first().toLongLong();
    QCOMPARE(window->shownRun(), m_firstRun);
    ClusterListModel *clusters = window->clusterModel();
    QCOMPARE(clusters->rowCount(), k);
    int total = 0;
    for (int row = 0; row < clusters->rowCount(); ++row) {
        const QModelIndex index = clusters->index(row);
        QVERIFY(!index.data(ClusterListModel::NameRole).toString().isEmpty());
        total += index.data(ClusterListModel::SizeRole).toInt();
    }
    QCOMPARE(total, m_photoCount);
}

void TestMainWindow::selectingClustersFillsGrid()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    QAbstractItemModelTester photoTester(window->photoModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->openFolder(m_folder);
    QCOMPARE(window->shownRun(), m_firstRun);

    // Every photo of the folder is in exactly one cluster.
    window->photoModel()->setCollapseBursts(false);   // each member on a row of its own
    QSet<QString> seen;
    int members = 0;
    for (int row = 0; row < window->clusterModel()->rowCount(); ++row) {
        window->clusterView()->setCurrentIndex(window->clusterModel()->index(row));
        QTRY_VERIFY(!window->loadingGroup());   // the members are read off the GUI thread
        PhotoGridModel *photos = window->photoModel();
        QCOMPARE(photos->rowCount(), window->clusterModel()->index(row).data(ClusterListModel::SizeRole).toInt());
        for (int i = 0; i < photos->rowCount(); ++i)
            seen.insert(photos->index(i).data(PhotoGridModel::PathRole).toString());
        members += photos->rowCount();
    }
    QCOMPARE(members, m_photoCount);
    QCOMPARE(seen, photoPaths());

    // The grid's thumbnails and the preview arrive asynchronously.
    window->clusterView()->setCurrentIndex(window->clusterModel()->index(0));
    QTRY_VERIFY(!window->loadingGroup());   // the members are read off the GUI thread
    const QModelIndex first = window->photoModel()->index(0);
    QTRY_VERIFY_WITH_TIMEOUT(first.data(PhotoGridModel::ThumbnailReadyRole).toBool(), 30000);
    const QPixmap thumbnail = first.data(Qt::DecorationRole).value<QPixmap>();
    QVERIFY(!thumbnail.isNull());
    QVERIFY(thumbnail.width() <= window->photoView()->iconSize().width());
    QTRY_VERIFY_WITH_TIMEOUT(!window->previewPane()->isLoading(), 30000);
    QCOMPARE(window->previewPane()->shownPath(), first.data(PhotoGridModel::PathRole).toString());
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);
}

void TestMainWindow::reopeningShowsLastRun()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    QAbstractItemModelTester clusterTester(window->clusterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window->openFolder(QString());   // what the app does when started without a folder
    QCOMPARE(window->shownRun(), m_firstRun);
    QCOMPARE(window->clusterModel()->rowCount(), k);
    QTRY_VERIFY(window->photoModel()->rowCount() > 0);   // the first cluster is selected
}

// Group › Rename opens the name for editing; typing and Enter stores the user's name in the
// catalog (a recorded correction) and shows it; an empty name gives the computed one back.
void TestMainWindow::renamingAGroupByKeyboard()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    QAbstractItemModelTester clusterTester(window->clusterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window->show();
    QApplication::setActiveWindow(window.get());   // the editor commits on Return only while it keeps the focus
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    window->openFolder(m_folder);
    QCOMPARE(window->shownRun(), m_firstRun);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);   // covers and preview arrive first
    const int row = 1;
    window->clusterView()->setCurrentIndex(window->clusterModel()->index(row));
    QTRY_VERIFY(!window->loadingGroup());   // the members are read off the GUI thread
    const QString computed = window->clusterModel()->index(row).data(ClusterListModel::NameRole).toString();
    const int clusterIndex = window->clusterModel()->clusterIndex(row);

    const auto renameTo = [&](const QString &text) {
        auto *action = window->findChild<QAction *>(QStringLiteral("renameGroup"));
        QVERIFY(action);
        action->trigger();
        QLineEdit *editor = nullptr;
        QTRY_VERIFY((editor = window->clusterView()->findChild<QLineEdit *>()) != nullptr);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(editor));   // editing, not a closing editor
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
    };
    renameTo(QStringLiteral("Harbour walks"));
    QTRY_COMPARE(window->clusterModel()->index(row).data(ClusterListModel::NameRole).toString(), QStringLiteral("Harbour walks"));
    QCOMPARE(window->clusterView()->currentIndex().row(), row);
    const auto stored = m_catalog->runs().clusters(m_firstRun).value();
    QCOMPARE(stored[std::size_t(clusterIndex)].userName, QStringLiteral("Harbour walks"));
    QCOMPARE(m_catalog->corrections().list(m_firstRun).value().back().kind, CorrectionKind::Rename);

    renameTo(QString());
    QTRY_COMPARE(window->clusterModel()->index(row).data(ClusterListModel::NameRole).toString(), computed);
    QVERIFY(m_catalog->runs().clusters(m_firstRun).value()[std::size_t(clusterIndex)].userName.isEmpty());

    // An edit still queued when the window shows something else names nothing, and says so.
    QVERIFY(window->clusterModel()->setData(window->clusterModel()->index(row), QStringLiteral("Too late"), Qt::EditRole));
    const QString empty = m_home.filePath(QStringLiteral("not-grouped-yet"));
    QVERIFY(QDir().mkpath(empty));
    window->openFolder(empty);
    QCOMPARE(window->shownRun(), 0);
    QTRY_COMPARE(window->statusBar()->currentMessage(), QStringLiteral("Cannot rename the group: it is not shown any more."));
    QVERIFY(m_catalog->runs().clusters(m_firstRun).value()[std::size_t(clusterIndex)].userName.isEmpty());
}

// Corrections in the GUI on the stored run: photos dragged from the grid onto another group, a
// lock by keyboard, a new group, a merge and a split; each is in the catalog at once, and the
// Edit menu's Undo and Redo (by keyboard) put back the state before and after.
void TestMainWindow::correctingGroupsWithUndoAndRedo()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    QAbstractItemModelTester clusterTester(window->clusterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window->show();
    QApplication::setActiveWindow(window.get());
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    window->openFolder(m_folder);
    QCOMPARE(window->shownRun(), m_firstRun);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);
    const auto original = m_catalog->runs().assignments(m_firstRun).value();
    const auto groupOf = [&](qint64 photo) {
        for (const AssignmentRecord &a : m_catalog->runs().assignments(m_firstRun).value())
            if (a.photoId == photo)
                return std::pair{a.clusterIndex, a.manual};
        return std::pair{-1, false};
    };

    // Drag two photos of the first group onto the second.
    window->clusterView()->setCurrentIndex(window->clusterModel()->index(0));
    QTRY_VERIFY(!window->loadingGroup());   // the members are read off the GUI thread
    const int from = window->currentGroup();
    QVERIFY(window->photoModel()->rowCount() >= 2);
    window->photoView()->selectionModel()->select(window->photoModel()->index(0), QItemSelectionModel::ClearAndSelect);
    window->photoView()->selectionModel()->select(window->photoModel()->index(1), QItemSelectionModel::Select);
    const QList<qint64> dragged = window->selectedPhotos();
    QCOMPARE(dragged.size(), 2);
    std::unique_ptr<QMimeData> data(window->photoModel()->mimeData({window->photoModel()->index(0), window->photoModel()->index(1)}));
    QVERIFY(data);
    const QModelIndex target = window->clusterModel()->index(1);
    const int to = window->clusterModel()->clusterIndex(1);
    QVERIFY(!window->clusterModel()->canDropMimeData(data.get(), Qt::MoveAction, 1, 0, {}));   // between groups: no
    QVERIFY(window->clusterModel()->dropMimeData(data.get(), Qt::MoveAction, -1, -1, target));
    QTRY_COMPARE(groupOf(dragged[0]), (std::pair{to, true}));
    QCOMPARE(groupOf(dragged[1]), (std::pair{to, true}));
    QCOMPARE(m_catalog->corrections().list(m_firstRun).value().back().kind, CorrectionKind::Move);

    QTRY_VERIFY(!window->isBusy());   // the worker's answer is in: the step is on the stack
    QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(groupOf(dragged[0]), (std::pair{from, false}));
    QTRY_VERIFY(!window->isBusy());
    QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(groupOf(dragged[0]), (std::pair{to, true}));
    QTRY_VERIFY(!window->isBusy());

    // Lock the selected group by keyboard; the list says so.
    window->clusterView()->setCurrentIndex(window->clusterModel()->index(0));
    QTRY_VERIFY(!window->loadingGroup());   // the members are read off the GUI thread
    const int locked = window->currentGroup();
    QTest::keyClick(window.get(), Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(!window->isBusy());
    QVERIFY(m_catalog->runs().clusters(m_firstRun).value()[std::size_t(locked)].locked);
    const int lockedRow = window->clusterModel()->rowOfCluster(locked);
    QVERIFY(window->clusterModel()->index(lockedRow).data(Qt::DisplayRole).toString().contains(QStringLiteral("locked")));
    QVERIFY(window->findChild<QAction *>(QStringLiteral("lockGroup"))->isChecked());

    // A new group, a merge of the second group into it, then a split of it.
    GroupCorrections *corrections = window->corrections();
    QSignalSpy messages(corrections, &GroupCorrections::message);
    const int rowsBefore = window->clusterModel()->rowCount();
    QVERIFY(corrections->createGroup(QStringLiteral("Keepers")));
    QTRY_VERIFY(!window->isBusy());
    QCOMPARE(window->clusterModel()->rowCount(), rowsBefore + 1);
    const int fresh = window->currentGroup();   // the new group is selected
    QVERIFY(fresh >= 0);
    QCOMPARE(window->clusterModel()->index(window->clusterModel()->rowOfCluster(fresh)).data(ClusterListModel::NameRole).toString(),
             QStringLiteral("Keepers"));
    QVERIFY(corrections->mergeGroup(to, fresh));
    QTRY_VERIFY(!window->isBusy());
    QCOMPARE(window->clusterModel()->rowCount(), rowsBefore);   // the merged group is gone from the list
    QCOMPARE(groupOf(dragged[0]).first, fresh);
    QCOMPARE(window->currentGroup(), fresh);   // shown after the correction, grid included
    QCOMPARE(window->photoModel()->rowCount(), int(m_catalog->runs().members(m_firstRun, fresh).value().size()));
    QVERIFY(corrections->splitGroup(fresh, 2));   // k-means on the worker, not on this thread
    QTRY_VERIFY(!window->isBusy());
    QCOMPARE(window->clusterModel()->rowCount(), rowsBefore + 1);
    messages.clear();
    QVERIFY(corrections->mergeGroup(fresh, fresh));   // sent, and refused by the worker; nothing pushed
    QTRY_VERIFY(!window->isBusy());
    QCOMPARE(messages.size(), 1);
    QVERIFY2(messages.first().first().toString().startsWith(QStringLiteral("Cannot correct the groups")),
             qPrintable(messages.first().first().toString()));
    QCOMPARE(window->undoStack()->count(), 5);   // move, lock, new group, merge, split
    QCOMPARE(window->undoStack()->index(), 5);

    // Undo everything by keyboard: the run is as the clustering left it.
    for (int i = 0; i < 5; ++i) {
        QTest::keyClick(window.get(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY(!window->isBusy());
    }
    QCOMPARE(window->undoStack()->index(), 0);
    const auto undone = m_catalog->runs().assignments(m_firstRun).value();
    QCOMPARE(undone.size(), original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        QCOMPARE(undone[i].clusterIndex, original[i].clusterIndex);
        QCOMPARE(undone[i].manual, original[i].manual);
    }
    QCOMPARE(window->clusterModel()->rowCount(), rowsBefore);
    for (const ClusterRecord &c : m_catalog->runs().clusters(m_firstRun).value())
        QVERIFY(!c.locked);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);
}

// The grid's order and filter, and the large viewer with keyboard navigation.
void TestMainWindow::sortingFilteringAndViewingPhotos()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    window->show();
    QApplication::setActiveWindow(window.get());
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    window->openFolder(m_folder);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);
    // The largest group.
    int largest = 0;
    for (int row = 0; row < window->clusterModel()->rowCount(); ++row)
        if (window->clusterModel()->index(row).data(ClusterListModel::SizeRole).toInt()
            > window->clusterModel()->index(largest).data(ClusterListModel::SizeRole).toInt())
            largest = row;
    window->clusterView()->setCurrentIndex(window->clusterModel()->index(largest));
    QTRY_VERIFY(!window->loadingGroup());   // the members are read off the GUI thread
    PhotoGridModel *grid = window->photoModel();
    const int total = grid->rowCount();
    QVERIFY(total >= 3);
    const auto names = [grid] {
        QStringList out;
        for (int row = 0; row < grid->rowCount(); ++row)
            out << grid->index(row).data(Qt::DisplayRole).toString();
        return out;
    };

    window->photoOrderBox()->setCurrentIndex(window->photoOrderBox()->findData(int(PhotoOrder::FileName)));
    QStringList sorted = names();
    QStringList expected = sorted;
    std::sort(expected.begin(), expected.end(), [](const QString &a, const QString &b) { return QString::localeAwareCompare(a, b) < 0; });
    QCOMPARE(sorted, expected);
    QCOMPARE(window->photoView()->currentIndex().row(), 0);

    // Filter on the start of the last name: fewer rows, all matching; clearing brings all back.
    const QString part = sorted.last().left(std::min<qsizetype>(8, sorted.last().size()));
    QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(window->photoFilter()));
    QTest::keyClicks(window->photoFilter(), part);
    QVERIFY(grid->rowCount() >= 1 && grid->rowCount() <= total);
    for (const QString &name : names())
        QVERIFY2(name.contains(part, Qt::CaseInsensitive), qPrintable(name));
    QCOMPARE(grid->totalCount(), total);
    window->photoFilter()->clear();
    QCOMPARE(grid->rowCount(), total);

    // Enter on the grid opens the viewer; Right, End and Left move it and the grid with it.
    window->photoView()->setFocus();
    window->photoView()->setCurrentIndex(grid->index(0));
    QTest::keyClick(window->photoView(), Qt::Key_Return);
    QPointer<PhotoViewer> viewer = window->findChild<PhotoViewer *>();
    QVERIFY(viewer);
    QCOMPARE(viewer->row(), 0);
    QTest::keyClick(viewer, Qt::Key_Right);
    QCOMPARE(viewer->row(), 1);
    QCOMPARE(window->photoView()->currentIndex().row(), 1);
    QTest::keyClick(viewer, Qt::Key_End);
    QCOMPARE(viewer->row(), total - 1);
    QTest::keyClick(viewer, Qt::Key_Right);   // stays on the last
    QCOMPARE(viewer->row(), total - 1);
    QTest::keyClick(viewer, Qt::Key_Left);
    QCOMPARE(viewer->row(), total - 2);
    QTRY_VERIFY_WITH_TIMEOUT(!viewer->pane()->isLoading(), 30000);
    QCOMPARE(viewer->pane()->shownPath(), grid->photo(total - 2)->path);
    QTest::keyClick(viewer, Qt::Key_Escape);
    QTRY_VERIFY(viewer.isNull());

    // Diagnostics arrive off the GUI thread: cohesion per group, margins per photo, and the
    // "borderline first" order sorts by margin.
    QTRY_VERIFY_WITH_TIMEOUT(window->clusterModel()->hasDiagnostics(), 30000);
    for (int row = 0; row < window->clusterModel()->rowCount(); ++row) {
        const QModelIndex group = window->clusterModel()->index(row);
        if (group.data(ClusterListModel::SizeRole).toInt() == 0)
            continue;
        const double cohesion = group.data(ClusterListModel::CohesionRole).toDouble();
        QVERIFY2(cohesion > 0 && cohesion <= 1.0001, qPrintable(QString::number(cohesion)));
        QVERIFY(group.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Cohesion")));
    }
    window->photoOrderBox()->setCurrentIndex(window->photoOrderBox()->findData(int(PhotoOrder::Borderline)));
    QCOMPARE(grid->rowCount(), total);
    for (int row = 1; row < grid->rowCount(); ++row)
        QVERIFY(grid->index(row - 1).data(PhotoGridModel::MarginRole).toFloat()
                <= grid->index(row).data(PhotoGridModel::MarginRole).toFloat());
    QVERIFY(grid->index(0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Typicality")));
    window->photoOrderBox()->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);

    // Without a CLIP model search is off and says why, "more like this" included.
    QVERIFY(!window->searchField()->isEnabled());
    QVERIFY(window->searchField()->toolTip().contains(QStringLiteral("CLIP")));
    QVERIFY(!window->search()->searchText(QStringLiteral("a church")));
    QVERIFY(!window->search()->moreLikeThisPhoto());
    QVERIFY(!window->search()->moreLikeThisGroup());
    QCOMPARE(grid->rowCount(), total);   // the group is still shown
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);
}

// Text search in the window with a CLIP model (the tiny parity model of ../shared): a run made
// with it is searched by description, best first in the grid.
void TestMainWindow::textSearchWithClip()
{
    CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/weights.safetensors");
    const QString models = m_home.filePath(QStringLiteral("data/clade/models"));
    QVERIFY(QDir().mkpath(models));
    const QString vocab = models + QStringLiteral("/bpe_simple_vocab_16e6.txt.gz");
    QVERIFY(QFileInfo::exists(vocab) || QFile::copy(test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")), vocab));
    ServiceOptions options;
    options.modelPath = test::sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights.safetensors"));
    options.method = QStringLiteral("kmeans");
    auto services = makeServices(options);
    if (!services && services.error().contains(QStringLiteral("libtorch")))
        QSKIP("this build has no libtorch");
    QVERIFY2(services.ok(), qPrintable(services.ok() ? QString() : services.error()));
    QVERIFY(services->engine.encodeText);
    auto catalog = Catalog::open(m_home.filePath(QStringLiteral("clip-catalog.sqlite")));
    QVERIFY(catalog.ok());
    AppCore core((*catalog)->path(), services->decoder.get(), services->metadata.get());
    auto engine = std::make_shared<Engine>(std::move(services->engine));
    core.loadEngine([engine] { return Result<Engine>(std::move(*engine)); });
    MainWindowContext context;
    context.catalog = catalog->get();
    context.core = &core;
    context.decoder = services->decoder.get();
    context.thumbnails = m_thumbnails.get();
    QSettings settings(m_home.filePath(QStringLiteral("clip.conf")), QSettings::IniFormat);
    context.settings = &settings;
    context.reloadEngine = [options](const VocabularyChoice &vocabulary) {
        ServiceOptions chosen = options;
        chosen.vocabulary = vocabulary;
        return makeEngine(chosen);
    };
    MainWindow window(context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.searchField()->isEnabled());   // once the worker has the model
    window.openFolder(m_folder);
    window.setK(3);
    QSignalSpy finished(&core, &AppCore::runFinished);
    QVERIFY(window.startRun());
    PhotoSearch *search = window.search();
    QVERIFY(!search->searchText(QStringLiteral("a church")));   // not while the run works
    QVERIFY(finished.wait(120000));
    QTRY_VERIFY(!window.isBusy());
    QSignalSpy found(search, &PhotoSearch::found);
    QSignalSpy messages(search, &PhotoSearch::message);
    QVERIFY(search->searchText(QStringLiteral("a church")));
    QTRY_VERIFY(!window.isBusy());
    QVERIFY2(messages.isEmpty(), qPrintable(messages.isEmpty() ? QString() : messages.first().first().toString()));
    QCOMPARE(found.size(), 1);
    QVERIFY(window.photoModel()->totalCount() >= 1 && window.photoModel()->totalCount() <= m_photoCount);   // cut adaptively
    QCOMPARE(window.currentGroup(), -1);   // the grid belongs to no group now

    // More like this: from a photo (itself first) and from a group's centre.
    window.photoView()->setCurrentIndex(window.photoModel()->index(2));
    const qint64 chosen = window.photoModel()->photo(2)->id;
    QVERIFY(search->moreLikeThisPhoto());
    QTRY_VERIFY(!window.isBusy());
    QVERIFY(window.photoModel()->photosOfRow(0).contains(chosen));
    QVERIFY(window.photoModel()->totalCount() >= 1 && window.photoModel()->totalCount() <= m_photoCount);   // cut adaptively
    window.clusterView()->setCurrentIndex(window.clusterModel()->index(0));
    QTRY_VERIFY(!window.loadingGroup());   // the members are read off the GUI thread
    QVERIFY(search->moreLikeThisGroup());
    QTRY_VERIFY(!window.isBusy());
    QVERIFY(window.photoModel()->totalCount() >= 1 && window.photoModel()->totalCount() <= m_photoCount);   // cut adaptively
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 30000);

    // Another vocabulary (Clustering Settings): the shown groups are named again from it,
    // without grouping again (the same members), in the list as in the catalog.
    auto tagged = wordNetNouns(defaultWordNetDir(), VocabularyKind::Tagged);
    QVERIFY(tagged.ok() && tagged->size() > 1500);
    const QStringList words = tagged->mid(1000, 400);
    const QString list = m_home.filePath(QStringLiteral("words.txt"));
    QFile file(list);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(words.join(QLatin1Char('\n')).toUtf8());
    file.close();
    const auto sizesBefore = [&] {
        std::vector<int> sizes;
        for (const ClusterRecord &c : (*catalog)->runs().clusters(window.shownRun()).value())
            sizes.push_back(c.size);
        return sizes;
    }();
    settings.setValue(QStringLiteral("vocabulary/source"), list);
    std::optional<Result<std::vector<ClusterRecord>>> result;
    connect(&core, &AppCore::renamed, this,
            [&result](quint64, qint64, const Result<std::vector<ClusterRecord>> &clusters) { result = clusters; });
    window.menus()->useVocabulary();
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 120000);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error()));
    QTRY_VERIFY(!window.isBusy());
    std::vector<int> sizesAfter;
    const std::vector<ClusterRecord> named = (*catalog)->runs().clusters(window.shownRun()).value();
    for (const ClusterRecord &c : named) {
        sizesAfter.push_back(c.size);
        QVERIFY(!c.nameScores.empty());
        for (const NameScore &n : c.nameScores)
            QVERIFY2(words.contains(n.noun), qPrintable(n.noun));
        QVERIFY2(c.name.contains(c.nameScores.front().noun), qPrintable(c.name));
    }
    QCOMPARE(sizesAfter, sizesBefore);
    const QString shown = window.clusterModel()->index(0).data(ClusterListModel::NameRole).toString();
    QCOMPARE(shown, named[std::size_t(window.clusterModel()->clusterIndex(0))].name);   // the list shows the new names
}

// Keyboard and screen readers: every menu action has a mnemonic or a shortcut, no two share a
// shortcut, and every input and view of the window has an accessible name (its own or its
// label's).
void TestMainWindow::everyActionHasKeysAndWidgetsHaveNames()
{
    auto window = makeWindow();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QSet<QString> shortcuts;
    for (QAction *menu : window->menuBar()->actions()) {
        QVERIFY2(menu->text().contains(QLatin1Char('&')), qPrintable(menu->text()));
        for (QAction *action : menu->menu()->actions()) {
            if (action->isSeparator())
                continue;
            QVERIFY2(action->text().contains(QLatin1Char('&')) || !action->shortcut().isEmpty(), qPrintable(action->text()));
            for (const QKeySequence &keys : action->shortcuts()) {
                const QString text = keys.toString();
                QVERIFY2(!shortcuts.contains(text), qPrintable(text + QLatin1String(" is used twice")));
                shortcuts.insert(text);
            }
        }
    }
    QList<QWidget *> inputs;
    for (QWidget *w : window->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(window.get()) || qobject_cast<QAbstractSpinBox *>(w->parentWidget()))
            continue;
        if (qobject_cast<QAbstractItemView *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)
            || qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QProgressBar *>(w))
            inputs << w;
    }
    QVERIFY(inputs.size() >= 7);
    for (QWidget *w : std::as_const(inputs)) {
        QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w);
        QVERIFY(a);
        QVERIFY2(!a->text(QAccessible::Name).trimmed().isEmpty(), w->metaObject()->className());
    }
}

// File › Export Table writes the shown run (every photo, its group) off the GUI thread and never
// over an existing file; File › Write Keywords opens the keyword dialog for the shown run.
void TestMainWindow::tableAndKeywordsFromTheFileMenu()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    window->openFolder(m_folder);
    QCOMPARE(window->shownRun(), m_firstRun);
    QVERIFY(window->findChild<QAction *>(QStringLiteral("exportTable")));
    QVERIFY(window->findChild<QAction *>(QStringLiteral("writeKeywords")));
    QSignalSpy written(window.get(), &MainWindow::tableWritten);
    const QString table = m_home.filePath(QStringLiteral("run.csv"));
    window->exportTable(table);
    QVERIFY(written.wait(30000));
    QCOMPARE(written.last().at(1).toString(), QString());
    QFile csv(table);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    const auto members = m_catalog->runs().assignments(m_firstRun);
    QVERIFY(members.ok());
    QCOMPARE(lines.size(), qsizetype(members->size()) + 1);   // a header and one row per photo
    csv.close();
    const QByteArray before = [&] {
        QFile f(table);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    window->exportTable(table);   // exists now: refused, and left as it is
    QVERIFY(written.wait(30000));
    QVERIFY2(!written.last().at(1).toString().isEmpty(), "a second write over the table was not refused");
    QFile again(table);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), before);
    const qsizetype said = written.size();
    window->exportTable(m_home.filePath(QStringLiteral("run.txt")));   // refused at once
    QCOMPARE(written.size(), said + 1);
    QVERIFY(written.last().at(1).toString().contains(QStringLiteral(".csv or .json")));

    // Tools › Problems shows and hides the Problems panel.
    QAction *problems = nullptr;
    for (QAction *a : window->findChildren<QAction *>()) {
        if (a->text() == QStringLiteral("&Problems"))
            problems = a;
    }
    QVERIFY(problems);
    window->show();
    QVERIFY(!window->problemsPanel()->isVisible());
    problems->trigger();
    QVERIFY(window->problemsPanel()->isVisible());
    problems->trigger();
    QVERIFY(!window->problemsPanel()->isVisible());

    KeywordsDialog *keywords = window->showKeywords();
    QVERIFY(keywords);
    QVERIFY(keywords->statusText().contains(QStringLiteral("%1 photo").arg(members->size())));
    keywords->close();
}

// Uncertain photos: the clustering's confidence in the grid (a mark on the thumbnail, the
// tooltip), ordered least certain first, filtered below a value, and Edit › Next Uncertain
// walking the run's queue across groups. Three photos of two groups are made uncertain in the
// catalog for this; the run's confidences are put back at the end.
void TestMainWindow::curatingUncertainPhotos()
{
    QVERIFY(m_firstRun > 0);
    const std::vector<AssignmentRecord> original = m_catalog->runs().assignments(m_firstRun).value();
    const auto setConfidence = [&](qint64 photo, double confidence) {
        return m_catalog->exec(QStringLiteral("UPDATE assignments SET confidence = %1 WHERE run_id = %2 AND photo_id = %3")
                                   .arg(confidence)
                                   .arg(m_firstRun)
                                   .arg(photo));
    };
    std::map<int, std::vector<qint64>> byGroup;
    for (const AssignmentRecord &a : original)
        byGroup[a.clusterIndex].push_back(a.photoId);
    QVERIFY(byGroup.size() >= 2 && byGroup.begin()->second.size() >= 2);
    const qint64 first = byGroup.begin()->second[0], second = byGroup.begin()->second[1], third = std::next(byGroup.begin())->second[0];
    for (const AssignmentRecord &a : original)
        QVERIFY(setConfidence(a.photoId, 0.9));
    QVERIFY(setConfidence(first, 0.1) && setConfidence(second, 0.3) && setConfidence(third, 0.2));

    auto window = makeWindow();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->openFolder(m_folder);
    QCOMPARE(window->shownRun(), m_firstRun);
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);   // members, covers and diagnostics
    PhotoGridModel *grid = window->photoModel();
    grid->setCollapseBursts(false);   // one row per photo: the photo selected is the one visited
    const int groupRow = window->clusterModel()->rowOfCluster(byGroup.begin()->first);
    window->clusterView()->setCurrentIndex(window->clusterModel()->index(groupRow));
    QTRY_VERIFY(!window->loadingGroup());

    // The tooltip and the role say it; the order puts the two uncertain ones first.
    const int firstRow = grid->rowOfPhoto(first);
    QVERIFY(firstRow >= 0);
    QCOMPARE(grid->index(firstRow).data(PhotoGridModel::ConfidenceRole).toFloat(), 0.1f);
    QVERIFY2(grid->index(firstRow).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Confidence 0.10: uncertain")),
             qPrintable(grid->index(firstRow).data(Qt::ToolTipRole).toString()));
    window->photoOrderBox()->setCurrentIndex(window->photoOrderBox()->findData(int(PhotoOrder::LeastCertain)));
    QCOMPARE(grid->photo(0)->id, first);
    QCOMPARE(grid->photo(1)->id, second);
    // The mark: an amber badge in the thumbnail's top right corner, on the uncertain only.
    const auto badge = [&](int row) {
        const QPixmap pixmap = grid->index(row).data(Qt::DecorationRole).value<QPixmap>();
        const qreal edge = std::max<qreal>(12, std::min(pixmap.width(), pixmap.height()) / 7.0);
        // Left of the badge's centre, clear of the "?" drawn in its middle.
        return QColor(pixmap.toImage().pixel(int(pixmap.width() - 3 - edge * 0.8), int(3 + edge / 2)));
    };
    QTRY_VERIFY_WITH_TIMEOUT(grid->index(0).data(PhotoGridModel::ThumbnailReadyRole).toBool(), 30000);
    const QColor marked = badge(0);
    QVERIFY2(marked.red() > 200 && marked.green() > 150 && marked.blue() < 80, qPrintable(marked.name()));
    // Under the mark is the photo, not the grey placeholder shown before it arrived.
    const QImage shown = grid->index(0).data(Qt::DecorationRole).value<QPixmap>().toImage();
    QSet<QRgb> colours;
    for (int x = 0; x < shown.width(); x += 4)
        colours.insert(shown.pixel(x, shown.height() * 2 / 3));
    QVERIFY2(colours.size() > 5, qPrintable(QString::number(colours.size())));
    const int certain = grid->rowCount() - 1;
    QTRY_VERIFY_WITH_TIMEOUT(grid->index(certain).data(PhotoGridModel::ThumbnailReadyRole).toBool(), 30000);
    QVERIFY(badge(certain) != QColor(255, 196, 0));

    // Below 0.5: the two uncertain photos of this group only.
    window->confidenceFilter()->setValue(0.5);
    QCOMPARE(grid->rowCount(), 2);
    window->confidenceFilter()->setValue(0.0);   // any confidence
    QCOMPARE(grid->totalCount(), int(byGroup.begin()->second.size()));

    // Next Uncertain: the queue is the run's uncertain and borderline photos, each visited once
    // before it comes round again, crossing into the other group.
    std::set<qint64> queue{first, second, third};
    for (const AssignmentRecord &a : original)
        if (grid->isBorderline(a.photoId))
            queue.insert(a.photoId);
    QAction *next = window->findChild<QAction *>(QStringLiteral("nextUncertain"));
    QVERIFY(next);
    QCOMPARE(next->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_U));
    std::set<qint64> visited;
    for (std::size_t step = 0; step < queue.size(); ++step) {
        next->trigger();
        QTRY_VERIFY(!window->loadingGroup());
        const PhotoRecord *current = grid->photo(window->photoView()->currentIndex().row());
        QVERIFY(current);
        QVERIFY2(queue.count(current->id), qPrintable(current->path));
        visited.insert(current->id);
    }
    QCOMPARE(visited, queue);

    for (const AssignmentRecord &a : original)
        QVERIFY(setConfidence(a.photoId, a.confidence));
}

void TestMainWindow::cancelStopsRun()
{
    QVERIFY(m_firstRun > 0);
    auto window = makeWindow();
    window->openFolder(m_folder);
    window->setK(k + 1);
    QSignalSpy finished(window->core(), &AppCore::runFinished);
    QSignalSpy cancelled(window->core(), &AppCore::runCancelled);
    QSignalSpy failed(window->core(), &AppCore::runFailed);
    // A run on an already embedded folder can finish within milliseconds; holding the write
    // lock until the cancel is in keeps the worker from storing a finished run first.
    QVERIFY(m_catalog->exec(QStringLiteral("BEGIN IMMEDIATE")).ok());
    QVERIFY(window->startRun());
    window->core()->cancelRun();
    QVERIFY(m_catalog->exec(QStringLiteral("COMMIT")).ok());
    QTRY_VERIFY_WITH_TIMEOUT(!window->core()->isRunning(), 60000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));
    QVERIFY(finished.isEmpty());
    QCOMPARE(cancelled.size(), 1);
    QVERIFY(!window->core()->isRunning());
    // The window still shows the last finished run, and that is still the folder's latest.
    QCOMPARE(window->shownRun(), m_firstRun);
    auto latest = m_catalog->runs().latest(catalogFolderKey(m_folder));
    QVERIFY(latest.ok() && latest->has_value());
    QCOMPARE((*latest)->id, m_firstRun);
}

void TestMainWindow::missingFolderDoesNotStart()
{
    auto window = makeWindow();
    window->openFolder(m_home.filePath(QStringLiteral("no-such-folder")));
    QCOMPARE(window->shownRun(), 0);
    QCOMPARE(window->clusterModel()->rowCount(), 0);
    QVERIFY(!window->startRun());
    QVERIFY(!window->core()->isRunning());
}

void TestMainWindow::unusableCatalogFails()
{
    // A catalog path under a regular file cannot be opened by the worker: a failure, not a hang.
    const QString blocker = m_home.filePath(QStringLiteral("blocker"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    AppCore runs(blocker + QStringLiteral("/catalog.sqlite"), m_services->decoder.get(), m_services->metadata.get());
    QSignalSpy failed(&runs, &AppCore::runFailed);
    PipelineOptions options;
    options.folder = m_folder;
    options.k = k;
    QVERIFY(runs.startRun(options));
    QVERIFY(failed.wait(30000));
    QVERIFY(!failed.first().first().toString().isEmpty());
    QVERIFY(!runs.isRunning());
}

// A run after which no group continues the one the user named says so in the run bar, instead of
// dropping the name silently.
void TestMainWindow::renamedGroupWithoutSuccessorIsReported()
{
    const QString folder = m_home.filePath(QStringLiteral("two-looks"));
    QVERIFY(QDir().mkpath(folder));
    for (int i = 0; i < 6; ++i) {
        QVERIFY(test::writeJpeg(QStringLiteral("%1/red%2.jpg").arg(folder).arg(i), 160, 120, QColor(200, 30, 30), 90, i));
        QVERIFY(test::writeJpeg(QStringLiteral("%1/blue%2.jpg").arg(folder).arg(i), 160, 120, QColor(30, 60, 200), 90, i));
    }
    auto window = makeWindow();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->openFolder(folder);
    window->setK(2);
    QSignalSpy finished(window->core(), &AppCore::runFinished);
    QVERIFY(window->startRun());
    QVERIFY(finished.wait(120000));
    const qint64 first = finished.first().first().toLongLong();
    qint64 redCluster = 0;
    const std::vector<ClusterRecord> clusters = m_catalog->runs().clusters(first).value();
    for (const ClusterRecord &c : clusters) {
        const std::vector<PhotoRecord> members = m_catalog->runs().members(first, c.index).value();
        if (!members.empty() && QFileInfo(members.front().path).fileName().startsWith(QLatin1String("red")))
            redCluster = c.id;
    }
    QVERIFY(redCluster != 0);
    QVERIFY(m_catalog->corrections().rename(redCluster, QStringLiteral("Red kites")).ok());
    for (int i = 0; i < 6; ++i)
        QVERIFY(QFile::remove(QStringLiteral("%1/red%2.jpg").arg(folder).arg(i)));

    QVERIFY(window->startRun());
    QVERIFY(finished.wait(120000));
    auto *bar = window->findChild<RunBar *>();
    QVERIFY(bar);
    QVERIFY2(bar->statusText().contains(QStringLiteral("“Red kites”")), qPrintable(bar->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(!window->isBusy(), 30000);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
