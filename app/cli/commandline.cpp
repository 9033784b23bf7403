#include "commandline.h"

#include "common/paths.h"
#include "output.h"

namespace clade::cli {

CommandLine::CommandLine(const QString &command, const QString &description) : m_command(command)
{
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addOptions({catalog, json, quiet});
}

bool CommandLine::parse(const QStringList &args, int minPositional, int maxPositional)
{
    QStringList full = args;
    full.prepend(QStringLiteral("clade-cli %1").arg(m_command));
    if (!parser.parse(full)) {
        error(QStringLiteral("%1: %2 (see clade-cli %1 --help)").arg(m_command, parser.errorText()), Usage);
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        print(parser.helpText());
        m_helpShown = true;
        return false;
    }
    const qsizetype n = parser.positionalArguments().size();
    if (n < minPositional || n > maxPositional) {
        error(QStringLiteral("%1: wrong number of arguments (see clade-cli %1 --help)").arg(m_command), Usage);
        return false;
    }
    return true;
}

QString CommandLine::catalogPath() const
{
    return parser.isSet(catalog) ? parser.value(catalog) : defaultCatalogPath();
}

Result<std::unique_ptr<Catalog>> CommandLine::openCatalog() const
{
    return Catalog::open(catalogPath());
}

bool CommandLine::intValue(const QCommandLineOption &option, qint64 min, qint64 max, qint64 &out) const
{
    bool ok = false;
    const QString text = parser.value(option);
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        error(QStringLiteral("%1: --%2 must be a whole number from %3 to %4 (got '%5')")
                  .arg(m_command, option.names().constFirst())
                  .arg(min)
                  .arg(max)
                  .arg(text),
              Usage);
        return false;
    }
    out = value;
    return true;
}

} // namespace clade::cli
