package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/google/go-cmp/cmp"
)

// Issue: --trust-proxy reached only the admin. The site's middleware
// resolves every reader's address and scheme, once, for the public site
// and the admin; the test client at 127.0.0.1 plays the proxy.
func TestClientBehindAProxy(t *testing.T) {
	t.Parallel()
	type seen struct{ Addr, Scheme, BaseURL string }
	for _, test := range []struct {
		name       string
		trustProxy bool
		header     http.Header
		want       seen
	}{
		{"no proxy", false, nil, seen{"127.0.0.1", "http", "http://HOST"}},
		{"headers ignored without trust", false,
			http.Header{"X-Forwarded-For": {"198.51.100.1"}, "X-Forwarded-Proto": {"https"}},
			seen{"127.0.0.1", "http", "http://HOST"}},
		{"trusted proxy", true,
			http.Header{"X-Forwarded-For": {"198.51.100.1"}, "X-Forwarded-Proto": {"https"}},
			seen{"198.51.100.1", "https", "https://HOST"}},
		{"the right-most address is the one the proxy saw", true,
			http.Header{"X-Forwarded-For": {"10.9.8.7, 198.51.100.1"}},
			seen{"198.51.100.1", "http", "http://HOST"}},
		{"the proxy's own address is passed over", true,
			http.Header{"X-Forwarded-For": {"198.51.100.1, 127.0.0.1"}},
			seen{"198.51.100.1", "http", "http://HOST"}},
		{"header lines in order", true,
			http.Header{"X-Forwarded-For": {"10.9.8.7", "2001:db8::1"}, "X-Forwarded-Proto": {"http", "https"}},
			seen{"2001:db8::1", "https", "https://HOST"}},
		{"with a port", true, http.Header{"X-Forwarded-For": {"198.51.100.1:4711"}}, seen{"198.51.100.1", "http", "http://HOST"}},
		{"IPv4 in IPv6", true, http.Header{"X-Forwarded-For": {"::ffff:198.51.100.1"}}, seen{"198.51.100.1", "http", "http://HOST"}},
		{"a malformed right-most entry leaves the proxy's address", true,
			http.Header{"X-Forwarded-For": {"198.51.100.1, unknown"}},
			seen{"127.0.0.1", "http", "http://HOST"}},
		{"empty", true, http.Header{"X-Forwarded-For": {""}, "X-Forwarded-Proto": {""}}, seen{"127.0.0.1", "http", "http://HOST"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			site := &Site{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: testclock.New(testclock.Date(2026, 11, 27, 12, 0)).Now, TrustProxy: test.trustProxy}
			got := make(chan seen, 1)
			srv := httptest.NewServer(site.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c := ClientOf(r)
				got <- seen{c.Addr.String(), c.Scheme(), strings.Replace(site.BaseURL(r), r.Host, "HOST", 1)}
			})))
			defer srv.Close()
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header = test.header.Clone()
			// The server's own client: Close of a parallel subtest's
			// server drops the default transport's idle connections,
			// this request's among them.
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if diff := cmp.Diff(test.want, <-got); diff != "" {
				t.Errorf("client (-want +got):\n%s", diff)
			}
		})
	}
}
