// Package staticsite writes the public site as files, for any web server,
// CDN or object store: every page a reader can reach, each fetched from the
// site's own handler, so that a file holds the bytes serve answers for its
// address. A later export into the same directory renders only what the
// changes since the last one touch, and writes only the files whose bytes
// differ. Files are staged and then renamed into place in one commit, so a
// web server reading the directory never sees a half-written file, and an
// interrupted export leaves the previous site.
package staticsite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/urls"
)

// Options say what to export and where.
type Options struct {
	// Dir is the directory the site is written to.
	Dir string
	// Handler is the public site, as serve runs it.
	Handler http.Handler
	// BaseURL is the site's public address (http or https, with a host):
	// the host the pages are asked for on, and what tells an address of
	// the site in a page's links.
	BaseURL string
	// Articles lists the public articles as they stand now.
	Articles func(ctx context.Context) ([]Article, error)
	// Redirects are the site's permanent redirects, written in the forms
	// static hosts read.
	Redirects []Redirect
	// Fingerprint names everything besides the articles that pages show
	// (settings, menus, sections, theme, the program's version): when it
	// differs from the last export's, every page is rendered again.
	Fingerprint string
	// DryRun renders what would be written and removed, and touches
	// nothing.
	DryRun bool
	// Force allows a first export into a directory that holds other files
	// (they are left alone unless the site has a file of the same name).
	Force bool
	// Workers render pages at once (default: the number of CPUs).
	Workers int
	// Progress, when set, is called as pages are done, with how many of
	// those known so far.
	Progress func(done, total int)
	// Now is the clock, for the manifest's time of export.
	Now func() time.Time
	// Neighbours, when set, returns the addresses of the article pages
	// whose related articles may list the article of id (those most like
	// it). An article whose State changed and Card did not has them
	// rendered again, with its own page and the feeds that carry it.
	Neighbours func(ctx context.Context, id int64) ([]string, error)
	// BeforeArticles, when set, runs once before the first article page
	// is rendered, and not at all when none is: what only article pages
	// need (the linking index) is made there.
	BeforeArticles func(context.Context) error
	// BeforeCommit, when set, runs once every page is rendered and
	// before anything is committed (or a dry run reports): an error
	// stops the export and leaves the previous site, as for a page that
	// failed (a part the pages needed could not be made).
	BeforeCommit func(context.Context) error

	// stopAfterRecord makes Export stop once its commit is recorded, as
	// if it were killed there (tests).
	stopAfterRecord bool
	// flush replaces flushToDisk (tests).
	flush func(dir string) error
}

// Article is a public article as an export sees it: where its page is,
// which listings show it, and a digest of what its page and those
// listings show of it.
type Article struct {
	ID   int64
	Path string // its address, such as /harbour-reopens/
	// State changes whenever anything a page shows of the article does:
	// its text, title, dates, credits, section, tags, photo, comments.
	State string
	// Card changes whenever what other pages show of it does: its
	// headline, standfirst, photo, dates, credits, section, reading time,
	// comments, story. The pages that link it are rendered again when it
	// changes, not for a change of State alone ("" counts as changed).
	Card string
	// Listings are the addresses of the listings the article is on: the
	// home page, its section's front, its tags' and its author's archives.
	Listings []string
	// Order is what places the article in its listings (its publication
	// time): a change of it moves the article on their pages.
	Order string
	// Group is the listing whose newest stories every member's page shows
	// ("More in section"): a story that joins or leaves it changes them.
	Group string
}

// Redirect sends an old address to a new one (a path, or an absolute URL).
type Redirect struct{ From, To string }

// Summary says what an export did (or, with DryRun, would do).
type Summary struct {
	// Full is set when every page was rendered: a first export, or one
	// after the settings, theme or program changed.
	Full      bool
	Written   []string // files written, relative to Dir
	Removed   []string // files removed
	Unchanged int      // files rendered whose bytes were already there
	Files     int      // files of the site once done
	// Missing are the addresses on the site that pages link to and the
	// site answers 404 for: photo sizes not made yet, or broken links.
	Missing []string
	Elapsed time.Duration
}

// ErrNotExport is returned for a first export into a directory that holds
// files but no earlier export, unless Options.Force is set.
var ErrNotExport = errors.New("the directory is not empty and holds no earlier export")

// stateDir is where an export keeps its manifest and stages its files,
// inside Dir so that renames stay on one file system.
const stateDir = ".dateline"

// notFoundFile is the themed not-found page, for the web server to send
// with a 404.
const notFoundFile = "404.html"

// Export writes the site to opts.Dir, or brings an earlier export there up
// to date.
func Export(ctx context.Context, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	base, err := parseBaseURL(opts.BaseURL)
	if err != nil {
		return Summary{}, err
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return Summary{}, fmt.Errorf("export directory %s: %w", opts.Dir, err)
	}
	// Refused before anything is written there.
	if !opts.Force && !holdsExport(dir) {
		if entries, err := os.ReadDir(dir); err == nil && slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() != stateDir }) {
			return Summary{}, fmt.Errorf("export to %s: %w; name an empty directory, or add --force to write the site among those files", dir, ErrNotExport)
		}
	}
	x := &export{opts: opts, base: base, dir: dir, staging: filepath.Join(dir, stateDir, "staging")}
	if err := x.prepare(); err != nil {
		return Summary{}, err
	}
	// The last export's manifest is read while the site lists its
	// articles.
	type read struct {
		m   *manifest
		err error
	}
	manifestRead := make(chan read, 1)
	go func() {
		m, err := readManifest(filepath.Join(dir, stateDir))
		manifestRead <- read{m, err}
	}()
	sum, err := x.run(ctx, func() (*manifest, error) {
		r := <-manifestRead
		return r.m, r.err
	})
	sum.Elapsed = time.Since(start)
	return sum, err
}

// StateFile is where the caller of Export may keep a file of its own,
// named name, beside the manifest of the export in dir: it is not part of
// the site, and stays from one export to the next.
func StateFile(dir, name string) string {
	return filepath.Join(dir, stateDir, name)
}

// holdsExport reports whether dir holds an export: its state folder,
// which only an export makes (an export refused here makes none). A
// manifest is not needed: one removed because it was damaged, as the
// error says to do, leaves a whole export to make in the same place.
func holdsExport(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, stateDir))
	return err == nil && fi.IsDir()
}

// parseBaseURL checks the site's address: http or https, with a host, and
// no query.
func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	switch {
	case s == "":
		return nil, errors.New("the site's address (--base-url) is required: links, feeds and sitemaps of an exported site are absolute")
	case err != nil:
		return nil, fmt.Errorf("--base-url %q: %w", s, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("--base-url %q: begin it with https:// (or http://), as in https://news.example.org", s)
	case u.Host == "":
		return nil, fmt.Errorf("--base-url %q: name the host, as in https://news.example.org", s)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("--base-url %q: the site's address takes no query or fragment", s)
	case u.Path != "":
		return nil, fmt.Errorf("--base-url %q: a site served under a path is not supported; name the host only", s)
	}
	return u, nil
}

// export is one run of Export.
type export struct {
	opts    Options
	base    *url.URL
	dir     string
	staging string
}

// prepare makes sure Dir can be written, finishes a commit an earlier
// export was interrupted in, and clears what an export interrupted before
// its commit staged.
func (x *export) prepare() error {
	if x.opts.DryRun {
		if _, err := os.Stat(x.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("export directory %s: %w", x.dir, unwrapPath(err))
		}
		return nil
	}
	state := filepath.Join(x.dir, stateDir)
	if err := os.MkdirAll(state, 0o755); err != nil {
		return fmt.Errorf("cannot write to the export directory %s: %w", x.dir, unwrapPath(err))
	}
	probe, err := os.CreateTemp(state, "probe-")
	if err != nil {
		return fmt.Errorf("cannot write to the export directory %s: %w", x.dir, unwrapPath(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	if err := finishCommit(x.dir); err != nil {
		return fmt.Errorf("finish the export that was interrupted in %s: %w", x.dir, err)
	}
	if err := os.RemoveAll(x.staging); err != nil {
		return fmt.Errorf("clear the files an interrupted export staged in %s: %w", x.staging, err)
	}
	if err := os.Mkdir(x.staging, 0o755); err != nil {
		return fmt.Errorf("cannot write to the export directory %s: %w", x.dir, unwrapPath(err))
	}
	return nil
}

// run renders what needs rendering, stages what changed and commits it;
// last returns the last export's manifest.
func (x *export) run(ctx context.Context, last func() (*manifest, error)) (Summary, error) {
	notFound, err := x.fetch(ctx, notFoundProbe)
	if err != nil {
		return Summary{}, err
	}
	if notFound.status != http.StatusNotFound {
		return Summary{}, fmt.Errorf("the site answered %s for an address that has no page: want 404", http.StatusText(notFound.status))
	}
	fingerprint := digest(x.opts.Fingerprint + "\x00" + x.base.String() + "\x00" + string(notFound.body))
	// The pages every export renders are fetched while the articles are
	// listed, which leaves a core idle: the sitemap, which lists every
	// article, was the longest page of an export after a note.
	prefetching, stop := context.WithCancel(ctx)
	ahead := x.prefetch(prefetching, urls.Sitemap, urls.NewsSitemap, urls.Home)
	defer func() {
		stop()
		ahead.wait()
	}()
	articles, err := x.opts.Articles(ctx)
	if err != nil {
		return Summary{}, err
	}
	// The manifest keeps each article's state as a digest, which is all
	// that is compared.
	for i := range articles {
		articles[i].State = digest(articles[i].State)
	}
	old, err := last()
	if err != nil {
		return Summary{}, err
	}
	full := old == nil || old.Fingerprint != fingerprint
	next := &manifest{manifestHead: manifestHead{Version: manifestVersion, Fingerprint: fingerprint, BaseURL: x.base.String()}, Files: map[string]fileEntry{}}
	var seeds []string
	if full {
		seeds = x.fullSeeds(articles)
	} else if seeds, err = dirtyPages(ctx, old, articles, x.opts.Neighbours); err != nil {
		return Summary{}, err
	}
	if old != nil {
		for p, f := range old.Files {
			next.Files[p] = f
		}
	}
	articleIDs := make(map[string]int64, len(articles))
	for _, a := range articles {
		articleIDs[a.Path] = a.ID
	}
	c := &crawl{x: x, old: old, next: next, full: full, articleIDs: articleIDs, visited: map[string]bool{}, ahead: ahead}
	if x.opts.BeforeArticles != nil {
		c.beforeArticles = sync.OnceValue(func() error { return x.opts.BeforeArticles(ctx) })
	}
	if err := c.run(ctx, seeds); err != nil {
		x.discardStaging()
		return Summary{}, err
	}
	sum := Summary{Full: full, Unchanged: c.unchanged}
	if full {
		// A full export reaches every page there is: one it did not reach
		// is gone.
		for p := range next.Files {
			if !c.visited[p] {
				c.remove(p)
			}
		}
	}
	next.Articles = make(map[int64]articleEntry, len(articles))
	for _, a := range articles {
		next.Articles[a.ID] = articleEntry{Path: a.Path, State: a.State, Card: a.Card, Order: a.Order, Listings: a.Listings, Group: a.Group}
	}
	next.Gone = goneAddresses(old, next, articles, x.opts.Redirects)
	// The not-found page and the redirects, in the forms hosts read.
	extra := map[string][]byte{notFoundFile: notFound.body}
	for name, body := range redirectFiles(x.opts.Redirects, next.Gone, x.base) {
		extra[name] = body
	}
	if err := c.writeExtra(extra); err != nil {
		x.discardStaging()
		return Summary{}, err
	}
	if x.opts.BeforeCommit != nil {
		if err := x.opts.BeforeCommit(ctx); err != nil {
			x.discardStaging()
			return Summary{}, err
		}
	}
	// A file written anew (a redirect page where an article was) is not
	// removed.
	written := make(map[string]bool, len(c.written))
	for _, f := range c.written {
		written[f] = true
	}
	c.removed = slices.DeleteFunc(c.removed, func(f string) bool { return written[f] })
	sum.Written, sum.Removed, sum.Missing = c.written, c.removed, c.missing
	sort.Strings(sum.Missing)
	sort.Strings(sum.Written)
	sort.Strings(sum.Removed)
	sum.Files = len(next.Files) + len(next.Extra)
	if x.opts.DryRun {
		return sum, nil
	}
	next.ExportedAt = x.opts.Now().UTC()
	flush := x.opts.flush
	if flush == nil {
		flush = flushToDisk
	}
	if err := recordCommit(x.dir, c.written, c.removed, next, flush); err != nil {
		x.discardStaging()
		return sum, err
	}
	if x.opts.stopAfterRecord {
		return sum, nil
	}
	return sum, finishCommit(x.dir)
}

// notFoundProbe is an address no site has a page at (a slug cannot begin
// with a dot), asked for the themed not-found page.
const notFoundProbe = "/.dateline-not-found/"

// fullSeeds are where a full export starts: the site's fixed addresses,
// every article and every listing (a page no link reaches is still
// written), and the crawl follows the links from there.
func (x *export) fullSeeds(articles []Article) []string {
	seeds := []string{urls.Home, urls.Robots, urls.Sitemap, urls.NewsSitemap, urls.OpenSearch, urls.Search,
		urls.Feed(urls.Home, urls.RSS), urls.Feed(urls.Home, urls.Atom), urls.Feed(urls.Home, urls.JSONFeed)}
	listings := map[string]bool{}
	for _, a := range articles {
		seeds = append(seeds, a.Path)
		for _, l := range a.Listings {
			if !listings[l] {
				listings[l] = true
				seeds = append(seeds, l)
			}
		}
	}
	return seeds
}

// dirtyPages are the pages an incremental export renders again: those of
// the articles that changed and, where what other pages show of one
// changed (its card), the pages that link to it (every article page when
// an article appeared or went); the listings they are or were on if they
// joined, left or moved in them (with all their pages and feeds), the
// sitemaps, and the home page and section fronts (which editors arrange).
// A story that joins, leaves or moves in a section changes its section's
// story pages too ("More in section"), and those its page linked to
// (related articles, which likely list it in turn). One whose text alone
// changed is shown the same by the pages that link it, but for the order
// of related articles and the feeds that carry it: its neighbours' pages
// are rendered again, and the feeds that link it.
func dirtyPages(ctx context.Context, old *manifest, articles []Article, neighbours func(context.Context, int64) ([]string, error)) ([]string, error) {
	dirty := map[string]bool{urls.Home: true}
	listings := map[string]bool{}
	groups := map[string]bool{}
	textChanged := map[int64]bool{} // articles whose text alone changed
	linkedFrom := map[string]bool{}
	changed := map[int64]bool{} // articles whose linkers are rendered again
	now := make(map[int64]Article, len(articles))
	for _, a := range articles {
		now[a.ID] = a
	}
	// An article whose place in its listings is unchanged is found on
	// their pages by their links to it; one that joined, left or moved
	// shifts every page of them.
	touch := func(id int64, path string, ls []string, group string, moved bool) {
		dirty[path] = true
		changed[id] = true
		if !moved {
			return
		}
		for _, l := range ls {
			listings[l] = true
		}
		if group != "" {
			groups[group] = true
		}
		linkedFrom[path] = true
	}
	// An article that appears or goes changes what every other is
	// related to (the related articles are ranked against the whole
	// archive): every article page is rendered again then.
	everyArticle := false
	for id, was := range old.Articles {
		a, ok := now[id]
		switch {
		case !ok:
			everyArticle = true
			touch(id, was.Path, was.Listings, was.Group, true)
		case a.State != was.State || a.Path != was.Path || a.Order != was.Order || !slices.Equal(a.Listings, was.Listings) || a.Group != was.Group:
			moved := a.Path != was.Path || a.Order != was.Order || !slices.Equal(a.Listings, was.Listings) || a.Group != was.Group
			if !moved && a.Card != "" && a.Card == was.Card && neighbours != nil {
				dirty[a.Path] = true
				textChanged[id] = true
				near, err := neighbours(ctx, a.ID)
				if err != nil {
					return nil, err
				}
				for _, p := range near {
					dirty[p] = true
				}
				continue
			}
			touch(id, was.Path, was.Listings, was.Group, moved)
			touch(id, a.Path, a.Listings, a.Group, moved)
		}
	}
	for _, a := range articles {
		if _, ok := old.Articles[a.ID]; !ok {
			everyArticle = true
			touch(a.ID, a.Path, a.Listings, a.Group, true)
		}
	}
	for p, f := range old.Files {
		switch {
		case strings.HasPrefix(p, "/sitemap") || p == urls.NewsSitemap:
			dirty[p] = true
		case isListingPage(p, listings):
			dirty[p] = true
		}
		for _, id := range f.Links {
			if changed[id] || textChanged[id] && isFeed(p) {
				dirty[p] = true
			}
			if linkedFrom[p] {
				if a, ok := now[id]; ok {
					dirty[a.Path] = true
				}
			}
		}
	}
	for _, a := range articles {
		if everyArticle || groups[a.Group] {
			dirty[a.Path] = true
		}
		if a.Group != "" {
			dirty[a.Group] = true // its front page, which editors arrange
		}
	}
	for _, was := range old.Articles {
		if groups[was.Group] {
			dirty[was.Path] = true
		}
	}
	out := make([]string, 0, len(dirty))
	for p := range dirty {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// isListingPage reports whether p is one of the listings' own addresses,
// numbered pages or feeds.
func isListingPage(p string, listings map[string]bool) bool {
	return listings[p] || underListing(p, listings, "/page/") || underListing(p, listings, "/feed/") || underListing(p, listings, "/feed.json")
}

// isFeed reports whether p is the address of a feed (RSS, Atom or JSON).
func isFeed(p string) bool {
	return strings.Contains(p, "/feed/") || strings.HasSuffix(p, "/feed.json")
}

// underListing reports whether p is found under marker in one of the
// listings, as /tag/harbour/page/2/ is under "/page/" in /tag/harbour/.
func underListing(p string, listings map[string]bool, marker string) bool {
	i := strings.LastIndex(p, marker)
	return i >= 0 && listings[p[:i+1]]
}

// goneAddresses are the addresses of articles that were exported and are
// no longer public, with no redirect and no page now at them: hosts
// answer them with 410 Gone.
func goneAddresses(old, next *manifest, articles []Article, redirects []Redirect) []string {
	gone := map[string]bool{}
	if old != nil {
		for _, p := range old.Gone {
			gone[p] = true
		}
		now := make(map[int64]bool, len(articles))
		for _, a := range articles {
			now[a.ID] = true
		}
		for id, was := range old.Articles {
			if !now[id] {
				gone[was.Path] = true
			}
		}
	}
	for _, r := range redirects {
		delete(gone, r.From)
	}
	out := []string{}
	for p := range gone {
		if _, served := next.Files[p]; !served {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// discardStaging removes the files staged for a commit that will not
// happen.
func (x *export) discardStaging() {
	if !x.opts.DryRun {
		os.RemoveAll(x.staging)
	}
}

// digest is the hex SHA-256 of s, shortened: enough to tell versions of
// one file apart. A page is digested as the bytes it was rendered to, not
// a copy of them.
func digest[T string | []byte](s T) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// unwrapPath is the reason of a file-system error without its path, which
// the messages name already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// progress counts pages done against those known, for Options.Progress.
type progress struct {
	mu          sync.Mutex
	done, total int
	report      func(done, total int)
}

func (p *progress) add(known, done int) {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	p.total += known
	p.done += done
	d, t := p.done, p.total
	p.mu.Unlock()
	p.report(d, t)
}
