#pragma once

#include "cluster/clusterer.h"
#include "vocab/wordnetvocabulary.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSettings;
class QSpinBox;

namespace clade {

// The "advanced" panel: shows the method, edits the seed of runs and the method's settings
// (SIC's candidates, λ, β, γ and the rest, from the table the CLI's options come from; k-means'
// restarts) in a form built from Clusterer::hyperparameters(), with every default shown. OK
// checks them, offers them as values() (the window sends them to AppCore's worker, which owns
// the clusterer) and, given settings, remembers them under clustering/<method>/<key>. It also
// chooses the vocabulary groups are named from (a built-in list or a word-list file) and the
// user's own words, one per line.
class ClusteringSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    using Values = std::vector<std::pair<QString, double>>;

    // method and parameters: the clusterer's (EngineInfo), with their current values.
    ClusteringSettingsDialog(const QString &method, std::vector<Hyperparameter> parameters, QSettings *settings, QWidget *parent = nullptr);

    // The remembered values for the method (at start-up). Entries the method does not know or
    // whose values are out of range are left out, with one message each in `problems`.
    static Values restore(const QString &method, const std::vector<Hyperparameter> &parameters, QSettings &settings, QStringList *problems);
    // The seed runs use (clustering/seed; 0, as the CLI's default, when none is remembered).
    static quint64 seed(const QSettings *settings);

    // The vocabulary groups are named from, as remembered (vocabulary/source, vocabulary/words):
    // the everyday WordNet nouns and no words of the user's when nothing is.
    static VocabularyChoice vocabulary(const QSettings *settings);
    // The vocabulary in the dialog (after OK: as accepted), and whether it differs from the one
    // it opened with (the groups are then named again).
    VocabularyChoice chosenVocabulary() const;
    bool vocabularyChanged() const { return !(chosenVocabulary() == m_openedWith); }
    void setVocabulary(const VocabularyChoice &choice);

    void accept() override;
    void resetToDefaults();
    QWidget *editor(const QString &key) const;   // the field's spin box or check box
    // Every setting as accepted (after OK).
    const Values &values() const { return m_values; }

private:
    struct Field
    {
        Hyperparameter parameter;
        QWidget *editor = nullptr;
    };
    static QWidget *makeEditor(const Hyperparameter &p, QWidget *parent);
    static double valueOf(const Field &field);
    static void setValue(const Field &field, double value);

    QString m_method;
    QSettings *m_settings;
    Values m_values;
    std::vector<Field> m_fields;
    QLabel *m_error = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_vocabulary = nullptr;
    QLineEdit *m_vocabularyFile = nullptr;
    QPlainTextEdit *m_words = nullptr;
    VocabularyChoice m_openedWith;
};

}   // namespace clade
