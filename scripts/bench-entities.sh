#!/usr/bin/env bash
# bench-entities.sh measures entity extraction on generated archives of
# articles of about 1,500 words with real places, people and
# organisations written in: `dateline entities rebuild` over the whole
# archive (target: 100,000 articles in at most 60 s), and what finding an
# article's entities adds to an editor's save; on SQLite and (with
# DATELINE_TEST_POSTGRES) PostgreSQL. The size the gazetteer adds to the
# binary is measured from the binary's symbols.
# Usage: scripts/bench-entities.sh [SIZE...]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/benchentities" ./internal/devtools/benchentities
go build -o "$bin/dateline" ./cmd/dateline
# The gazetteer's share of the binary: the embedded table and the code
# of internal/entity.
go tool nm -size "$bin/dateline" | awk '
	/internal\/entity\./ { code += $2 }
	/internal\/entity\.placesTSV/ { table += $2 }
	END { printf "binary          %.1f MB in all; internal/entity: %.2f MB of symbols\n", 0, code / 1e6 }' |
	sed "s/^binary          0.0 MB/binary          $(du -m "$bin/dateline" | cut -f1) MB/"
printf 'gazetteer table %s bytes embedded (internal/entity/places.tsv)\n' "$(wc -c < internal/entity/places.tsv)"
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 100000)
backends=(sqlite)
[[ -n "${DATELINE_TEST_POSTGRES:-}" ]] && backends+=(postgres)
for n in "${sizes[@]}"; do
	for b in "${backends[@]}"; do
		echo "== $n articles, $b"
		"$bin/benchentities" -backend "$b" -n "$n" -words 1500
	done
done
