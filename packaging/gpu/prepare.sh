#!/bin/bash
# Fills .gpu/ (git-ignored) with what packaging/gpu/gpu-check.sh needs on a GPU machine that has
# no package registry: the dependency pack made from this Debian 12 machine's packages, and the
# part of ../shared/data/clip-parity that fits the 64 MiB a transfer may carry (model A,
# tiny-vit, in both weight formats, with the tokenizer and preprocessing vectors).
# Run on the Debian machine, from the repository root, after packaging/install-deps.sh.
set -euo pipefail
SHARED=${CLADE_SHARED_DATA:-$(pwd)/../shared/data}
rm -rf .gpu && mkdir -p .gpu/shared/clip-parity/models
packaging/gpu/pack-deps.py .gpu
src=$SHARED/clip-parity
dst=.gpu/shared/clip-parity
cp -r "$src/README.md" "$src/bpe_simple_vocab_16e6.txt.gz" "$src/tokenizer" "$src/preprocess" "$dst/"
cp -r "$src/models/tiny-vit" "$dst/models/"
# The committed tree, so that work in progress in this checkout is not what the GPU machine builds.
mkdir -p .gpu/src && git archive HEAD | tar -x -C .gpu/src
du -sh .gpu
