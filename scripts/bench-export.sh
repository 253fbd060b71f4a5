#!/usr/bin/env bash
# bench-export.sh compares Dateline's static export with Hugo on the same
# generated site (issue 18, "Performance"). For each N it writes N
# invented articles of WORDS words (internal/devtools/gensite) as Markdown
# and as a Hugo site (related content on tags and keywords, pagination,
# taxonomies, feeds, sitemap), imports the Markdown into a fresh SQLite
# database (not timed), and times, with /usr/bin/time (wall time and peak
# RSS), one after the other:
#   dateline full   'dateline export OUT' into an empty OUT
#   dateline incr.  the newest article given a note ('dateline article
#                   note'), then 'dateline export OUT' again into the same OUT
#   dateline text   a sentence added to the same article's Markdown, the
#                   file imported again (not timed), then 'dateline export
#                   OUT' again: a change of the text the linking index reads
#   hugo full       'hugo --quiet' into an empty folder
#   hugo after edit the same article's Markdown edited, then hugo again
#                   (Hugo has no incremental production build: it
#                   rebuilds everything)
# and prints a table with the ratios hugo/dateline. Run it on a quiet
# machine: both programs use every core.
# Usage: [WORDS=2000] [ONLY=hugo|dateline] scripts/bench-export.sh [N...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
words=${WORDS:-2000}
only=${ONLY:-}
base_url=https://bench.example.org
(($#)) || set -- 1000 10000

die() { echo "bench-export.sh: $*" >&2; exit 1; }
case $only in '' | hugo | dateline) ;; *) die "ONLY is hugo or dateline, not $only" ;; esac
for n in "$@"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "N is a whole number of articles, not $n"
done
if [ "$only" != dateline ] && ! command -v hugo >/dev/null 2>&1; then
	die "hugo is not installed: apt-get install hugo (Debian's package; bookworm has 0.111.3), or go install github.com/gohugoio/hugo@v0.111.3"
fi
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$only" != hugo ]; then
	go build -o "$tmp/dateline" ./cmd/dateline
	"$tmp/dateline" export --help 2>&1 | grep -q 'DIR' ||
		die "this dateline has no static export ('dateline export DIR'); ONLY=hugo measures Hugo alone"
fi

# timed LOG CMD... runs CMD with its output in LOG and sets secs and kb
# to its wall time and peak RSS.
secs= kb=
timed() {
	local log=$1
	shift
	if ! /usr/bin/time -f '%e s %M KB' -o "$tmp/time" "$@" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "failed: $*"
	fi
	read -r secs _ kb _ < <(tail -n 1 "$tmp/time")
}
# cell prints "SECS s / MB MB" of the last timed run.
cell() { awk -v s="$secs" -v k="$kb" 'BEGIN { printf "%.2f s / %.0f MB", s, k / 1024 }'; }
ratio() { awk -v h="$1" -v d="$2" 'BEGIN { if (d > 0) printf "%.1fx", h / d; else printf "-" }'; }

echo "bench-export.sh: $(nproc) cores; $(hugo version 2>/dev/null | cut -d' ' -f1-2 || echo 'no hugo'); dateline $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes'); $words words an article" >&2
rows=()
for n in "$@"; do
	dir=$tmp/n$n
	mkdir -p "$dir"
	go run ./internal/devtools/gensite -n "$n" -words "$words" -out "$dir/site" >&2
	# The newest article (gensite numbers it 1) is the one edited: it is on
	# the most pages (first pages of the home page and of its archives, the
	# feeds), as a correction to a fresh story is.
	file=$(find "$dir/site/hugo/content" -name '000001-*.md')
	slug=$(sed -n 's/^slug: //p' "$file")

	dl_full='-' dl_incr='-' dl_text='-' hugo_full='-' hugo_edit='-'
	dl_full_s=0 dl_incr_s=0 hugo_full_s=0 hugo_edit_s=0
	if [ "$only" != hugo ]; then
		db=sqlite:$dir/site.db
		start=$(date +%s.%N)
		"$tmp/dateline" import --quiet --db "$db" "$dir/site/markdown" >"$dir/import.log" 2>&1 ||
			{ tail -n 20 "$dir/import.log" >&2; die "import failed"; }
		echo "  N=$n: imported in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s (not timed)" >&2

		timed "$dir/export-full.log" "$tmp/dateline" export "$dir/out" --base-url "$base_url" --db "$db"
		dl_full=$(cell) dl_full_s=$secs
		echo "  N=$n: dateline full export $dl_full, $(find "$dir/out" -type f | wc -l) files; $(tail -n 1 "$dir/export-full.log")" >&2

		"$tmp/dateline" article note --db "$db" "$slug" "Correction: an earlier version of this story gave the wrong date for the vote." >/dev/null
		timed "$dir/export-incr.log" "$tmp/dateline" export "$dir/out" --base-url "$base_url" --db "$db"
		dl_incr=$(cell) dl_incr_s=$secs
		echo "  N=$n: dateline export after a note on $slug $dl_incr; $(tail -n 1 "$dir/export-incr.log")" >&2

		md=$(find "$dir/site/markdown" -name '000001-*.md')
		printf '\nThe council confirmed the figures on Tuesday, and the board will publish its own count next month.\n' >>"$md"
		"$tmp/dateline" import --quiet --entities=false --db "$db" "$md" >"$dir/reimport.log" 2>&1 ||
			{ cat "$dir/reimport.log" >&2; die "import of the edited article failed"; }
		timed "$dir/export-text.log" "$tmp/dateline" export "$dir/out" --base-url "$base_url" --db "$db"
		dl_text=$(cell)
		echo "  N=$n: dateline export after a text edit of $slug $dl_text; $(tail -n 1 "$dir/export-text.log")" >&2
	fi
	if [ "$only" != dateline ]; then
		timed "$dir/hugo-full.log" hugo --quiet -s "$dir/site/hugo" -d "$dir/public"
		hugo_full=$(cell) hugo_full_s=$secs
		echo "  N=$n: hugo full build $hugo_full, $(find "$dir/public" -type f | wc -l) files" >&2

		printf '\n*Correction: an earlier version of this story gave the wrong date for the vote.*\n' >>"$file"
		timed "$dir/hugo-edit.log" hugo --quiet -s "$dir/site/hugo" -d "$dir/public"
		hugo_edit=$(cell) hugo_edit_s=$secs
		echo "  N=$n: hugo build after editing $slug $hugo_edit" >&2
	fi
	rows+=("$(printf '%7s  %-20s  %-20s  %-20s  %-20s  %-20s  %7s  %7s' "$n" "$dl_full" "$dl_incr" "$dl_text" "$hugo_full" "$hugo_edit" \
		"$(ratio "$hugo_full_s" "$dl_full_s")" "$(ratio "$hugo_edit_s" "$dl_incr_s")")")
	rm -rf "$dir"
done

printf '\n%7s  %-20s  %-20s  %-20s  %-20s  %-20s  %7s  %7s\n' N "dateline full" "dateline after note" "dateline after text" "hugo full" "hugo after edit" "hugo/dl" "edit"
printf '%s\n' "${rows[@]}"
echo "(wall time / peak RSS in MB of 2^20 bytes; hugo/dl: hugo full / dateline full; edit: hugo after edit / dateline after note)"
