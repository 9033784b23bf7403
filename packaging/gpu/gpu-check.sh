#!/bin/bash
# Builds clade-cli, the torch tests and the embedding benchmark against the CUDA libtorch of the
# machine's Python PyTorch, then runs the CLIP/SIC tests and the benchmark on the GPU.
#
# For a GPU machine with CUDA, CMake, Ninja, a compiler and PyTorch but no apt (see
# docs/GPU.md). Prepare on a Debian 12 machine first:
#   packaging/gpu/prepare.sh            # writes .gpu/: dependency pack + parity data subset
# then run this from the repository root on the GPU machine, with .gpu/ beside it:
#   packaging/gpu/gpu-check.sh [LOGDIR]
# Logs and a summary go to LOGDIR (default ./gpu-logs).
set -uo pipefail
ROOT=$(pwd)
# prepare.sh can put a snapshot of the committed tree in .gpu/src (what is built then).
SRC=$ROOT
[ -f "$ROOT/.gpu/src/CMakeLists.txt" ] && SRC=$ROOT/.gpu/src
LOGS=${1:-$ROOT/gpu-logs}
PREFIX=/opt/clade-deps
BUILD=$ROOT/build-gpu
mkdir -p "$LOGS"
SUMMARY=$LOGS/summary.txt
: > "$SUMMARY"
say() { echo "== $*" | tee -a "$SUMMARY"; }
step() {   # step NAME COMMAND...: runs, logs to LOGDIR/NAME.log, records pass/fail and seconds
    local name=$1; shift
    local t0=$SECONDS
    "$@" > "$LOGS/$name.log" 2>&1
    local rc=$?
    say "$name: rc=$rc in $((SECONDS - t0)) s"
    tail -n 25 "$LOGS/$name.log"
    return $rc
}

say "machine: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -1)"
say "python torch: $(python3 -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1)"
say "compiler: $(g++ --version | head -1); $(cmake --version | head -1); ninja $(ninja --version)"

unpack() {
    mkdir -p "$PREFIX" && tar -xJf "$ROOT/.gpu/deps.tar.xz" -C "$PREFIX" || return 1
    # Files named by the packed CMake export sets that Clade never links: present, empty.
    while IFS= read -r f; do
        [ -n "$f" ] && [ ! -e "$PREFIX$f" ] && mkdir -p "$(dirname "$PREFIX$f")" && : > "$PREFIX$f"
    done < "$PREFIX/placeholders.txt"
    return 0
}
step unpack unpack || exit 1
export LD_LIBRARY_PATH=$PREFIX/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export QT_PLUGIN_PATH=$PREFIX/usr/lib/x86_64-linux-gnu/qt6/plugins
export QT_QPA_PLATFORM=offscreen
export CLADE_SHARED_DATA=$ROOT/.gpu/shared   # the tests run directly here, not through ctest
TORCH_PREFIX=$(python3 -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')

step configure cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$PREFIX/usr;$TORCH_PREFIX" -DCLADE_BUILD_GUI=OFF -DCLADE_WITH_FAISS=OFF -DCLADE_OPENBLAS=OFF \
    -DCLADE_SHARED_DATA="$ROOT/.gpu/shared" || exit 1
# Empty plugin placeholders were only for configuring; Qt would warn about each at run time.
find "$PREFIX/usr/lib/x86_64-linux-gnu/qt6/plugins" -type f -empty -delete
grep -E '^(Torch_DIR|Qt6_DIR|OpenCV_DIR|exiv2_DIR|SQLite3_LIBRARY|ZLIB_LIBRARY_RELEASE):' "$BUILD/CMakeCache.txt" | tee -a "$SUMMARY"

TARGETS=${TARGETS:-"clade-cli bench_embed tst_clipmodel tst_clipdevice tst_clipactivation tst_sic"}
existing=""
for t in $TARGETS; do
    ninja -C "$BUILD" -t query "$t" > /dev/null 2>&1 && existing="$existing $t"
done
step build ninja -C "$BUILD" -j"$(nproc)" $existing || exit 1

# The subset of clip-parity in .gpu/shared holds model A (tiny-vit) in both formats; model B's
# weights stay on the CPU machines (the transfer to the GPU machine is limited to 64 MiB), and
# the tests that need them skip.
cd "$BUILD"
step tst_clipdevice ./tests/clip/tst_clipdevice
step tst_clipmodel ./tests/clip/tst_clipmodel   # model B's rows skip: its weights are not carried
step tst_clipactivation ./tests/clip/tst_clipactivation
cd "$SRC"
# The Python peer runs on the machine's own libraries, not on the Debian ones packed for Clade.
PY=/tmp/python3-system-libs
printf '#!/bin/sh\nunset LD_LIBRARY_PATH QT_PLUGIN_PATH\nexec python3 "$@"\n' > "$PY" && chmod +x "$PY"
step bench_embed env BUILD_DIR="$BUILD" PYTHON="$PY" bash bench/embed/run.sh --device cuda \
    --workdir /tmp/clade-embed --photos "${PHOTOS:-96}" --model-seconds 4
cd "$BUILD"
step tst_sic ./tests/sic/tst_sic
say "done"
