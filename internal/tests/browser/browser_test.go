// Package browser tests the newsroom admin as an editor and a reader use
// it: in headless Chromium (Debian's chromium, driven by chromedp) against
// `dateline serve` run in-process on a fresh SQLite file.
//
// Without chromium on PATH the tests skip, unless the environment variable
// CI is set: there a missing browser is a failure, not a skip. With
// DATELINE_SCREENSHOTS=DIR the admin flow also saves the admin's screens to
// DIR as PNGs (scripts/screenshots.sh does this for docs/screenshots).
package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/cli"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

// stepTimeout bounds each step of a flow. A step waits on the page, never
// on the clock, so this only ends a step that would otherwise hang: it is
// generous for a loaded CI machine running the race detector.
const stepTimeout = 60 * time.Second

// The article that the new article should link to, imported before the
// server starts so that the linking index has it.
const (
	targetSlug  = "kettle-point-lighthouse-restoration-finishes-ahead-of-winter"
	targetTitle = "Kettle Point Lighthouse Restoration Finishes Ahead of Winter"
	targetMD    = `---
title: "` + targetTitle + `"
date: 2026-10-02T09:00:00+01:00
description: "The Kettle Point lighthouse has its lantern back after eighteen months of restoration work by the harbour trust."
tags: [Heritage, Coast]
author: Ines Haugen
---

The Kettle Point lighthouse shone again on Friday night, after eighteen months in scaffolding. The harbour trust said the Kettle Point lighthouse restoration came in under budget.

## The lantern

Glaziers from Selvik rebuilt the lantern of the Kettle Point lighthouse pane by pane, keeping the original brass frames.
`
)

// The article the editor writes in the browser. Its first paragraph names
// the target's subject, so the link panel suggests a link there.
const (
	newTitle = "Winter Walks Along the Selvik Coast"
	newBody  = "The first walk ends at the Kettle Point lighthouse, which reopened this autumn after its restoration.\n\n" +
		"The second walk follows the old harbour wall to the fish market, where the stalls open at dawn."
)

// The administrator made on /admin/setup.
const (
	adminEmail    = "editor@example.org"
	adminName     = "Mira Solberg"
	adminPassword = "correct horse battery staple"
)

// chromium returns the browser to drive, or skips the test without one
// (failing it instead under CI, where the browser test must run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not on PATH, and CI is set: the browser tests must run in CI (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium is not on PATH: skipping the browser tests (apt-get install chromium to run them)")
	return ""
}

// startServe runs `dateline serve` as a user would, on a free port, and
// returns its base URL and a function that stops it (as Ctrl-C does).
func startServe(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		code := cli.Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--quiet"}, args...), pw, &stderr)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		code := <-done
		t.Fatalf("serve printed nothing: %v (exit %d)\n%s", err, code, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	url := strings.Fields(strings.TrimPrefix(line, "Dateline is serving "))[0]
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d:\n%s", code, stderr.String())
			}
		case <-time.After(40 * time.Second):
			t.Error("serve did not stop within 40s")
		}
	}
	t.Cleanup(stop)
	return strings.TrimSuffix(url, "/"), stop
}

// syncBuffer collects the server's log for a failure message; the server
// writes it while the test may read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runCLI runs one dateline command and fails the test if it fails.
func runCLI(t *testing.T, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), args, &out, &errOut); code != 0 {
		t.Fatalf("dateline %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
}

// setupCode is the first-run setup code the test gives serve.
const setupCode = "harbour-lights-7"

// newSite makes a fresh SQLite newsroom, as a new installation would have
// after loading the demo and importing an article: the demo articles, the
// target article, some views for the analytics and a few comments waiting
// for moderation. It then serves it and returns the base URL.
func newSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "site.db")
	dsn := "sqlite:" + path

	// serve --demo loads the demo newsroom into an empty database only, so
	// it goes before the import.
	_, stop := startServe(t, "--db", dsn, "--demo")
	stop()
	md := filepath.Join(dir, "lighthouse.md")
	if err := os.WriteFile(md, []byte(targetMD), 0o644); err != nil {
		t.Fatal(err)
	}
	runCLI(t, "import", "--db", dsn, md)
	seedViewsAndComments(t, path)

	// No page cache: a page must show a moderator's decision at once, so
	// that the test waits on the page rather than on a cache's expiry.
	// The setup form asks for the code serve prints when it has no
	// account; the operator may choose it.
	t.Setenv("DATELINE_SETUP_CODE", setupCode)
	base, _ := startServe(t, "--db", dsn, "--cache", "0")
	return base
}

// seedViewsAndComments gives the analytics a month of views and the
// moderation queue some comments, as a site in use has.
func seedViewsAndComments(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	// The server and the browser run on the wall clock; so does this.
	s, err := sqlite.Open(ctx, path, store.Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var published []*article.Article
	err = s.EachArticle(ctx, store.ArticleQuery{PublicAt: time.Now()}, func(a *article.Article) error {
		published = append(published, a)
		return nil
	})
	if err != nil || len(published) < 3 {
		t.Fatalf("published articles: %d, %v; want the demo newsroom", len(published), err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	for d := 0; d < 30; d++ {
		views := map[int64]int64{}
		for i, a := range published {
			// A few articles read a lot, the rest less, with a weekly rhythm.
			views[a.ID] = int64((len(published)-i)*(12+d%7*5) + (d*37+i*11)%23)
		}
		if err := s.AddViews(ctx, today.AddDate(0, 0, -d), views); err != nil {
			t.Fatal(err)
		}
	}
	held := []struct{ author, email, body, reason string }{
		{"Jonas Berg", "jonas@example.net", "Does anyone know whether the night trams will run over Christmas?", "held: first comment of this commenter"},
		{"Sara Lind", "sara@example.net", "The harbour looked better than it has in years when I walked past on Sunday.", "held: first comment of this commenter"},
		{"Cheap Watches", "deals@spam.example", "Best prices on watches, click here http://spam.example http://spam.example/2 http://spam.example/3", "held: 3 links, more than 2"},
	}
	for i, c := range held {
		err := s.CreateComment(ctx, &comment.Comment{
			ArticleID: published[i].ID, Author: c.author, Email: c.email, Body: c.body, State: comment.Pending, Reason: c.reason,
		}, fmt.Sprintf("seed-%d", i), time.Now().Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
	}
}

// newBrowser starts headless Chromium for the test and returns its first
// tab. Every tab made from it with newTab has its own cookies.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", "new"),
		// Chromium's sandbox needs user namespaces, which containers and
		// root (as in CI) do not get.
		chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900),
		// Only the pages' own requests: nothing from the browser itself.
		chromedp.Flag("disable-component-update", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	// The first run starts the browser, which lives as long as the context
	// of that run: so not one with a step's timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// newTab opens a tab in a browser context of its own: another person, with
// no cookies from the other tabs.
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// As with the browser, the first run opens the tab for the context's
	// whole life.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

// step runs actions in a tab, failing the test with the step's name, the
// page's address and its text when one fails or times out.
func step(t *testing.T, tab context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, pageState(tab))
	}
}

// value runs one action that returns a value, failing the test as step does.
func value[T any](t *testing.T, tab context.Context, name string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, pageState(tab))
	}
	return v
}

// pageState describes where a tab is, for a failure message.
func pageState(tab context.Context) string {
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	url, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 3000 {
		text = text[:3000] + "…"
	}
	return fmt.Sprintf("page %s:\n%s", url, text)
}

// waitJS waits until a JavaScript expression is truthy on the page,
// checking whenever the DOM changes. A page that navigates meanwhile (a
// form's redirect landing after the first page loaded) is polled anew.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingMutation(), chromedp.WithPollingTimeout(stepTimeout))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			v, err := poll(ctx, t)
			if err == nil || ctx.Err() != nil || !navigatedAway(err) {
				return v, err
			}
		}
	}
}

// navigatedAway reports whether err is the browser's word for a script
// whose page was replaced while it ran.
func navigatedAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") || strings.Contains(msg, "Execution context was destroyed")
}

// runJS runs a statement in the page.
func runJS(stmt string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool]("("+stmt+", true)")(ctx, t)
		return chromedp.Void{}, err
	}
}

// clickAndLoad clicks what leads to another page (a link, a form's
// button) and waits until that page has loaded.
func clickAndLoad[S chromedp.Selectable](sel S) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))(ctx, t)
		return chromedp.Void{}, err
	}
}

// loadAfter runs action, which leads to another page (a script that
// submits a form), and waits until that page has loaded.
func loadAfter(action chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, action)(ctx, t)
		return chromedp.Void{}, err
	}
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// screenshots saves a tab's page as a PNG when DATELINE_SCREENSHOTS names
// a folder.
type screenshots struct {
	dir string
}

func newScreenshots(t *testing.T) screenshots {
	dir := os.Getenv("DATELINE_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return screenshots{dir: dir}
}

// take saves the whole page, not only the window, as name.png.
func (s screenshots) take(t *testing.T, tab context.Context, name string) {
	t.Helper()
	if s.dir == "" {
		return
	}
	png := value(t, tab, "screenshot "+name, chromedp.FullScreenshot(100))
	file := filepath.Join(s.dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", file)
}

// postComment posts a comment as a reader, through the article's "Leave a
// Reply" form, and waits for the page that says it awaits moderation.
func postComment(t *testing.T, tab context.Context, base, slug, author, email, text string) {
	t.Helper()
	step(t, tab, "open the article as a reader",
		chromedp.Navigate(base+"/"+slug+"/"),
		chromedp.WaitVisible(chromedp.ID("reply-title")),
	)
	// The form refuses a post sooner than the site's minimum form age
	// after it was served (a bot's speed): the one wait on the clock.
	served := time.Now()
	step(t, tab, "fill in the comment form",
		chromedp.SendKeys(chromedp.ID("comment"), text),
		chromedp.SendKeys(chromedp.ID("author"), author),
		chromedp.SendKeys(chromedp.ID("email"), email),
	)
	minAge := time.Duration(comment.DefaultSettings().MinFormSeconds) * time.Second
	time.Sleep(time.Until(served.Add(minAge + 500*time.Millisecond)))
	step(t, tab, "post the comment",
		clickAndLoad(chromedp.CSS(`form.comment-form button[type="submit"]`)),
		waitJS(`[...document.querySelectorAll(".comment")].some(c => c.textContent.includes(`+js(text)+`) && c.querySelector(".comment-awaiting-moderation"))`),
	)
}

// TestAdminFlow walks the newsroom's day in a real browser: set up the
// first administrator, sign out and in again, write an article with the
// live preview and link panels, apply a suggested link, publish, read it on
// the public site, comment on it as a reader, approve the comment and see
// it shown.
func TestAdminFlow(t *testing.T) {
	browser := newBrowser(t)
	base := newSite(t)
	shots := newScreenshots(t)
	admin := newTab(t, browser)
	started := time.Now()
	timed := func(name string) {
		t.Logf("%-34s done at %5.1fs", name, time.Since(started).Seconds())
	}

	// A new installation sends its first visitor to the setup page.
	step(t, admin, "open the admin of a new site",
		chromedp.Navigate(base+"/admin/"),
		waitJS(`location.pathname === "/admin/setup"`),
		chromedp.WaitVisible(chromedp.ID("password2")),
	)
	shots.take(t, admin, "admin-setup")
	step(t, admin, "create the administrator",
		chromedp.SendKeys(chromedp.ID("email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("name"), adminName),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.SendKeys(chromedp.ID("password2"), adminPassword),
		chromedp.SendKeys(chromedp.ID("code"), setupCode),
		clickAndLoad(chromedp.CSS(`form[action="/admin/setup"] button[type="submit"]`)),
		// Setting up signs the administrator in.
		waitJS(`document.querySelector(".admin-who")?.textContent.includes(`+js(adminName)+`)`),
	)
	timed("setup")

	step(t, admin, "sign out",
		clickAndLoad(chromedp.CSS(`form.admin-signout button[type="submit"]`)),
		waitJS(`location.pathname === "/admin/signin"`),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/signin"]`)),
	)
	shots.take(t, admin, "admin-signin")
	step(t, admin, "sign in",
		chromedp.SendKeys(chromedp.ID("email"), adminEmail),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		clickAndLoad(chromedp.CSS(`form[action="/admin/signin"] button[type="submit"]`)),
		waitJS(`location.pathname.startsWith("/admin/") && document.querySelector(".admin-who")?.textContent.includes(`+js(adminName)+`)`),
	)
	timed("sign out and in")

	slug := writeArticle(t, admin, base, shots)
	timed("write, link and publish")

	// A second save keeps the first version as a revision, shown as a
	// diff against the current text; its link is under the editor's
	// address, which is the article's ID.
	step(t, admin, "edit the published article",
		runJS(`document.getElementById("body").value += "\n\nThe third walk is for a clear evening."`),
		clickAndLoad(chromedp.CSS(`#editor .editor-fields > button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.revisions a[href$="/revisions/1"]`)),
		waitJS(`/^\/admin\/articles\/\d+$/.test(location.pathname) && document.querySelector("section.revisions a[href$='/revisions/1']").getAttribute("href") === location.pathname + "/revisions/1"`),
		clickAndLoad(chromedp.CSS(`section.revisions a[href$="/revisions/1"]`)),
		waitJS(`[...document.querySelectorAll("table.diff .diff-add")].some(r => r.textContent.includes("The third walk"))`),
	)
	shots.take(t, admin, "admin-revision")
	timed("revision")

	// The public page shows the text with the applied link.
	visitor := newTab(t, browser)
	step(t, visitor, "read the new article on the public site",
		chromedp.Navigate(base+"/"+slug+"/"),
		waitJS(`document.querySelector("h1")?.textContent.includes(`+js(newTitle)+`)`),
		waitJS(`document.body.innerText.includes("The second walk follows the old harbour wall")`),
		chromedp.WaitVisible(chromedp.CSS(`main a[href="/`+targetSlug+`/"]`)),
	)
	timed("public page")

	reader := newTab(t, browser)
	const commentText = "Walked the first route on Sunday: the lighthouse steps are steep but worth it."
	postComment(t, reader, base, slug, "Ola Nordmann", "ola@example.net", commentText)
	timed("reader's comment")

	// The comment waits in the moderation queue; approve it there.
	approve := `[...document.querySelectorAll("table.comments tbody tr")].find(tr => tr.textContent.includes(` + js(commentText) + `))?.querySelector('button[name="action"][value="approve"]')`
	step(t, admin, "find the comment in the pending queue",
		chromedp.Navigate(base+"/admin/comments"),
		waitJS(`document.querySelector('.tabs a[aria-current="page"]')?.textContent.includes("Pending")`),
		chromedp.WaitVisible(chromedp.JSPath(approve)),
	)
	shots.take(t, admin, "admin-comments")
	step(t, admin, "approve the comment",
		clickAndLoad(chromedp.JSPath(approve)),
		waitJS(`!document.body.innerText.includes(`+js(commentText)+`)`),
	)
	timed("moderation")

	// Shown to everyone now, not only to its writer.
	step(t, visitor, "see the approved comment on the public page",
		chromedp.Navigate(base+"/"+slug+"/"),
		waitJS(`[...document.querySelectorAll(".comment")].some(c => c.textContent.includes(`+js(commentText)+`) && !c.querySelector(".comment-awaiting-moderation"))`),
	)
	timed("approved comment shown")

	// The most-read list, then the chart of the most-read article's month.
	step(t, admin, "open the analytics",
		chromedp.Navigate(base+"/admin/analytics"),
		chromedp.WaitVisible(chromedp.CSS(`table.most-read tbody tr`)),
		clickAndLoad(chromedp.CSS(`.tabs a[href^="/admin/analytics?days=30"]`)),
		clickAndLoad(chromedp.CSS(`table.most-read tbody tr:first-child a[href*="article="]`)),
		chromedp.WaitVisible(chromedp.CSS(`svg.bar-chart rect.bar`)),
		waitJS(`document.querySelectorAll("svg.bar-chart rect.bar").length === 30`),
	)
	shots.take(t, admin, "admin-analytics")
	timed("analytics")

	// The administrator's other screens.
	for _, screen := range []struct{ path, ready, shot string }{
		{"/admin/settings", `form.settings`, "admin-settings"},
		{"/admin/users", `table.users`, "admin-users"},
		{"/admin/audit", `table.audit`, "admin-audit"},
	} {
		step(t, admin, "open "+screen.path,
			chromedp.Navigate(base+screen.path),
			chromedp.WaitVisible(chromedp.CSS(screen.ready)),
		)
		shots.take(t, admin, screen.shot)
	}
	// The audit log recorded the sign-ins and the publishing.
	audit := value(t, admin, "read the audit log", chromedp.Evaluate[string](`document.querySelector("table.audit").innerText`))
	for _, want := range []string{"sign-in", "published"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log has no %q entry:\n%s", want, audit)
		}
	}

	photoFlow(t, admin, newTab(t, browser), base, shots)
	timed("photos")

	arrangeFlow(t, admin, visitor, base, slug, shots)
	timed("front page and menus")

	entitiesFlow(t, admin, base, shots)
	timed("suggestions and entities")
}

// entitiesFlow writes a text naming real places, accepts one of the
// entities the editor's panel suggests as a tag with one click, saves the
// draft, and finds what it names on the Entities screen.
func entitiesFlow(t *testing.T, admin context.Context, base string, shots screenshots) {
	t.Helper()
	const text = "Kenya's finance ministry said on Tuesday that it would borrow to rebuild the port of Mombasa. " +
		"Officials in Nairobi expect the work to start in March, and traders in Mombasa welcomed the news.\n\n" +
		"Kenya and Tanzania share the coast road south of Mombasa; Tanzania's ministers said they would widen their part of it. " +
		"Nairobi has asked Uganda to help pay for the rail link inland, and Kenya's president will visit Kampala next month.\n"
	step(t, admin, "write an article naming places",
		chromedp.Navigate(base+"/admin/articles/new"),
		chromedp.WaitVisible(chromedp.ID("body")),
		chromedp.SendKeys(chromedp.ID("title"), "Kenya borrows to rebuild the port of Mombasa"),
		chromedp.SendKeys(chromedp.ID("description"), "The coast road and a rail link to Uganda are in the plan too."),
		chromedp.SendKeys(chromedp.ID("tags"), "Ports"),
		chromedp.SendKeys(chromedp.ID("body"), text),
	)
	accept := `[...document.querySelectorAll("#panels .offers button.accept[name='accept_tag']")].find(b => b.value === "Mombasa")`
	step(t, admin, "see the suggestions",
		chromedp.WaitVisible(chromedp.ID("offers-head")),
		chromedp.WaitVisible(chromedp.JSPath(accept)),
		waitJS(accept+`.parentElement.textContent.includes("mentions Mombasa 4×, in the title too")`),
	)
	step(t, admin, "accept a suggested entity as a tag",
		chromedp.Click(chromedp.JSPath(accept)),
		waitJS(`document.getElementById("tags").value === "Ports, Mombasa"`),
		// The panel follows: Mombasa is no longer suggested.
		waitJS(`![...document.querySelectorAll("#panels .offers button.accept")].some(b => b.value === "Mombasa")`),
		chromedp.WaitVisible(chromedp.CSS(`#panels .offers button.accept`)),
	)
	shots.take(t, admin, "admin-suggestions")
	step(t, admin, "save the draft",
		clickAndLoad(chromedp.CSS(`#editor .editor-fields > button[type="submit"]`)),
		waitJS(`/^\/admin\/articles\/\d+$/.test(location.pathname)`),
	)
	kenya := `[...document.querySelectorAll("table.entities a")].find(a => a.textContent === "Kenya")`
	step(t, admin, "find the places on the Entities screen",
		chromedp.Navigate(base+"/admin/entities"),
		chromedp.WaitVisible(chromedp.JSPath(kenya)),
	)
	shots.take(t, admin, "admin-entities")
	step(t, admin, "open an entity",
		clickAndLoad(chromedp.JSPath(kenya)),
		chromedp.WaitVisible(chromedp.ID("names-head")),
		waitJS(`document.querySelector("#articles-head").parentElement.textContent.includes("Kenya borrows to rebuild the port of Mombasa")`),
	)
}

// writeArticle writes and publishes the new article in the editor, with
// the suggested link to the target applied, and returns its slug.
func writeArticle(t *testing.T, admin context.Context, base string, shots screenshots) string {
	t.Helper()
	// The list links to the editor by the article's ID; the target's row
	// is found by its title.
	target := `[...document.querySelectorAll("table.article-list a")].find(a => a.textContent === ` + js(targetTitle) + `)`
	step(t, admin, "open the article list",
		chromedp.Navigate(base+"/admin/articles"),
		chromedp.WaitVisible(chromedp.JSPath(target)),
		waitJS(`/^\/admin\/articles\/\d+$/.test(`+target+`.getAttribute("href"))`),
		waitJS(target+`.closest("tr").textContent.includes(`+js("/"+targetSlug+"/")+`)`),
	)
	shots.take(t, admin, "admin-articles")
	step(t, admin, "start a new article",
		clickAndLoad(chromedp.CSS(`a.button[href="/admin/articles/new"]`)),
		chromedp.WaitVisible(chromedp.ID("body")),
	)
	// Typed as a person types: the editor's script updates the panels
	// once typing stops.
	step(t, admin, "write the article",
		chromedp.SendKeys(chromedp.ID("title"), newTitle),
		chromedp.SendKeys(chromedp.ID("description"), "Five coastal walks for short winter days, from the lighthouse to the fish market."),
		chromedp.SendKeys(chromedp.ID("tags"), "Coast, Walks"),
		chromedp.SendKeys(chromedp.ID("focus_keyphrase"), "winter walks"),
		chromedp.SendKeys(chromedp.ID("body"), newBody),
	)
	// The preview renders the text as typed, the SEO panel scores it,
	// and the link panel suggests the lighthouse article.
	apply := `[...document.querySelectorAll("#panels .suggestions li")].find(li => li.querySelector('a[href="/` + targetSlug + `/"]'))?.querySelector("button.apply-link")`
	step(t, admin, "see the live preview and panels",
		waitJS(`document.querySelector("#panels .article-preview h1")?.textContent === `+js(newTitle)),
		waitJS(`document.querySelector("#panels .article-preview")?.textContent.includes("fish market, where the stalls open at dawn")`),
		chromedp.WaitVisible(chromedp.CSS(`#panels .seo .checks li`)),
		chromedp.WaitVisible(chromedp.JSPath(apply)),
	)
	step(t, admin, "apply the suggested link",
		chromedp.Click(chromedp.JSPath(apply)),
		waitJS(`document.getElementById("body").value.includes("](/`+targetSlug+`/)")`),
		// The panels follow the new text: the preview has the link.
		chromedp.WaitVisible(chromedp.CSS(`#panels .article-preview a[href="/`+targetSlug+`/"]`)),
	)
	shots.take(t, admin, "admin-editor")
	step(t, admin, "publish",
		chromedp.Click(chromedp.CSS(`input[name="status"][value="published"]`)),
		clickAndLoad(chromedp.CSS(`#editor .editor-fields > button[type="submit"]`)),
		waitJS(`/^\/admin\/articles\/\d+$/.test(location.pathname)`),
		chromedp.WaitVisible(chromedp.CSS(`.page-head a[href$="/"]`)),
	)
	body := value(t, admin, "read the saved text", chromedp.Value(chromedp.ID("body")))
	if !strings.Contains(body, "](/"+targetSlug+"/)") {
		t.Fatalf("the saved text lost the applied link:\n%s", body)
	}
	href := value(t, admin, "read the article's address", chromedp.Evaluate[string](`document.querySelector(".page-head a[href$='/']").getAttribute("href")`))
	slug := strings.Trim(href, "/")
	if slug == "" || strings.Contains(slug, "/") {
		t.Fatalf("the editor links to %q after publishing; want the article's page", href)
	}
	return slug
}

// photoFlow uploads a reporter's phone photo, which carries a GPS
// position, through the Photos screen, checks that no size of it served
// to readers carries any EXIF, and makes it the new article's featured
// image.
func photoFlow(t *testing.T, admin, visitor context.Context, base string, shots screenshots) {
	t.Helper()
	photo := filepath.Join(t.TempDir(), "IMG_2041.JPG")
	if err := os.WriteFile(photo, mediatest.JPEGWithGPS(1600, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "IMG_2042.JPG")
	if err := os.WriteFile(second, mediatest.JPEGWithGPS(1200, 900), 0o644); err != nil {
		t.Fatal(err)
	}
	step(t, admin, "upload a photo",
		chromedp.Navigate(base+"/admin/media"),
		chromedp.WaitVisible(chromedp.ID("upload-file")),
		chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{photo}),
		chromedp.SendKeys(chromedp.ID("upload-alt"), "Steps up to the lighthouse at dusk"),
		chromedp.SendKeys(chromedp.ID("upload-caption"), "The second walk ends at the lighthouse."),
		chromedp.SendKeys(chromedp.ID("upload-credit"), "Ingrid Solheim"),
		clickAndLoad(chromedp.CSS(`form.upload button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.media-card picture img`)),
	)
	shots.take(t, admin, "admin-media")
	srcs := value(t, admin, "read the photo's sizes", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(".media-card:first-child source, .media-card:first-child img")].flatMap(e => e.getAttribute("srcset").split(", ").map(s => s.split(" ")[0]))`))
	id := value(t, admin, "read the photo's number", chromedp.Evaluate[string](
		`document.querySelector(".media-card:first-child input[readonly]").value.match(/media:(\d+)/)[1]`))
	if len(srcs) < 4 {
		t.Fatalf("the Photos screen shows %d sizes of the photo: %v", len(srcs), srcs)
	}
	prefix := srcs[0][:strings.LastIndex(srcs[0], "/")+1]
	for _, crop := range []string{"share.jpg", "16x9.webp", "4x3.jpg", "1x1.webp"} {
		srcs = append(srcs, prefix+crop)
	}
	for _, src := range srcs {
		for _, accept := range []string{"", "image/webp,*/*"} {
			req, _ := http.NewRequest(http.MethodGet, base+src, nil)
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK || len(data) == 0 {
				t.Fatalf("GET %s: %d, %d bytes, %v", src, res.StatusCode, len(data), err)
			}
			if bytes.Contains(data, []byte("Exif\x00\x00")) || bytes.Contains(data, []byte("EXIF")) || bytes.Contains(data, []byte("eXIf")) ||
				data[0] == 0xFF && bytes.Contains(data, []byte{0xFF, 0xE1}) {
				t.Errorf("%s (Accept %q) carries EXIF metadata", src, accept)
			}
		}
	}
	// The featured image of the article written before.
	row := `[...document.querySelectorAll("table.article-list a")].find(a => a.textContent === ` + js(newTitle) + `)`
	step(t, admin, "make it the new article's featured image",
		chromedp.Navigate(base+"/admin/articles"),
		chromedp.WaitVisible(chromedp.JSPath(row)),
		clickAndLoad(chromedp.JSPath(row)),
		chromedp.WaitVisible(chromedp.ID("featured_image")),
		// The editor's image button uploads a second photo and puts it in
		// the text at the cursor, and the preview shows it.
		runJS(`(b => { b.focus(); b.selectionStart = b.selectionEnd = b.value.indexOf("\n\n"); })(document.getElementById("body"))`),
		chromedp.SetUploadFiles(chromedp.ID("image-upload"), []string{second}),
		waitJS(`/!\[[^\]]*\]\(media:\d+\)/.test(document.getElementById("body").value)`),
		waitJS(`document.querySelector("#panels picture") !== null`),
		runJS(`document.getElementById("featured_image").value = `+js(id)),
		clickAndLoad(chromedp.CSS(`#editor .editor-fields > button[type="submit"]`)),
		waitJS(`document.getElementById("featured_image").value === `+js(id)),
	)
	slug := value(t, admin, "read the article's address", chromedp.Evaluate[string](`document.getElementById("slug").value`))
	step(t, visitor, "see the photo on the article's page",
		chromedp.Navigate(base+"/"+slug+"/"),
		chromedp.WaitVisible(chromedp.CSS(`article > figure.photo img`)),
		waitJS(`document.querySelector("article > figure.photo img").complete && document.querySelector("article > figure.photo figcaption").textContent.includes("Ingrid Solheim")`),
	)
	if shots.dir == "" {
		return
	}
	// For the screenshots, a demo article with its picture, drawn by the
	// demo and made into sizes in the background as the site started
	// (slow under the race detector, so only then).
	step(t, visitor, "see a demo article's picture",
		chromedp.Navigate(base+"/"+article.Slugify("Port Selvik Crane Upgrade Halves Ship Turnaround Times")+"/"),
		chromedp.WaitVisible(chromedp.CSS(`article > figure.photo img`)),
		waitJS(`document.querySelector("article > figure.photo img").complete`),
	)
	shots.take(t, visitor, "article-photo")
}

// arrangeFlow pins the new article to the front page's lead, by dragging
// it and by the up and down buttons, and sees it lead the public front
// page; then adds a link to the header menu and sees it in the public
// header.
func arrangeFlow(t *testing.T, admin, visitor context.Context, base, slug string, shots screenshots) {
	t.Helper()
	first := `document.querySelector("#pins li.pin")?.getAttribute("data-slug")`
	step(t, admin, "pin the new article to the lead",
		chromedp.Navigate(base+"/admin/front-page"),
		chromedp.WaitVisible(chromedp.ID("pin-slug")),
		runJS(`document.getElementById("pin-slug").value = `+js(slug)),
		chromedp.Click(chromedp.CSS(`input[name="slot"][value="lead"]`)),
		clickAndLoad(chromedp.CSS(`form.pin-form button[type="submit"]`)),
		waitJS(first+` === `+js(slug)),
	)
	// A second story in the next slot, from the newest that are offered.
	other := value(t, admin, "choose another story", chromedp.Evaluate[string](`document.querySelector("#pin-slug option[value]:not([value=''])").value`))
	step(t, admin, "pin another story to the next slot",
		runJS(`document.getElementById("pin-slug").value = `+js(other)),
		clickAndLoad(chromedp.CSS(`form.pin-form button[type="submit"]`)),
		waitJS(`document.querySelectorAll("#pins li.pin").length === 2`),
	)
	// front_page.js: drag the second row above the first (the browser's
	// drag events, as a mouse makes them); the new order is posted.
	step(t, admin, "drag the second story to the lead",
		chromedp.WaitVisible(chromedp.CSS(`.drag-hint`)),
		loadAfter(runJS(`(() => {
			const rows = document.querySelectorAll("#pins li.pin");
			const dt = new DataTransfer();
			const at = (type, row, y) => row.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt, clientY: y}));
			const top = rows[0].getBoundingClientRect().top + 2;
			at("dragstart", rows[1], top);
			at("dragover", rows[0], top);
			at("drop", rows[0], top);
			// dragend submits the order: after this script has returned,
			// so that its page is not replaced under it.
			setTimeout(() => at("dragend", rows[1], top), 0);
		})()`)),
		waitJS(first+` === `+js(other)+` && document.querySelector(".flash")?.textContent === "Saved."`),
	)
	// Without the script: the buttons.
	step(t, admin, "move the new article back to the lead with a button",
		clickAndLoad(chromedp.CSS(`#pins li.pin:first-child button[name="dir"][value="down"]`)),
		waitJS(first+` === `+js(slug)),
		waitJS(`document.querySelector("#pins li.pin:first-child .pin-slot").textContent === "Lead"`),
	)
	shots.take(t, admin, "admin-front-page")
	step(t, visitor, "see the new article lead the front page",
		chromedp.Navigate(base+"/"),
		waitJS(`document.querySelector(".lead h2")?.textContent.includes(`+js(newTitle)+`)`),
	)

	const label, href = "Tide tables", "https://tides.example.org/selvik"
	newRow := `#menu-header tr.menu-item.new`
	step(t, admin, "add a link to the header menu",
		chromedp.Navigate(base+"/admin/menus"),
		chromedp.WaitVisible(chromedp.CSS(newRow+` input[name="label"]`)),
		chromedp.SendKeys(chromedp.CSS(newRow+` input[name="label"]`), label),
		chromedp.SetValue(chromedp.CSS(newRow+` select[name="kind"]`), "link"),
		// The kind shows only its own target field (CSS :has).
		chromedp.WaitVisible(chromedp.CSS(newRow+` input[name="link"]`)),
		waitJS(`getComputedStyle(document.querySelector("`+newRow+` .target-section")).display === "none"`),
		chromedp.SendKeys(chromedp.CSS(newRow+` input[name="link"]`), href),
		clickAndLoad(chromedp.CSS(`#menu-header > button[value="save"]:not(.default-submit)`)),
		waitJS(`document.querySelector(".flash")?.textContent === "Saved."`),
		waitJS(`[...document.querySelectorAll("#menu-header input[name='label']")].some(i => i.value === `+js(label)+`)`),
	)
	shots.take(t, admin, "admin-menus")
	step(t, visitor, "see the link in the public header",
		chromedp.Navigate(base+"/"),
		waitJS(`[...document.querySelectorAll(".site-menu a")].some(a => a.textContent.trim() === `+js(label)+` && a.getAttribute("href") === `+js(href)+`)`),
	)
}
