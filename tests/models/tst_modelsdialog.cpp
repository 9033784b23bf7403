#include "modelsdialog.h"
#include "common/paths.h"
#include "models/modelmanager.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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

    void bannerExplainsTheFallback()
    {
        const QString banner = noModelBanner();
        QVERIFY(banner.contains(QLatin1String("No CLIP model installed")));
        QVERIFY(banner.contains(QLatin1String("not by meaning")));
    }
};

QTEST_MAIN(TestModelsDialog)
#include "tst_modelsdialog.moc"
