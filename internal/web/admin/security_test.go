package admin

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/user"
)

func TestSecurityHeaders(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("admin@example.org", user.Administrator))
	cssURL, err := at.h.static.URL("admin.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		path, token string
		status      int
		page        bool
	}{
		{"/admin/signin", "", http.StatusOK, true},
		{"/admin/comments", token, http.StatusOK, true},
		{"/admin/settings", token, http.StatusOK, true},
		{"/admin/no-such-page", token, http.StatusNotFound, true},
		{"/admin/setup", "", http.StatusNotFound, true},
		{"/admin/comments", "", http.StatusSeeOther, false},
		{cssURL, "", http.StatusOK, false},
	} {
		resp := at.get(test.path, test.token)
		expectStatus(t, resp, test.status)
		for header, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Robots-Tag":            "noindex, nofollow",
		} {
			if got := resp.Header.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", test.path, header, got, want)
			}
		}
		wantCache := "no-store"
		if test.path == cssURL {
			wantCache = "private, max-age=31536000, immutable"
		}
		if got := resp.Header.Get("Cache-Control"); got != wantCache {
			t.Errorf("%s: Cache-Control = %q, want %q", test.path, got, wantCache)
		}
		if test.page {
			if !strings.Contains(resp.body, `<meta name="robots" content="noindex, nofollow">`) {
				t.Errorf("%s: no robots meta tag", test.path)
			}
			// The CSP allows no inline script or style.
			for _, inline := range []string{"<script>", "<style", " style=", " onclick="} {
				if strings.Contains(resp.body, inline) {
					t.Errorf("%s: the page has inline %q, which the CSP blocks", test.path, inline)
				}
			}
		}
	}
}

// Issue 7: a forged cross-site POST is refused and changes nothing.
func TestCrossSiteRequestsRefused(t *testing.T) {
	at := newAdminTest(t)
	at.addUser("admin@example.org", user.Administrator)
	token := at.session(at.addUser("boss@example.org", user.Administrator))
	settings := url.Values{"title": {"Forged"}, "max_links": {"2"}, "close_after_days": {"0"}, "min_form_seconds": {"3"},
		"max_form_hours": {"24"}, "per_ip_per_minute": {"5"}, "per_article_per_minute": {"60"}}
	for _, test := range []struct {
		name   string
		path   string
		token  string
		form   url.Values
		header http.Header
	}{
		{"Origin of another site", "/admin/settings", token, settings, http.Header{"Origin": {"https://evil.example"}}},
		{"Sec-Fetch-Site cross-site", "/admin/users", token, url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"administrator"}, "password": {testPassword}, "password2": {testPassword}},
			http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"sign-out forced", "/admin/signout", token, url.Values{}, http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"sign-in forced", "/admin/signin", "", url.Values{"email": {"admin@example.org"}, "password": {testPassword}}, http.Header{"Origin": {"https://evil.example"}}},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := at.snapshot()
			resp := at.do(adminRequest{method: "POST", path: test.path, token: test.token, form: test.form, header: test.header})
			expectStatus(t, resp, http.StatusForbidden)
			if !strings.Contains(resp.body, "came from another site") {
				t.Errorf("the refusal does not say why:\n%s", excerptOf(resp.body))
			}
			if len(resp.Cookies()) != 0 {
				t.Errorf("the refusal set cookies %v", resp.Cookies())
			}
			if after := at.snapshot(); after != before {
				t.Errorf("a cross-site request changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	// The session survived the forged sign-out.
	expectStatus(t, at.get("/admin/settings", token), http.StatusOK)
	// The same request from the admin's own page goes through.
	resp := at.do(adminRequest{method: "POST", path: "/admin/settings", token: token, form: settings,
		header: http.Header{"Origin": {at.srv.URL}, "Sec-Fetch-Site": {"same-origin"}}})
	expectStatus(t, resp, http.StatusSeeOther)
}

// Issue 7: a 20 MB body is refused with a clear message; nothing changes.
func TestHugeBodyRefused(t *testing.T) {
	at := newAdminTest(t)
	admin := at.addUser("admin@example.org", user.Administrator)
	token := at.session(admin)
	huge := bytes.Repeat([]byte("a"), 20<<20)
	for _, path := range []string{"/admin/settings", "/admin/users", "/admin/comments", "/admin/articles/new"} {
		t.Run(path, func(t *testing.T) {
			before := at.snapshot()
			body := append([]byte("title="), huge...)
			resp := at.do(adminRequest{method: "POST", path: path, token: token, body: bytes.NewReader(body)})
			expectStatus(t, resp, http.StatusRequestEntityTooLarge)
			if !strings.Contains(resp.body, "too large") {
				t.Errorf("the refusal does not say the body is too large:\n%s", excerptOf(resp.body))
			}
			if after := at.snapshot(); after != before {
				t.Errorf("a 20 MB body changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// Issue 7: a script in a setting is stored as typed and shown as text.
func TestScriptInSettingIsInert(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("admin@example.org", user.Administrator))
	script := `<script>alert("x")</script>`
	form := url.Values{"title": {script}, "description": {`"><img src=x onerror=alert(1)>`}, "max_links": {"2"}, "close_after_days": {"0"},
		"min_form_seconds": {"3"}, "max_form_hours": {"24"}, "per_ip_per_minute": {"5"}, "per_article_per_minute": {"60"},
		"blocked_words": {script}}
	expectStatus(t, at.post("/admin/settings", token, form), http.StatusSeeOther)
	s, err := at.db.SiteSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != script {
		t.Errorf("stored title %q, want it as typed", s.Title)
	}
	resp := at.get("/admin/settings", token)
	expectStatus(t, resp, http.StatusOK)
	for _, raw := range []string{"<script>alert", "<img src=x"} {
		if strings.Contains(resp.body, raw) {
			t.Errorf("the settings page has %q unescaped", raw)
		}
	}
	if !strings.Contains(resp.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Errorf("the settings page does not show the title as text:\n%s", excerptOf(resp.body))
	}
}
