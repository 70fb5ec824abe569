#!/bin/sh
# Benchmarks the AI-metadata scanner: a scan of a 50 MiB JPEG and a 50 MiB
# MP4 (real fixtures padded with entropy data / a large mdat), next to the
# unpadded originals. Reports ns/op (CPU time per scan), bytes-read/op and
# %-read (bytes read through the ReaderAt against the file size).
set -eu
cd "$(dirname "$0")/.."
go test ./scan -run '^$' -bench 'BenchmarkScan' -benchtime "${BENCHTIME:-2s}" -count "${COUNT:-1}"
