package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/demo"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/user"
)

// startServe runs `dateline serve` as a user would, on a free port, and
// returns its base URL and a function that stops it (as SIGINT does) and
// returns its exit code.
func startServe(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	return startServeWith(t, nil, io.Discard, args...)
}

// startServeWith is startServe with test hooks (when not nil) and a
// writer for serve's log and messages.
func startServeWith(t *testing.T, hooks *serveHooks, stderr io.Writer, args ...string) (string, func() int) {
	t.Helper()
	base, _, stop := startServeLine(t, hooks, stderr, args...)
	return base, stop
}

// startServeLine is startServeWith that also returns the line serve
// printed as it started.
func startServeLine(t *testing.T, hooks *serveHooks, stderr io.Writer, args ...string) (string, string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--quiet"}, args...)
		var code int
		if hooks == nil {
			code = run(ctx, args, pw, stderr, clock.Now)
		} else {
			e := &env{ctx: ctx, cfg: config.FromEnv(os.LookupEnv), stdout: pw, stderr: stderr, now: clock.Now, serveHooks: hooks}
			code = dispatch(e, "dateline", commands(), args)
		}
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed nothing: %v (exit %d)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	url := strings.Fields(strings.TrimPrefix(line, "Dateline is serving "))[0]
	stopped := false
	stop := func() int {
		if stopped {
			return 0
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(40 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
	t.Cleanup(func() { stop() })
	return strings.TrimSuffix(url, "/"), line, stop
}

func TestServeDemoAndShutdown(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	base, stop := startServe(t, "--db", db, "--demo")

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The front page: a lead, secondary stories, section blocks and the
	// latest headlines, under a menu of the demo's sections.
	for _, want := range []string{`class="lead"`, `class="secondary"`, `class="section-block"`, `id="latest-heading"`, `id="most-read-heading"`, `<nav class="site-menu"`, `<a href="/politics/">Politics</a>`} {
		if resp.StatusCode != 200 || !strings.Contains(string(home), want) {
			t.Fatalf("home page: %d without %s; want the demo newsroom's front page", resp.StatusCode, want)
		}
	}
	// Read one article a few times; the views are saved at shutdown.
	var list []struct {
		Slug   string `json:"slug"`
		Status string `json:"status"`
		Author *struct {
			Slug string `json:"slug"`
		} `json:"author"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "article", "list", "--json", "--db", db)), &list); err != nil {
		t.Fatal(err)
	}
	authors, statuses := map[string]bool{}, map[string]int{}
	for _, a := range list {
		statuses[a.Status]++
		if a.Author != nil {
			authors[a.Author.Slug] = true
		}
	}
	if statuses["published"] < 8 || len(authors) < 2 {
		t.Errorf("demo content: %v by %d authors; want at least 8 published by 2 or more", statuses, len(authors))
	}
	var slug string
	for _, a := range list {
		if a.Status == "published" {
			slug = a.Slug
			break
		}
	}
	// The demo comes with views (for the front page's Most read); a
	// request that is not a browser's shows them without counting.
	viewsOn := func(base string) int {
		t.Helper()
		r, err := http.Get(base + "/" + slug + "/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(r.Body)
		r.Body.Close()
		m := regexp.MustCompile(`<li>([0-9,]+) views?</li>`).FindSubmatch(page)
		if m == nil {
			t.Fatalf("the page of %s shows no view count", slug)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(string(m[1]), ",", ""))
		return n
	}
	seeded := viewsOn(base)
	if seeded == 0 {
		t.Error("the demo's stories have no views")
	}
	for range 3 {
		// Views count a browser's requests only.
		req, err := http.NewRequest(http.MethodGet, base+"/"+slug+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Fatalf("GET /%s/ = %d", slug, r.StatusCode)
		}
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d after the interrupt, want 0", code)
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("the server still answers after shutdown")
	}
	// The views were saved: a fresh server shows them.
	base2, _ := startServe(t, "--db", db, "--demo")
	if got := viewsOn(base2); got != seeded+3 {
		t.Errorf("after a restart the page shows %d views; want the 3 counted before shutdown on top of %d", got, seeded)
	}
	// The pages of the site, linked from the footer and named by the
	// settings.
	if want := []menuItemJSON{
		{1, "About us", "page", demo.AboutPage, false},
		{2, "Contact", "page", demo.ContactPage, false},
		{3, "Corrections policy", "page", demo.CorrectionsPage, false},
	}; !slices.Equal(want, menuOf(t, db, "footer")) {
		t.Errorf("the demo's footer menu is %+v, want %+v", menuOf(t, db, "footer"), want)
	}
	for slug, kind := range map[string]string{demo.AboutPage: "about", demo.ContactPage: "contact", demo.CorrectionsPage: "page"} {
		if got := show(t, db, slug); got.Status != "published" || kindOf(t, db, slug) != kind || got.WordCount < 250 {
			t.Errorf("demo page %s: %s, kind %s, %d words; want a published %s page of a few paragraphs", slug, got.Status, kindOf(t, db, slug), got.WordCount, kind)
		}
	}
	if site, _ := settingsOf(t, db); site.PublishingPrinciples != demo.AboutPage || site.CorrectionsPolicy != demo.CorrectionsPage {
		t.Errorf("the demo's settings name %q and %q as its policy pages", site.PublishingPrinciples, site.CorrectionsPolicy)
	}
	r, err := http.Get(base2 + "/")
	if err != nil {
		t.Fatal(err)
	}
	home, _ = io.ReadAll(r.Body)
	r.Body.Close()
	for _, want := range []string{`href="/about/"`, `href="/corrections-policy/"`} {
		if !strings.Contains(string(home), want) {
			t.Errorf("the demo's home page has no link %s", want)
		}
	}
	// --demo on a database with content changes nothing.
	if out := mustRun(t, "article", "list", "--db", db); strings.Count(out, "\n") != len(list)+1 {
		t.Errorf("--demo on a full database added articles:\n%s", out)
	}
}

func TestServeBadSettings(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	for _, test := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", db, "--addr", "nonsense"}, `--addr / DATELINE_ADDR: "nonsense" is not host:port`},
		{[]string{"serve", "--db", db, "--theme", "/no/such/theme"}, `--theme / DATELINE_THEME: "/no/such/theme" is not a folder`},
		{[]string{"serve", "--db", db, "--cache", "-1s"}, "--cache must not be negative"},
		{[]string{"serve", "--db", db, "--metrics-addr", "9090"}, `--metrics-addr / DATELINE_METRICS_ADDR: "9090" is not host:port`},
		{[]string{"serve", "--db", db, "--addr", "127.0.0.1:8080", "--metrics-addr", "127.0.0.1:8080"}, `--metrics-addr "127.0.0.1:8080" is the site's own address`},
		{[]string{"serve", "--db", db, "extra"}, "takes no arguments"},
	} {
		_, errOut, code := dateline(t, test.args...)
		if code != 2 || !strings.Contains(errOut, test.want) {
			t.Errorf("dateline %s: exit %d, stderr %q; want 2 and %q", strings.Join(test.args, " "), code, errOut, test.want)
		}
	}
}

// TestServeBrokenTheme checks that a theme's broken template stops serve
// at start, with a message naming the file, rather than failing a
// reader's request (issue 12).
func TestServeBrokenTheme(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	for _, test := range []struct{ name, src, want string }{
		{"missing field", `{{define "content"}}<h1>{{.Article.Headline}}</h1>{{end}}`, `article.html:1:34: executing "content" at <.Article.Headline>: can't evaluate field Headline`},
		{"bad syntax", `{{define "content"}}<h1>{{.Article.Title}</h1>{{end}}`, `article.html:1: bad character`},
	} {
		t.Run(test.name, func(t *testing.T) {
			theme := t.TempDir()
			if err := os.WriteFile(filepath.Join(theme, "article.html"), []byte(test.src), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, []string{"serve", "--db", db, "--theme", theme, "--addr", "127.0.0.1:0", "--quiet"}, &stdout, &stderr, clock.Now)
			if want := filepath.Join(theme, test.want); code == 0 || stdout.Len() > 0 || !strings.Contains(stderr.String(), want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want a failure at start naming %s", code, stdout.String(), stderr.String(), want)
			}
		})
	}
}

// TestServeUsesSiteSettings checks that what an administrator saved in the
// admin (here straight into the store) names the public site.
func TestServeUsesSiteSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.db")
	s, err := sqlite.Open(context.Background(), path, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSiteSettings(context.Background(), store.SiteSettings{Title: "The Quay Ledger", Description: "Harbour news, daily."}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	base, stop := startServe(t, "--db", "sqlite:"+path, "--site-title", "Configured Title")
	defer stop()
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "<title>The Quay Ledger") || strings.Contains(string(body), "Configured Title") {
		t.Errorf("the home page does not carry the saved site title:\n%.600s", body)
	}
}

// TestFirstRunSetupCode checks that serve prints a setup code while there
// is no account (the chosen one, or the site's), and none after. Every
// node of a site prints the same code: behind a load balancer the setup
// form may reach any of them.
func TestFirstRunSetupCode(t *testing.T) {
	ctx := context.Background()
	open := func(path string) store.Store {
		s, err := sqlite.Open(ctx, path, store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	path := filepath.Join(t.TempDir(), "site.db")
	s, otherNode, otherSite := open(path), open(path), open(filepath.Join(t.TempDir(), "other.db"))
	var stderr strings.Builder
	e := &env{ctx: ctx, cfg: &config.Config{}, stdout: io.Discard, stderr: &stderr, now: clock.Now}
	first, err := firstRunSetupCode(e, s)
	if err != nil || len(first) < 16 || !strings.Contains(stderr.String(), first) {
		t.Fatalf("site code %q, %v; printed %q", first, err, stderr.String())
	}
	if again, _ := firstRunSetupCode(e, otherNode); again != first {
		t.Errorf("another node of the site printed %q, the first %q: want one code for the site", again, first)
	}
	if other, _ := firstRunSetupCode(e, otherSite); other == first || len(other) < 16 {
		t.Errorf("another site's code is %q, the first site's %q: want a code of its own", other, first)
	}
	e.cfg.SetupCode = "chosen-code"
	if got, _ := firstRunSetupCode(e, s); got != "chosen-code" {
		t.Errorf("with DATELINE_SETUP_CODE the code is %q", got)
	}
	if err := s.CreateUser(ctx, &user.User{Email: "ed@example.org", Name: "Ed", Role: user.Administrator, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if got, err := firstRunSetupCode(e, s); got != "" || err != nil || stderr.Len() != 0 {
		t.Errorf("with an account: code %q, %v, printed %q; want none", got, err, stderr.String())
	}
}

// watchedStore is a real store that keeps track of the calls serve's
// background loops make, to tell whether any still runs, or starts, once
// the store is being closed. Its first ArticleByID, which only a link
// index sync makes, holds the sync there until serve cancels it.
type watchedStore struct {
	store.Store
	syncing chan struct{} // closed when the sync is held
	closing chan struct{} // closed when Close is called
	hold    sync.Once

	mu      sync.Mutex
	running map[string]int
	late    []string // what ran against a closing or closed store
}

func newWatchedStore(s store.Store) *watchedStore {
	return &watchedStore{Store: s, syncing: make(chan struct{}), closing: make(chan struct{}), running: map[string]int{}}
}

// enter notes a call of name, and returns what notes its end.
func (w *watchedStore) enter(name string) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-w.closing:
		w.late = append(w.late, name+" called after Close")
	default:
	}
	w.running[name]++
	return func() {
		w.mu.Lock()
		w.running[name]--
		w.mu.Unlock()
	}
}

func (w *watchedStore) Close() error {
	w.mu.Lock()
	for name, n := range w.running {
		if n > 0 {
			w.late = append(w.late, fmt.Sprintf("%s still running at Close", name))
		}
	}
	close(w.closing)
	w.mu.Unlock()
	return w.Store.Close()
}

func (w *watchedStore) ArticleByID(ctx context.Context, id int64) (*article.Article, error) {
	defer w.enter("ArticleByID")()
	w.hold.Do(func() {
		close(w.syncing)
		// Hold the sync until serve cancels it, and a while longer, as
		// a query slow to notice would: long enough for a serve that
		// did not wait for it to close the store meanwhile.
		<-ctx.Done()
		select {
		case <-w.closing:
		case <-time.After(200 * time.Millisecond):
		}
	})
	return w.Store.ArticleByID(ctx, id)
}

func (w *watchedStore) ArticleVersions(ctx context.Context, q store.ArticleQuery) ([]store.ArticleVersion, error) {
	defer w.enter("ArticleVersions")()
	return w.Store.ArticleVersions(ctx, q)
}

func (w *watchedStore) EachArticle(ctx context.Context, q store.ArticleQuery, fn func(*article.Article) error) error {
	defer w.enter("EachArticle")()
	return w.Store.EachArticle(ctx, q, fn)
}

func (w *watchedStore) SiteSettings(ctx context.Context) (store.SiteSettings, error) {
	defer w.enter("SiteSettings")()
	return w.Store.SiteSettings(ctx)
}

func (w *watchedStore) AddViews(ctx context.Context, day time.Time, views map[int64]int64) error {
	defer w.enter("AddViews")()
	return w.Store.AddViews(ctx, day, views)
}

// lockedBuffer is a log that goroutines may write at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeStopsDuringIndexSync stops serve (as SIGTERM does) while its
// linking index is midway through a sync, with every background loop
// running often: serve must exit cleanly, log no error, and close the
// store only after every loop has ended. Issue 12.
func TestServeStopsDuringIndexSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "site.db")
	other, err := sqlite.Open(ctx, path, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	a := &article.Article{Slug: "harbour-dredging", Title: "Harbour Dredging Starts Again", Body: "The dredgers are back in the harbour.",
		Status: article.Published, PublishedAt: clock.Now().Add(-time.Hour)}
	if err := other.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	var watched *watchedStore
	hooks := &serveHooks{loopInterval: 10 * time.Millisecond, wrapStore: func(s store.Store) store.Store {
		watched = newWatchedStore(s)
		return watched
	}}
	var log lockedBuffer
	_, stop := startServeWith(t, hooks, &log, "--db", "sqlite:"+path)

	// An edit made elsewhere (another node, the command line): the next
	// sync loads the article, and is held there.
	a.Body = "The dredgers reached the inner harbour."
	if err := other.UpdateArticle(ctx, a, "edit"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-watched.syncing:
	case <-time.After(30 * time.Second):
		t.Fatal("no index sync loaded the edited article")
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d, want 0; its log:\n%s", code, log.String())
	}
	watched.mu.Lock()
	late := watched.late
	watched.mu.Unlock()
	if len(late) > 0 {
		t.Errorf("calls ran against a closing store: %v", late)
	}
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, "level=ERROR") || strings.Contains(line, "level=WARN") {
			t.Errorf("serve logged: %s", line)
		}
	}
}

// The demo's articles get their pictures, queued to be made once the
// site is up.
func TestDemoPictures(t *testing.T) {
	t.Parallel()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, err := media.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	news := newsroom.New(s, render.New(), clock.Now, nil)
	news.UseLibrary(newsroom.Library{Files: files, Processor: media.NewProcessor(media.Limits{}, 1)})
	if err := loadDemoContent(context.Background(), s, news, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	items, err := s.MediaItems(context.Background(), store.MediaQuery{})
	if err != nil || len(items) != len(demo.Pictures) {
		t.Fatalf("%d pictures in the library (%v), want %d", len(items), err, len(demo.Pictures))
	}
	for _, it := range items {
		if it.State != media.Pending || it.Width != demo.PictureWidth || it.Alt == "" || it.Credit != demo.Credit {
			t.Errorf("demo picture %+v", it)
		}
	}
	as, err := s.Articles(context.Background(), store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	featured := 0
	for _, a := range as {
		if a.FeaturedMediaID != 0 {
			featured++
		}
	}
	if featured < len(as)/2 {
		t.Errorf("%d of %d demo articles have a picture", featured, len(as))
	}
}
