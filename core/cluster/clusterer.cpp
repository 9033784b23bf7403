#include "clusterer.h"

#include <cmath>

namespace clade {

Status Clusterer::setHyperparameter(const QString &key, double value)
{
    (void)value;
    return fail(QStringLiteral("The %1 method has no setting '%2'").arg(clusterMethodName(method()), key));
}

QJsonObject Clusterer::parameters() const
{
    QJsonObject out;
    for (const Hyperparameter &p : hyperparameters())
        out.insert(p.key, p.value);
    return out;
}

Status checkHyperparameter(const Hyperparameter &p, double value)
{
    if (!std::isfinite(value) || value < p.minimum || value > p.maximum)
        return fail(QStringLiteral("%1 must be between %2 and %3 (got %4)").arg(p.key).arg(p.minimum).arg(p.maximum).arg(value));
    if (p.kind != Hyperparameter::Kind::Real && value != std::floor(value))
        return fail(QStringLiteral("%1 must be a whole number (got %2)").arg(p.key).arg(value));
    return {};
}

Status applyHyperparameters(Clusterer &clusterer, const std::vector<std::pair<QString, double>> &values)
{
    for (const auto &[key, value] : values)
        if (Status s = clusterer.setHyperparameter(key, value); !s)
            return s;
    return {};
}

}   // namespace clade
