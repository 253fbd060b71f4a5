#!/usr/bin/env bash
# lighthouse.sh runs Lighthouse 12 (pinned in tools/package.json) with
# Debian's Chromium against the reference article's page as Dateline serves
# it, mobile preset, and prints the four category scores. It exits non-zero
# when SEO, Accessibility or Best Practices is below 100; Performance (target
# 95) is reported, since on a shared 2-core machine it measures the machine
# as much as the page.
#
# Environment: REFERENCE (the article to import, default
# ../shared/fixtures/reference-article.txt from the repository root), OUT
# (where the JSON report goes, default a temporary folder), PHOTOS=1:
# audit instead a demo article given a featured image and two images in
# its text (the demo's pictures, imported from beside a Markdown file);
# RTL=1: audit instead an article in Urdu on a site whose language is
# Urdu (DATELINE_LANGUAGE=ur), laid out right to left (issue 14);
# PAGE: audit this path of the seeded site instead (/ for the front page,
# /politics/ for a section's front page); NOINDEX=1 with it: the page is
# kept out of search engines on purpose (the search results): its
# is-crawlable audit must fail, and SEO is scored without it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reference=$(realpath -e -- "${REFERENCE:-$root/../shared/fixtures/reference-article.txt}")
cd "$root"
# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh

ensure_packages chromium=chromium curl=curl node=nodejs npm=npm
if [[ ! -x tools/node_modules/.bin/lighthouse ]]; then
	log "installing the pinned tools (npm ci --prefix tools)"
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
fi

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
addr=127.0.0.1:$(free_port 18180)
url="http://$addr/$SLUG/"
if [[ ${PHOTOS:-} == 1 ]]; then
	go run ./internal/devtools/demopictures "$tmp/photos" >/dev/null
	# A demo article with a featured image and two images in its text.
	awk 'NR == 1 { print; print "image: photos/harbour.jpg"; print "image_alt: Container cranes over the harbour at dusk"; print "image_caption: The new cranes at dusk."; print "image_credit: Dateline demo"; next }
		/^title:/ { sub(/"$/, ": In Pictures\""); print; next }
		/^## / && ++h == 1 { print "![Wind turbines on the hills that feed the port](photos/wind.jpg)"; print "" }
		/^## / && h == 2 { print "![A night tram on Harbour Street](photos/tram.jpg)"; print "" }
		{ print }' internal/demo/articles/port-selvik-cranes.md >"$tmp/cranes-in-pictures.md"
	"$tmp/dateline" import --db "sqlite:$tmp/site.db" "$tmp/cranes-in-pictures.md" >&2
	slug=port-selvik-crane-upgrade-halves-ship-turnaround-times-in-pictures
	url="http://$addr/$slug/"
	start_dateline "$tmp/dateline" "$tmp/site.db" "$addr" "$tmp/dateline.log" --quiet
	# serve makes the imported images' sizes in the background as it starts.
	for ((i = 0; i < 120; i++)); do
		[[ $(curl -fsS "$url" | grep -c '<picture>') -ge 3 ]] && break
		sleep 0.5
	done
	[[ $(curl -fsS "$url" | grep -c '<picture>') -ge 3 ]] || die "$url does not show its three pictures"
elif [[ ${RTL:-} == 1 ]]; then
	# The Urdu article the page tests use (our own text).
	"$tmp/dateline" import --db "sqlite:$tmp/site.db" internal/web/public/testdata/library-evening-classes.ur.md >&2
	url="http://$addr/library-evening-classes/"
	DATELINE_LANGUAGE=ur start_dateline "$tmp/dateline" "$tmp/site.db" "$addr" "$tmp/dateline.log" --quiet
	# The page is read whole first: grep -q stops reading at its match,
	# and curl, writing on, then fails the pipeline.
	page=$(curl -fsS "$url") || die "$url cannot be fetched"
	[[ $page == *'<html lang="ur" dir="rtl">'* ]] || die "$url is not served in Urdu, right to left"
else
	start_dateline "$tmp/dateline" "$tmp/site.db" "$addr" "$tmp/dateline.log" --quiet
	if [[ -n ${PAGE:-} ]]; then
		url="http://$addr$PAGE"
		wait_pictures "http://$addr/" 4
	fi
fi
out=${OUT:-$tmp}
mkdir -p "$out"

log "auditing $url"
# The Chromium flags keep the browser from reaching any other host.
CHROME_PATH=$(command -v chromium) timeout 300 tools/node_modules/.bin/lighthouse "$url" \
	--quiet --output=json --output-path="$out/lighthouse.json" \
	--only-categories=performance,accessibility,best-practices,seo \
	--chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
	>"$tmp/lighthouse.log" 2>&1 || {
	cat "$tmp/lighthouse.log" >&2
	die "lighthouse failed"
}

NOINDEX=${NOINDEX:-} node - "$out/lighthouse.json" <<'JS'
const report = require(require('path').resolve(process.argv[2]));
const noindex = process.env.NOINDEX === '1';
const targets = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 };
const strict = new Set(['accessibility', 'best-practices', 'seo']);
let failed = false;
console.log(`Lighthouse ${report.lighthouseVersion}, ${report.configSettings.formFactor}, ${report.finalDisplayedUrl}`);
if (noindex) {
  // The page asks not to be indexed: Lighthouse must see that, and the
  // SEO score is its weighted mean over the other audits.
  if (report.audits['is-crawlable'].score !== 0) {
    console.log('  is-crawlable passed: the page does not keep itself out of search engines  FAILED');
    failed = true;
  }
  const seo = report.categories.seo;
  seo.auditRefs = seo.auditRefs.filter((ref) => ref.id !== 'is-crawlable');
  let sum = 0, weights = 0;
  for (const ref of seo.auditRefs) {
    const audit = report.audits[ref.id];
    if (ref.weight > 0 && audit.score !== null) {
      sum += ref.weight * audit.score;
      weights += ref.weight;
    }
  }
  seo.score = sum / weights;
  seo.title = 'SEO (noindex)';
}
for (const [id, target] of Object.entries(targets)) {
  const cat = report.categories[id];
  const score = Math.round(cat.score * 100);
  const ok = score >= target;
  if (!ok && strict.has(id)) failed = true;
  console.log(`  ${cat.title.padEnd(15)} ${String(score).padStart(3)}  (target ${target})${ok ? '' : strict.has(id) ? '  FAILED' : '  below target'}`);
  if (!ok) {
    for (const ref of cat.auditRefs) {
      const audit = report.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        console.log(`      - ${audit.id}: ${audit.title}${audit.displayValue ? ' (' + audit.displayValue + ')' : ''}`);
      }
    }
  }
}
const cls = report.audits['cumulative-layout-shift'], lcp = report.audits['largest-contentful-paint'];
console.log(`  layout shift (CLS) ${cls.numericValue}, largest paint ${lcp.displayValue}`);
process.exit(failed ? 1 : 0);
JS
