#!/usr/bin/env bash
# eval-search.sh measures search by known-item queries on the labelled
# news corpora (Reuters-21578 and AG News, read from ../shared/fixtures/news
# or $DATELINE_NEWS_CORPORA): MRR@10, success at 1 and 10, for Dateline's
# ranking and the engine's plain ranking in the same run, on SQLite and on
# the PostgreSQL database $DATELINE_TEST_POSTGRES names (in a schema of its
# own, dropped after). See internal/devtools/evalsearch for the query rule.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${DATELINE_NEWS_CORPORA:-../shared/fixtures/news}
[[ -d $dir ]] || { echo "eval-search.sh: no corpora at $dir" >&2; exit 1; }
exec go run ./internal/devtools/evalsearch -dir "$dir" -postgres "${DATELINE_TEST_POSTGRES:-}" "$@"
