#!/bin/bash
# Fails, naming the files, when a C++ source differs from what .clang-format makes of it, or
# when a file of ui/ grows past 500 lines (docs/ARCHITECTURE.md: the window is made of
# controllers; a file that large wants one more).
# packaging/test.sh runs it before building. To fix: packaging/check-format.sh --fix
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
    echo "check-format: clang-format is not installed (apt-get install clang-format)" >&2
    exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h')
else
    mapfile -t files < <(find app core ui tests bench -name '*.cpp' -o -name '*.h')
fi
if [ "${1:-}" = "--fix" ]; then
    printf '%s\0' "${files[@]}" | xargs -0 -n 20 "$format" -i
    exit 0
fi
bad=()
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    "$format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
    echo "check-format: ${#bad[@]} file(s) are not formatted as .clang-format says:" >&2
    printf '  %s\n' "${bad[@]}" >&2
    echo "check-format: run packaging/check-format.sh --fix" >&2
    exit 1
fi
long=()
for f in "${files[@]}"; do
    [[ "$f" == ui/* && -f "$f" ]] || continue
    lines=$(wc -l <"$f")
    [ "$lines" -le 500 ] || long+=("$f ($lines lines)")
done
if [ ${#long[@]} -gt 0 ]; then
    echo "check-format: ui/ files over 500 lines; split them into controllers or parts:" >&2
    printf '  %s\n' "${long[@]}" >&2
    exit 1
fi
echo "check-format: ${#files[@]} files formatted"
