package staticsite

import (
	"context"
	"crypto/tls"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// crawl renders pages from their addresses, following the links of each
// to the pages not rendered yet, and stages those whose bytes changed.
type crawl struct {
	x          *export
	old, next  *manifest
	full       bool
	articleIDs map[string]int64 // by address
	visited    map[string]bool
	written    []string
	removed    []string
	unchanged  int
	// missing are the site's files the pages link to that it does not
	// have (a photo size not made yet, a broken link).
	missing  []string
	progress progress
	// beforeArticles runs Options.BeforeArticles once.
	beforeArticles func() error
	// ahead are the pages fetched before the crawl began.
	ahead *prefetched
}

// prefetched are pages fetched in the background, in order, before the
// crawl asks for them.
type prefetched struct {
	pages map[string]*earlyPage
	done  sync.WaitGroup
}

type earlyPage struct {
	ready chan struct{}
	resp  response
	err   error
}

// prefetch starts fetching the pages at paths, one after the other.
func (x *export) prefetch(ctx context.Context, paths ...string) *prefetched {
	p := &prefetched{pages: make(map[string]*earlyPage, len(paths))}
	for _, path := range paths {
		p.pages[path] = &earlyPage{ready: make(chan struct{})}
	}
	p.done.Go(func() {
		for _, path := range paths {
			e := p.pages[path]
			e.resp, e.err = x.fetch(ctx, path)
			close(e.ready)
		}
	})
	return p
}

// wait waits for the pages still being fetched: an export returns once
// nothing of it reads the site any more.
func (p *prefetched) wait() { p.done.Wait() }

// fetch asks the site for the page at path, or waits for it if it was
// prefetched.
func (c *crawl) fetch(ctx context.Context, path string) (response, error) {
	if e, ok := c.ahead.pages[path]; ok {
		<-e.ready
		return e.resp, e.err
	}
	return c.x.fetch(ctx, path)
}

// page is what rendering one address gave.
type page struct {
	path    string
	entry   fileEntry
	found   bool // the address is a page of the site
	missing bool // the site answers 404 there
	changed bool // its file must be written
	links   []string
	err     error
}

// run renders seeds and what they lead to, on Workers goroutines; the
// caller's goroutine alone keeps the crawl's state.
func (c *crawl) run(ctx context.Context, seeds []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.progress.report = c.x.opts.Progress
	jobs, results := make(chan string), make(chan page)
	var workers sync.WaitGroup
	for range c.x.opts.Workers {
		workers.Go(func() {
			for p := range jobs {
				results <- c.render(ctx, p)
			}
		})
	}
	var pending []string
	enqueue := func(p string) {
		if !c.visited[p] {
			c.visited[p] = true
			pending = append(pending, p)
		}
	}
	for _, s := range seeds {
		enqueue(s)
	}
	c.progress.add(len(pending), 0)
	var failed error
	inFlight := 0
	for inFlight > 0 || (len(pending) > 0 && failed == nil) {
		var send chan string
		var next string
		if len(pending) > 0 && failed == nil {
			send, next = jobs, pending[len(pending)-1]
		}
		select {
		case send <- next:
			pending = pending[:len(pending)-1]
			inFlight++
		case pg := <-results:
			inFlight--
			if pg.err != nil {
				if failed == nil {
					failed = pg.err
					cancel()
				}
				continue
			}
			before := len(pending)
			c.apply(pg)
			for _, l := range pg.links {
				// An incremental export keeps the pages it did not render:
				// it follows links to new ones only.
				if _, known := c.old.file(l); c.full || !known {
					enqueue(l)
				}
			}
			c.progress.add(len(pending)-before, 1)
		}
	}
	close(jobs)
	workers.Wait()
	return failed
}

// apply records what rendering a page gave, in the crawl's goroutine.
func (c *crawl) apply(pg page) {
	if !pg.found {
		if pg.missing {
			c.missing = append(c.missing, pg.path)
		}
		c.remove(pg.path)
		return
	}
	if was, ok := c.next.Files[pg.path]; ok && was.File != pg.entry.File {
		c.removed = append(c.removed, was.File)
	}
	c.next.Files[pg.path] = pg.entry
	if pg.changed {
		c.written = append(c.written, pg.entry.File)
	} else {
		c.unchanged++
	}
}

// remove takes the page at path out of the site, if it was in it.
func (c *crawl) remove(path string) {
	if was, ok := c.next.Files[path]; ok {
		c.removed = append(c.removed, was.File)
		delete(c.next.Files, path)
	}
}

// render fetches the page at path and stages its file if it changed.
func (c *crawl) render(ctx context.Context, path string) page {
	if _, isArticle := c.articleIDs[path]; isArticle && c.x.opts.BeforeArticles != nil {
		if err := c.beforeArticles(); err != nil {
			return page{path: path, err: err}
		}
	}
	resp, err := c.fetch(ctx, path)
	if err != nil {
		return page{path: path, err: err}
	}
	switch {
	case resp.status == http.StatusOK:
	case resp.status >= 300 && resp.status < 400, resp.status == http.StatusGone:
		// Not a page (an address that redirects is written as a
		// redirect, from the site's redirects).
		return page{path: path}
	case resp.status == http.StatusNotFound:
		return page{path: path, missing: true}
	default:
		return page{path: path, err: fmt.Errorf("the site answered %d %s for %s: %s", resp.status, http.StatusText(resp.status), path, snippet(resp.body))}
	}
	ctype := resp.header.Get("Content-Type")
	file, err := fileFor(path, ctype)
	if err != nil {
		return page{path: path, err: err}
	}
	pg := page{path: path, found: true, entry: fileEntry{File: file, Hash: digest(resp.body)}}
	pg.links = c.x.links(path, ctype, resp.body)
	for _, l := range pg.links {
		if id, ok := c.articleIDs[l]; ok && l != path {
			pg.entry.Links = append(pg.entry.Links, id)
		}
	}
	was, known := c.old.file(path)
	pg.changed = !known || was.Hash != pg.entry.Hash || was.File != file || !c.x.exists(file)
	if pg.changed && !c.x.opts.DryRun {
		if err := c.x.stage(file, resp.body); err != nil {
			return page{path: path, err: err}
		}
	}
	return pg
}

// file returns the entry of the page at path in m, if m has it.
func (m *manifest) file(path string) (fileEntry, bool) {
	if m == nil {
		return fileEntry{}, false
	}
	f, ok := m.Files[path]
	return f, ok
}

// exists reports whether file is in the export directory.
func (x *export) exists(file string) bool {
	_, err := os.Lstat(filepath.Join(x.dir, filepath.FromSlash(file)))
	return err == nil
}

// writeExtra stages the files that are no page (by name), where their
// bytes changed, and drops those of the last export no longer made.
func (c *crawl) writeExtra(files map[string][]byte) error {
	pages := make(map[string]bool, len(c.next.Files))
	for _, f := range c.next.Files {
		pages[f.File] = true
	}
	c.next.Extra = map[string]string{}
	for name, body := range files {
		if pages[name] {
			continue // a page of the site is at that address
		}
		h := digest(body)
		c.next.Extra[name] = h
		if c.old != nil && c.old.Extra[name] == h && c.x.exists(name) {
			c.unchanged++
			continue
		}
		c.written = append(c.written, name)
		if !c.x.opts.DryRun {
			if err := c.x.stage(name, body); err != nil {
				return err
			}
		}
	}
	if c.old != nil {
		for name := range c.old.Extra {
			if _, kept := c.next.Extra[name]; !kept && !pages[name] {
				c.removed = append(c.removed, name)
			}
		}
	}
	return nil
}

// response is a page as the site answered it.
type response struct {
	status int
	header http.Header
	body   []byte
}

// fetch asks the site's handler for the page at path, as a reader's
// browser on the site's address would (but not counted as a view).
func (x *export) fetch(ctx context.Context, path string) (response, error) {
	u := url.URL{Scheme: x.base.Scheme, Host: x.base.Host, Path: path}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return response{}, fmt.Errorf("page %q: %w", path, err)
	}
	req.Host = x.base.Host
	req.RemoteAddr = "127.0.0.1:0"
	req.Header.Set("User-Agent", "Dateline-Export")
	if x.base.Scheme == "https" {
		req.TLS = &tls.ConnectionState{}
	}
	rec := &recorder{header: http.Header{}}
	x.opts.Handler.ServeHTTP(rec, req)
	if err := ctx.Err(); err != nil {
		return response{}, err
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return response{status: rec.status, header: rec.header, body: rec.body}, nil
}

// recorder keeps what a handler answers.
type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// maxPageGrow bounds the buffer a page's Content-Length reserves at once.
const maxPageGrow = 64 << 20

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.body == nil {
		// The page's length, when the site said it and more is to come,
		// is the one buffer the page needs. A page written at once is
		// appended to nothing, which copies it without clearing a buffer
		// first (a bytes.Buffer grown for the feeds, hundreds of
		// kilobytes each, cleared 5% of an export's CPU after a note).
		if n, err := strconv.Atoi(r.header.Get("Content-Length")); err == nil && n > len(b) && n <= maxPageGrow {
			r.body = make([]byte, 0, n)
		}
	}
	r.body = append(r.body, b...)
	return len(b), nil
}

// fileFor names the file (relative, with slashes) that holds the page at
// path: an address ending in a slash is a directory's index, named for
// what it holds (index.html, index.xml for a feed). It refuses an address
// that would be written outside the directory, or over the export's own
// state.
func fileFor(path, contentType string) (string, error) {
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "\x00\\") {
		return "", fmt.Errorf("the page address %q cannot be a file name", path)
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == ".." || seg == "." {
			return "", fmt.Errorf("the page address %q would be written outside the export directory", path)
		}
	}
	f := strings.TrimPrefix(path, "/")
	if f == stateDir || strings.HasPrefix(f, stateDir+"/") {
		return "", fmt.Errorf("the page address %q is the export's own state directory", path)
	}
	if f == "" || strings.HasSuffix(f, "/") {
		f += indexFile(contentType)
	}
	return f, nil
}

// indexFile is the name of a directory's index holding content of the
// given type.
func indexFile(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasSuffix(mt, "xml"):
		return "index.xml"
	case strings.HasSuffix(mt, "json"):
		return "index.json"
	}
	return "index.html"
}

// snippet is the start of a body, for an error message.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
