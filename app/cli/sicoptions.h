#pragma once

// SIC's settings as command-line options, generated from the one table (cluster/sicparameters.h):
// `sic` and `cluster` take the same names with the same ranges.

#include "common/result.h"

#include <QCommandLineParser>

#include <functional>

namespace clade::cli {

// --KEY VALUE for every row of the table; --KEY alone for flags (center-init).
void addSicOptions(QCommandLineParser &parser);

// Hands every SIC option given on the command line to `set` (key, value), in table order. A value
// that is not a number is an error naming the option; `set` range-checks.
Status applySicOptions(const QCommandLineParser &parser, const std::function<Status(const QString &, double)> &set);

}   // namespace clade::cli
