#!/usr/bin/env bash
# bench-export-ab.sh compares the static export of two commits on the
# same changes (issue 18): the machine's speed drifts by more than most
# changes gain, so the two binaries run in turn. It builds A and B,
# writes N invented articles (internal/devtools/gensite), imports them,
# exports the whole site once by A and copies it, so that each binary
# keeps its own export; then, ROUNDS times, it makes one change and has
# both binaries export, the order alternating. KIND note adds an update
# note to the newest article ('dateline article note'); KIND text appends
# a sentence to its Markdown and imports it again; KIND full changes
# nothing and has each binary export the whole site into an empty
# folder. Each binary has its own copy of the database, migrated by it,
# and makes the change to it itself: two commits a migration apart
# cannot open one database. It prints each run (wall and user time, peak
# RSS, from /usr/bin/time) and the medians.
# Usage: [N=10000] [ROUNDS=6] [KIND=note|text|full] scripts/bench-export-ab.sh A B
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "bench-export-ab.sh: $*" >&2; exit 1; }
(($# == 2)) || die "usage: [N=10000] [ROUNDS=6] [KIND=note|text|full] scripts/bench-export-ab.sh A B (two commits)"
n=${N:-10000} rounds=${ROUNDS:-6} kind=${KIND:-note}
case $kind in note | text | full) ;; *) die "KIND is note, text or full, not $kind" ;; esac
[[ $n =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ ]] || die "N and ROUNDS are whole numbers"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"
bash scripts/gen-vectors.sh

tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
for side in a b; do
	rev=$1
	shift
	git rev-parse --verify --quiet "$rev^{commit}" >/dev/null || die "$rev is not a commit"
	git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true
	git worktree add --quiet --detach "$tmp/src" "$rev"
	cp internal/linking/wordvec/vectors/english.bin "$tmp/src/internal/linking/wordvec/vectors/"
	(cd "$tmp/src" && go build -o "$tmp/$side" ./cmd/dateline)
	echo "$side: $(git rev-parse --short "$rev")" >&2
done

go run ./internal/devtools/gensite -n "$n" -words 2000 -out "$tmp/site" >&2
"$tmp/a" import --quiet --db "sqlite:$tmp/site-a.db" "$tmp/site/markdown" >/dev/null
"$tmp/a" export --quiet --base-url https://bench.example.org --db "sqlite:$tmp/site-a.db" "$tmp/out-a"
cp -a "$tmp/out-a" "$tmp/out-b"
for f in "$tmp"/site-a.db*; do cp "$f" "${f/site-a/site-b}"; done
# What the copies left to write goes now, not in the first flush of B.
sync
"$tmp/b" migrate --db "sqlite:$tmp/site-b.db" >/dev/null
md=$(find "$tmp/site/markdown" -name '000001-*.md')
slug=$(sed -n 's/^slug: //p' "$(find "$tmp/site/hugo/content" -name '000001-*.md')")

for r in $(seq "$rounds"); do
	[ "$kind" = text ] && printf '\nThe council confirmed the figures on day %s, and the board will publish its own count.\n' "$r" >>"$md"
	for side in a b; do
		case $kind in
		note) "$tmp/$side" article note --db "sqlite:$tmp/site-$side.db" "$slug" "Correction $r: an earlier version gave the wrong date." >/dev/null ;;
		text) "$tmp/$side" import --quiet --entities=false --db "sqlite:$tmp/site-$side.db" "$md" >/dev/null ;;
		full) rm -rf "$tmp/out-$side" ;;
		esac
	done
	order="a b"
	((r % 2 == 0)) && order="b a"
	for side in $order; do
		/usr/bin/time -f '%e %U %M' -o "$tmp/time" "$tmp/$side" export --quiet --base-url https://bench.example.org --db "sqlite:$tmp/site-$side.db" "$tmp/out-$side"
		read -r wall user kb <"$tmp/time"
		echo "$side $wall $user $kb" | tee -a "$tmp/runs"
	done
done
for side in a b; do
	awk -v s="$side" '$1 == s { w[++k] = $2; u[k] = $3 }
		function median(x, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
			return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		}
		END { printf "%s: median wall %.3f s, user %.3f s (%d runs)\n", s, median(w, k), median(u, k), k }' "$tmp/runs"
done
