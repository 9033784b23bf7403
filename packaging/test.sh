#!/bin/bash
# Command 2 of the README (and of CI): install what is missing, build, run every test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh" --dev
"$root/packaging/check-format.sh"
"$root/packaging/build.sh"
cd "$root/build"
ctest --output-on-failure -j"$(nproc)" --timeout 600
