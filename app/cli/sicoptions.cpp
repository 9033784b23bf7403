#include "sicoptions.h"

#include "cluster/sicparameters.h"

namespace clade::cli {

void addSicOptions(QCommandLineParser &parser)
{
    for (const SicParameter &p : sicParameterTable()) {
        const QString help = QStringLiteral("SIC: %1 (default %2, range %3–%4).")
                                 .arg(QString::fromUtf8(p.shape.help))
                                 .arg(p.get(defaultSicParams(10)))
                                 .arg(p.shape.minimum)
                                 .arg(p.shape.maximum);
        if (p.shape.kind == Hyperparameter::Kind::Flag)
            parser.addOption(QCommandLineOption(p.shape.key, help));
        else
            parser.addOption(QCommandLineOption(p.shape.key, help, QStringLiteral("value")));
    }
}

Status applySicOptions(const QCommandLineParser &parser, const std::function<Status(const QString &, double)> &set)
{
    for (const SicParameter &p : sicParameterTable()) {
        if (!parser.isSet(p.shape.key))
            continue;
        double value = 1.0;
        if (p.shape.kind != Hyperparameter::Kind::Flag) {
            bool ok = false;
            value = parser.value(p.shape.key).toDouble(&ok);
            if (!ok)
                return fail(QStringLiteral("--%1 needs a number, got '%2'").arg(p.shape.key, parser.value(p.shape.key)));
        }
        if (Status s = set(p.shape.key, value); !s)
            return fail(QStringLiteral("--%1").arg(s.error()));
    }
    return {};
}

}   // namespace clade::cli
