#!/usr/bin/env bash
# Installs what is missing, builds in release mode, imports the reference data, creates the
# demo accounts (printed once) and serves the portal at http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
# The release build optimises the bundle with binaryen 132 from npm (see scripts/install.sh).
export PATH="$PWD/scripts/binaryen/node_modules/.bin:$PATH"
bash scripts/install.sh
echo "== Bauen (Release)"
cargo leptos build --release --precompress
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
echo "== Referenzdaten importieren"
./target/release/server import
echo "== Portal starten"
exec ./target/release/server serve --demo
