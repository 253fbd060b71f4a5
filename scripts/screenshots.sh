#!/usr/bin/env bash
# screenshots.sh takes pictures of the admin's screens with headless
# Chromium: setup, sign-in, the article list, the editor with its live
# preview, SEO and link panels, a revision's diff, the comment moderation
# queue, the analytics, settings, users, the audit log, the Photos screen,
# the front page screen, the menus screen, the editor's suggested
# sections, tags and entities, the Entities screen
# and an article with its featured photo. It runs the
# admin's browser test (internal/tests/browser), which walks the whole
# flow on a fresh demo newsroom and saves each screen on the way, so the
# pictures show what the test checked. (scripts/screenshot.sh takes the
# public site's.)
#
# Environment: OUT (where the PNGs go, default docs/screenshots).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Resolved before cd so that a relative OUT means the caller's cwd.
out=$(realpath -m -- "${OUT:-$root/docs/screenshots}")
cd "$root"
# shellcheck source=SCRIPTDIR/lib.sh
source scripts/lib.sh

ensure_packages chromium=chromium
command -v go >/dev/null 2>&1 || die "go is not on PATH (the test is a Go test)"
mkdir -p "$out"

names=(admin-setup admin-signin admin-articles admin-editor admin-revision admin-comments admin-analytics admin-settings admin-users admin-audit admin-media admin-front-page admin-menus admin-suggestions admin-entities article-photo)
for name in "${names[@]}"; do rm -f "$out/$name.png"; done

log "running the admin flow in headless Chromium"
# CI=1 makes a missing browser fail the test instead of skipping it.
DATELINE_SCREENSHOTS="$out" CI=1 go test -count=1 -run '^TestAdminFlow$' ./internal/tests/browser/ >&2 ||
	die "the admin flow failed: no screenshots"

for name in "${names[@]}"; do
	[[ -s $out/$name.png ]] || die "the flow wrote no $out/$name.png"
	log "wrote $out/$name.png"
done
