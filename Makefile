# Developer shortcuts; the README's commands work without make.
POSTGRES ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: build vectors run test test-postgres test-clock eval lint bench

# A static binary with no C and no system library: nodynamic keeps the
# WebP encoder on its built-in WebAssembly libwebp instead of loading the
# system's, which would link the binary dynamically.
# The English word vectors (scripts/gen-vectors.sh) are embedded when made.
build: vectors
	CGO_ENABLED=0 go build -tags nodynamic -o dateline ./cmd/dateline

vectors:
	bash scripts/gen-vectors.sh

run:
	go run ./cmd/dateline import examples/articles
	go run ./cmd/dateline article list

test:
	go test -race -count=1 -timeout 30m ./...

test-postgres:
	DATELINE_TEST_POSTGRES='$(POSTGRES)' DATELINE_TEST_POSTGRES_REQUIRED=1 go test -race -count=1 -timeout 30m ./...

test-clock:
	bash scripts/test-clock.sh

eval:
	go test -count=1 -v ./internal/linking/eval -full

# The linters run at pinned versions through `go run pkg@version`, which
# downloads and builds each once into the module and build caches, so a
# machine without them needs the network only the first time (and fails
# rather than skips without it). staticcheck v0.8.2 is its release
# 2026.2.2, built for Go 1.26; goimports comes with golang.org/x/tools.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOIMPORTS := golang.org/x/tools/cmd/goimports@v0.52.0

lint:
	bash scripts/check-repo.sh
	@out=$$(gofmt -l .) || exit 1; test -z "$$out" || { echo "$$out"; echo "gofmt needed (gofmt -w on the files above)"; exit 1; }
	@out=$$(go run $(GOIMPORTS) -l .) || exit 1; test -z "$$out" || { echo "$$out"; echo "goimports needed (go run $(GOIMPORTS) -w on the files above)"; exit 1; }
	go vet ./...
	go run $(STATICCHECK) ./...

bench:
	DATELINE_TEST_POSTGRES='$(POSTGRES)' go test -run '^$$' -bench ImportMarkdown -benchtime 1x -count 3 ./internal/importer/
