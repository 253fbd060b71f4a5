#!/usr/bin/env bash
# bench-import-wxr.sh measures importing a WordPress export (issue 15:
# 1,000 posts/s or more on SQLite for posts of about 1,000 words; peak RSS
# for a 500 MB export), or a Ghost export with FORMAT=ghost. It generates
# an export of POSTS posts of WORDS words with two comments each
# (internal/devtools/genexport), imports it into
# a fresh SQLite file and, when DATELINE_TEST_POSTGRES is set, into a
# fresh PostgreSQL schema, and prints posts/s and the process's peak RSS
# (/usr/bin/time -v). A second import of the same export (nothing
# changed) is timed too.
# Usage: POSTS=5000 WORDS=1000 [FORMAT=ghost] scripts/bench-import-wxr.sh
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${POSTS:-5000}
words=${WORDS:-1000}
format=${FORMAT:-wxr}
case $format in
wxr) ext=xml ;;
ghost) ext=json ;;
*) echo "FORMAT is wxr or ghost, not $format" >&2; exit 2 ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/dateline" ./cmd/dateline
go run ./internal/devtools/genexport "$format" "$posts" "$words" > "$dir/export.$ext"
size=$(du -m "$dir/export.$ext" | cut -f1)
echo "$format export: $posts posts of about $words words, ${size} MB"

measure() { # label db
	local label=$1 db=$2 start end
	for run in first again; do
		start=$(date +%s.%N)
		/usr/bin/time -v -o "$dir/time.txt" "$dir/dateline" import --quiet --db "$db" "$dir/export.$ext" > "$dir/report.txt"
		end=$(date +%s.%N)
		awk -v label="$label" -v run="$run" -v n="$posts" -v s="$start" -v e="$end" -F': ' \
			'/Maximum resident set size/ { printf "  %-10s %-5s %6.1f s  %7.0f posts/s  peak RSS %.0f MiB\n", label, run, e - s, n / (e - s), $2 / 1024 }' "$dir/time.txt"
	done
	sed -n '2,4p' "$dir/report.txt" | sed 's/^/    /'
}

measure sqlite "sqlite:$dir/site.db"
if [ -n "${DATELINE_TEST_POSTGRES:-}" ]; then
	schema="bench_import_$$"
	psql -q "$DATELINE_TEST_POSTGRES" -c "CREATE SCHEMA $schema" >/dev/null
	trap 'psql -q "$DATELINE_TEST_POSTGRES" -c "DROP SCHEMA IF EXISTS '"$schema"' CASCADE" >/dev/null 2>&1; rm -rf "$dir"' EXIT
	sep='?'
	case $DATELINE_TEST_POSTGRES in *\?*) sep='&' ;; esac
	measure postgres "${DATELINE_TEST_POSTGRES}${sep}search_path=$schema"
fi
