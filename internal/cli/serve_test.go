package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/user"
)

// startServe runs `dateline serve` as a user would, on a free port, and
// returns its base URL and a function that stops it (as SIGINT does) and
// returns its exit code.
func startServe(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--quiet"}, args...), pw, io.Discard, clock.Now)
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
	return strings.TrimSuffix(url, "/"), stop
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
	if resp.StatusCode != 200 || strings.Count(string(home), `class="card"`) < 8 {
		t.Fatalf("home page: %d with %d articles; want the demo newsroom", resp.StatusCode, strings.Count(string(home), `class="card"`))
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
	r, err := http.Get(base2 + "/" + slug + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if !strings.Contains(string(page), "<li>3 views</li>") {
		t.Errorf("after a restart the page does not show the 3 views counted before shutdown")
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
// is no account (the chosen one, or a random one), and none after.
func TestFirstRunSetupCode(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var stderr strings.Builder
	e := &env{ctx: ctx, cfg: &config.Config{}, stdout: io.Discard, stderr: &stderr, now: clock.Now}
	first, err := firstRunSetupCode(e, s)
	if err != nil || len(first) < 16 || !strings.Contains(stderr.String(), first) {
		t.Fatalf("random code %q, %v; printed %q", first, err, stderr.String())
	}
	if second, _ := firstRunSetupCode(e, s); second == first {
		t.Error("two starts printed the same random code")
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
