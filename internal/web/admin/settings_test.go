package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
)

func validSettingsForm() url.Values {
	return url.Values{
		"title": {"The Harbour Times"}, "description": {"News from the coast."}, "logo_url": {"https://cdn.example.org/logo.png"},
		"time_zone": {"Europe/Berlin"}, "language": {"en-gb"},
		"hold_all": {"1"}, "max_links": {"3"}, "close_after_days": {"30"}, "min_form_seconds": {"4"}, "max_form_hours": {"12"},
		"per_ip_per_minute": {"6"}, "per_article_per_minute": {"70"},
		"blocked_words": {"casino\n  pills \n\n"}, "blocked_emails": {"@spam.example"}, "blocked_ips": {"198.51.100.0/24\n192.0.2.7"},
	}
}

func TestSettingsSave(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("admin@example.org", user.Administrator))
	resp := at.get("/admin/settings", token)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, `name="max_links" inputmode="numeric" value="2"`) {
		t.Errorf("the form does not show the default comment policy:\n%s", excerptOf(resp.body))
	}

	expectStatus(t, at.post("/admin/settings", token, validSettingsForm()), http.StatusSeeOther)
	ctx := context.Background()
	site, err := at.db.SiteSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := store.SiteSettings{Title: "The Harbour Times", Description: "News from the coast.", LogoURL: "https://cdn.example.org/logo.png",
		TimeZone: "Europe/Berlin", Language: "en-GB"}
	if diff := cmp.Diff(want, site); diff != "" {
		t.Errorf("site settings (-want +got):\n%s", diff)
	}
	// The public pages of this node use them at once.
	if got := at.h.site.Current(); got.Title != want.Title || got.Description != want.Description || got.Logo != want.LogoURL || got.Language != want.Language {
		t.Errorf("the site now describes itself as %+v, want the saved settings", got)
	}
	policy, err := at.db.CommentSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantPolicy := comment.Settings{HoldAll: true, MaxLinks: 3, CloseAfterDays: 30, MinFormSeconds: 4, MaxFormHours: 12, PerIPPerMinute: 6,
		PerArticlePerMinute: 70, BlockedWords: []string{"casino", "pills"}, BlockedEmails: []string{"@spam.example"},
		BlockedIPs: []string{"198.51.100.0/24", "192.0.2.7"}}
	if diff := cmp.Diff(wantPolicy, policy); diff != "" {
		t.Errorf("comment policy (-want +got):\n%s", diff)
	}
	if got := at.auditActions(); len(got) == 0 || got[len(got)-1] != "settings changed" {
		t.Errorf("audit log %q, want the change recorded", got)
	}
}

func TestSettingsErrorsSaveNothing(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("admin@example.org", user.Administrator))
	for _, test := range []struct {
		field, value, message string
	}{
		{"time_zone", "Mars/Olympus", "is not a time zone"},
		{"time_zone", "Local", "is not a time zone"},
		{"language", "not a language!", "is not a language tag"},
		{"logo_url", "javascript:alert(1)", "is not an http:// or https:// address"},
		{"logo_url", "//evil.example/logo.png", "is not an http:// or https:// address"},
		{"title", strings.Repeat("t", 201), "at most 200 characters"},
		{"title", "two\nlines", "line breaks"},
		{"max_links", "many", "is not a whole number"},
		{"max_form_hours", "0", "from 1 to"},
		// The command line refuses it in the same words (TestCommentModerationFromTheCommandLine).
		{"max_form_hours", "100000", "Must be a whole number from 1 to 8760, not 100000."},
		{"per_ip_per_minute", "-1", "from 1 to"},
		{"blocked_ips", "192.0.2.1\nnot-an-ip", `"not-an-ip" is not an IP address`},
	} {
		t.Run(test.field+"="+test.value, func(t *testing.T) {
			before := at.snapshot()
			form := validSettingsForm()
			form.Set(test.field, test.value)
			resp := at.post("/admin/settings", token, form)
			expectStatus(t, resp, http.StatusUnprocessableEntity)
			if !strings.Contains(resp.body, "Nothing was saved") {
				t.Error("the page does not say nothing was saved")
			}
			// The message sits right after the field at fault.
			i := strings.Index(resp.body, `name="`+test.field+`"`)
			if i < 0 {
				t.Fatalf("no field %s in the page", test.field)
			}
			rest := resp.body[i:]
			errAt := strings.Index(rest, `class="field-error"`)
			if errAt < 0 || !strings.Contains(rest[errAt:min(len(rest), errAt+400)], htmlEscape(test.message)) {
				t.Errorf("no message %q at field %s:\n%s", test.message, test.field, excerptOf(rest))
			}
			if !strings.Contains(resp.body[:i], `aria-invalid="true"`) && !strings.Contains(rest[:strings.Index(rest, ">")], `aria-invalid="true"`) {
				t.Errorf("field %s is not marked invalid", test.field)
			}
			if after := at.snapshot(); after != before {
				t.Errorf("a refused save changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "'", "&#39;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// addPage stores a published page of the site of kind k.
func (at *adminTest) addPage(slug, title string, k article.Kind) *article.Article {
	at.t.Helper()
	a := &article.Article{Slug: slug, Title: title, Kind: k, Body: "How we work.", Status: article.Published,
		PublishedAt: at.clock().Add(-time.Hour)}
	if err := at.db.CreateArticle(context.Background(), a); err != nil {
		at.t.Fatal(err)
	}
	return a
}

// The publishing principles and corrections policy are chosen among the
// site's pages; a story is refused beside its select, and nothing is
// saved.
func TestSettingsPolicyPages(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("admin@example.org", user.Administrator))
	at.addPage("standards", "Our standards", article.Page)
	at.addPage("corrections", "Corrections", article.Page)
	at.addArticle("harbour-flood", 0) // a story

	resp := at.get("/admin/settings", token)
	expectStatus(t, resp, http.StatusOK)
	for _, want := range []string{
		`<select id="publishing_principles" name="publishing_principles">`,
		`<option value="" selected>None</option>`,
		`<option value="standards">Our standards (/standards/)</option>`,
		`<option value="corrections">Corrections (/corrections/)</option>`,
	} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the settings page lacks %s", want)
		}
	}
	if strings.Contains(resp.body, `value="harbour-flood"`) {
		t.Error("a story is offered as a policy page")
	}

	form := validSettingsForm()
	form.Set("publishing_principles", "standards")
	form.Set("corrections_policy", "corrections")
	expectStatus(t, at.post("/admin/settings", token, form), http.StatusSeeOther)
	site, err := at.db.SiteSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if site.PublishingPrinciples != "standards" || site.CorrectionsPolicy != "corrections" {
		t.Errorf("saved %+v, want the chosen pages", site)
	}
	resp = at.get("/admin/settings", token)
	if !strings.Contains(resp.body, `<option value="standards" selected>`) || !strings.Contains(resp.body, `<option value="corrections" selected>`) {
		t.Errorf("the form does not show the chosen pages:\n%s", excerptOf(resp.body))
	}

	// A story's slug, posted by hand, is refused beside its select and
	// kept in it.
	before := at.snapshot()
	form.Set("corrections_policy", "harbour-flood")
	resp = at.post("/admin/settings", token, form)
	expectStatus(t, resp, http.StatusUnprocessableEntity)
	i := strings.Index(resp.body, `name="corrections_policy" aria-invalid="true"`)
	if i < 0 {
		t.Fatalf("the corrections policy select is not marked invalid:\n%s", excerptOf(resp.body))
	}
	rest := resp.body[i:]
	if j := strings.Index(rest, `class="field-error"`); j < 0 || !strings.Contains(rest[j:min(len(rest), j+300)], "is a story, not a page of the site") {
		t.Errorf("no message beside the select:\n%s", excerptOf(rest))
	}
	if !strings.Contains(rest, `<option value="harbour-flood" selected>`) {
		t.Error("the refused choice is not kept")
	}
	if after := at.snapshot(); after != before {
		t.Errorf("a refused save changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// None clears them.
	form.Set("publishing_principles", "")
	form.Set("corrections_policy", "")
	expectStatus(t, at.post("/admin/settings", token, form), http.StatusSeeOther)
	if site, _ := at.db.SiteSettings(context.Background()); site.PublishingPrinciples != "" || site.CorrectionsPolicy != "" {
		t.Errorf("after choosing none: %+v", site)
	}
}

// Issue 20: how many articles a topic page needs is a setting of the
// form, checked by the newsroom and used by this node's pages at once.
func TestSettingsTopicMinArticles(t *testing.T) {
	at := newAdminTest(t)
	token := at.session(at.addUser("admin@example.org", user.Administrator))
	resp := at.get("/admin/settings", token)
	if !strings.Contains(resp.body, `name="topic_min_articles" type="number"`) {
		t.Errorf("the form has no topic_min_articles field:\n%s", excerptOf(resp.body))
	}
	form := validSettingsForm()
	form.Set("topic_min_articles", "0")
	resp = at.post("/admin/settings", token, form)
	expectStatus(t, resp, http.StatusUnprocessableEntity)
	if !strings.Contains(resp.body, `is not a whole number from 1 to 1000.`) {
		t.Errorf("no error beside the field:\n%s", excerptOf(resp.body))
	}
	form.Set("topic_min_articles", "4")
	expectStatus(t, at.post("/admin/settings", token, form), http.StatusSeeOther)
	if site, err := at.db.SiteSettings(context.Background()); err != nil || site.TopicMinArticles != "4" {
		t.Errorf("stored %q, %v", site.TopicMinArticles, err)
	}
	if got := at.h.site.Current().TopicMinArticles; got != 4 {
		t.Errorf("the site uses %d", got)
	}
}
