#pragma once

#include "catalog/catalog.h"
#include "output.h"

#include <QCommandLineParser>

#include <limits>
#include <memory>

namespace clade::cli {

// The one parser of every clade-cli command: --help, the shared options it asks for, required
// options, positional counts and number ranges, with one error form:
//   clade-cli COMMAND: what is wrong (see clade-cli COMMAND --help)   exit 2
// Failures after parsing go through error() (output.h), which carries the same prefix: exit 1.
// Options are long (--k 10); a single dash works too (-k 10).
struct CommandLine
{
    enum Shared { None = 0, Catalog = 1, Json = 2, Quiet = 4, All = Catalog | Json | Quiet };

    QCommandLineParser parser;
    QCommandLineOption catalog{QStringLiteral("catalog"), QStringLiteral("Catalog file (default: XDG data dir)."), QStringLiteral("PATH")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Machine-readable output.")};
    QCommandLineOption quiet{QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")};

    CommandLine(const QString &command, const QString &description, int shared = All);
    // Parses; on failure prints one line and returns false: exit with exitCode(). `required`
    // names options that must be given.
    bool parse(const QStringList &args, int minPositional, int maxPositional, const QStringList &required = {});
    int exitCode() const { return m_helpShown ? Ok : Usage; }
    // Prints "COMMAND: message (see clade-cli COMMAND --help)" and returns Usage.
    int usageError(const QString &message) const;
    QString catalogPath() const;
    Result<std::unique_ptr<clade::Catalog>> openCatalog() const;
    // Whole-number option value in [min, max]; otherwise a usage error line and false.
    bool intValue(const QCommandLineOption &option, qint64 min, qint64 max, qint64 &out) const;
    bool intValue(const QString &name, qint64 min, qint64 max, qint64 &out) const;
    bool quietProgress() const;   // --quiet or --json

private:
    QString m_command;
    int m_shared;
    bool m_helpShown = false;
};

constexpr int kAnyCount = std::numeric_limits<int>::max();

}   // namespace clade::cli
