#pragma once

#include "catalog/catalog.h"
#include "output.h"

#include <QCommandLineParser>

#include <memory>

namespace clade::cli {

// The options every pipeline command shares (--catalog, --json, --quiet) and their parsing.
struct CommandLine
{
    QCommandLineParser parser;
    QCommandLineOption catalog{QStringLiteral("catalog"), QStringLiteral("Catalog file (default: XDG data dir)."),
                               QStringLiteral("PATH")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Machine-readable output.")};
    QCommandLineOption quiet{QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")};

    CommandLine(const QString &command, const QString &description);
    // Parses; on failure prints one line and returns false: exit with exitCode().
    bool parse(const QStringList &args, int minPositional, int maxPositional);
    int exitCode() const { return m_helpShown ? Ok : Usage; }
    QString catalogPath() const;
    Result<std::unique_ptr<Catalog>> openCatalog() const;
    // Integer option value, or an error line; `ok` false when it is not a number in [min, max].
    bool intValue(const QCommandLineOption &option, qint64 min, qint64 max, qint64 &out) const;

private:
    QString m_command;
    bool m_helpShown = false;
};

} // namespace clade::cli
