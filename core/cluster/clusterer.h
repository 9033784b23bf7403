#pragma once

#include "domain/records.h"
#include "common/matrix.h"
#include "common/progress.h"
#include "common/result.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace clade {

struct ClusterOutcome
{
    std::vector<int> labels;                         // one per row, 0..k-1
    std::vector<float> confidence;                   // one per row, 0..1
    std::vector<std::vector<NameScore>> names;       // per cluster, best first; empty when not semantic
    ClusterMethod method = ClusterMethod::Unknown;   // recorded in the run
    QString note;                                    // e.g. the label-free stopping reason
    QJsonObject details;                             // recorded with the run (robust SIC's choice)
};

// One tunable setting of a clustering method, described for a settings form and the CLI.
// label and help are English source text marked with QT_TRANSLATE_NOOP("Hyperparameter", ...),
// so a UI translates them with QCoreApplication::translate("Hyperparameter", ...).
struct Hyperparameter
{
    enum class Kind { Real, Integer, Flag };
    QString key;   // stable identifier: settings files and --param key=value
    const char *label = "";
    const char *help = "";
    Kind kind = Kind::Real;
    double value = 0;
    double defaultValue = 0;
    double minimum = 0;
    double maximum = 1;
    int decimals = 0;   // Real only: digits shown
};

// A clustering method over feature rows. cluster() runs on the pipeline's worker thread; the
// hyperparameter calls run on whichever thread owns the clusterer while no run uses it.
class Clusterer
{
public:
    virtual ~Clusterer() = default;
    virtual ClusterMethod method() const = 0;
    virtual Result<ClusterOutcome> cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress) = 0;

    // The method's settings with their current values; empty when it has none.
    virtual std::vector<Hyperparameter> hyperparameters() const { return {}; }
    // Sets one; refuses unknown keys and values outside [minimum, maximum] with a clear error.
    virtual Status setHyperparameter(const QString &key, double value);
    // Every setting a run with this clusterer uses, as the run records it ({key: value}).
    virtual QJsonObject parameters() const;
};

// Sets every key of `values` that `clusterer` knows; returns the first error.
Status applyHyperparameters(Clusterer &clusterer, const std::vector<std::pair<QString, double>> &values);
// Checks `value` against `p`'s range and kind (Integer and Flag must be whole numbers).
Status checkHyperparameter(const Hyperparameter &p, double value);

}   // namespace clade
