// The export dialog on a real catalog and real files: a dry-run preview that touches nothing,
// an export into edited folder names, its undo, and the refusals, under the offscreen platform.
#include "catalog/catalog.h"
#include "exportdialog.h"
#include "testsupport.h"

#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>

using namespace clade;

class TestExportDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::unique_ptr<Catalog> m_catalog;
    qint64 m_run = 0;
    QStringList m_sources;

    static QStringList tree(const QString &root)
    {
        QStringList files;
        QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << QDir(root).relativeFilePath(it.next());
        files.sort();
        return files;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString photos = m_work.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos));
        auto catalog = Catalog::open(m_work.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(catalog.ok());
        m_catalog = std::move(*catalog);
        std::vector<AssignmentRecord> assignments;
        for (int i = 0; i < 5; ++i) {
            PhotoRecord p;
            p.path = QStringLiteral("%1/photo%2.jpg").arg(photos).arg(i);
            QVERIFY(test::writeJpeg(p.path, 64, 48, i < 3 ? QColor(20, 40, 200) : QColor(30, 160, 40), 90, i));
            p.size = QFileInfo(p.path).size();
            p.hash = QStringLiteral("h%1").arg(i);
            p.format = QStringLiteral("jpeg");
            auto id = m_catalog->photos().upsert(p);
            QVERIFY(id.ok());
            assignments.push_back({*id, i < 3 ? 0 : 1, 1.0f, false});
            m_sources << p.path;
        }
        RunRecord run;
        run.folder = photos;
        run.k = 2;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("clade-visual-v1");
        auto runId = m_catalog->runs().create(run);
        QVERIFY2(runId.ok(), qPrintable(runId.ok() ? QString() : runId.error()));
        m_run = *runId;
        std::vector<ClusterRecord> clusters(2);
        clusters[0].index = 0;
        clusters[0].name = QStringLiteral("harbour · boat");
        clusters[1].index = 1;
        clusters[1].name = QStringLiteral("forest");
        QVERIFY(m_catalog->runs().storeClusters(m_run, clusters, assignments).ok());
        QVERIFY(m_catalog->runs().finish(m_run, RunStatus::Done).ok());
    }

    void previewExportAndUndo()
    {
        ExportDialog dialog(*m_catalog, m_run);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.groupCount(), 2);
        QSignalSpy finished(&dialog, &ExportDialog::finishedWork);
        const QString target = m_work.filePath(QStringLiteral("out"));
        dialog.setTarget(target);
        dialog.setFolderName(0, QStringLiteral("Harbour walks"));

        dialog.preview();
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("5 photo")), qPrintable(dialog.statusText()));
        QCOMPARE(dialog.previewText().count(QStringLiteral("→")), 5);
        QVERIFY(dialog.previewText().contains(QStringLiteral("Harbour walks/photo0.jpg")));
        QVERIFY(dialog.previewText().contains(QStringLiteral("forest/photo4.jpg")));
        QVERIFY(!QFileInfo::exists(target));   // a dry run touches nothing

        dialog.startExport();
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("Exported 5 of 5")), qPrintable(dialog.statusText()));
        QVERIFY(!dialog.manifestPath().isEmpty());
        const QStringList exported = tree(target);
        for (const QString &file : {QStringLiteral("Harbour walks/photo0.jpg"), QStringLiteral("Harbour walks/photo2.jpg"),
                                    QStringLiteral("forest/photo3.jpg"), QStringLiteral("forest/photo4.jpg")})
            QVERIFY2(exported.contains(file), qPrintable(exported.join(QLatin1Char(' '))));
        for (const QString &source : std::as_const(m_sources))
            QVERIFY(QFileInfo::exists(source));   // copied, not moved

        dialog.undoExport();
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("5 copies or links removed")), qPrintable(dialog.statusText()));
        for (const QString &file : tree(target))
            QVERIFY2(!file.endsWith(QLatin1String(".jpg")), qPrintable(file));
        for (const QString &source : std::as_const(m_sources))
            QVERIFY(QFileInfo::exists(source));
    }

    // A move asks first; then the catalog's records follow the photos into the export folder,
    // the window is told (it reloads the gallery), and Undo Export brings files and records back.
    void moveExportTheCatalogFollows()
    {
        ExportDialog dialog(*m_catalog, m_run);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &ExportDialog::finishedWork);
        QSignalSpy moved(&dialog, &ExportDialog::photosMoved);
        const QString target = m_work.filePath(QStringLiteral("moved"));
        dialog.setTarget(target);
        dialog.setMode(ExportMode::Move);
        bool asked = false;
        QTimer answer;
        answer.setInterval(20);
        connect(&answer, &QTimer::timeout, &dialog, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                asked = box->text().contains(QStringLiteral("Move 5 photo"));
                box->button(QMessageBox::Yes)->click();
            }
        });
        answer.start();
        dialog.startExport();
        answer.stop();
        QVERIFY(asked);
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("Exported 5 of 5")), qPrintable(dialog.statusText()));
        QCOMPARE(moved.size(), 1);
        const QString root = QFileInfo(target).canonicalFilePath();
        QStringList paths;
        for (const PhotoRecord &p : m_catalog->photos().under(root).value())
            paths << p.path;
        QCOMPARE(paths.size(), 5);   // every record is in the export folder, at a file that exists
        for (const QString &path : std::as_const(paths))
            QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
        for (const QString &source : std::as_const(m_sources))
            QVERIFY(!m_catalog->photos().byPath(source).value().has_value());

        dialog.undoExport();
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().contains(QStringLiteral("5 photos moved back")), qPrintable(dialog.statusText()));
        QCOMPARE(moved.size(), 2);
        for (const QString &source : std::as_const(m_sources)) {
            QVERIFY(QFileInfo(source).isFile());
            QVERIFY(m_catalog->photos().byPath(source).value().has_value());
        }
        QCOMPARE(m_catalog->photos().under(root).value().size(), std::size_t(0));
    }

    void refusesWithoutTarget()
    {
        ExportDialog dialog(*m_catalog, m_run);
        QSignalSpy finished(&dialog, &ExportDialog::finishedWork);
        dialog.setTarget(QString());
        dialog.startExport();
        QVERIFY(!dialog.isWorking());
        QCOMPARE(dialog.statusText(), QStringLiteral("Choose a target folder first."));
        QCOMPARE(finished.count(), 0);
    }

    // Closing the dialog while it exports cancels and waits: no crash, no thread left behind.
    void closingWhileExportingCancels()
    {
        auto dialog = std::make_unique<ExportDialog>(*m_catalog, m_run);
        dialog->setTarget(m_work.filePath(QStringLiteral("closed")));
        dialog->startExport();
        dialog->reject();
        QVERIFY(!dialog->isWorking());
        dialog.reset();
        QTest::qWait(50);   // queued results of the ended work are dropped with the dialog
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
