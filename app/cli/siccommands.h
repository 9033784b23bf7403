#pragma once

#include <QStringList>

namespace clade::cli {

// Subcommands of clade-cli on plain embedding files. `args` excludes the program name and the
// subcommand. Each prints its result to stdout, one error line to stderr on failure, and
// returns the process exit code (0 on success). Run on the main thread; they block.

// clade-cli sic --image-features F.npy [--text-features T.npy --nouns NOUNS.txt] --k K
//               [--seed S] [--<hyperparameter> V ...] --out LABELS.tsv [--json] [--force]
int runSicCommand(const QStringList &args);

// clade-cli kmeans --image-features F.npy --k K [--seed S] [--restarts R] --out LABELS.tsv [--force]
int runKMeansCommand(const QStringList &args);

// clade-cli score --labels LABELS.tsv --truth TRUTH.txt [--json]
int runScoreCommand(const QStringList &args);

}   // namespace clade::cli
