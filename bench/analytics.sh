#!/usr/bin/env bash
# Benchmarks analytics on PostgreSQL (PROVGRAPH_TEST_DATABASE_URL must be
# set): seeds an account of 1 000 000 assets over a year with bulk SQL,
# then prints the p50/p95 latency of every analytics query over one month
# of it, and the NDJSON export of the whole account: rows/s, time to the
# first byte and the process's peak RSS. Raw output: bench/out/analytics.txt.
# Usage: bench/analytics.sh [iterations per query, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-30}"
: "${PROVGRAPH_TEST_DATABASE_URL:?set PROVGRAPH_TEST_DATABASE_URL to a PostgreSQL database}"
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkAnalytics' -benchtime "${n}x" -timeout 30m ./analytics/ | tee bench/out/analytics.txt >/dev/null

awk '
  /^BenchmarkAnalytics\/export/ {
    for (i = 2; i < NF; i++) {
      if ($(i+1) == "rows/s") rows = $i
      if ($(i+1) == "first-byte-ms") first = $i
      if ($(i+1) == "peak-rss-MiB") rss = $i
    }
    next
  }
  /^BenchmarkAnalytics\// {
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^BenchmarkAnalytics\//, "", name)
    for (i = 2; i < NF; i++) {
      if ($(i+1) == "p50-ms") p50[name] = $i
      if ($(i+1) == "p95-ms") p95[name] = $i
    }
    order[++k] = name
  }
  END {
    printf "%-32s %9s %9s\n", "query (one month, 1M-asset account)", "p50 ms", "p95 ms"
    for (j = 1; j <= k; j++) printf "%-32s %9.2f %9.2f\n", order[j], p50[order[j]], p95[order[j]]
    printf "export (whole account, NDJSON): %.0f rows/s, first byte after %.1f ms, peak RSS %.0f MiB\n", rows, first, rss
  }' bench/out/analytics.txt
