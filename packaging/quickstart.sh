#!/bin/bash
# Command 1 of the README: install what is missing, build, and sort a photo folder into groups.
#   packaging/quickstart.sh [PHOTO_FOLDER] [K]
# Without a folder, a sample of real photographs (Debian's mate-backgrounds) is used.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
folder="${1:-}"
if [ -z "$folder" ]; then
    folder=$("$root/packaging/sample-photos.sh")
    echo "No folder given: using the sample photos in $folder"
fi
k="${2:-6}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
"$root/packaging/model-step.sh" "$root/build/app/clade-cli"
exec "$root/build/app/clade-cli" cluster "$folder" --k "$k"
