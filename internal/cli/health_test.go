package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// unreadyStore answers Ready with an error while down is set, as a store
// whose database is away does.
type unreadyStore struct {
	store.Store
	down atomic.Bool
}

func (s *unreadyStore) Ready(ctx context.Context) error {
	if s.down.Load() {
		return errors.New("connection refused")
	}
	return s.Store.Ready(ctx)
}

func fetch(t *testing.T, method, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// A load balancer asks /healthz whether the process runs and /readyz
// whether it can serve; Prometheus scrapes /metrics on an address of its
// own, never the public one.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	var wrapped *unreadyStore
	hooks := &serveHooks{wrapStore: func(s store.Store) store.Store {
		wrapped = &unreadyStore{Store: s}
		return wrapped
	}}
	// The examples rather than the demo: serve makes the demo's photo
	// sizes as it starts, and those writes drop cached pages, which the
	// counts below would see.
	mustRun(t, "import", "--db", db, "../../examples/articles")
	base, line, _ := startServeLine(t, hooks, io.Discard, "--db", db, "--metrics-addr", "127.0.0.1:0")
	m := regexp.MustCompile(`metrics at (http://\S+/metrics)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("serve did not say where the metrics are: %q", line)
	}
	metricsURL := m[1]

	if resp, body := fetch(t, "GET", base+"/healthz"); resp.StatusCode != 200 || body != "ok\n" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("GET /healthz = %d %q (Cache-Control %q); want 200 ok, not cached", resp.StatusCode, body, resp.Header.Get("Cache-Control"))
	}
	// Ready once the node follows the database's changes, a moment
	// after it starts.
	waitFor(t, base+"/readyz", 10*time.Second, func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "database: ok")
	})
	wrapped.down.Store(true)
	resp, body := fetch(t, "GET", base+"/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "connection refused") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("GET /readyz with the database away = %d %q (Retry-After %q); want 503 naming the cause", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	if resp, _ := fetch(t, "GET", base+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("GET /healthz with the database away = %d; the process still runs: want 200", resp.StatusCode)
	}
	wrapped.down.Store(false)
	if resp, _ := fetch(t, "POST", base+"/readyz"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /readyz = %d, want 405", resp.StatusCode)
	}

	// The same page twice: built, then from the cache.
	for range 2 {
		if resp, _ := fetch(t, "GET", base+"/"); resp.StatusCode != 200 {
			t.Fatalf("GET / = %d", resp.StatusCode)
		}
	}
	fetch(t, "GET", base+"/no-such-story/")
	if resp, _ := fetch(t, "GET", base+"/metrics"); resp.StatusCode != 404 {
		t.Errorf("GET /metrics on the public address = %d, want 404: the metrics have their own address", resp.StatusCode)
	}
	resp, text := fetch(t, "GET", metricsURL)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", metricsURL, resp.StatusCode)
	}
	for _, want := range []string{
		`dateline_http_requests_total{code="200",route="GET /{$}"} 2`,
		`dateline_http_requests_total{code="503",route="/readyz"} `,
		`dateline_http_requests_total{code="404",route=`,
		`dateline_http_request_duration_seconds_count{route="GET /{$}"} 2`,
		`dateline_page_cache_requests_total{result="hit"} 1`,
		`dateline_page_cache_requests_total{result="miss"}`,
		`dateline_db_connections_open `,
		`dateline_comments_pending 0`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the metrics lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", grepLines(text, "dateline_"))
	}
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
