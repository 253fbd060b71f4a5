// Package wordvectest gives tests the English word vectors, which are a
// generated file (scripts/gen-vectors.sh): a test that needs them is
// skipped on a checkout that has not made them, and fails in CI, which
// makes them before the tests.
package wordvectest

import (
	"os"
	"testing"

	"github.com/datelinehq/dateline/internal/linking/wordvec"
)

// English returns the English table, or skips t (fails it under CI)
// when this build has none.
func English(t testing.TB) *wordvec.Table {
	t.Helper()
	tab := wordvec.English()
	if tab == nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no English word vectors in this build: CI runs scripts/gen-vectors.sh before the tests")
		}
		t.Skip("no English word vectors in this build: run scripts/gen-vectors.sh")
	}
	return tab
}
