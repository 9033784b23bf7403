#pragma once

#include "common/progress.h"

#include <QJsonObject>
#include <QString>

namespace clade::cli {

// Exit codes of clade-cli.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };

// One clear line on stderr, "clade-cli COMMAND: message"; returns code so commands can
// `return error(...)`. main() sets the command; a command with subcommands may add one.
int error(const QString &message, int code = Failed);
void setCommandName(const QString &name);
void print(const QString &text);             // stdout, with a newline
void printJson(const QJsonObject &object);   // stdout, indented

// Progress lines on stderr for long work: one per stage, then at most one a second
// (rewritten in place when stderr is a terminal). Silent when quiet.
Progress::Callback stderrProgress(bool quiet);

}   // namespace clade::cli
