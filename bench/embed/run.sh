#!/usr/bin/env bash
# bench/embed/run.sh [--photos N] [--device auto|cpu|cuda] [--workdir DIR] [--model-seconds S]
#                    [--precision auto|fp32|fp16] [--bf16]
#
# One invocation: makes its inputs once (N seeded 4000x3000 JPEGs and a ViT-B/32-shaped CLIP
# with RANDOM weights), runs Clade's bench_embed and the eager-PyTorch peer (peer.py) on the
# same folder and prints images/s for each, their ratio and Clade's share of the fp32 ceiling
# and of a measured GEMM peak. --bf16 (CPU, fp32) also times Clade's bf16 tower beside it.
#
# Environment: BUILD_DIR (default ./build) holds bench/embed/bench_embed; PYTHON picks the
# interpreter for the peer (default: the first of /usr/bin/python3 and the PATH python3 that
# imports torch, PIL and numpy; as root, Debian's packages are installed when neither does).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
count=""
device=auto
workdir="${TMPDIR:-/tmp}/clade-bench-embed"
model_seconds=6
precision=auto
bf16=()

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "run.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --photos) count=${2:?}; shift 2 ;;
        --device) device=${2:?}; shift 2 ;;
        --workdir) workdir=${2:?}; shift 2 ;;
        --model-seconds) model_seconds=${2:?}; shift 2 ;;
        --precision) precision=${2:?}; shift 2 ;;
        --bf16) bf16=(--compare-bf16); shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
    esac
done
case "$device" in auto|cpu|cuda) ;; *) die "--device must be auto, cpu or cuda (got '$device')" ;; esac
case "$precision" in auto|fp32|fp16) ;; *) die "--precision must be auto, fp32 or fp16 (got '$precision')" ;; esac
if [ -n "$count" ] && ! [[ "$count" =~ ^[1-9][0-9]*$ ]]; then die "--photos needs a positive number (got '$count')"; fi

bench="${BUILD_DIR:-./build}/bench/embed/bench_embed"
[ -x "$bench" ] || die "no $bench: build it first (cmake --build ${BUILD_DIR:-./build} --target bench_embed), or set BUILD_DIR"

imports_ok() { "$1" -c 'import torch, PIL, numpy' >/dev/null 2>&1; }

pick_python() {
    if [ -n "${PYTHON:-}" ]; then
        imports_ok "$PYTHON" || die "PYTHON=$PYTHON cannot import torch, PIL and numpy"
        echo "$PYTHON"; return
    fi
    for candidate in /usr/bin/python3 python3; do
        if command -v "$candidate" >/dev/null && imports_ok "$candidate"; then echo "$candidate"; return; fi
    done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian's python3-torch, python3-pil and python3-numpy" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-pil python3-numpy >&2 \
            || die "apt-get install failed"
        imports_ok /usr/bin/python3 && { echo /usr/bin/python3; return; }
    fi
    die "no Python with torch, PIL and numpy: install python3-torch python3-pil python3-numpy, or set PYTHON"
}

python=$(pick_python)
if [ "$device" = auto ]; then
    if "$python" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then device=cuda; else device=cpu; fi
fi
[ -n "$count" ] || { [ "$device" = cuda ] && count=256 || count=64; }

mkdir -p "$workdir"
photos="$workdir/photos-4000x3000-$count"
weights="$workdir/vit-b-32-random-seed20240601.safetensors"
"$python" "$here/make_photos.py" "$photos" --count "$count"
[ -f "$weights" ] || "$python" "$here/make_weights.py" "$weights" --seed 20240601
echo "weights: $weights (ViT-B/32-shaped, RANDOM values: speed only, the embeddings mean nothing)"

loadavg() { [ -r /proc/loadavg ] && cut -d' ' -f1-3 /proc/loadavg || echo unknown; }
echo "load average before: $(loadavg) (other work on the cores lowers every figure)"

# auto precision on both sides: fp16 on CUDA, fp32 on the CPU.
echo; echo "== Clade (bench_embed) =="
clade_log="$workdir/clade.log"
"$bench" --weights "$weights" --photos "$photos" --device "$device" --precision "$precision" \
    --model-seconds "$model_seconds" "${bf16[@]}" | tee "$clade_log"

echo; echo "== Python peer (peer.py, $python) =="
peer_log="$workdir/peer.log"
"$python" "$here/peer.py" --weights "$weights" --photos "$photos" --device "$device" --precision "$precision" \
    --model-seconds "$model_seconds" | tee "$peer_log"

echo; echo "load average after: $(loadavg)"
"$python" "$here/report.py" --clade "$clade_log" --peer "$peer_log" --photos "$photos" --count "$count"
