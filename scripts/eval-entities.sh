#!/usr/bin/env bash
# eval-entities.sh measures the places the entity extractor finds in wire
# stories against those their editors labelled (issue 20): precision,
# recall and F1 over Reuters-21578's ModApte test stories
# (../shared/fixtures/news/reuters21578_modapte_test.jsonl, or IN), each
# read as its title and its body opening with its dateline, beside the
# baseline of the label codes looked for as words, in the same run. It
# prints the figures at the extractor's own threshold of salience
# (entity.MinSalience) and at 0 (every mention), for the curve.
# Usage: [IN=FILE] scripts/eval-entities.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
in=$(realpath -e -- "${IN:-$root/../shared/fixtures/news/reuters21578_modapte_test.jsonl}")
cd "$root"
go run ./internal/devtools/evalentities -in "$in"
go run ./internal/devtools/evalentities -in "$in" -min-salience 0 | grep extractor
