#pragma once

#include "cluster/clusterer.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QLabel;
class QSettings;
class QSpinBox;

namespace clade {

// The "advanced" panel: shows the method, edits the seed of runs and the method's settings
// (SIC's candidates, λ, β, γ and the rest, from the table the CLI's options come from; k-means'
// restarts) in a form built from Clusterer::hyperparameters(), with every default shown. OK applies them to the clusterer and, given settings, remembers them under
// clustering/<method>/<key>. GUI thread; open it only while no run uses the clusterer.
class ClusteringSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    ClusteringSettingsDialog(Clusterer &clusterer, QSettings *settings, QWidget *parent = nullptr);

    // Applies the remembered values to the clusterer (at start-up). Entries the method no
    // longer knows or whose values are out of range are skipped; one message each.
    static QStringList restore(Clusterer &clusterer, QSettings &settings);
    // The seed runs use (clustering/seed; 0, as the CLI's default, when none is remembered).
    static quint64 seed(const QSettings *settings);

    void accept() override;
    void resetToDefaults();
    QWidget *editor(const QString &key) const;   // the field's spin box or check box

private:
    struct Field
    {
        Hyperparameter parameter;
        QWidget *editor = nullptr;
    };
    static QWidget *makeEditor(const Hyperparameter &p, QWidget *parent);
    static double valueOf(const Field &field);
    static void setValue(const Field &field, double value);

    Clusterer &m_clusterer;
    QSettings *m_settings;
    std::vector<Field> m_fields;
    QLabel *m_error = nullptr;
    QSpinBox *m_seed = nullptr;
};

} // namespace clade
