# Developer shortcuts; the README's commands work without make.
POSTGRES ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: build run test test-postgres test-clock eval lint bench

build:
	go build -o dateline ./cmd/dateline

run:
	go run ./cmd/dateline import examples/articles
	go run ./cmd/dateline article list

test:
	go test -race -count=1 ./...

test-postgres:
	DATELINE_TEST_POSTGRES='$(POSTGRES)' DATELINE_TEST_POSTGRES_REQUIRED=1 go test -race -count=1 ./...

test-clock:
	bash scripts/test-clock.sh

eval:
	go test -count=1 -v ./internal/linking/eval -full

lint:
	bash scripts/check-repo.sh
	go vet ./...
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt needed"; exit 1; }

bench:
	DATELINE_TEST_POSTGRES='$(POSTGRES)' go test -run '^$$' -bench ImportMarkdown -benchtime 1x -count 3 ./internal/importer/
