#!/bin/bash
# Installs the Debian 12 packages Clade needs that are missing. The system's BLAS alternative is
# left alone: Clade's executables load OpenBLAS-openmp by their run path (CLADE_OPENBLAS in
# CMakeLists.txt), whatever libblas.so.3 points to.
# Idempotent, and quiet when everything is already there. Needs root (or sudo) only to install.
# Usage: install-deps.sh [--dev]
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config ccache
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libgl-dev libglx-dev fonts-dejavu-core
    libopencv-dev libexiv2-dev libsqlite3-dev zlib1g-dev
    libtorch-dev libopenblas0-openmp libfaiss-dev
    wordnet-base
    xvfb xauth
    appstream desktop-file-utils dpkg-dev qt6-translations-l10n
)
# --dev: what the test command needs beyond building (the format check).
[ "${1:-}" = "--dev" ] && packages+=(clang-format)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "install-deps: need root to run: $*" >&2; exit 1
    fi
}

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

