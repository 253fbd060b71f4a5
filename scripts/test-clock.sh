#!/usr/bin/env bash
# test-clock.sh runs the tests with every test clock moved 30 years ahead,
# then 30 years back (DATELINE_TEST_CLOCK_YEARS, see internal/testclock).
# A test that passes today but fails here depends on the calendar: some
# code read the wall clock instead of the clock it was given.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "test-clock: clocks 30 years ahead" >&2
DATELINE_TEST_CLOCK_YEARS=30 go test -count=1 ./internal/store/... ./internal/web/... ./internal/cli/... ./internal/importer/...
echo "test-clock: clocks 30 years back" >&2
DATELINE_TEST_CLOCK_YEARS=-30 go test -count=1 ./internal/store/... ./internal/web/...
