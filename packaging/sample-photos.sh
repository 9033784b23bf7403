#!/bin/bash
# Prints the path of a default sample of real photographs, fetching it on first use:
# the example photos of Debian's opencv-doc package (downloaded, not installed).
set -euo pipefail
dest="${XDG_CACHE_HOME:-$HOME/.cache}/clade/sample-photos"
if [ -z "$(ls -A "$dest" 2>/dev/null)" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    (cd "$work" && apt-get download -qq opencv-doc >/dev/null 2>&1) || {
        echo "sample-photos: could not download opencv-doc (apt-get update may be needed)" >&2; exit 1; }
    mkdir -p "$work/x" "$dest"
    dpkg-deb --fsys-tarfile "$work"/opencv-doc_*.deb | tar -x -C "$work/x" --wildcards './usr/share/doc/opencv-doc/examples/data/*.jpg'
    cp "$work"/x/usr/share/doc/opencv-doc/examples/data/*.jpg "$dest/"
fi
echo "$dest"
