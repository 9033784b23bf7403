#pragma once

#include "common/result.h"

#include <QString>

#include <vector>

namespace clade {

// The plain-text label files of the command-line interface. Runs on the calling thread.
//
// LABELS.tsv: one line per input row, "row<TAB>cluster<TAB>confidence"; lines starting with '#'
// are comments (the writer puts a header comment first). Rows may appear in any order but must
// be exactly 0..n-1. The confidence column may be absent (two columns).
// TRUTH.txt: one integer class label per line, in row order; '#' lines are comments and blank
// lines are allowed only at the end.

// Replaces `path` atomically. `confidence` is empty (no third column) or one value per label.
Status writeLabelsTsv(const QString &path, const std::vector<int> &labels, const std::vector<float> &confidence);
// The cluster of each row, in row order.
Result<std::vector<int>> readLabelsTsv(const QString &path);
Result<std::vector<int>> readTruth(const QString &path);

}   // namespace clade
