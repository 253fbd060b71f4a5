package cli

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
)

// Real nginx with the shipped deploy/nginx-nodes.conf in front of two
// nodes on one PostgreSQL database: pages reach readers through it, a
// change made on one node's database is on the pages it serves, and when
// a node stops the other carries on.
func TestNodesBehindNginx(t *testing.T) {
	t.Parallel()
	db := pgtest.NewSchemaDSN(t)
	mustRun(t, "import", "--db", db, "../../examples/articles")
	a, stopA := startServe(t, "--db", db, "--trust-proxy", "--base-url", "https://news.example.org")
	b, _ := startServe(t, "--db", db, "--trust-proxy", "--base-url", "https://news.example.org")
	front := startNginxWith(t, "nginx-nodes.conf", func(conf string) string {
		conf = strings.Replace(conf, "server 10.0.0.11:8080", "server "+strings.TrimPrefix(a, "http://"), 1)
		conf = strings.Replace(conf, "server 10.0.0.12:8080", "server "+strings.TrimPrefix(b, "http://"), 1)
		lines := strings.Split(conf, "\n")
		kept := lines[:0]
		for _, l := range lines {
			if !strings.Contains(l, "server 10.0.0.13:8080") {
				kept = append(kept, l)
			}
		}
		return strings.Join(kept, "\n")
	})
	for _, node := range []string{a, b} { // each follows the database's changes
		waitFor(t, node+"/readyz", 10*time.Second, func(status int, _ string) bool { return status == 200 })
	}
	const story = "/new-harbour-cranes-cut-waiting-times-at-port-selvik/"
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(front + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, readAll(resp)
	}
	for range 4 { // both nodes, in turn
		if status, body := get(story); status != 200 || !strings.Contains(body, "New Harbour Cranes") || !strings.Contains(body, `href="https://news.example.org`+story+`"`) {
			t.Fatalf("GET %s through nginx = %d; want the story with its canonical address", story, status)
		}
	}
	mustRun(t, "article", "note", "--db", db, strings.Trim(story, "/"), "Correction: the cranes arrive in May.")
	for range 4 { // whichever node answers has it
		waitFor(t, front+story, 5*time.Second, func(_ int, body string) bool { return strings.Contains(body, "the cranes arrive in May") })
	}
	if code := stopA(); code != 0 {
		t.Fatalf("node A exited %d", code)
	}
	for range 4 {
		if status, _ := get(story); status != 200 {
			t.Errorf("GET %s through nginx with one node stopped = %d; want the other to answer", story, status)
		}
	}
}
