package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/user"
)

func sessionCookieOf(t *testing.T, resp adminResponse) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("%s %s set no session cookie", resp.Request.Method, resp.Request.URL.Path)
	return nil
}

func TestSetupCreatesTheFirstAdministratorOnce(t *testing.T) {
	at := newAdminTest(t)
	ctx := context.Background()

	// With no user, the sign-in page sends to setup.
	resp := at.get("/admin/signin", "")
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/setup" {
		t.Errorf("sign-in with no user redirects to %q, want /admin/setup", loc)
	}
	expectStatus(t, at.get("/admin/setup", ""), http.StatusOK)

	for _, test := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"passwords differ", url.Values{"email": {"ed@example.org"}, "name": {"Ed"}, "password": {testPassword}, "password2": {testPassword + "!"}}, "The two passwords differ."},
		{"short password", url.Values{"email": {"ed@example.org"}, "name": {"Ed"}, "password": {"short"}, "password2": {"short"}}, "use at least 12"},
		{"bad email", url.Values{"email": {"not an email"}, "name": {"Ed"}, "password": {testPassword}, "password2": {testPassword}}, "is not an email address"},
		{"no name", url.Values{"email": {"ed@example.org"}, "name": {" "}, "password": {testPassword}, "password2": {testPassword}}, "Name is empty."},
	} {
		t.Run(test.name, func(t *testing.T) {
			resp := at.post("/admin/setup", "", test.form)
			expectStatus(t, resp, http.StatusUnprocessableEntity)
			if !strings.Contains(resp.body, test.field) {
				t.Errorf("the form does not say %q:\n%s", test.field, excerptOf(resp.body))
			}
			if n, _ := at.db.CountUsers(ctx); n != 0 {
				t.Errorf("a refused setup stored %d users", n)
			}
		})
	}

	resp = at.post("/admin/setup", "", url.Values{"email": {"Ed@Example.org"}, "name": {"Ed Chief"}, "password": {testPassword}, "password2": {testPassword}})
	expectStatus(t, resp, http.StatusSeeOther)
	c := sessionCookieOf(t, resp)
	u, err := at.db.UserByEmail(ctx, "ed@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != user.Administrator || u.Name != "Ed Chief" {
		t.Errorf("setup made %+v, want an administrator named Ed Chief", u)
	}
	if ok, _ := user.VerifyPassword(u.PasswordHash, testPassword); !ok {
		t.Error("the stored hash does not verify the password")
	}
	// The new administrator is signed in.
	expectStatus(t, at.get("/admin/users", c.Value), http.StatusOK)

	// Once a user exists, setup is gone for everyone.
	expectStatus(t, at.get("/admin/setup", ""), http.StatusNotFound)
	expectStatus(t, at.get("/admin/setup", c.Value), http.StatusNotFound)
	resp = at.post("/admin/setup", "", url.Values{"email": {"mallory@example.org"}, "name": {"Mallory"}, "password": {testPassword}, "password2": {testPassword}})
	expectStatus(t, resp, http.StatusNotFound)
	if n, _ := at.db.CountUsers(ctx); n != 1 {
		t.Errorf("after a second setup there are %d users, want 1", n)
	}
}

func TestSigninAndSignout(t *testing.T) {
	at := newAdminTest(t)
	at.addUser("ana@example.org", user.Editor)

	resp := at.post("/admin/signin", "", url.Values{"email": {"ana@example.org"}, "password": {"wrong password here"}})
	expectStatus(t, resp, http.StatusUnauthorized)
	if !strings.Contains(resp.body, "Wrong email or password.") {
		t.Errorf("a wrong password does not say so:\n%s", excerptOf(resp.body))
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Error("a wrong password set a session cookie")
		}
	}

	resp = at.post("/admin/signin", "", url.Values{"email": {"ANA@example.org"}, "password": {testPassword}, "next": {"/admin/comments?state=spam"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/comments?state=spam" {
		t.Errorf("signed in, redirected to %q, want the page asked for", loc)
	}
	c := sessionCookieOf(t, resp)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/admin" || c.Secure {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/admin, not Secure over plain HTTP", c)
	}
	expectStatus(t, at.get("/admin/comments", c.Value), http.StatusOK)

	resp = at.post("/admin/signout", c.Value, url.Values{})
	expectStatus(t, resp, http.StatusSeeOther)
	if cleared := sessionCookieOf(t, resp); cleared.MaxAge >= 0 && cleared.Value != "" {
		t.Errorf("sign-out left the cookie %+v", cleared)
	}
	// The session is gone from the store, not just from the browser.
	resp = at.get("/admin/comments", c.Value)
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/signin?") || !strings.Contains(loc, "flash=expired") {
		t.Errorf("after sign-out the old cookie leads to %q, want the sign-in page saying the session ended", loc)
	}

	want := []string{"sign-in failed", "sign-in", "sign-out"}
	if got := at.auditActions(); !slices.Equal(got, want) {
		t.Errorf("audit log %q, want %q", got, want)
	}
}

func TestSigninRedirectStaysInTheAdmin(t *testing.T) {
	for next, want := range map[string]string{
		"/admin/comments":          "/admin/comments",
		"https://evil.example/":    "/admin/",
		"//evil.example/admin/":    "/admin/",
		"/\\evil.example":          "/admin/",
		"/elsewhere":               "/admin/",
		"/admin/signin?next=x":     "/admin/",
		"/admin/users?flash=saved": "/admin/users?flash=saved",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestExpiredSessionSendsToSignin(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("ana@example.org", user.Administrator))
	expectStatus(t, at.get("/admin/settings", token), http.StatusOK)

	at.advance(user.SessionLifetime + time.Minute)
	resp := at.get("/admin/settings", token)
	expectStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "flash=expired") || !strings.Contains(loc, "next=%2Fadmin%2Fsettings") {
		t.Errorf("an expired session redirects to %q, want sign-in with the expiry message and the way back", loc)
	}
	follow := at.get(loc, "")
	if !strings.Contains(follow.body, "Your session has expired") {
		t.Errorf("the sign-in page does not say the session expired:\n%s", excerptOf(follow.body))
	}
	// A state-changing request with it changes nothing.
	resp = at.post("/admin/settings", token, url.Values{"title": {"Changed"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if s, _ := at.db.SiteSettings(context.Background()); s.Title != "" {
		t.Errorf("an expired session saved the title %q", s.Title)
	}
}

func TestSigninThrottling(t *testing.T) {
	at := newAdminTest(t)
	at.addUser("ana@example.org", user.Author)
	bad := url.Values{"email": {"ana@example.org"}, "password": {"not the password"}}
	good := url.Values{"email": {"ana@example.org"}, "password": {testPassword}}

	for range 3 {
		expectStatus(t, at.post("/admin/signin", "", bad), http.StatusUnauthorized)
	}
	// Past three failures, even the right password must wait.
	resp := at.post("/admin/signin", "", good)
	expectStatus(t, resp, http.StatusTooManyRequests)
	if !strings.Contains(resp.body, "Too many failed sign-ins") || !strings.Contains(resp.body, "try again (at") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a throttled sign-in does not say when to retry (Retry-After %q):\n%s", resp.Header.Get("Retry-After"), excerptOf(resp.body))
	}
	at.advance(user.SignInDelay(3) + time.Second)
	resp = at.post("/admin/signin", "", good)
	expectStatus(t, resp, http.StatusSeeOther)
	// Success cleared the failures: a new mistake is not throttled.
	expectStatus(t, at.post("/admin/signin", "", bad), http.StatusUnauthorized)
	expectStatus(t, at.post("/admin/signin", "", good), http.StatusSeeOther)
}

func TestSigninThrottlingPerAddress(t *testing.T) {
	at := newAdminTest(t)
	at.addUser("ana@example.org", user.Author)
	// One address trying many accounts is throttled too.
	for _, email := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		expectStatus(t, at.post("/admin/signin", "", url.Values{"email": {email}, "password": {"guess guess guess"}}), http.StatusUnauthorized)
	}
	expectStatus(t, at.post("/admin/signin", "", url.Values{"email": {"ana@example.org"}, "password": {testPassword}}), http.StatusTooManyRequests)
}

// No password, session token or cookie reaches the log, whatever the
// sign-in's outcome.
func TestSigninLogsNoSecrets(t *testing.T) {
	at := newAdminTest(t)
	at.addUser("ana@example.org", user.Editor)
	wrong := "Wrong-Password-Marker-42"
	expectStatus(t, at.post("/admin/signin", "", url.Values{"email": {"ana@example.org"}, "password": {wrong}}), http.StatusUnauthorized)
	resp := at.post("/admin/signin", "", url.Values{"email": {"ana@example.org"}, "password": {testPassword}})
	expectStatus(t, resp, http.StatusSeeOther)
	token := sessionCookieOf(t, resp).Value
	expectStatus(t, at.get("/admin/comments", token), http.StatusOK)
	expectStatus(t, at.post("/admin/signout", token, url.Values{}), http.StatusSeeOther)

	logs := at.logs.String()
	if !strings.Contains(logs, "/admin/signin") {
		t.Fatalf("the requests were not logged at all:\n%s", logs)
	}
	for _, secret := range []string{wrong, testPassword, token, sessionCookie, testHash()} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
	es, err := at.db.Audit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		for _, s := range []string{e.Actor, e.Target, e.Detail} {
			if strings.Contains(s, wrong) || strings.Contains(s, testPassword) || strings.Contains(s, token) {
				t.Errorf("audit event %+v holds a secret", e)
			}
		}
	}
}

// The admin takes the reader's scheme and address from the site's
// middleware, which believes the proxy's headers only when told to.
func TestSecureCookieBehindTLSProxy(t *testing.T) {
	for _, test := range []struct {
		name       string
		trustProxy bool
		wantSecure bool
		wantIP     string
	}{
		{"proxy trusted", true, true, "203.0.113.7"},
		{"headers ignored without trust", false, false, "127.0.0.1"},
	} {
		t.Run(test.name, func(t *testing.T) {
			at := newAdminTest(t, func(o *Options) { o.Site.TrustProxy = test.trustProxy })
			at.addUser("ana@example.org", user.Editor)
			resp := at.do(adminRequest{method: http.MethodPost, path: "/admin/signin",
				form:   url.Values{"email": {"ana@example.org"}, "password": {testPassword}},
				header: http.Header{"X-Forwarded-Proto": {"https"}, "X-Forwarded-For": {"198.51.100.1, 203.0.113.7"}}})
			expectStatus(t, resp, http.StatusSeeOther)
			if c := sessionCookieOf(t, resp); c.Secure != test.wantSecure {
				t.Errorf("Secure = %v, want %v", c.Secure, test.wantSecure)
			}
			es, err := at.db.Audit(context.Background(), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 || es[0].Action != "sign-in" || es[0].IP != test.wantIP {
				t.Errorf("audit log %+v, want a sign-in from %s first", es, test.wantIP)
			}
		})
	}
}

// TestSetupAsksForTheCode checks that, given a setup code (dateline serve
// prints one when it starts with no account), nobody creates the first
// administrator without it.
func TestSetupAsksForTheCode(t *testing.T) {
	const code = "kq7nd2xw4mfa6uyr"
	at := newAdminTest(t, func(o *Options) { o.SetupCode = code })
	ctx := context.Background()
	if resp := at.get("/admin/setup", ""); !strings.Contains(resp.body, `name="code"`) {
		t.Fatalf("the setup form asks for no code:\n%s", excerptOf(resp.body))
	}
	form := url.Values{"email": {"ed@example.org"}, "name": {"Ed"}, "password": {testPassword}, "password2": {testPassword}}
	for _, wrong := range []string{"", "kq7nd2xw4mfa6uyR", code + "x"} {
		form.Set("code", wrong)
		resp := at.post("/admin/setup", "", form)
		expectStatus(t, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(resp.body, "This is not the setup code") {
			t.Errorf("code %q: the form does not say the code is wrong:\n%s", wrong, excerptOf(resp.body))
		}
		if n, _ := at.db.CountUsers(ctx); n != 0 {
			t.Fatalf("code %q created %d users", wrong, n)
		}
	}
	form.Set("code", " "+code+" ")
	expectStatus(t, at.post("/admin/setup", "", form), http.StatusSeeOther)
	if n, _ := at.db.CountUsers(ctx); n != 1 {
		t.Errorf("the right code created %d users, want 1", n)
	}
}
