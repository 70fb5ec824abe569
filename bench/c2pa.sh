#!/usr/bin/env bash
# Benchmarks provgraph/c2pa: signing and verifying generated 100 MiB JPEG,
# PNG, WAV and MP4 files (1 GiB too with PROVGRAPH_BENCH_LARGE=1), each
# against Go's crypto/sha256 over the same file in the same run, and prints
# the rates, their ratio (target: >= 0.8x sha256) and the peak RSS (target
# < 64 MiB). Files are generated under $TMPDIR (default /dev/shm when
# present, so the disk does not dominate). Each benchmark warms up first and
# signs over its previous output; PROVGRAPH_BENCH_FRESH=1 signs into a fresh
# file each time instead, which on a VM that reports freed pages to its host
# measures the host's page faults too (see runAgainstSHA in
# c2pa/bench_test.go). Raw output: bench/out/c2pa.txt.
# Usage: bench/c2pa.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-3}"
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ]; then export TMPDIR=/dev/shm; fi
mkdir -p bench/out
go test -run '^$' -bench 'BenchmarkSign|BenchmarkVerify|BenchmarkBMFF' -benchtime 1x -count "$count" ./c2pa/ | tee bench/out/c2pa.txt >/dev/null

awk '
  /^Benchmark(Sign|Verify|BMFF)\// {
    name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
    if (sub(/^BMFF\/sign/, "Sign/mp4", name) == 0) sub(/^BMFF\/verify/, "Verify/mp4", name)
    for (i = 2; i < NF; i++) {
      if ($(i+1) == "sha256-MB/s") sha[name] += 1 / $i
      if ($(i+1) == "sign-MB/s" || $(i+1) == "verify-MB/s") op[name] += 1 / $i
      if ($(i+1) == "peak-RSS-MiB" && $i > rss[name]) rss[name] = $i
    }
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    runs[name]++
  }
  END {
    printf "%-22s %12s %12s %9s %14s\n", "benchmark", "sha256 MB/s", "c2pa MB/s", "ratio", "peak RSS MiB"
    for (k = 1; k <= n; k++) {
      s = order[k]
      printf "%-22s %12.0f %12.0f %8.3fx %14.1f\n", s, runs[s] / sha[s], runs[s] / op[s], sha[s] / op[s], rss[s]
    }
  }' bench/out/c2pa.txt
