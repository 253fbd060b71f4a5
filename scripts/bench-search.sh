#!/usr/bin/env bash
# bench-search.sh measures search on generated archives of articles of
# about 1,500 words, on SQLite and (with DATELINE_TEST_POSTGRES) PostgreSQL:
# storing the archive with its index, building the index again, its size,
# and one-word, three-word, phrase and prefix query latency p50/p99.
# Usage: scripts/bench-search.sh [SIZE...]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/benchsearch" ./internal/devtools/benchsearch
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 100000)
backends=(sqlite)
[[ -n "${DATELINE_TEST_POSTGRES:-}" ]] && backends+=(postgres)
for n in "${sizes[@]}"; do
	for b in "${backends[@]}"; do
		echo "== $n articles, $b"
		"$bin/benchsearch" -backend "$b" -n "$n" -words 1500 -queries 200
	done
done
