package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
)

// faultProxy forwards TCP connections to a server and can cut them all
// (the server refuses: connections are closed and new ones refused) or
// hold them (a network partition: nothing passes, nothing is closed).
type faultProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cond   *sync.Cond
	mode   string // "", "cut" or "hold"
	conns  []net.Conn
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target}
	p.cond = sync.NewCond(&p.mu)
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.set("cut")
	})
	return p
}

func (p *faultProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		cut := p.mode == "cut"
		p.mu.Unlock()
		if cut {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(c, s)
		go p.pipe(s, c)
	}
}

// pipe copies from src to dst, waiting while the proxy holds.
func (p *faultProxy) pipe(src, dst net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		p.mu.Lock()
		for p.mode == "hold" {
			p.cond.Wait()
		}
		p.mu.Unlock()
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

func (p *faultProxy) set(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
	if mode == "cut" {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
	p.cond.Broadcast()
}

// timedGet fetches u and says how long the answer took.
func timedGet(t *testing.T, u string) (*http.Response, string, time.Duration) {
	t.Helper()
	start := time.Now()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b), time.Since(start)
}

// With PostgreSQL refusing connections, then cut off by a partition,
// readers get the pages cached before (past their time) or a quick 503
// with Retry-After, never a hang; the log says so once an interval, not
// once a request; the site comes back by itself.
func TestServeThroughADatabaseOutage(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchemaDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newFaultProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	// The examples rather than the demo: serve makes the demo's photo
	// sizes as it starts, and those writes would drop the pages cached
	// before the outage.
	mustRun(t, "import", "--db", u.String(), "../../examples/articles")
	var log lockedBuffer
	base, _ := startServeWith(t, nil, &log, "--db", u.String(), "--cache", "300ms")

	for _, path := range []string{"/", "/feed/"} {
		if resp, _, _ := timedGet(t, base+path); resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d before the outage", path, resp.StatusCode)
		}
	}

	// The server refuses: every connection closed, new ones refused.
	proxy.set("cut")
	time.Sleep(400 * time.Millisecond) // the cached pages are past their time
	for i := range 50 {
		resp, body, took := timedGet(t, base+"/")
		if resp.StatusCode != 200 || !strings.Contains(body, "</html>") || took > 3*time.Second {
			t.Fatalf("GET / during the refusal (%d): %d in %v; want the page cached before, at once", i, resp.StatusCode, took)
		}
	}
	for i := range 50 {
		resp, _, took := timedGet(t, base+"/tag/never-asked-for-"+string(rune('a'+i%26))+"/")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || took > 3*time.Second {
			t.Fatalf("GET of an uncached page during the refusal: %d (Retry-After %q) in %v; want a quick 503 with Retry-After",
				resp.StatusCode, resp.Header.Get("Retry-After"), took)
		}
	}
	if n := strings.Count(log.String(), "database unavailable"); n == 0 || n > 3 {
		t.Errorf("the log has %d lines about the database for 100 requests in a few seconds; want one an interval:\n%s", n, log.String())
	}
	if strings.Contains(log.String(), "request failed") {
		t.Errorf("the outage was logged as a failure of each request:\n%s", log.String())
	}

	// A partition: nothing passes and nothing is closed. A request that
	// needs the database waits for its deadline, not for the partition.
	proxy.set("")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if resp, _, _ := timedGet(t, base+"/"); resp.StatusCode == 200 && time.Now().After(deadline) {
			t.Fatal("the site did not come back after the refusal")
		} else if resp.StatusCode == 200 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	proxy.set("hold")
	resp, _, took := timedGet(t, base+"/tag/asked-for-in-the-partition/")
	if resp.StatusCode != http.StatusServiceUnavailable || took > pageTimeout+3*time.Second {
		t.Errorf("GET of an uncached page during the partition: %d in %v; want 503 within the page deadline (%v)", resp.StatusCode, took, pageTimeout)
	}
	if resp, _, took := timedGet(t, base+"/"); resp.StatusCode != 200 || took > 3*time.Second {
		t.Errorf("GET / right after: %d in %v; want the cached page at once", resp.StatusCode, took)
	}

	// Back again: fresh pages, without a restart, and the change feed
	// follows by itself. An edit made meanwhile by another process (on
	// the database itself, past the partition) is served.
	proxy.set("cut")
	const story = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
	mustRun(t, "article", "note", "--db", dsn, story, "Correction made while the node was cut off.")
	proxy.set("")
	deadline = time.Now().Add(30 * time.Second)
	for {
		resp, _, _ := timedGet(t, base+"/tag/asked-after-the-outage/")
		if resp.StatusCode == 404 || resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the outage an uncached page still answers %d", resp.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
	waitFor(t, base+"/readyz", 30*time.Second, func(status int, _ string) bool { return status == 200 })
	waitFor(t, base+"/"+story+"/", 5*time.Second, func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "Correction made while the node was cut off.")
	})
}

// With another process holding SQLite's write lock, a reader's comment
// waits for a bounded time, then gets 503 with Retry-After, not an
// endless queue; once the lock goes, the comment is taken.
func TestServeWithSQLiteHeldByAnotherWriter(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "site.db")
	db := "sqlite:" + path
	mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md")
	mustRun(t, "settings", "set", "comments.min_form_seconds", "0", "--db", db)
	const slug = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
	var log lockedBuffer
	base, _ := startServeWith(t, nil, &log, "--db", db, "--cache", "0")

	holder, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp := postComment(t, base, slug, url.Values{"author": {"Nils"}, "email": {"nils@mail.example"}, "comment": {"Is the quay open on Sunday?"}})
	took := time.Since(start)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || took > pageTimeout+3*time.Second {
		t.Errorf("a comment while another process holds the write lock: %d (Retry-After %q) in %v; want 503 with Retry-After within %v",
			resp.StatusCode, resp.Header.Get("Retry-After"), took, pageTimeout)
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	resp = postComment(t, base, slug, url.Values{"author": {"Nils"}, "email": {"nils@mail.example"}, "comment": {"Is the quay open on Sunday?"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the comment after the lock went: %d, want 303", resp.StatusCode)
	}
}

// A shutdown that outlives its limit says what it cut off, not "context
// deadline exceeded".
func TestServeShutdownPastItsLimitSaysWhy(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	var log lockedBuffer
	base, stop := startServeWith(t, &serveHooks{shutdownTimeout: 200 * time.Millisecond}, &log, "--db", db)
	// A request whose body never finishes arriving keeps its handler busy.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /some-story/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nauthor=")
	time.Sleep(200 * time.Millisecond)
	if code := stop(); code == 0 {
		t.Fatal("serve exited 0 with a request cut off")
	}
	if got := log.String(); !strings.Contains(got, "requests still running 200ms after the shutdown began were cut off") || strings.Contains(got, "context deadline exceeded") {
		t.Errorf("serve said:\n%s", got)
	}
}

// A damaged database file (here a page of the comments table, which serve
// does not read as it starts) is found as serve starts: the log says so
// and /readyz answers 503, instead of the damage waiting for the first
// request that reads it.
func TestServeChecksTheDatabaseFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "site.db")
	db := "sqlite:" + path
	mustRun(t, "import", "--db", db, "../../examples/articles")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := raw.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'comments'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A leaf page whose header promises cells where there is garbage.
	if _, err := f.WriteAt(append([]byte{0x0d, 0, 0, 0, 5, 0xff, 0xff}, bytes.Repeat([]byte{0xff}, 64)...), (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var log lockedBuffer
	base, _ := startServeWith(t, nil, &log, "--db", db)
	waitFor(t, base+"/readyz", 10*time.Second, func(status int, body string) bool {
		return status == http.StatusServiceUnavailable && strings.Contains(body, "the database file is damaged")
	})
	if !strings.Contains(log.String(), "database check failed") {
		t.Errorf("the log does not say the file is damaged:\n%s", log.String())
	}
}

// A node whose change feed broke while an edit was made (here its
// connections cut) learns of the edit from the change journal once it is
// back, though the page was cached for a minute and no notice reached it.
func TestNodeCatchesUpAfterItsFeedBroke(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchemaDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newFaultProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	mustRun(t, "import", "--db", dsn, "../../examples/articles")
	base, _ := startServe(t, "--db", u.String(), "--cache", "1m")
	waitFor(t, base+"/readyz", 10*time.Second, func(status int, _ string) bool { return status == 200 })
	const story = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
	if resp, _, _ := timedGet(t, base+"/"+story+"/"); resp.StatusCode != 200 {
		t.Fatalf("GET the story: %d", resp.StatusCode)
	}
	proxy.set("cut")
	waitFor(t, base+"/readyz", 10*time.Second, func(status int, _ string) bool { return status == http.StatusServiceUnavailable })
	mustRun(t, "article", "note", "--db", dsn, story, "Correction the node did not hear of.")
	proxy.set("")
	took := waitFor(t, base+"/"+story+"/", 20*time.Second, func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "Correction the node did not hear of.")
	})
	t.Logf("the edit made while the feed was broken was served %v after the database came back", took)
}
