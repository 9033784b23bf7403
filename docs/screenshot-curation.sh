#!/bin/sh
# Makes the README's picture of curating a run: groups a folder with clade-cli (k-means on the
# visual descriptor), then shows it in the clade GUI under a virtual X server with the grid
# ordered least certain first (the amber "?" marks the photos below confidence 0.5) and the
# Problems panel open, and saves a picture of the window.
#
#   docs/screenshot-curation.sh [--build DIR] [--k K] FOLDER [OUTPUT]
#
# FOLDER should hold a file or two that cannot be read, so that the panel lists something.
# --build: the build folder (default: build). OUTPUT defaults to docs/screenshot-curation.png.
# Nothing outside a temporary directory and the picture is written.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build"
k=4
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=$2; shift 2 ;;
        --k) k=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) echo "screenshot-curation.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || { echo "usage: docs/screenshot-curation.sh [--build DIR] [--k K] FOLDER [OUTPUT]" >&2; exit 2; }
folder=$(cd "$1" && pwd)
output=${2:-$here/screenshot-curation.png}
cli="$build/app/clade-cli"
gui="$build/app/gui/clade"
for tool in "$cli" "$gui"; do
    [ -x "$tool" ] || { echo "screenshot-curation.sh: $tool is not built" >&2; exit 2; }
done
command -v xvfb-run >/dev/null || { echo "screenshot-curation.sh: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
catalog="$work/catalog.sqlite"
"$cli" cluster "$folder" --k "$k" --method kmeans --catalog "$catalog" --quiet >/dev/null
# What the window remembers from the last session: least certain first, the panel open.
mkdir -p "$XDG_CONFIG_HOME/clade"
printf '[grid]\norder=4\n\n[window]\nproblemsPanel=true\n' >"$XDG_CONFIG_HOME/clade/clade.conf"
QT_QPA_PLATFORM=xcb timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$gui" --catalog "$catalog" --screenshot "$output" "$folder"
echo "screenshot-curation.sh: wrote $output"
