#!/bin/sh
# Makes the README's pictures of corrected groups and of the export dialog: groups a folder with
# clade-cli (k-means on the visual descriptor), corrects them from the command line (a new group
# with three photos, a locked group, a renamed group), then shows the result in the clade GUI
# under a virtual X server and saves a picture of the window, and one of the export dialog
# opened on the same run (clade --export).
#
#   docs/screenshot-corrections.sh [--build DIR] [--k K] FOLDER [OUTPUT [EXPORT_OUTPUT]]
#
# --build: the build folder (default: build). OUTPUT defaults to docs/screenshot-corrections.png,
# EXPORT_OUTPUT to docs/screenshot-export.png. Nothing outside a temporary directory and the
# two pictures is written.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build"
k=6
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift 2 ;;
        --k) k=$2; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) echo "screenshot-corrections.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: docs/screenshot-corrections.sh [--build DIR] [--k K] FOLDER [OUTPUT]" >&2; exit 2; }
folder=$(cd "$1" && pwd)
output=${2:-$here/screenshot-corrections.png}
export_output=${3:-$here/screenshot-export.png}
cli="$build/app/clade-cli"
gui="$build/app/gui/clade"
for tool in "$cli" "$gui"; do
    [ -x "$tool" ] || { echo "screenshot-corrections.sh: $tool is not built" >&2; exit 2; }
done
command -v xvfb-run >/dev/null || { echo "screenshot-corrections.sh: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
catalog="$work/catalog.sqlite"
run=$("$cli" cluster "$folder" --k "$k" --method kmeans --catalog "$catalog" --json --quiet |
      sed -n 's/^    "run": \([0-9]*\),*$/\1/p')
[ -n "$run" ] || { echo "screenshot-corrections.sh: the clustering run failed" >&2; exit 1; }
"$cli" correct --catalog "$catalog" --run "$run" --new-group "Keepers"
set -- $(find "$folder" -maxdepth 1 -type f | sort | head -3)
"$cli" correct --catalog "$catalog" --run "$run" --move-to "$k" "$@"
"$cli" correct --catalog "$catalog" --run "$run" --lock 0
"$cli" rename --catalog "$catalog" --run "$run" --cluster 0 "Checked: keep together"
QT_QPA_PLATFORM=xcb timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$gui" --catalog "$catalog" --screenshot "$output" "$folder"
QT_QPA_PLATFORM=xcb timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$gui" --catalog "$catalog" --export --screenshot "$export_output" "$folder"
echo "screenshot-corrections.sh: wrote $output and $export_output"
