#include "modelsdialog.h"
#include "testsupport.h"
#include "common/paths.h"
#include "models/modelmanager.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace clade;

// Opens the Models dialog on a temporary XDG data directory and checks its item model.
class TestModelsDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;

    int rowOf(const QAbstractItemModel *model, const QString &id) const
    {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(ModelsDialog::IdRole).toString() == id)
                return row;
        }
        return -1;
    }

    // Answers the next "Use this file anyway?" box with `button` once it shows (it runs modal).
    // `asked` counts the boxes answered.
    static void answerNextQuestion(QMessageBox::StandardButton button, int *asked)
    {
        auto *timer = new QTimer;
        QObject::connect(timer, &QTimer::timeout, timer, [timer, button, asked] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                ++*asked;
                box->button(button)->click();
                timer->deleteLater();
            }
        });
        timer->start(10);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("XDG_DATA_HOME", m_home.path().toLocal8Bit());
        QVERIFY2(dataDir().startsWith(m_home.path()), qPrintable(dataDir()));
    }

    void listsCatalogueAndInstalledState()
    {
        const auto catalogue = builtinCatalogue();
        QVERIFY(catalogue.ok());
        ModelManager manager(*catalogue);
        QVERIFY(manager.modelsDir().startsWith(m_home.path()));
        ModelsDialog dialog(manager);
        QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        const QAbstractItemModel *model = dialog.model();
        QCOMPARE(model->rowCount(), catalogue->entries().size());
        QCOMPARE(model->columnCount(), int(ModelsDialog::ColumnCount));
        const int row = rowOf(model, QStringLiteral("openai-vit-b-32"));
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, ModelsDialog::NameColumn).data().toString(), QStringLiteral("OpenAI CLIP ViT-B/32"));
        QVERIFY(model->index(row, ModelsDialog::LicenceColumn).data().toString().contains(QLatin1String("MIT")));
        QVERIFY(!model->index(row, ModelsDialog::SizeColumn).data().toString().isEmpty());
        QCOMPARE(model->index(row, ModelsDialog::StatusColumn).data().toString(), QStringLiteral("Not installed"));

        // A user file imported with explicit acceptance appears as an extra, unverified row.
        const QString src = m_home.path() + QStringLiteral("/mine.safetensors");
        QFile file(src);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("weights the catalogue does not know");
        file.close();
        ImportOptions accept;
        accept.acceptUnknown = true;
        QVERIFY(manager.importFile(src, QStringLiteral("my-model"), accept).ok());
        dialog.refresh();
        QCOMPARE(model->rowCount(), catalogue->entries().size() + 1);
        const int mine = rowOf(model, QStringLiteral("my-model"));
        QVERIFY(mine >= 0);
        QVERIFY(model->index(mine, ModelsDialog::StatusColumn).data().toString().contains(QLatin1String("not verified")));
    }

    // Import file…: what can be told before reading (a wrong size) is asked at once; the copy and
    // its SHA-256 run off the GUI thread and install a file the catalogue vouches for; Cancel
    // stops a copy and leaves nothing behind.
    void importRunsOffTheGuiThreadAndCanBeCancelled()
    {
        CLADE_REQUIRE_SHARED("clip-parity/bpe_simple_vocab_16e6.txt.gz");
        const auto catalogue = builtinCatalogue();
        QVERIFY(catalogue.ok() && catalogue->vocabulary());
        const QString vocabularyId = catalogue->vocabulary()->id;
        ModelManager manager(*catalogue);
        ModelsDialog dialog(manager);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *view = dialog.findChild<QTableView *>();
        QVERIFY(view);
        const auto select = [&](const QString &id) {
            const int row = rowOf(dialog.model(), id);
            QVERIFY(row >= 0);
            view->selectRow(row);
        };
        QSignalSpy ended(&dialog, &ModelsDialog::importEnded);
        QSignalSpy changed(&dialog, &ModelsDialog::modelsChanged);
        select(vocabularyId);

        // A file of the wrong size: asked before anything is read; No leaves everything as it was.
        const QString wrong = m_home.filePath(QStringLiteral("wrong.txt.gz"));
        QFile file(wrong);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not the vocabulary");
        file.close();
        int asked = 0;
        answerNextQuestion(QMessageBox::No, &asked);
        QVERIFY(!dialog.importFrom(wrong));
        QCOMPARE(asked, 1);
        QVERIFY(!dialog.importing());
        QVERIFY(!manager.isInstalled(vocabularyId));

        // The real vocabulary: importFrom returns while the copy goes on, then it is installed.
        QVERIFY(dialog.importFrom(test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz"))));
        QVERIFY(dialog.importing());   // not done on the GUI thread before returning
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 30000);
        QVERIFY2(ended.first().at(1).toBool(), qPrintable(ended.first().at(0).toString()));
        QVERIFY(!dialog.importing());
        QVERIFY(manager.isInstalled(vocabularyId));
        QVERIFY(manager.installedModel(vocabularyId)->verified());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(dialog.model()->index(rowOf(dialog.model(), vocabularyId), ModelsDialog::StatusColumn).data().toString(),
                 QStringLiteral("Installed, verified"));

        // A large file for a catalogue model, accepted as unverified (its size differs), then
        // cancelled: nothing installed, no copy left.
        const QString modelId = catalogue->defaultId();
        const QString big = m_home.filePath(QStringLiteral("big.safetensors"));
        QFile bigFile(big);
        QVERIFY(bigFile.open(QIODevice::WriteOnly));
        QVERIFY(bigFile.resize(qint64(256) << 20));
        bigFile.close();
        select(modelId);
        answerNextQuestion(QMessageBox::Yes, &asked);
        QVERIFY(dialog.importFrom(big));
        QCOMPARE(asked, 2);
        auto *cancel = dialog.findChild<QPushButton *>(QStringLiteral("cancelButton"));
        QVERIFY(cancel && cancel->isEnabled());
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 2, 30000);
        QVERIFY(!ended.at(1).at(1).toBool());
        QVERIFY2(ended.at(1).at(0).toString().contains(QLatin1String("cancelled")), qPrintable(ended.at(1).at(0).toString()));
        QVERIFY(!manager.isInstalled(modelId));
        const QDir folder(manager.modelsDir() + QLatin1Char('/') + modelId);
        QVERIFY2(folder.entryList(QDir::Files).isEmpty(), qPrintable(folder.entryList(QDir::Files).join(QLatin1Char(' '))));
        QCOMPARE(changed.size(), 1);
    }

    void bannerExplainsTheFallback()
    {
        const QString banner = noModelBanner();
        QVERIFY(banner.contains(QLatin1String("No CLIP model installed")));
        QVERIFY(banner.contains(QLatin1String("not by meaning")));
    }
};

QTEST_MAIN(TestModelsDialog)
#include "tst_modelsdialog.moc"
