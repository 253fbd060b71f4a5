package public

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/web"
)

// A page compressed around its hole must decompress, with any value in
// the hole, to exactly the page with that value: with Go's reader and
// with gzip(1), which is zlib's format as browsers read it.
func TestHoledGzip(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("<p>The harbour authority said the cranes cut waiting times.</p>\n", 2000)
	for _, test := range []struct {
		name, before, after string
	}{
		{"page", "<html><body>" + long + `<input name="dl_token" value="`, `"></form>` + long + "</body></html>"},
		{"empty before", "", "after the hole"},
		{"empty after", "before the hole", ""},
	} {
		for _, value := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.sig", strings.Repeat("é", 40000)} {
			g := newHoledGzip([]byte(test.before), []byte(test.after))
			gz := g.fill([]byte("garbage that fill must not keep"[:0]), value)
			want := test.before + value + test.after
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatalf("%s: %v", test.name, err)
			}
			got, err := io.ReadAll(zr)
			if err != nil || string(got) != want {
				t.Errorf("%s, value of %d bytes: got %d bytes (%v), want %d", test.name, len(value), len(got), err, len(want))
			}
			if path, err := exec.LookPath("gzip"); err == nil {
				cmd := exec.Command(path, "-dc")
				cmd.Stdin = bytes.NewReader(gz)
				out, err := cmd.Output()
				if err != nil || string(out) != want {
					t.Errorf("%s, value of %d bytes: gzip -dc: %v, %d bytes, want %d", test.name, len(value), err, len(out), len(want))
				}
			}
		}
	}
}

// newTestCache returns a page cache of pages kept 5 s on clock c.
func newTestCache(c *testclock.Clock) *pageCache {
	return newPageCache(&web.Site{Info: web.SiteInfo{BaseURL: "https://news.example"}}, 5*time.Second, 0, c.Now, nil)
}

// servePage has c serve path, building it with build, and returns the
// body, or the error.
func servePage(c *pageCache, ctx context.Context, path string, build func() (*cachedPage, error)) (string, error) {
	r := httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
	w := httptest.NewRecorder()
	if err := c.serve(w, r, build, nil, nil); err != nil {
		return "", err
	}
	return w.Body.String(), nil
}

// TestPageCacheBuildsOnceAtExpiry has 64 readers, over HTTP, arrive at a
// page whose cached copy expired: one builds it, the 63 others wait for
// that build and get its page. Issue 12: every one of them built it.
func TestPageCacheBuildsOnceAtExpiry(t *testing.T) {
	t.Parallel()
	const readers = 64
	clock := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	c := newTestCache(clock)
	var builds, waiting atomic.Int32
	allWaiting, release := make(chan struct{}), make(chan struct{})
	c.waiting = func() {
		if waiting.Add(1) == readers-1 {
			close(allWaiting)
		}
	}
	build := func() (*cachedPage, error) {
		n := builds.Add(1)
		if n > 1 {
			<-release // the build at expiry lasts until every reader is here
		}
		return newCachedPage(fmt.Appendf(nil, "<p>build %d</p>", n), clock.Now()), nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := c.serve(w, r, build, nil, nil); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	get := func() string {
		resp, err := srv.Client().Get(srv.URL + "/harbour-dredging/")
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if got := get(); got != "<p>build 1</p>" {
		t.Fatalf("first read: %q", got)
	}
	clock.Add(5 * time.Second) // the cached copy expires

	bodies := make(chan string, readers)
	for range readers {
		go func() { bodies <- get() }()
	}
	select {
	case <-allWaiting:
	case <-time.After(30 * time.Second):
		t.Errorf("%d readers built the page, %d waited; want 1 and %d", builds.Load()-1, waiting.Load(), readers-1)
	}
	close(release)
	for range readers {
		if got := <-bodies; got != "<p>build 2</p>" {
			t.Errorf("a reader got %q, want the one build at expiry", got)
		}
	}
	if n := builds.Load() - 1; n != 1 {
		t.Errorf("%d builds at expiry, want 1", n)
	}
}

// TestPageCacheBuilderLeaves checks that readers waiting for a build
// whose reader went away midway (its request cancelled) do not fail with
// it: one of them builds the page.
func TestPageCacheBuilderLeaves(t *testing.T) {
	t.Parallel()
	clock := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	c := newTestCache(clock)
	waiting := make(chan struct{})
	c.waiting = func() { close(waiting) }
	leaving, leave := context.WithCancel(context.Background())
	building := make(chan struct{})
	left := make(chan error, 1)
	go func() {
		_, err := servePage(c, leaving, "/harbour-dredging/", func() (*cachedPage, error) {
			close(building)
			<-leaving.Done() // as a store query does when its reader goes
			return nil, fmt.Errorf("load article: %w", leaving.Err())
		})
		left <- err
	}()
	<-building
	var builds atomic.Int32
	stayed := make(chan string, 1)
	go func() {
		got, err := servePage(c, context.Background(), "/harbour-dredging/", func() (*cachedPage, error) {
			builds.Add(1)
			return newCachedPage([]byte("<p>page</p>"), clock.Now()), nil
		})
		if err != nil {
			got = err.Error()
		}
		stayed <- got
	}()
	select {
	case <-waiting:
	case <-time.After(30 * time.Second):
		t.Error("the second reader did not wait for the first one's build")
	}
	leave()
	if err := <-left; !errors.Is(err, context.Canceled) {
		t.Errorf("the reader who left got %v, want context.Canceled", err)
	}
	if got := <-stayed; got != "<p>page</p>" || builds.Load() != 1 {
		t.Errorf("the reader who waited got %q after %d builds of its own; want the page, built once", got, builds.Load())
	}
}

// TestPageCacheClearDuringBuild checks that a page being built when the
// cache is cleared (a comment was approved) is not kept: readers after
// the clear build the page again, and later readers get theirs.
func TestPageCacheClearDuringBuild(t *testing.T) {
	t.Parallel()
	clock := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	c := newTestCache(clock)
	var builds atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	build := func() (*cachedPage, error) {
		n := builds.Add(1)
		if n == 1 {
			close(started)
			<-release
		}
		return newCachedPage(fmt.Appendf(nil, "<p>build %d</p>", n), clock.Now()), nil
	}
	var before sync.WaitGroup
	before.Go(func() {
		if got, err := servePage(c, context.Background(), "/harbour-dredging/", build); got != "<p>build 1</p>" {
			t.Errorf("the reader before the clear got %q, %v; want build 1", got, err)
		}
	})
	<-started
	c.clear()
	if got, err := servePage(c, context.Background(), "/harbour-dredging/", build); got != "<p>build 2</p>" {
		t.Errorf("the reader after the clear got %q, %v; want a build of its own", got, err)
	}
	close(release)
	before.Wait()
	if got, err := servePage(c, context.Background(), "/harbour-dredging/", build); got != "<p>build 2</p>" {
		t.Errorf("a later reader got %q, %v; want the page built after the clear", got, err)
	}
}

// A page's ETag is the same on every node that renders the same bytes
// (no per-process seed: the CRC-32 and CRC-32C of the page, whose check
// values for "123456789" are cbf43926 and e3069283), and changes with any
// byte of it.
func TestPageETag(t *testing.T) {
	if got, want := pageETag([]byte("123456789")), `"cbf43926e3069283"`; got != want {
		t.Errorf("pageETag(123456789) = %s, want %s", got, want)
	}
	page := []byte("<p>The ferry leaves at 09:40.</p>")
	before := pageETag(page)
	page[len(page)-6] = '5'
	if after := pageETag(page); after == before {
		t.Errorf("one byte changed, same ETag %s", after)
	}
}
