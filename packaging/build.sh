#!/bin/bash
# Configures and builds Clade in ./build (Release, warnings as errors). quickstart.sh and test.sh
# both use it with the same configuration, so the second reuses the first one's build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${CLADE_BUILD_DIR:-$root/build}"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCLADE_WERROR=ON "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -- -j"$(nproc)"
