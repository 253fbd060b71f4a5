package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var tokenField = regexp.MustCompile(`name="dl_token" value="([^"]+)"`)

// postComment posts the comment form of an article page as a browser
// without JavaScript would, and returns the redirect it got.
func postComment(t *testing.T, base, slug string, fields url.Values) *http.Response {
	t.Helper()
	resp, err := http.Get(base + "/" + slug + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := tokenField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no comment form on /%s/", slug)
	}
	fields.Set("dl_token", string(m[1]))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.PostForm(base+"/"+slug+"/comments", fields)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestCommentModerationFromTheCommandLine(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md")
	const slug = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
	// A test cannot wait like a person; let forms be posted at once.
	mustRun(t, "settings", "set", "comments.min_form_seconds", "0", "--db", db)
	base, _ := startServe(t, "--db", db, "--cache", "0")

	resp := postComment(t, base, slug, url.Values{"author": {"Nils"}, "email": {"nils@mail.example"}, "comment": {"Will the old cranes be sold?"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post = %d", resp.StatusCode)
	}
	var list []struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
		Email string `json:"email"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "comment", "list", "--state", "pending", "--json", "--db", db)), &list); err != nil || len(list) != 1 {
		t.Fatalf("pending comments = %v, %v", list, err)
	}
	id := list[0].ID
	if page := get(t, base+"/"+slug+"/"); strings.Contains(page, "old cranes") {
		t.Error("a pending comment is public")
	}
	mustRun(t, "comment", "approve", "--db", db, itoa(id))
	page := get(t, base+"/"+slug+"/")
	if !strings.Contains(page, "Will the old cranes be sold?") || !strings.Contains(page, ">1 comment</h2>") {
		t.Error("the approved comment or its count is not on the page")
	}
	if strings.Contains(page, "nils@mail.example") {
		t.Error("the page shows the commenter's email")
	}
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"comment", "spam", itoa(id)}, "spam"},
		{[]string{"comment", "trash", itoa(id)}, "trash"},
		{[]string{"comment", "approve", itoa(id)}, "approved"},
	} {
		if out := mustRun(t, append(step.args, "--db", db)...); !strings.Contains(out, step.want) {
			t.Errorf("%v: %q", step.args, out)
		}
	}
	if out := mustRun(t, "comment", "purge", "--email", "NILS@mail.example", "--db", db); out != "anonymised 1 comment of NILS@mail.example\n" {
		t.Errorf("purge: %q", out)
	}
	if out := mustRun(t, "comment", "list", "--db", db); strings.Contains(out, "nils@") || !strings.Contains(out, "Anonymous") {
		t.Errorf("after purge:\n%s", out)
	}
	mustRun(t, "comment", "close", slug, "--db", db)
	if page := get(t, base+"/"+slug+"/"); !strings.Contains(page, "Comments are closed.") {
		t.Error("closing comments did not remove the form")
	}
	mustRun(t, "comment", "open", slug, "--db", db)
	mustRun(t, "comment", "delete", itoa(id), "--db", db)
	if out := mustRun(t, "comment", "list", "--json", "--db", db); strings.TrimSpace(out) != "[]" {
		t.Errorf("after delete: %s", out)
	}
	for _, test := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"comment", "approve", "12345"}, 1, "comment 12345 not found"},
		{[]string{"comment", "approve", "x"}, 2, `"x" is not a comment ID`},
		{[]string{"comment", "approve"}, 2, "name at least one comment ID"},
		{[]string{"comment", "list", "--state", "maybe"}, 2, `unknown comment state "maybe"`},
		{[]string{"comment", "purge"}, 2, "--email ADDRESS"},
		{[]string{"comment", "close", "nope"}, 1, `article "nope" not found`},
		{[]string{"settings", "set", "comments.max_links", "many"}, 1, "takes a whole number"},
		{[]string{"settings", "set", "comments.nope", "1"}, 1, `unknown setting "comments.nope"`},
		{[]string{"settings", "set", "comments.blocked_ips", "10.0.0.0/33"}, 1, "is not an IP address or range"},
		// Refused with the admin's words (TestSettingsErrorsSaveNothing),
		// so that the admin can still save the other settings afterwards.
		{[]string{"settings", "set", "comments.max_form_hours", "100000"}, 1, "comments.max_form_hours must be a whole number from 1 to 8760, not 100000"},
	} {
		_, errOut, code := dateline(t, append(test.args, "--db", db)...)
		if code != test.code || !strings.Contains(errOut, test.want) {
			t.Errorf("dateline %s: exit %d, %q; want %d and %q", strings.Join(test.args, " "), code, errOut, test.code, test.want)
		}
	}
	mustRun(t, "settings", "set", "comments.blocked_words", "casino, pills", "--db", db)
	if out := mustRun(t, "settings", "show", "--db", db); !strings.Contains(out, `"casino"`) || !strings.Contains(out, `"pills"`) {
		t.Errorf("settings show:\n%s", out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
