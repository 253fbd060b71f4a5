#!/usr/bin/env bash
# bench-linking.sh measures the linking index on generated archives of
# 10,000 and 100,000 articles of about 1,500 words: index build time,
# Related and KeyPhrases latency p50/p99 over 1,000 queries, and peak RSS.
# The archive is streamed into the index, one generated article at a time.
# GOMEMLIMIT, if set, bounds the Go heap as it would on a server.
# Usage: scripts/bench-linking.sh [SIZE...]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/gen-vectors.sh # the English word vectors the engine embeds
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/benchlinking" ./internal/devtools/benchlinking
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 100000)
for n in "${sizes[@]}"; do
	echo "== $n articles"
	"$bin/benchlinking" -n "$n" -words 1500 -queries 1000
done
