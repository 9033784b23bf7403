#!/bin/sh
# Makes the README's screenshot: runs the clade GUI under a virtual X server (xvfb-run) on a
# photo folder with a throw-away catalog and cache, waits until the run has finished and the
# thumbnails are in, and saves a picture of the main window.
#
#   docs/screenshot.sh [--clade PATH] [--k K] FOLDER [OUTPUT]
#
# --clade: the GUI binary (default: build/app/gui/clade). OUTPUT defaults to
# docs/screenshot-main.png. Nothing outside the temporary directory and OUTPUT is written.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
clade="$here/../build/app/gui/clade"
k=10
while [ $# -gt 0 ]; do
    case "$1" in
        --clade) clade=$2; shift 2 ;;
        --k) k=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) echo "screenshot.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: docs/screenshot.sh [--clade PATH] [--k K] FOLDER [OUTPUT]" >&2; exit 2; }
folder=$1
output=${2:-$here/screenshot-main.png}
[ -d "$folder" ] || { echo "screenshot.sh: $folder is not a folder" >&2; exit 2; }
[ -x "$clade" ] || { echo "screenshot.sh: $clade is not built (cmake --build build --target clade)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshot.sh: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The user's catalog, thumbnails and models stay untouched: everything goes to $work.
XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config" \
QT_QPA_PLATFORM=xcb \
    timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$clade" --catalog "$work/catalog.sqlite" --k "$k" --run --screenshot "$output" "$folder"
echo "screenshot.sh: wrote $output"
