#!/bin/bash
# Robust SIC against single runs on every synthetic scenario (bench_sic --spread): the ACC of
# single runs with seeds 0-4, the robust default's ACC and best candidate, and its time as a
# multiple of the mean single run, all measured in this one run.
#   bench/sic/robust.sh [BUILD_DIR] [extra bench_sic flags, e.g. --per-class 1000]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="${1:-$root/build}"
shift || true
bench="$build/bench/sic/bench_sic"
[ -x "$bench" ] || { echo "robust.sh: build bench_sic first ($bench missing)" >&2; exit 1; }
export OMP_WAIT_POLICY=PASSIVE
for scenario in look clip imbalanced close anisotropic; do
    "$bench" --scenario "$scenario" --per-class 500 --nouns 5000 --spread 5 --no-kmeans "$@" 2>/dev/null | grep -v '^data:'
done
