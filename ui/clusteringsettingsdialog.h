#pragma once

#include "cluster/clusterer.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QLabel;
class QSettings;

namespace clade {

// The "advanced" panel: edits the clustering method's settings (SIC's λ, β, γ and the rest;
// k-means' restarts) in a form built from Clusterer::hyperparameters(), with every default
// shown. OK applies them to the clusterer and, given settings, remembers them under
// clustering/<method>/<key>. GUI thread; open it only while no run uses the clusterer.
class ClusteringSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    ClusteringSettingsDialog(Clusterer &clusterer, QSettings *settings, QWidget *parent = nullptr);

    // Applies the remembered values to the clusterer (at start-up). Entries the method no
    // longer knows or whose values are out of range are skipped; one message each.
    static QStringList restore(Clusterer &clusterer, QSettings &settings);

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
};

} // namespace clade
