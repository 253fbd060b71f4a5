#!/usr/bin/env bash
# screenshot.sh takes pictures of the public site with headless Chromium, to
# review the default theme without a desktop: the demo newsroom's front
# page, a section's front page, an article with its photo, the About
# page, a search's results, a topic page (an organisation the demo's
# articles name) and the reference article, each at
# desktop (1365 px) and phone (390 px) widths.
#
# Environment: OUT (where the PNGs go, default docs/screenshots), REFERENCE
# (the article to import, default ../shared/fixtures/reference-article.txt
# from the repository root).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Resolved before cd so that relative paths mean the caller's cwd.
reference=$(realpath -e -- "${REFERENCE:-$root/../shared/fixtures/reference-article.txt}")
out=$(realpath -m -- "${OUT:-$root/docs/screenshots}")
cd "$root"
# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh

ensure_packages chromium=chromium curl=curl

tmp=$(mktemp -d)
cleanup() {
	stop_all
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "building dateline"
build_dateline "$tmp"
seed_db "$tmp/dateline" "$tmp/site.db" "$reference"
addr=127.0.0.1:$(free_port 18080)
start_dateline "$tmp/dateline" "$tmp/site.db" "$addr" "$tmp/dateline.log" --quiet
mkdir -p "$out"

# shoot WIDTH FILE URL. The flags keep Chromium from reaching the network
# on its own, so only the page's own requests happen. A fresh profile each
# time keeps one shot's state out of the next; timeout guards against a
# headless Chromium that never exits.
shoot() {
	local width=$1 file=$2 url=$3 profile
	profile=$(mktemp -d -p "$tmp")
	rm -f "$file"
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$profile" --hide-scrollbars \
		--window-size="$width,2400" --screenshot="$file" "$url" >"$tmp/chromium.log" 2>&1 || {
		cat "$tmp/chromium.log" >&2
		die "chromium failed on $url"
	}
	[[ -s $file ]] || { cat "$tmp/chromium.log" >&2; die "chromium wrote no $file"; }
	log "wrote $file"
}

# serve makes the demo's pictures in the background as it starts.
wait_pictures "http://$addr/" 4
shoot 1365 "$out/article.png" "http://$addr/$SLUG/"
shoot 390 "$out/article-mobile.png" "http://$addr/$SLUG/"
for page in home:/ section:/politics/ photo-article:/port-selvik-crane-upgrade-halves-ship-turnaround-times/ about:/about/ search:/search/?q=harbour topic:/topic/selvik-university/; do
	name=${page%%:*} path=${page#*:}
	shoot 1365 "$out/$name.png" "http://$addr$path"
	shoot 390 "$out/$name-mobile.png" "http://$addr$path"
done
