package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
)

// authorForm is the profile form as a browser posts it, with link rows.
func authorForm(name, role, bio, photo string, links ...string) url.Values {
	f := url.Values{"name": {name}, "role_title": {role}, "bio": {bio}, "photo": {photo}}
	for i := 0; i+1 < len(links); i += 2 {
		f.Add("link_label", links[i])
		f.Add("link_url", links[i+1])
	}
	return f
}

func TestAuthorsScreen(t *testing.T) {
	at, _ := newMediaAdmin(t)
	ctx := context.Background()
	editor := at.session(at.addUser("ed@example.org", user.Editor))
	author := at.session(at.addUser("au@example.org", user.Author))
	at.addArticle("harbour-flood", 0) // by Ines Okafor
	at.addArticle("harbour-wall", 0)
	expectStatus(t, at.upload(editor, map[string]string{"alt": "Ines at the quay"}, map[string][]byte{"ines.jpg": mediatest.JPEGWithGPS(800, 800)}), http.StatusSeeOther)
	items, err := at.db.MediaItems(ctx, store.MediaQuery{})
	if err != nil || len(items) != 1 {
		t.Fatalf("library: %v, %v", items, err)
	}
	photo := items[0]

	// The list, in the menu of editors and not of authors.
	resp := at.get("/admin/authors", editor)
	expectStatus(t, resp, http.StatusOK)
	for _, want := range []string{`<a href="/admin/authors" aria-current="page">Authors</a>`, `<a href="/admin/authors/ines-okafor">Ines Okafor</a>`,
		`<td>2</td>`, `href="/author/ines-okafor/"`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the authors list lacks %s:\n%s", want, excerptOf(resp.body))
		}
	}
	if resp := at.get("/admin/articles", author); strings.Contains(resp.body, "/admin/authors") {
		t.Error("an author's menu offers Authors")
	}
	expectStatus(t, at.get("/admin/authors", author), http.StatusForbidden)
	expectStatus(t, at.get("/admin/authors/nobody", editor), http.StatusNotFound)

	// The form offers the library's photo, and no photo, chosen.
	resp = at.get("/admin/authors/ines-okafor", editor)
	expectStatus(t, resp, http.StatusOK)
	for _, want := range []string{`name="photo" value="" checked`, fmt.Sprintf(`name="photo" value="%d">`, photo.ID),
		"/media/" + photo.Hash + "/w320.webp", "Ines at the quay", `href="/author/ines-okafor/"`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the profile form lacks %s", want)
		}
	}

	// Saving: a photo, a role and links; an empty row is left out.
	resp = at.post("/admin/authors/ines-okafor", editor, authorForm("Ines Okafor", " Harbour correspondent ", "Covers the port since 2019.", fmt.Sprint(photo.ID),
		"Website", "https://ines.example.org", "", "", "Email", "mailto:ines@example.org"))
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/authors/ines-okafor?flash=saved" {
		t.Errorf("redirected to %q", loc)
	}
	want := &article.Author{Name: "Ines Okafor", Slug: "ines-okafor", Bio: "Covers the port since 2019.", Profile: &article.Profile{
		PhotoMediaID: photo.ID, RoleTitle: "Harbour correspondent",
		Links: []article.Link{{Label: "Website", URL: "https://ines.example.org"}, {Label: "Email", URL: "mailto:ines@example.org"}}}}
	got, err := at.db.Author(ctx, "ines-okafor")
	if err != nil {
		t.Fatal(err)
	}
	want.ID = got.ID
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored profile (-want +got):\n%s", diff)
	}
	if got := at.auditActions(); got[len(got)-1] != "changed author profile" {
		t.Errorf("audit log %q", got)
	}
	resp = at.get(resp.Header.Get("Location"), editor)
	for _, want := range []string{"Saved.", fmt.Sprintf(`name="photo" value="%d" checked`, photo.ID), `value="Harbour correspondent"`,
		`name="link_url" value="https://ines.example.org"`, `name="link_url" value="mailto:ines@example.org"`, `id="link-label-2" name="link_label" value=""`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the saved form lacks %s", want)
		}
	}
	if resp := at.get("/admin/authors", editor); !strings.Contains(resp.body, "<td>Harbour correspondent</td>") {
		t.Error("the list does not show the role title")
	}

	// Another row, without saving; then removing the first link and the
	// photo.
	before := at.snapshot()
	form := authorForm("Ines Okafor", "Harbour correspondent", "Covers the port since 2019.", fmt.Sprint(photo.ID),
		"Website", "https://ines.example.org", "Email", "mailto:ines@example.org", "", "")
	form.Set("add_link", "1")
	resp = at.post("/admin/authors/ines-okafor", editor, form)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, `id="link-label-3"`) || strings.Contains(resp.body, `id="link-label-4"`) {
		t.Errorf("adding a row did not show two empty rows after the links:\n%s", excerptOf(resp.body))
	}
	if at.snapshot() != before {
		t.Error("adding a row saved the profile")
	}
	form.Del("add_link")
	form.Set("photo", "")
	form.Set("link_remove", "0")
	expectStatus(t, at.post("/admin/authors/ines-okafor", editor, form), http.StatusSeeOther)
	got, _ = at.db.Author(ctx, "ines-okafor")
	if diff := cmp.Diff(&article.Profile{RoleTitle: "Harbour correspondent", Links: []article.Link{{Label: "Email", URL: "mailto:ines@example.org"}}}, got.Profile); diff != "" {
		t.Errorf("profile after removing (-want +got):\n%s", diff)
	}

	// A photo whose sizes are still being made stays chosen: the form
	// offers it, so that saving keeps it.
	pending := &media.Item{Hash: strings.Repeat("cd", 32), Format: media.JPEG, Width: 900, Height: 900, Filename: "new.jpg", State: media.Pending}
	if _, err := at.db.AddMedia(ctx, pending); err != nil {
		t.Fatal(err)
	}
	form.Del("link_remove")
	form.Set("photo", fmt.Sprint(pending.ID))
	expectStatus(t, at.post("/admin/authors/ines-okafor", editor, form), http.StatusSeeOther)
	resp = at.get("/admin/authors/ines-okafor", editor)
	if !strings.Contains(resp.body, fmt.Sprintf(`name="photo" value="%d" checked> <span class="media-state">Not ready</span>`, pending.ID)) {
		t.Errorf("the pending photo is not offered, chosen:\n%s", excerptOf(resp.body[strings.Index(resp.body, "photo-grid"):]))
	}
}

// A profile with a fault comes back with the message beside its field
// and everything typed kept; nothing is saved.
func TestAuthorErrorsSaveNothing(t *testing.T) {
	at := newAdminTest(t)
	editor := at.session(at.addUser("ed@example.org", user.Editor))
	at.addArticle("harbour-flood", 0)
	for _, test := range []struct {
		name   string
		form   url.Values
		anchor string // where the field is
		says   string
	}{
		{"no name", authorForm("  ", "Reporter", "Typed bio.", ""), `name="name"`, "The name is empty."},
		{"long role", authorForm("Ines", strings.Repeat("r", 101), "Typed bio.", ""), `name="role_title"`, "at most 100 characters"},
		{"long bio", authorForm("Ines", "Reporter", strings.Repeat("b", 2001), ""), `name="bio"`, "more than 2000"},
		{"missing photo", authorForm("Ines", "Reporter", "Typed bio.", "9999"), `name="photo"`, "Image 9999 is not in the library."},
		{"photo not a number", authorForm("Ines", "Reporter", "Typed bio.", "ines.jpg"), `name="photo"`, `&#34;ines.jpg&#34; is not an image of the library`},
		{"link without label", authorForm("Ines", "Reporter", "Typed bio.", "", "", "https://ines.example.org"), `name="link_label"`, "Link 1 needs a label"},
		{"script link", authorForm("Ines", "Reporter", "Typed bio.", "", "Site", "https://ines.example.org", "Evil", "javascript:alert(1)"), `name="link_label"`, "Link 2: &#34;javascript:alert(1)&#34; is not an http, https or mailto address"},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := at.snapshot()
			resp := at.post("/admin/authors/ines-okafor", editor, test.form)
			expectStatus(t, resp, http.StatusUnprocessableEntity)
			if !strings.Contains(resp.body, "Nothing was saved") {
				t.Error("the page does not say nothing was saved")
			}
			i := strings.Index(resp.body, test.anchor)
			if i < 0 {
				t.Fatalf("no %s in the page", test.anchor)
			}
			rest := resp.body[i:]
			j := strings.Index(rest, `class="field-error"`)
			if j < 0 || !strings.Contains(rest[j:min(len(rest), j+2000)], test.says) {
				t.Errorf("no message %q after %s:\n%s", test.says, test.anchor, excerptOf(rest))
			}
			if strings.Count(resp.body, `class="field-error"`) != 1 {
				t.Error("more than one field error")
			}
			// What was typed is kept.
			for _, field := range []string{"role_title", "bio"} {
				if v := test.form.Get(field); !strings.Contains(resp.body, htmlEscape(v)) {
					t.Errorf("the typed %s is not kept", field)
				}
			}
			for _, v := range test.form["link_url"] {
				if !strings.Contains(resp.body, `name="link_url" value="`+htmlEscape(v)+`"`) {
					t.Errorf("the typed link %q is not kept", v)
				}
			}
			if after := at.snapshot(); after != before {
				t.Errorf("a refused save changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}
