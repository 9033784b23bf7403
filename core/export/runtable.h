#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace clade {

class Catalog;

// A run as a table for spreadsheets and scripts: the run's settings, its clusters (index,
// name, size, candidate names with scores) and every assignment (path, cluster, confidence,
// manual). The catalog stores no per-photo typicality, so there is none in the table.
//
// JSON: {"run": {...}, "clusters": [{index, name, size, names: [{noun, score}]}],
//        "assignments": [{path, cluster, confidence, manual, missing}]}.
// CSV (RFC 4180, UTF-8, header row): one row per assignment with its run and cluster columns
// repeated, plus one row with an empty path for each empty cluster. Text cells that a
// spreadsheet would run as a formula (starting with = + - @) get a leading apostrophe.
enum class RunTableFormat { Csv, Json };

std::optional<RunTableFormat> runTableFormatFor(const QString &path);   // by extension, .csv/.json

// Reads the run from the catalog (on the catalog's thread); an error when the run is missing.
Result<QByteArray> runTable(const Catalog &catalog, qint64 runId, RunTableFormat format);

// Writes runTable() to path atomically, never replacing an existing file.
Status writeRunTable(const Catalog &catalog, qint64 runId, const QString &path);

}   // namespace clade
