#include "commandline.h"

#include "common/paths.h"
#include "export/catalogfollow.h"
#include "output.h"

#include <cstdio>

namespace clade::cli {

CommandLine::CommandLine(const QString &command, const QString &description, int shared) : m_command(command), m_shared(shared)
{
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    if (shared & Catalog)
        parser.addOption(catalog);
    if (shared & Json)
        parser.addOption(json);
    if (shared & Quiet)
        parser.addOption(quiet);
}

int CommandLine::usageError(const QString &message) const
{
    return error(QStringLiteral("%1 (see clade-cli %2 --help)").arg(message, m_command), Usage);
}

bool CommandLine::parse(const QStringList &args, int minPositional, int maxPositional, const QStringList &required)
{
    QStringList full = args;
    full.prepend(QStringLiteral("clade-cli %1").arg(m_command));
    if (!parser.parse(full)) {
        usageError(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        print(parser.helpText());
        m_helpShown = true;
        return false;
    }
    const qsizetype n = parser.positionalArguments().size();
    if (n < minPositional || n > maxPositional) {
        usageError(n > maxPositional && maxPositional == 0
                       ? QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst())
                       : QStringLiteral("wrong number of arguments"));
        return false;
    }
    for (const QString &name : required) {
        if (!parser.isSet(name)) {
            usageError(QStringLiteral("--%1 is required").arg(name));
            return false;
        }
    }
    return true;
}

QString CommandLine::catalogPath() const
{
    return (m_shared & Catalog) && parser.isSet(catalog) ? parser.value(catalog) : defaultCatalogPath();
}

Result<std::unique_ptr<clade::Catalog>> CommandLine::openCatalog() const
{
    auto opened = clade::Catalog::open(catalogPath());
    if (opened && !(*opened)->migrationBackup().isEmpty())
        std::fprintf(stderr, "clade-cli: upgraded the catalog %s to schema version %d; the old one is kept at %s\n",
                     qPrintable((*opened)->path()), clade::Catalog::currentVersion(), qPrintable((*opened)->migrationBackup()));
    if (opened) {
        // A move export or its undo that was interrupted: the records follow the files now.
        auto followed = clade::reconcilePendingExports(**opened);
        if (!followed)
            std::fprintf(stderr, "clade-cli: %s\n", qPrintable(followed.error()));
        else if (followed->moved > 0)
            std::fprintf(stderr, "clade-cli: %d photo(s) moved by an interrupted export now have their new place in the catalog\n",
                         followed->moved);
        if (followed)
            for (const QString &message : followed->messages)
                std::fprintf(stderr, "clade-cli: %s\n", qPrintable(message));
    }
    return opened;
}

bool CommandLine::intValue(const QString &name, qint64 min, qint64 max, qint64 &out) const
{
    bool ok = false;
    const QString text = parser.value(name);
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        usageError(QStringLiteral("--%1 must be a whole number from %2 to %3 (got '%4')").arg(name).arg(min).arg(max).arg(text));
        return false;
    }
    out = value;
    return true;
}

bool CommandLine::intValue(const QCommandLineOption &option, qint64 min, qint64 max, qint64 &out) const
{
    return intValue(option.names().constFirst(), min, max, out);
}

bool CommandLine::quietProgress() const
{
    return ((m_shared & Quiet) && parser.isSet(quiet)) || ((m_shared & Json) && parser.isSet(json));
}

}   // namespace clade::cli
