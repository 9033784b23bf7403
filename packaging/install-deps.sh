#!/bin/bash
# Installs the Debian 12 packages Clade needs that are missing, and points the system BLAS at
# OpenBLAS (OpenMP flavour), which libtorch then shares its thread pool with.
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

# Debian's libtorch links libblas.so.3, which defaults to the reference BLAS (~55x slower for
# CLIP here). OpenBLAS-openmp shares libgomp's pool, so at::set_num_threads governs it too.
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for alt in libblas.so.3 liblapack.so.3 libopenblas.so.0; do
    name="$alt-$arch"
    want="/usr/lib/$arch/openblas-openmp/$alt"
    [ -e "$want" ] || continue
    current=$(update-alternatives --query "$name" 2>/dev/null | sed -n 's/^Value: //p')
    if [ "$current" != "$want" ]; then
        echo "install-deps: $name -> $want"
        as_root update-alternatives --quiet --set "$name" "$want"
    fi
done
