package admin

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/user"
)

// newsroomOf is a newsroom on the editor server's store, so that the
// articles a test publishes have their entities found, as a save does.
func (es *editorServer) newsroomOf() *newsroom.Service {
	return newsroom.New(es.store, es.r, es.clock.Now, slog.New(slog.DiscardHandler))
}

// kenyaArchive publishes n articles naming Kenya, in World, tagged Kenya,
// on a site with the sections World and Business.
func kenyaArchive(t *testing.T, es *editorServer, n int) {
	t.Helper()
	svc := es.newsroomOf()
	sys := newsroom.System("test")
	for _, name := range []string{"World", "Business"} {
		if err := svc.AddSection(context.Background(), sys, &article.Section{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		a := &article.Article{Title: fmt.Sprintf("Kenya report %d", i+1), Body: "Farmers in Kenya expect rain. Kenya exports tea.\n",
			Status: article.Published, PublishedAt: es.clock.Now().Add(-time.Duration(30*(i+1)) * 24 * time.Hour),
			Section: &article.Section{Slug: "world"}, Tags: article.TagsFromNames("Kenya")}
		if err := svc.Create(context.Background(), sys, a); err != nil {
			t.Fatal(err)
		}
	}
}

const nairobiText = "Traders in Nairobi said tea prices rose. Kenya sold more tea this month than last.\n\n" +
	"Nairobi brokers expect Kenya to keep selling. Buyers came to Nairobi from far away.\n"

// Issue 20: the editor's live panel suggests sections, tags and entities
// with their reasons, and the SEO analysis notes a keyphrase that is a
// topic with a page.
func TestPanelsSuggest(t *testing.T) {
	es := newEditorServer(t)
	kenyaArchive(t, es, newsroom.DefaultTopicMinArticles)
	author := es.signIn("Ann Author", user.Author)
	form := articleForm("Tea prices rise in Kenya", nairobiText, "section", "business", "focus_keyphrase", "Kenya")
	res := author.post("/admin/articles/new/panels", form)
	wantEditorStatus(t, "panels", res, http.StatusOK)
	for _, want := range []string{
		`<h2 id="offers-head">Suggestions</h2>`,
		`name="accept_section" value="world">Move to World</button> <small>all 3 articles naming Kenya are in World</small>`,
		`name="accept_tag" value="Kenya">Add the tag Kenya</button> <small>the place Kenya: the text mentions Kenya 3×, in the title too</small>`,
		`name="accept_tag" value="Nairobi">Add Nairobi as a tag</button> <small>place: mentions Nairobi 3×</small>`,
		"the focus keyphrase is the topic Kenya, which has a topic page: link it (/topic/kenya/)",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the panels lack %q:\n%s", want, excerptOf(res.body[strings.Index(res.body, `id="seo-head"`):]))
		}
	}

	// What the article has is not suggested again.
	form.Set("section", "world")
	form.Set("tags", "kenya")
	res = author.post("/admin/articles/new/panels", form)
	if strings.Contains(res.body, `accept_section`) || strings.Contains(res.body, `value="Kenya"`) {
		t.Errorf("the panels suggest the article's own section or tag:\n%s", excerptOf(res.body[strings.Index(res.body, `id="offers-head"`):]))
	}
}

// Without the editor's script, a suggestion's button submits the form:
// the article is saved with the tag or section accepted.
func TestAcceptSuggestionWithoutScript(t *testing.T) {
	es := newEditorServer(t)
	kenyaArchive(t, es, 1)
	author := es.signIn("Ann Author", user.Author)
	a := es.addArticle("Tea prices rise in Kenya", nairobiText, article.Draft, author.user.ID)
	res := author.get(editPath(a.ID))
	wantEditorStatus(t, "the editor", res, http.StatusOK)
	if !strings.Contains(res.body, `name="accept_tag" value="Nairobi"`) {
		t.Fatalf("the editor's page suggests no Nairobi:\n%s", excerptOf(res.body))
	}
	form := articleForm(a.Title, a.Body, "version", "1", "article_id", fmt.Sprint(a.ID), "tags", "Tea", "section", "business", "accept_tag", "Nairobi")
	wantEditorStatus(t, "accept a tag", author.post(editPath(a.ID), form), http.StatusSeeOther)
	got := es.article(a.Slug)
	if names := tagNames(got); names != "Tea, Nairobi" {
		t.Errorf("after accepting Nairobi the tags are %q; want Tea, Nairobi", names)
	}
	form = articleForm(a.Title, a.Body, "version", "2", "article_id", fmt.Sprint(a.ID), "tags", "Tea, Nairobi", "section", "business", "accept_section", "world")
	wantEditorStatus(t, "accept a section", author.post(editPath(a.ID), form), http.StatusSeeOther)
	if got := es.article(a.Slug); got.Section == nil || got.Section.Slug != "world" {
		t.Errorf("after accepting World the section is %+v", got.Section)
	}
}

func tagNames(a *article.Article) string {
	names := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}
