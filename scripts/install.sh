#!/usr/bin/env bash
# Installs what building and testing the portal needs, skipping whatever is already there.
# Debian (root or sudo), Rust via rustup. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# The SMTP relay of the mail tests (STARTTLS and AUTH) and the certificates of the TLS tests.
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The load generator of the throughput benchmarks (`server bench throughput`, `bench lagebild`).
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
# The W3C Nu HTML checker of the end-to-end tests (vnu-jar from npm) runs on Java.
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== Systempakete installieren: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The toolchain pinned in rust-toolchain.toml, with the wasm target.
rustup target add wasm32-unknown-unknown >/dev/null

if ! cargo leptos --version 2>/dev/null | grep -q "0.3.10"; then
  echo "== cargo-leptos 0.3.10 installieren (einmalig, etwa 15 Minuten)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock exactly.
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wbg"; then
  echo "== wasm-bindgen-cli $wbg installieren (einmalig, etwa 3 Minuten)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli@"$wbg"
fi

# wasm-opt for the release bundle, from npm (binaryen 132): Debian's binaryen 108 turns the
# bundle's externref table export into the function table, and no island starts. Used by
# scripts/run.sh and scripts/bundle-size.sh ahead of Debian's through PATH.
if ! scripts/binaryen/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version 132"; then
  echo "== wasm-opt (binaryen 132) aus npm installieren"
  (cd scripts/binaryen && npm ci --no-audit --no-fund >/dev/null)
fi
