#!/bin/bash
# Builds the libFuzzer harnesses (CMake preset `fuzz`: clang, ASan + UBSan, CLADE_FUZZ=ON) and runs
# each for SECONDS (default 600), seeded from ../shared/data and the saved regressions.
# A crashing input is written to tests/fuzz/regressions/<target>/ (commit it: tst_fuzzregressions
# replays it in the normal suite).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      env: BUILD_DIR (default build-fuzz), JOBS (default 2)
set -euo pipefail
seconds=${1:-600}
shift || true
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
shared=${CLADE_SHARED_DATA:-$root/../shared/data}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(npy exiv2Metadata decoder catalogue safetensors)

command -v clang++ >/dev/null || { echo "run.sh: clang++ is missing (apt install clang libclang-rt-14-dev)" >&2; exit 2; }
cmake --preset fuzz -S "$root" -B "$build" >/dev/null
ninja -C "$build" -j "${JOBS:-2}" "${targets[@]/#/clade_fuzz_}"

# Seeds per target: small files of the right kind from ../shared/data (when present) plus the
# saved regressions and a few built-in examples.
seed() {
    local target=$1 corpus=$2
    mkdir -p "$corpus"
    cp -n "$root/tests/fuzz/regressions/$target/"* "$root/tests/fuzz/seeds/$target/"* "$corpus/" 2>/dev/null || true
    [ -d "$shared" ] || return 0
    case $target in
        npy) find "$shared" -name '*.npy' -size -1024k ;;
        exiv2Metadata|decoder) find "$shared/metadata" "$shared/malformed" -type f -size -2048k ! -name '*.md' ! -name '*.tsv' ;;
        catalogue) find "$shared" "$root/resources" -name '*.json' -size -1024k ;;
        safetensors) find "$shared" -name '*.safetensors' -size -2048k ;;
    esac | while read -r f; do cp -n "$f" "$corpus/$(basename "$f")"; done
}

for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    seed "$target" "$corpus"
    mkdir -p "$root/tests/fuzz/regressions/$target"
    echo "== $target: ${seconds}s, $(ls "$corpus" | wc -l) seeds"
    "$build/tests/fuzz/clade_fuzz_$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -max_len=1048576 -artifact_prefix="$root/tests/fuzz/regressions/$target/" -print_final_stats=1 || \
        echo "== $target: stopped on a finding (see tests/fuzz/regressions/$target/)"
done
