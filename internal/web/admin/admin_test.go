package admin

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/datelinehq/dateline/internal/web/public"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// testHash is testPassword hashed once: argon2id is slow on purpose.
var testHash = sync.OnceValue(func() string {
	h, err := user.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// adminTest is the whole server (the public site's middleware and the
// admin) on a temporary SQLite file, with a clock the test moves.
type adminTest struct {
	t    *testing.T
	db   *sqlite.DB
	h    *Handler
	srv  *httptest.Server
	logs *lockedBuffer

	mu  sync.Mutex
	now time.Time
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newAdminTest(t *testing.T, opts ...func(*Options)) *adminTest {
	t.Helper()
	at := &adminTest{t: t, logs: &lockedBuffer{}, now: testclock.Date(2026, 3, 14, 9, 30)}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), store.Options{Now: at.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	at.db = db
	logger := slog.New(slog.NewTextHandler(at.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tpl, err := web.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		t.Fatal(err)
	}
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: at.clock, Info: web.SiteInfo{Title: "The Test Gazette", Language: "en"}}
	o := Options{Store: db, Renderer: render.New(), Site: site, Logger: logger, Now: at.clock}
	for _, f := range opts {
		f(&o)
	}
	at.h = New(o)
	at.srv = httptest.NewServer(site.Middleware(at.h.Handler()))
	t.Cleanup(at.srv.Close)
	return at
}

func (at *adminTest) clock() time.Time {
	at.mu.Lock()
	defer at.mu.Unlock()
	return at.now
}

func (at *adminTest) advance(d time.Duration) {
	at.mu.Lock()
	defer at.mu.Unlock()
	at.now = at.now.Add(d)
}

// client is a browser without a session that does not follow redirects.
func (at *adminTest) client() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// addUser stores an account with testPassword.
func (at *adminTest) addUser(email string, role user.Role) *user.User {
	at.t.Helper()
	u := &user.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, PasswordHash: testHash()}
	if err := at.db.CreateUser(context.Background(), u); err != nil {
		at.t.Fatal(err)
	}
	return u
}

// session signs u in without the sign-in form (which the sign-in tests
// cover) and returns the session cookie's value.
func (at *adminTest) session(u *user.User) string {
	at.t.Helper()
	token, hash, err := user.NewSessionToken()
	if err != nil {
		at.t.Fatal(err)
	}
	now := at.clock()
	s := user.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime), IP: "127.0.0.1"}
	if err := at.db.CreateSession(context.Background(), s); err != nil {
		at.t.Fatal(err)
	}
	return token
}

// request is one request to the test server.
type adminRequest struct {
	method, path string
	form         url.Values
	token        string // the session cookie, when set
	header       http.Header
	body         io.Reader // instead of form, when set
}

type adminResponse struct {
	*http.Response
	body string
}

func (at *adminTest) do(req adminRequest) adminResponse {
	at.t.Helper()
	var body io.Reader
	if req.form != nil {
		body = strings.NewReader(req.form.Encode())
	}
	if req.body != nil {
		body = req.body
	}
	r, err := http.NewRequest(req.method, at.srv.URL+req.path, body)
	if err != nil {
		at.t.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range req.header {
		r.Header[k] = vs
	}
	if req.token != "" {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: req.token})
	}
	resp, err := at.client().Do(r)
	if err != nil {
		at.t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		at.t.Fatalf("%s %s: read body: %v", req.method, req.path, err)
	}
	return adminResponse{resp, string(b)}
}

func (at *adminTest) get(path, token string) adminResponse {
	at.t.Helper()
	return at.do(adminRequest{method: http.MethodGet, path: path, token: token})
}

func (at *adminTest) post(path, token string, form url.Values) adminResponse {
	at.t.Helper()
	return at.do(adminRequest{method: http.MethodPost, path: path, token: token, form: form})
}

// expectStatus fails the test unless resp has status want.
func expectStatus(t *testing.T, resp adminResponse, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body:\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want, excerptOf(resp.body))
	}
}

func excerptOf(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// addArticle stores a published article owned by owner.
func (at *adminTest) addArticle(slug string, owner int64) *article.Article {
	at.t.Helper()
	now := at.clock()
	a := &article.Article{
		Slug: slug, Title: "Article " + slug, Description: "About " + slug + ".",
		Body: "The harbour flooded overnight.\n\nCrews worked until dawn.", Status: article.Published,
		PublishedAt: now.Add(-48 * time.Hour), OwnerID: owner,
		Author: &article.Author{Name: "Ines Okafor", Slug: "ines-okafor"},
	}
	if err := at.db.CreateArticle(context.Background(), a); err != nil {
		at.t.Fatal(err)
	}
	return a
}

var nonces atomic.Int64

// addComment stores a reader's comment.
func (at *adminTest) addComment(a *article.Article, author, body string, state comment.State) *comment.Comment {
	at.t.Helper()
	c := &comment.Comment{ArticleID: a.ID, Author: author, Email: strings.ToLower(author) + "@example.org", Body: body, State: state}
	if err := at.db.CreateComment(context.Background(), c, "test-nonce-"+strconv.FormatInt(nonces.Add(1), 10), time.Now().Add(time.Hour)); err != nil {
		at.t.Fatal(err)
	}
	return c
}

func (at *adminTest) commentState(id int64) comment.State {
	at.t.Helper()
	c, err := at.db.Comment(context.Background(), id)
	if err != nil {
		at.t.Fatal(err)
	}
	return c.State
}

// auditActions lists the actions in the audit log, oldest first.
func (at *adminTest) auditActions() []string {
	at.t.Helper()
	es, err := at.db.Audit(context.Background(), 1000)
	if err != nil {
		at.t.Fatal(err)
	}
	var out []string
	for i := len(es) - 1; i >= 0; i-- {
		out = append(out, es[i].Action)
	}
	return out
}

// The admin's routes share a mux with the public site's without a
// conflict (ServeMux panics on one).
func TestRegistersBesideThePublicSite(t *testing.T) {
	clock := testclock.New(testclock.Date(2026, 3, 14, 9, 30))
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dateline.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tpl, err := web.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: clock.Now}
	mux := http.NewServeMux()
	reader, err := public.New(site, db, render.New(), public.NewViewCounter(db, logger, clock.Now), public.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	reader.Register(mux)
	New(Options{Store: db, Site: site, Now: clock.Now}).Register(mux)
	for path, want := range map[string]string{
		"/admin/":         "GET /admin/{$}",
		"/admin/comments": "GET /admin/comments",
		"/some-article/":  "GET /{slug}/{$}",
	} {
		r := httptest.NewRequest("GET", path, nil)
		if _, pattern := mux.Handler(r); pattern != want {
			t.Errorf("GET %s is served by %q, want %q", path, pattern, want)
		}
	}
}
