// The Problems panel over a real catalog's problem records, under the offscreen platform:
// every file listed with stage, message and time, filtering, copying to the clipboard, opening
// a file's folder through the desktop's URL handler, and Retry.
#include "catalog/catalog.h"
#include "problemspanel.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace clade;

// Stands in for the file manager: QDesktopServices hands it the URLs it would open.
class UrlCatcher : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> urls;

public Q_SLOTS:
    void open(const QUrl &url) { urls << url; }
};

class TestProblemsPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::vector<ProblemRecord> m_problems;

private Q_SLOTS:
    void initTestCase()
    {
        auto catalog = Catalog::open(m_work.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(catalog.ok());
        const QString folder = m_work.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/trip")));
        QVERIFY((*catalog)->photos().recordProblem(folder + QStringLiteral("/trip/broken.jpg"), QStringLiteral("decode"),
                                                   QStringLiteral("Premature end of JPEG file")));
        QVERIFY((*catalog)->photos().recordProblem(folder + QStringLiteral("/locked.png"), QStringLiteral("scan"),
                                                   QStringLiteral("Permission denied")));
        QVERIFY((*catalog)->photos().recordProblem(folder + QStringLiteral("/odd.tif"), QStringLiteral("metadata"),
                                                   QStringLiteral("Exif data is damaged")));
        QVERIFY((*catalog)->photos().recordProblem(folder + QStringLiteral("/trip/broken.jpg"), QStringLiteral("metadata"),
                                                   QStringLiteral("Failed to read image data")));
        auto problems = (*catalog)->photos().problemsUnder(folder);
        QVERIFY(problems.ok());
        m_problems = *problems;
        QCOMPARE(m_problems.size(), std::size_t(4));   // three files, one of them at two stages
    }

    void listsFiltersCopiesOpensAndRetries()
    {
        ProblemsPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.showProblems(m_problems);
        QCOMPARE(panel.problemCount(), 4);
        QCOMPARE(panel.shownCount(), 4);
        const auto countShown = [&] {
            for (QLabel *label : panel.findChildren<QLabel *>())
                if (label->text().contains(QLatin1String(" file")))
                    return label->text();
            return QString();
        };
        QCOMPARE(countShown(), QStringLiteral("3 file(s)"));   // files, not rows

        panel.setFilterText(QStringLiteral("permission"));   // any column, any case
        QCOMPARE(panel.shownCount(), 1);
        QVERIFY(panel.copyText().startsWith(QDir::toNativeSeparators(m_work.filePath(QStringLiteral("photos/locked.png")))
                                            + QStringLiteral("\tscan\tPermission denied\t")));
        panel.setFilterText(QStringLiteral("decode"));
        QCOMPARE(panel.shownCount(), 1);
        panel.setFilterText(QStringLiteral("broken"));
        QCOMPARE(panel.shownCount(), 2);
        QCOMPARE(countShown(), QStringLiteral("1 of 3 files"));
        panel.setFilterText(QString());
        QCOMPARE(panel.shownCount(), 4);

        // Copy: the shown rows when none is selected, the selected ones otherwise.
        panel.copy();
        QCOMPARE(QApplication::clipboard()->text().split(QLatin1Char('\n')).size(), 4);
        QTableView *view = panel.view();
        int brokenRow = -1;
        for (int r = 0; r < view->model()->rowCount(); ++r) {
            if (view->model()->index(r, 0).data().toString().endsWith(QLatin1String("broken.jpg"))
                && view->model()->index(r, 1).data().toString() == QLatin1String("decode"))
                brokenRow = r;
        }
        QVERIFY(brokenRow >= 0);
        view->selectRow(brokenRow);
        panel.copy();
        const QString copied = QApplication::clipboard()->text();
        QVERIFY2(!copied.contains(QLatin1Char('\n')) && copied.contains(QStringLiteral("\tdecode\tPremature end of JPEG file\t")),
                 qPrintable(copied));

        UrlCatcher fileManager;
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &fileManager, "open");
        panel.openFolder();
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
        QCOMPARE(fileManager.urls.size(), 1);
        QCOMPARE(fileManager.urls.first().toLocalFile(), m_work.filePath(QStringLiteral("photos/trip")));

        QSignalSpy retry(&panel, &ProblemsPanel::retryRequested);
        QPushButton *retryButton = nullptr;
        for (QPushButton *b : panel.findChildren<QPushButton *>()) {
            if (b->text() == QStringLiteral("&Retry"))
                retryButton = b;
        }
        QVERIFY(retryButton && retryButton->isEnabled());
        retryButton->click();
        QCOMPARE(retry.size(), 1);

        panel.clear();
        QCOMPARE(panel.problemCount(), 0);
        QVERIFY(!retryButton->isEnabled());
    }
};

QTEST_MAIN(TestProblemsPanel)
#include "tst_problemspanel.moc"
