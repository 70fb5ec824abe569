#!/usr/bin/env bash
# Benchmarks provgraph/cid: the CID of a generated stream (64 MiB and 1 GiB)
# against Go's crypto/sha256 over the same bytes in the same run, for each
# profile, and prints the rates and their ratio (target: >= 0.8x sha256).
# Usage: bench/cid.sh [quick]   ("quick" runs the 64 MiB streams only)
# The raw `go test -bench` output is kept in bench/out/cid.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
filter='BenchmarkSum/'
count=3
if [ "${1:-}" = quick ]; then
  filter='BenchmarkSum/.*/64MiB'
  count=5
fi
mkdir -p bench/out
go test -run '^$' -bench "$filter" -benchtime 1x -count "$count" ./cid/ | tee bench/out/cid.txt >/dev/null

# Sum the times over the runs of each benchmark: ratio = sha256 time / CID time.
awk '
  /^BenchmarkSum\// {
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^BenchmarkSum\//, "", name)
    for (i = 2; i < NF; i++) {
      if ($(i+1) == "sha256-MB/s") sha[name] += 1 / $i
      if ($(i+1) == "cid-MB/s")    cid[name] += 1 / $i
      if ($(i+1) == "B/op")        mem[name] = $i
    }
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    runs[name]++
  }
  END {
    printf "%-26s %12s %12s %9s %10s\n", "stream", "sha256 MB/s", "cid MB/s", "ratio", "B/op"
    worst = 1e9
    for (k = 1; k <= n; k++) {
      s = order[k]; r = sha[s] / cid[s]
      if (r < worst) worst = r
      printf "%-26s %12.0f %12.0f %8.3fx %10d\n", s, runs[s] / sha[s], runs[s] / cid[s], sha[s] / cid[s], mem[s]
    }
    printf "lowest ratio: %.3fx sha256 (target 0.8x): %s\n", worst, (worst >= 0.8 ? "ok" : "BELOW TARGET")
  }' bench/out/cid.txt
