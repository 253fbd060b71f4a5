// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the server named by DATELINE_TEST_POSTGRES, dropped when the
// test ends. Without that variable the tests skip, unless
// DATELINE_TEST_POSTGRES_REQUIRED=1 (as CI sets it) makes them fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the test server's database URL.
const EnvURL = "DATELINE_TEST_POSTGRES"

// EnvRequired names the variable that, set to 1, makes a missing EnvURL a
// failure instead of a skip.
const EnvRequired = "DATELINE_TEST_POSTGRES_REQUIRED"

// URL returns the test server's database URL from DATELINE_TEST_POSTGRES.
// When it is unset, URL skips the test, or fails it if
// DATELINE_TEST_POSTGRES_REQUIRED=1.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u != "" {
		return u
	}
	const example = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	if os.Getenv(EnvRequired) == "1" {
		t.Fatal(EnvURL + " is not set but " + EnvRequired + "=1 requires the PostgreSQL store tests to run; " +
			"set it to a database URL such as " + example)
	}
	t.Skip(EnvURL + " is not set: skipping the PostgreSQL half of the store tests; " +
		"set it to a database URL such as " + example)
	return ""
}

// NewSchemaDSN creates a schema with a random name in the test database and
// returns a DSN whose connections use it (through the search_path runtime
// parameter), so that each test sees an empty database of its own. The
// schema is dropped with everything in it when the test ends; close stores
// opened on it before then (cleanups run last-registered first, so one
// registered after NewSchemaDSN returns does). It skips or fails the test
// as URL does.
func NewSchemaDSN(t testing.TB) string {
	t.Helper()
	base := URL(t)
	schema := "dateline_test_" + randomHex(8)
	exec(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { exec(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	dsn, err := withParam(base, "search_path", schema)
	if err != nil {
		// The parse error would quote the URL, password and all.
		t.Fatalf("%s is not a valid database URL", EnvURL)
	}
	return dsn
}

// exec runs one statement on a connection of its own. It uses a background
// context because cleanups run after the test's context is cancelled.
func exec(t testing.TB, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to the test database (%s): %v", EnvURL, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// withParam adds a parameter to a postgres:// URL or a key=value DSN.
// pgx sends parameters it does not know itself, such as search_path, to
// the server as run-time settings.
func withParam(dsn, key, value string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " " + key + "=" + value, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
