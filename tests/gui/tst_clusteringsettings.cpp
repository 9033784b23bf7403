// The clustering settings panel against a real clusterer and a real settings file.
#include "clusteringsettingsdialog.h"
#include "cluster/kmeansclusterer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

namespace {

double restartsOf(const Clusterer &c)
{
    for (const Hyperparameter &p : c.hyperparameters())
        if (p.key == u"restarts")
            return p.value;
    return -1;
}

// What the window does with the dialog's values: AppCore's worker applies them.
void applyValues(Clusterer &c, const ClusteringSettingsDialog::Values &values)
{
    QVERIFY(applyHyperparameters(c, values).ok());
}

}   // namespace

class TestClusteringSettings : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString iniPath() const { return m_dir.filePath(QStringLiteral("clade.conf")); }

private Q_SLOTS:
    void editsApplyAndAreRemembered()
    {
        KMeansClusterer clusterer;
        {
            QSettings settings(iniPath(), QSettings::IniFormat);
            ClusteringSettingsDialog dialog(clusterMethodName(clusterer.method()), clusterer.hyperparameters(), &settings);
            auto *restarts = qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("restarts")));
            QVERIFY(restarts);
            QCOMPARE(restarts->value(), 10);
            QCOMPARE(restarts->maximum(), 100);
            restarts->setValue(3);
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            applyValues(clusterer, dialog.values());
        }
        QCOMPARE(restartsOf(clusterer), 3.0);

        KMeansClusterer fresh;
        QSettings settings(iniPath(), QSettings::IniFormat);
        QCOMPARE(settings.value(QStringLiteral("clustering/kmeans/restarts")).toInt(), 3);
        QStringList problems;
        applyValues(fresh,
                    ClusteringSettingsDialog::restore(clusterMethodName(fresh.method()), fresh.hyperparameters(), settings, &problems));
        QVERIFY(problems.isEmpty());
        QCOMPARE(restartsOf(fresh), 3.0);
    }

    // The vocabulary: a list or a word-list file and the user's words, remembered; a file that
    // is not there is refused in the dialog; the default (everyday nouns, no words) stores nothing.
    void vocabularyIsChosenAndRemembered()
    {
        KMeansClusterer clusterer;
        QSettings settings(m_dir.filePath(QStringLiteral("vocabulary.conf")), QSettings::IniFormat);
        QCOMPARE(ClusteringSettingsDialog::vocabulary(&settings), VocabularyChoice{});
        {
            ClusteringSettingsDialog dialog(clusterMethodName(clusterer.method()), clusterer.hyperparameters(), &settings);
            QVERIFY(!dialog.vocabularyChanged());
            auto *list = dialog.findChild<QComboBox *>(QStringLiteral("vocabulary"));
            auto *file = dialog.findChild<QLineEdit *>(QStringLiteral("vocabularyFile"));
            auto *words = dialog.findChild<QPlainTextEdit *>(QStringLiteral("words"));
            QVERIFY(list && file && words);
            QVERIFY(!file->isEnabled());
            list->setCurrentIndex(list->findData(QStringLiteral("file")));
            QVERIFY(file->isEnabled());
            file->setText(m_dir.filePath(QStringLiteral("no-such-list.txt")));
            dialog.accept();
            QVERIFY(dialog.result() != int(QDialog::Accepted));   // refused, with the reason shown
            QVERIFY(!settings.contains(QStringLiteral("vocabulary/source")));

            const QString path = m_dir.filePath(QStringLiteral("boats.txt"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("sailboat\ndinghy\n");
            f.close();
            file->setText(path);
            words->setPlainText(QStringLiteral("kitesurfing\n\n  windsurfing  \n"));
            QVERIFY(dialog.vocabularyChanged());
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        const VocabularyChoice remembered = ClusteringSettingsDialog::vocabulary(&settings);
        QCOMPARE(remembered.source, m_dir.filePath(QStringLiteral("boats.txt")));
        QCOMPARE(remembered.words, (QStringList{QStringLiteral("kitesurfing"), QStringLiteral("windsurfing")}));
        {
            ClusteringSettingsDialog dialog(clusterMethodName(clusterer.method()), clusterer.hyperparameters(), &settings);
            QCOMPARE(dialog.chosenVocabulary(), remembered);   // shown as remembered
            dialog.setVocabulary(VocabularyChoice{});
            QVERIFY(dialog.vocabularyChanged());
            dialog.accept();
        }
        QVERIFY(!settings.contains(QStringLiteral("vocabulary/source")));
        QVERIFY(!settings.contains(QStringLiteral("vocabulary/words")));
    }

    void defaultsAreNotStoredAndResetWorks()
    {
        KMeansClusterer clusterer;
        QVERIFY(clusterer.setHyperparameter(QStringLiteral("restarts"), 7).ok());
        QSettings settings(m_dir.filePath(QStringLiteral("reset.conf")), QSettings::IniFormat);
        ClusteringSettingsDialog dialog(clusterMethodName(clusterer.method()), clusterer.hyperparameters(), &settings);
        QCOMPARE(qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("restarts")))->value(), 7);
        dialog.resetToDefaults();
        dialog.accept();
        applyValues(clusterer, dialog.values());
        QCOMPARE(restartsOf(clusterer), 10.0);
        QVERIFY(!settings.contains(QStringLiteral("clustering/kmeans/restarts")));
    }

    void badRememberedValuesAreReportedAndSkipped()
    {
        QSettings settings(m_dir.filePath(QStringLiteral("bad.conf")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("clustering/kmeans/restarts"), 1000);
        settings.setValue(QStringLiteral("clustering/kmeans/nonsense"), 2);
        settings.setValue(QStringLiteral("clustering/kmeans/text"), QStringLiteral("many"));
        KMeansClusterer clusterer;
        QStringList problems;
        const auto values =
            ClusteringSettingsDialog::restore(clusterMethodName(clusterer.method()), clusterer.hyperparameters(), settings, &problems);
        QVERIFY(values.empty());
        QCOMPARE(problems.size(), 3);
        QVERIFY(problems.join(u'\n').contains(QStringLiteral("between 1 and 100")));
        QCOMPARE(restartsOf(clusterer), 10.0);
    }

    void clustererRefusesOutOfRangeValues()
    {
        KMeansClusterer clusterer;
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("restarts"), 0).ok());
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("restarts"), 2.5).ok());
        QVERIFY(!clusterer.setHyperparameter(QStringLiteral("lambda"), 1).ok());
        QCOMPARE(restartsOf(clusterer), 10.0);
    }
};

QTEST_MAIN(TestClusteringSettings)
#include "tst_clusteringsettings.moc"
