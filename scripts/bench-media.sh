#!/usr/bin/env bash
# bench-media.sh measures making every variant of a 24-megapixel JPEG
# (issue 13: under 4 s and 400 MB): BenchmarkProcess24MP's time per
# photo, first photo and in-process peak RSS, then the whole test
# process's maximum RSS as /usr/bin/time -v reports it (making the test
# photo included, though it costs little: it is encoded pixel by pixel).
# Usage: scripts/bench-media.sh [COUNT]   (runs of 5 photos each; default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/media.test" ./internal/media/
for ((i = 1; i <= ${1:-3}; i++)); do
	/usr/bin/time -v -o "$dir/time.txt" "$dir/media.test" -test.run '^$' -test.bench Process24MP -test.benchtime 5x |
		grep '^BenchmarkProcess24MP'
	awk -F': ' '/Maximum resident set size/ { printf "  process max RSS: %.0f MiB\n", $2 / 1024 }' "$dir/time.txt"
done
