#!/usr/bin/env bash
# Runs provgraph's whole test suite on a fresh machine: it starts PostgreSQL
# when it is installed but down, gives the tests a fresh database, installs
# the c2pa-rs oracle from ../shared/tools/c2pa-oracle into a scratch folder,
# and runs `go test` over every package. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${PROVGRAPH_SHARED:-$root/../shared}
export PROVGRAPH_SHARED=$shared

# Tools the tests call: pdftotext (certificate PDFs are checked by reading them back).
if ! command -v pdftotext >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq poppler-utils) >/dev/null
fi
# chromium: the public pages are tested in a real browser (server/pages_test.go).
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null
fi

# PostgreSQL: tests run on SQLite always, and on PostgreSQL too when a URL is set.
if [ -z "${PROVGRAPH_TEST_DATABASE_URL:-}" ] && command -v psql >/dev/null; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    db="provgraph_test_$(date +%s)_$$"
    psql -h 127.0.0.1 -U postgres -qAt -c "CREATE DATABASE $db" >/dev/null
    trap 'psql -h 127.0.0.1 -U postgres -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
    export PROVGRAPH_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable"
    echo "test database: $PROVGRAPH_TEST_DATABASE_URL"
  else
    echo "PostgreSQL is not reachable: running on SQLite only" >&2
  fi
fi

# The c2pa-rs oracle (WebAssembly under Node) for interoperability tests.
if [ -z "${PROVGRAPH_ORACLE:-}" ] && [ -d "$shared/tools/c2pa-oracle" ] && command -v npm >/dev/null; then
  oracle=${TMPDIR:-/tmp}/provgraph-c2pa-oracle
  if [ ! -d "$oracle/node_modules/@contentauth" ]; then
    rm -rf "$oracle" && cp -r "$shared/tools/c2pa-oracle" "$oracle" && chmod -R u+w "$oracle"
    (cd "$oracle" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  export PROVGRAPH_ORACLE=$oracle
fi

# axe-core, injected into the public pages by the browser tests; they fail
# rather than skip the audit when PROVGRAPH_AXE is set but unusable.
if [ -z "${PROVGRAPH_AXE:-}" ]; then
  axe=${TMPDIR:-/tmp}/provgraph-axe
  if [ ! -f "$axe/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null; then
    mkdir -p "$axe" && (cd "$axe" && npm install --no-audit --no-fund --loglevel=error axe-core@4 >/dev/null)
  fi
  export PROVGRAPH_AXE=$axe/node_modules/axe-core/axe.min.js
fi
# Screenshots of the public pages land here (gitignored).
export PROVGRAPH_ARTIFACTS=${PROVGRAPH_ARTIFACTS:-$root/testdata/artifacts}

go test -count=1 -timeout 20m "$@" ./...
