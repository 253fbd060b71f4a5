package cli

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
)

// waitFor fetches u until ok accepts the answer, and says how long that
// took; it fails the test after limit.
func waitFor(t *testing.T, u string, limit time.Duration, ok func(status int, body string) bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		if ok(resp.StatusCode, body) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("GET %s: not changed after %v (status %d)", u, limit, resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// Two nodes with a page cache of a minute serve one database; the command
// line changes it (as a third node would). Each change is on both nodes
// within a second or so, not after the cache's minute: an edit, a setting,
// a deletion.
func TestNodesFollowChanges(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
			if backend == "postgres" {
				db = pgtest.NewSchemaDSN(t)
			}
			mustRun(t, "import", "--db", db, "../../examples/articles")
			const story = "/new-harbour-cranes-cut-waiting-times-at-port-selvik/"
			const other = "/selvik-council-approves-night-tram-trial/"
			a, _ := startServe(t, "--db", db, "--cache", "1m")
			b, _ := startServe(t, "--db", db, "--cache", "1m")
			for _, base := range []string{a, b} {
				for _, path := range []string{"/", story, other} {
					if resp, err := http.Get(base + path); err != nil || resp.StatusCode != 200 {
						t.Fatalf("GET %s%s: %v %v", base, path, resp, err)
					} else {
						resp.Body.Close()
					}
				}
			}
			// Both nodes follow the feed before the first change.
			for _, base := range []string{a, b} {
				waitFor(t, base+"/readyz", 10*time.Second, func(status int, _ string) bool { return status == 200 })
			}

			const limit = 5 * time.Second
			var took []time.Duration
			mustRun(t, "article", "note", "--db", db, strings.Trim(story, "/"), "Correction: the cranes arrive in May.")
			for _, base := range []string{a, b} {
				took = append(took, waitFor(t, base+story, limit, func(_ int, body string) bool {
					return strings.Contains(body, "the cranes arrive in May")
				}))
			}
			mustRun(t, "settings", "set", "site.title", "The Harbour Ledger", "--db", db)
			for _, base := range []string{a, b} {
				took = append(took, waitFor(t, base+"/", limit, func(_ int, body string) bool {
					return strings.Contains(body, "The Harbour Ledger")
				}))
			}
			mustRun(t, "article", "delete", "--db", db, strings.Trim(other, "/"))
			for _, base := range []string{a, b} {
				took = append(took, waitFor(t, base+other, limit, func(status int, _ string) bool { return status == 404 || status == 410 }))
				took = append(took, waitFor(t, base+"/", limit, func(_ int, body string) bool {
					return !strings.Contains(body, "Night Tram Trial")
				}))
				took = append(took, waitFor(t, base+story, limit, func(_ int, body string) bool {
					return !strings.Contains(body, other)
				}))
			}
			t.Logf("%s: changes seen on the nodes after %v", backend, took)
		})
	}
}
