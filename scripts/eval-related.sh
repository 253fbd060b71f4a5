#!/usr/bin/env bash
# eval-related.sh reports precision@5 of related articles on the labelled
# news corpora (Reuters-21578 single-topic articles with a body, and the
# AG News test split, every article queried), next to a plain TF-IDF
# cosine baseline. The corpora are read from ../shared/fixtures/news (or
# $DATELINE_NEWS_CORPORA); labels are never given to the engine. With
# -calibrate it prints instead what floors on the TF-IDF cosine do to the
# top 5 related articles, and how close articles on different subjects
# come by chance (see docs/benchmarks.md, "The related floor").
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${DATELINE_NEWS_CORPORA:-../shared/fixtures/news}
[[ -d $dir ]] || { echo "eval-related.sh: no corpora at $dir" >&2; exit 1; }
bash scripts/gen-vectors.sh # the English word vectors the engine embeds
exec go run ./internal/devtools/evalrelated -dir "$dir" -k 5 "$@"
