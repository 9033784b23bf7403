#!/bin/bash
# Builds the libFuzzer harnesses (CMake preset `fuzz`: clang, ASan + UBSan, CLADE_FUZZ=ON) and runs
# each for SECONDS (default 600), seeded from ../shared/data and the saved regressions.
# A crashing input is written to tests/fuzz/regressions/<target>/ (commit it: tst_fuzzregressions
# replays it in the normal suite).
# Targets run PARALLEL at a time (default: one per core); each prints its wall and CPU time, which
# tells whether the machine really gave it SECONDS of a core.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      env: BUILD_DIR (default build-fuzz), JOBS (default 2),
#                                                     PARALLEL (default nproc)
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

fuzz() {
    local target=$1 corpus=$build/corpus/$1 log=$build/fuzz-$1.log
    seed "$target" "$corpus"
    mkdir -p "$root/tests/fuzz/regressions/$target"
    echo "== $target: ${seconds}s, $(ls "$corpus" | wc -l) seeds (log: $log)"
    local status=0 TIMEFORMAT="%R %U %S"
    { time "$build/tests/fuzz/clade_fuzz_$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -max_len=1048576 -artifact_prefix="$root/tests/fuzz/regressions/$target/" -print_final_stats=1 >"$log" 2>&1 || status=$?; } 2>"$log.time"
    read -r wall user sys <"$log.time"
    echo "== $target: exit $status, wall ${wall}s, CPU $(awk "BEGIN { print $user + $sys }")s," \
         "$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?') executions," \
         "corpus $(ls "$corpus" | wc -l) files"
    [ "$status" = 0 ] || echo "== $target: stopped on a finding (see tests/fuzz/regressions/$target/ and $log)"
}

# UBSan is built recoverable (-fsanitize=undefined without -fno-sanitize-recover): halt at the
# first report so that libFuzzer saves the input instead of printing and going on.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
parallel=${PARALLEL:-$(nproc)}
for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
    fuzz "$target" &
done
wait
