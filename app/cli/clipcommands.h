#pragma once

#include <QStringList>

namespace clade {
class ImageDecoder;
}

namespace clade::cli {

// CLIP subcommands of clade-cli. `args` excludes the program name and the subcommand. Each
// prints its result to stdout (or writes --out), one error line to stderr on failure, and
// returns the process exit code. Run on the main thread; they block.

// clade-cli tokenize [--vocab F] TEXT...
// One line of space-separated ids per text: SOT .. EOT, untruncated, no padding.
int runTokenize(const QStringList &args);

// clade-cli encode-images --model F [--vocab F] --out OUT.npy [--force] [--reduced-decode]
//                         (IMAGES... | --tensors IN.npy)
// float32 [N, D] un-normalised image embeddings in input order. --tensors takes normalised
// float32 [N, 3, R, R]. An existing OUT.npy is replaced only with --force.
int runEncodeImages(const QStringList &args);
// The same with a given decoder (tests, or callers that own one).
int runEncodeImagesWith(const QStringList &args, const ImageDecoder &decoder);

// clade-cli encode-texts --model F [--vocab F] --out OUT.npy [--force] TEXT...
int runEncodeTexts(const QStringList &args);

}   // namespace clade::cli
