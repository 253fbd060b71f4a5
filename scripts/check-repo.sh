#!/usr/bin/env bash
# check-repo.sh fails when git tracks a build output: a file over 2 MB
# outside the allow-list (screenshots, test fixtures), a compiled binary
# or a database. CI runs it before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

limit=$((2 * 1024 * 1024))
allowed='^(docs/screenshots/|internal/.*/testdata/)'
bad=0
while IFS= read -r -d '' f; do
	[[ -f $f ]] || continue
	size=$(stat -c %s "$f")
	if ((size > limit)) && ! [[ $f =~ $allowed ]]; then
		echo "check-repo: $f is $((size / 1024)) KiB, over the 2 MiB limit for tracked files (only docs/screenshots/ and testdata/ may hold larger ones)" >&2
		bad=1
	fi
	case $(head -c 16 "$f" | od -An -c | tr -d ' \n') in
	177ELF*) echo "check-repo: $f is a compiled binary; build outputs stay out of git" >&2; bad=1 ;;
	SQLiteformat3*) echo "check-repo: $f is an SQLite database; databases stay out of git" >&2; bad=1 ;;
	esac
done < <(git ls-files -z)
exit $bad
