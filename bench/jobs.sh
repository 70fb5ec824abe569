#!/usr/bin/env bash
# Benchmarks background jobs: scan jobs of 1 000 small JPEGs on one
# instance and, with PROVGRAPH_TEST_DATABASE_URL set (PostgreSQL), on two
# instances over one database. Prints items/s against the same files
# scanned one after the other in-process (the baseline, same run), and the
# p50/p99 latency from an item's completion to its event at a WebSocket
# subscriber. Blobs and SQLite live under $TMPDIR (default /dev/shm when
# present). Raw output: bench/out/jobs.txt.
# Usage: bench/jobs.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1}"
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ]; then export TMPDIR=/dev/shm; fi
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkScanJob' -benchtime 1x -count "$count" ./server/ | tee bench/out/jobs.txt >/dev/null

awk '
  /^BenchmarkScanJob\// {
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^BenchmarkScanJob\//, "", name)
    for (i = 2; i < NF; i++) {
      if ($(i+1) == "items/s") items[name] += $i
      if ($(i+1) == "sync-items/s") sync[name] += $i
      if ($(i+1) == "create-s") create[name] += $i
      if ($(i+1) == "p50-ms") p50[name] += $i
      if ($(i+1) == "p99-ms") p99[name] += $i
    }
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    runs[name]++
  }
  END {
    printf "%-22s %9s %13s %9s %9s %9s %9s\n", "case", "items/s", "sync items/s", "ratio", "create s", "p50 ms", "p99 ms"
    for (k = 1; k <= n; k++) {
      s = order[k]; r = runs[s]
      printf "%-22s %9.0f %13.0f %8.2fx %9.2f %9.2f %9.2f\n", s, items[s]/r, sync[s]/r, items[s]/sync[s], create[s]/r, p50[s]/r, p99[s]/r
    }
  }' bench/out/jobs.txt
