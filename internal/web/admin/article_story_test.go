package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// Issue 20: the editor shows the story an article follows, takes it out
// with one button, and joins it to another article's story by slug.
func TestEditorStory(t *testing.T) {
	es := newEditorServer(t)
	ctx := context.Background()
	first := es.addArticle("Ferry strike begins", "The ferry crews walked out.\n", article.Published, 0)
	second := es.addArticle("Ferry strike enters its second day", "The ferries stayed in port.\n", article.Published, 0)
	other := es.addArticle("Council approves bridge", "The bridge gets its money.\n", article.Published, 0)
	if err := es.store.SetStories(ctx, []store.StoryMember{{ArticleID: first.ID, StoryID: first.ID}, {ArticleID: second.ID, StoryID: first.ID}}); err != nil {
		t.Fatal(err)
	}
	es.clock.Add(time.Hour)
	editor := es.signIn("Eve Editor", user.Editor)

	res := editor.get(editPath(second.ID))
	wantEditorStatus(t, "the editor", res, http.StatusOK)
	for _, want := range []string{
		`<h2 id="story-head">The story so far</h2>`,
		`<a href="` + editPath(first.ID) + `">Ferry strike begins</a>`,
		`<strong>Ferry strike enters its second day</strong> <small>(this article)</small>`,
		`<button type="submit">Take this article out of the story</button>`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the editor lacks %q:\n%s", want, excerptOf(res.body[strings.Index(res.body, `id="story"`):]))
		}
	}

	res = editor.post(editPath(second.ID)+"/story/leave", url.Values{})
	wantEditorStatus(t, "leave the story", res, http.StatusSeeOther)
	m, err := es.store.Stories(ctx, []int64{second.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := m[second.ID]; got.StoryID != second.ID || !got.Fixed {
		t.Errorf("after leaving, the article's story is %+v; want its own, fixed", got)
	}
	if res := editor.get(editPath(second.ID)); strings.Contains(res.body, "Take this article out of the story") {
		t.Error("after leaving, the editor still shows the story")
	}

	for _, test := range []struct{ with, msg string }{
		{"", "Give the slug of the article whose story to join."},
		{"no-such-article", "There is no article &#34;no-such-article&#34;: give the slug its address ends with."},
		{second.Slug, "An article is in its own story already: name another article."},
	} {
		res := editor.post(editPath(second.ID)+"/story/join", url.Values{"with": {test.with}})
		wantEditorStatus(t, "join "+test.with, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `<p class="field-error" role="alert">`+test.msg+`</p>`) {
			t.Errorf("join %q: no message %q beside the field:\n%s", test.with, test.msg, excerptOf(res.body[strings.Index(res.body, `id="story"`):]))
		}
	}
	res = editor.post(editPath(second.ID)+"/story/join", url.Values{"with": {"/" + other.Slug + "/"}})
	wantEditorStatus(t, "join", res, http.StatusSeeOther)
	res = editor.get(editPath(second.ID))
	if !strings.Contains(res.body, `<a href="`+editPath(other.ID)+`">Council approves bridge</a>`) {
		t.Errorf("after joining, the story lacks the other article:\n%s", excerptOf(res.body[strings.Index(res.body, `id="story"`):]))
	}

	author := es.signIn("Ann Author", user.Author)
	wantEditorStatus(t, "an author leaves another's story", author.post(editPath(first.ID)+"/story/leave", url.Values{}), http.StatusForbidden)
}
