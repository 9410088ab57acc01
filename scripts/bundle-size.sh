#!/usr/bin/env bash
# Measures the browser code of the release build as it is sent — the precompressed copies the
# server hands out (brotli to browsers that accept it, gzip to the others) — and fails above the
# limit of the quality bar: 100 KiB of WebAssembly, JavaScript and CSS on the first load of a
# signed-in page. Visitors without a session get the CSS only (the end-to-end suite checks that
# public pages request no script or WebAssembly).
set -euo pipefail
cd "$(dirname "$0")/.."
# The release build optimises the bundle with binaryen 132 from npm (see scripts/install.sh).
export PATH="$PWD/scripts/binaryen/node_modules/.bin:$PATH"
log=$(mktemp)
if ! cargo leptos build --release --precompress --frontend-only >"$log" 2>&1; then
  cat "$log" >&2
  # 2: no bundle was built (1: built, but too large).
  exit 2
fi
rm -f "$log"
pkg=target/site/pkg
# The asset names carry content hashes; the build lists them beside the release binary.
hashes=target/release/hash.txt
[ -f "$hashes" ] || { echo "FEHLER: $hashes fehlt (Dateinamen mit Prüfsummen erwartet)" >&2; exit 1; }
name() { printf 'ozg-portal.%s.%s' "$(awk -F': *' -v k="$1" '$1 == k { print $2 }' "$hashes")" "$1"; }
wasm_file=$(name wasm); js_file=$(name js); css_file=$(name css)
limit=$((100 * 1024))
status=0
for enc in br gz; do
  wasm=$(wc -c <"$pkg/$wasm_file.$enc")
  js=$(wc -c <"$pkg/$js_file.$enc")
  css=$(wc -c <"$pkg/$css_file.$enc")
  signed=$((wasm + js + css))
  kib=$(awk -v b="$signed" 'BEGIN { printf "%.1f", b / 1024 }')
  printf '%s: WebAssembly %d B, JavaScript %d B, CSS %d B; angemeldete Seite %d B (%s KiB), öffentliche Seite %d B (nur CSS); Grenze %d B\n' \
    "$enc" "$wasm" "$js" "$css" "$signed" "$kib" "$css" "$limit"
  if [ "$signed" -gt "$limit" ]; then
    echo "FEHLER: die erste Ladung einer angemeldeten Seite ($enc) ist größer als 100 KiB" >&2
    status=1
  fi
done
printf 'unkomprimiert: WebAssembly %d B\n' "$(wc -c <"$pkg/$wasm_file")"
exit $status
