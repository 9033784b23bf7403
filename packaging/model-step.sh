#!/bin/bash
# quickstart's model step: installs the catalogue's default CLIP model (and the BPE vocabulary),
# with progress, unless one is installed already. Offline or failing, says so in one line and
# returns 0: Clade then groups by look. CLADE_NO_DOWNLOAD=1 skips the download.
#   packaging/model-step.sh CLADE_CLI
set -uo pipefail
cli="$1"
if [ "${CLADE_NO_DOWNLOAD:-0}" = 1 ]; then
    echo "quickstart: CLADE_NO_DOWNLOAD=1, so no CLIP model is downloaded."
    exit 0
fi
if "$cli" models install default --if-online; then
    exit 0
fi
echo "quickstart: no CLIP model (see the line above), so the photos are grouped by look, not meaning."
exit 0
