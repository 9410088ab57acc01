#!/usr/bin/env bash
# Runs every test: unit, integration on SQLite, the same integration suite on PostgreSQL
# (a throwaway local cluster, or TEST_DATABASE_URL), and the end-to-end suite in Chromium.
# The tests and the PostgreSQL run select the same packages (the workspace without the browser
# crate), so they share one build.
# Fails when any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Each phase says how long it took, and the run ends with the table of phases.
phase_name=""
phase_start=$SECONDS
phases=""
phase() {
  if [ -n "$phase_name" ]; then
    phases="${phases}$(printf '%5d s  %s' $((SECONDS - phase_start)) "$phase_name")\n"
  fi
  phase_name="$1"
  phase_start=$SECONDS
  if [ -n "$1" ]; then echo "== $1"; fi
}

phase "Werkzeuge prüfen (scripts/install.sh)"
bash scripts/install.sh

# A CI run builds once from a clean clone: incremental compilation caches would only fill the
# disk (they are as large as the build itself).
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
free_gib=$(df -Pk "$root" | awk 'NR == 2 { print int($4 / 1048576) }')
if [ "${free_gib:-0}" -lt 25 ]; then
  echo "WARNUNG: nur ${free_gib} GiB frei; ein Lauf aus einem frischen Klon legt Debug-, Test- und Release-Builds an und kann am Platz scheitern (Linkerfehler)." >&2
fi

work=$(mktemp -d /tmp/ozg-test.XXXXXX)
chmod 755 "$work"
server_pid=""
bundle_pid=""
short_pid=""
demo_pid=""
sink_pid=""
op_pid=""
pg_bin=""
cleanup() {
  for pid in $bundle_pid $server_pid $short_pid $demo_pid $sink_pid $op_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_bin" ] && [ -f "$work/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

phase "Prüfen, dass serverseitige Crates nicht im WebAssembly-Bundle landen"
wasm_tree=$(cargo tree -q -p frontend --target wasm32-unknown-unknown -e normal --prefix none)
[ -n "$wasm_tree" ] || { echo "FEHLER: cargo tree lieferte nichts" >&2; exit 1; }
for crate in sea-orm sqlx-core mio argon2 tokio; do
  if printf '%s\n' "$wasm_tree" | grep -q "^$crate v"; then
    echo "FEHLER: das Browser-Bundle hängt von $crate ab" >&2
    exit 1
  fi
done
echo "ok: sea-orm, sqlx-core, mio, argon2 und tokio fehlen im Browser-Bundle"

phase "Keine Quelldatei über 500 Zeilen (Tests ausgenommen)"
oversize=$(git ls-files -- '*.rs' '*.ts' '*.css' '*.sh' ':!:server/tests/**' ':!:end2end/tests/**' | xargs wc -l | awk '$2 != "total" && $1 > 500 { print "  " $2 ": " $1 " Zeilen" }')
if [ -n "$oversize" ]; then
  echo "FEHLER: diese Dateien sind länger als 500 Zeilen; teilen Sie sie nach Aufgaben:" >&2
  echo "$oversize" >&2
  exit 1
fi
echo "ok: jede Quelldatei hat höchstens 500 Zeilen"

phase "Build der Tests (cargo test --no-run)"
env -u TEST_DATABASE_URL cargo test --workspace --exclude frontend --no-run
# Four test threads on two cores: a test waits on the database's disk or server as much as it
# computes. Every test has a database of its own.
threads=4

# The release build of the browser bundle runs beside the tests, which leave a core idle about
# half the time; its phase below waits for it and shows what it printed.
bundle_log="$work/bundle-size.log"
bash scripts/bundle-size.sh >"$bundle_log" 2>&1 &
bundle_pid=$!
phase "Unit- und Integrationstests (SQLite)"
env -u TEST_DATABASE_URL cargo test --workspace --exclude frontend -- --test-threads=$threads

phase "Integrationstests (PostgreSQL)"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "PostgreSQL aus TEST_DATABASE_URL"
  cargo test --workspace --exclude frontend --test integration -- --test-threads=$threads
else
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || ! id postgres >/dev/null 2>&1; then
    echo "PostgreSQL ÜBERSPRUNGEN: weder TEST_DATABASE_URL gesetzt noch PostgreSQL-Serverprogramme (initdb) und Benutzer postgres vorhanden." >&2
    pg_bin=""
  else
    port=$(free_port)
    mkdir -p "$work/pg"
    chown postgres "$work/pg"
    runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # TLS with a certificate authority made here: the TLS tests connect with sslmode=verify-full.
    bash scripts/test-pki.sh "$work/pgtls" >/dev/null
    install -o postgres -m 600 "$work/pgtls/server.crt" "$work/pgtls/server.key" "$work/pg/"
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -w -l "$work/pg/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $work/pg -c max_connections=300 -c fsync=off -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key" start >/dev/null
    echo "Wegwerf-Cluster PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') auf Port $port (TLS an)"
    # Plain connections for the suite (a TLS handshake per connection of an unoptimised build
    # cost a third of its time); the TLS tests name sslmode in their URLs, which wins.
    PGSSLMODE=disable TEST_PG_CA_FILE="$work/pgtls/ca.pem" TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" cargo test --workspace --exclude frontend --test integration -- --test-threads=$threads
  fi
fi

# The browser code is built once, as it ships (release, precompressed), measured against the
# size limit, and served to the end-to-end tests by the server binary the tests above built:
# neither side of the release build erases component types, so the debug server's islands and
# the release bundle agree, and no second build of the server is needed. The asset names with
# their hashes come from the hash file the build writes beside the release binary.
phase "Browser-Bundle (Release) bauen und Größe prüfen (Warten auf den Build neben den Tests)"
bundle_status=0
wait "$bundle_pid" || bundle_status=$?
bundle_pid=""
cat "$bundle_log"
if [ "$bundle_status" -gt 1 ] || [ ! -f target/release/hash.txt ]; then
  echo "FEHLER: das Browser-Bundle wurde nicht gebaut" >&2
  exit 1
fi
cp target/release/hash.txt target/debug/hash.txt
phase "End-to-End-Tests (Chromium)"
port=$(free_port)
export DATABASE_URL="sqlite://$work/e2e/portal.sqlite"
export LEPTOS_SITE_ADDR="127.0.0.1:$port"
export LEPTOS_SITE_ROOT="$root/target/site"
./target/debug/server import >/dev/null
# The portal the tests work in has the demo accounts only; the tests write their own data.
./target/debug/server demo --reset --accounts-only --credentials-file "$work/demo-credentials.csv" >/dev/null
# A second portal on a database of its own holds the demo data, as `serve --demo` shows it.
mkdir -p "$work/demo"
DATABASE_URL="sqlite://$work/demo/portal.sqlite" ./target/debug/server import >/dev/null
DATABASE_URL="sqlite://$work/demo/portal.sqlite" ./target/debug/server demo --credentials-file "$work/demo-full.csv" >/dev/null
# Mail goes through a real SMTP conversation to a sink on loopback; the tests read its files.
smtp_port=$(free_port)
node end2end/mail-sink.mjs "$smtp_port" "$work/mail" >"$work/mail-sink.log" 2>&1 &
sink_pid=$!
# A real OpenID provider on loopback (the certified oidc-provider package) with the portal as client.
(cd end2end && { [ -d node_modules/oidc-provider ] && [ ! package-lock.json -nt node_modules ]; } || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
op_port=$(free_port)
node end2end/oidc-provider.mjs "$op_port" "http://127.0.0.1:$port" >"$work/oidc-provider.log" 2>&1 &
op_pid=$!
PORTAL_SMTP_HOST=127.0.0.1 PORTAL_SMTP_PORT="$smtp_port" PORTAL_SMTP_TLS=none PORTAL_SMTP_ALLOW_UNENCRYPTED=true PORTAL_MAIL_FROM=portal@sachsen-anhalt.example PORTAL_BARRIER_MAIL=barrieren@sachsen-anhalt.example \
  PORTAL_OIDC_ISSUER="http://127.0.0.1:$op_port" PORTAL_OIDC_CLIENT_ID=ozg-portal PORTAL_OIDC_CLIENT_SECRET=e2e-geheimnis \
  ./target/debug/server serve >"$work/e2e-server.log" 2>&1 &
server_pid=$!
# A second instance on the same database with a one-minute idle timeout, for the session warning.
short_port=$(free_port)
LEPTOS_SITE_ADDR="127.0.0.1:$short_port" PORTAL_SESSION_IDLE_MINUTES=1 ./target/debug/server serve >"$work/e2e-short.log" 2>&1 &
short_pid=$!
demo_port=$(free_port)
DATABASE_URL="sqlite://$work/demo/portal.sqlite" LEPTOS_SITE_ADDR="127.0.0.1:$demo_port" ./target/debug/server serve >"$work/e2e-demo.log" 2>&1 &
demo_pid=$!
for p in "$port" "$short_port" "$demo_port"; do
  for _ in $(seq 1 100); do
    if curl -fs "http://127.0.0.1:$p/readyz" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  curl -fs "http://127.0.0.1:$p/readyz" >/dev/null || { echo "Server nicht bereit:" >&2; cat "$work"/e2e-*.log >&2; exit 1; }
done
cd end2end
MAIL_DIR="$work/mail" BASE_URL="http://127.0.0.1:$port" SHORT_IDLE_URL="http://127.0.0.1:$short_port" DEMO_CREDENTIALS="$work/demo-credentials.csv" \
  DEMO_URL="http://127.0.0.1:$demo_port" DEMO_FULL_CREDENTIALS="$work/demo-full.csv" npx playwright test || {
  status=$?
  # The portals' logs go with the temporary directory: what they logged as errors and warnings
  # is kept in the output, so a failed end-to-end test shows its server side.
  for log in "$work"/e2e-*.log; do
    echo "--- $(basename "$log"): Fehler und Warnungen ---" >&2
    grep -E 'ERROR|WARN' "$log" | tail -n 40 >&2 || true
  done
  exit "$status"
}

cd "$root"
phase ""
printf '\nDauer je Abschnitt:\n%b%5d s  insgesamt\n' "$phases" "$SECONDS"
if [ "$bundle_status" -ne 0 ]; then
  echo "FEHLER: das Browser-Bundle ist größer als erlaubt (siehe oben)" >&2
  exit "$bundle_status"
fi
