#!/bin/bash
# Prints the path of a default sample of real photographs, fetching it on first use: the
# photographs of Debian's mate-backgrounds package (nature: a ladybird, flowers, a meadow, a
# dune, rain drops, a storm, wood, elephants, ...; GPL-2+, see COPYRIGHT beside the folder),
# downloaded with apt-get download, not installed. If that package cannot be fetched, the
# example photos of opencv-doc are used instead.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/clade"
dest="$cache/sample-photos-mate"
if [ -z "$(ls -A "$dest" 2>/dev/null)" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/x"
    if (cd "$work" && apt-get download -qq mate-backgrounds >/dev/null 2>&1); then
        mkdir -p "$dest"
        dpkg-deb -x "$work"/mate-backgrounds_*.deb "$work/x"
        mate="$work/x/usr/share/backgrounds/mate"
        # The photographs; the PNGs are drawn art, and the two large Elephants files repeat one photo.
        cp "$mate"/nature/*.jpg "$mate"/desktop/*.jpg "$mate"/abstract/Elephants.jpg "$dest/"
        cp "$work"/x/usr/share/doc/mate-backgrounds/copyright "$cache/sample-photos-mate-COPYRIGHT"
    else
        echo "sample-photos: could not download mate-backgrounds; using opencv-doc's example photos" >&2
        dest="$cache/sample-photos"
        if [ -z "$(ls -A "$dest" 2>/dev/null)" ]; then
            (cd "$work" && apt-get download -qq opencv-doc >/dev/null 2>&1) || {
                echo "sample-photos: could not download opencv-doc either (apt-get update may be needed)" >&2; exit 1; }
            mkdir -p "$dest"
            dpkg-deb --fsys-tarfile "$work"/opencv-doc_*.deb | tar -x -C "$work/x" --wildcards './usr/share/doc/opencv-doc/examples/data/*.jpg'
            cp "$work"/x/usr/share/doc/opencv-doc/examples/data/*.jpg "$dest/"
        fi
    fi
fi
echo "$dest"
