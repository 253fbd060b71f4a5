package linking

import (
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
)

// suggestSite indexes a few articles written for these tests.
func suggestSite(t *testing.T) (*Index, *render.Renderer, map[string]*article.Article) {
	t.Helper()
	r := render.New()
	arts := map[string]*article.Article{
		"barrier": {ID: 1, Slug: "ems-flood-barrier", Title: "The Ems Flood Barrier Holds Through the Storm",
			Body: "The Ems flood barrier closed at dawn. Engineers said the Ems flood barrier held as the river rose.\n\n## The gates\n\nTwelve gates of the Ems flood barrier closed in an hour.\n",
			Tags: article.TagsFromNames("Floods")},
		"tram": {ID: 2, Slug: "night-tram-trial", Title: "Night Tram Trial Carries Record Crowds",
			Body: "The night tram trial carried more riders than forecast. The night tram trial runs on two lines.\n\n## Riders\n\nThe night tram trial is popular with nurses.\n",
			Tags: article.TagsFromNames("Transport")},
		"source": {ID: 3, Slug: "council-week", Title: "A Busy Week for the Council",
			Body: "## Ems flood barrier on the agenda\n\n" +
				"Councillors praised the Ems flood barrier and asked about the night tram trial.\n\n" +
				"> The Ems flood barrier saved the old town, said the mayor.\n\n" +
				"The [night tram trial](/elsewhere/) was discussed again, and the Ems flood barrier too.\n\n" +
				"Later the night tram trial came up once more.\n",
			RequestedLinks: []string{"Night Tram Trial Carries Record Crowds"}},
	}
	ix := NewIndex()
	for _, a := range arts {
		a.PublishedAt = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		ix.Upsert(DocFromArticle(r, a))
	}
	return ix, r, arts
}

func TestSuggestRules(t *testing.T) {
	t.Parallel()
	ix, r, arts := suggestSite(t)
	src := arts["source"]
	ss := Suggest(ix, r, src, SuggestOptions{})
	if len(ss) == 0 {
		t.Fatal("no suggestions")
	}
	targets := map[string]bool{}
	paragraphs := map[int]bool{}
	for _, s := range ss {
		if s.Target.ID == src.ID {
			t.Errorf("suggests a link to itself: %+v", s)
		}
		if targets[s.Target.Slug] || paragraphs[s.Paragraph] {
			t.Errorf("a target or paragraph twice: %+v", ss)
		}
		targets[s.Target.Slug], paragraphs[s.Paragraph] = true, true
		if src.Body[s.Start:s.End] != s.Phrase {
			t.Errorf("offsets %d-%d do not hold %q", s.Start, s.End, s.Phrase)
		}
		line := src.Body[strings.LastIndex(src.Body[:s.Start], "\n")+1:]
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, ">") {
			t.Errorf("suggestion inside a heading or quote: %q", line[:40])
		}
		if strings.Contains(src.Body[max(0, s.Start-1):s.Start], "[") {
			t.Errorf("suggestion inside an existing link: %+v", s)
		}
	}
	if !targets["ems-flood-barrier"] {
		t.Errorf("no link to the barrier article: %+v", ss)
	}
	// The tram article is already linked? No: /elsewhere/ is another
	// address, so the requested tram article may still be suggested, but
	// never inside that link.
	body, err := Apply(src.Body, ss)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if !strings.Contains(body, "["+s.Phrase+"](/"+s.Target.Slug+"/)") {
			t.Errorf("applied body lacks the link for %+v", s)
		}
	}
	// A changed text refuses stale suggestions.
	if _, err := Apply("Different text entirely, long enough to hold the offsets of any suggestion made before.", ss); err == nil {
		t.Error("Apply accepted suggestions for a text that changed")
	}
	// Links already made are not suggested again.
	again := *src
	again.Body = body
	for _, s := range Suggest(ix, r, &again, SuggestOptions{}) {
		if targets[s.Target.Slug] {
			t.Errorf("suggests %s again after it was linked", s.Target.Slug)
		}
	}
}

// After one suggestion was applied, the others' IDs changed (they held
// its offset), so the next one from the same list could not be applied.
func TestSuggestionIDsStayAfterApply(t *testing.T) {
	t.Parallel()
	ix, r, arts := suggestSite(t)
	a := *arts["source"]
	listed := Suggest(ix, r, &a, SuggestOptions{})
	if len(listed) < 2 {
		t.Fatalf("suggestions = %+v, want two or more", listed)
	}
	for i, s := range listed {
		got, missing := Lookup(ix, r, &a, SuggestOptions{}, []string{s.ID})
		if len(missing) > 0 || len(got) != 1 || got[0].Phrase != s.Phrase || got[0].Target.ID != s.Target.ID {
			t.Fatalf("after applying %d, Lookup(%s) = %+v, missing %v; want %q to %s", i, s.ID, got, missing, s.Phrase, s.Target.Slug)
		}
		body, err := Apply(a.Body, got)
		if err != nil {
			t.Fatal(err)
		}
		a.Body = body
	}
	for _, s := range listed {
		if !strings.Contains(a.Body, "["+s.Phrase+"](/"+s.Target.Slug+"/)") {
			t.Errorf("the body lacks the link %q to %s:\n%s", s.Phrase, s.Target.Slug, a.Body)
		}
	}
	// Applied, a suggestion is gone: its target is linked.
	if got, missing := Lookup(ix, r, &a, SuggestOptions{}, []string{listed[0].ID, "deadbeef"}); len(got) != 0 || len(missing) != 2 {
		t.Errorf("Lookup after applying = %+v, missing %v; want both missing", got, missing)
	}
}

func TestSuggestBadInput(t *testing.T) {
	t.Parallel()
	ix, r, _ := suggestSite(t)
	for _, a := range []*article.Article{
		{ID: 10, Slug: "empty", Title: "Empty", Body: ""},
		{ID: 11, Slug: "one-word", Title: "One", Body: "Word"},
		{ID: 12, Slug: "urdu", Title: "خبر", Body: "سیلاب کی رکاوٹ نے شہر کو بچایا۔\n\nEms flood barrier.\n"},
		{ID: 13, Slug: "chinese", Title: "新闻", Body: "防洪闸门在风暴中守住了。\n"},
		{ID: 14, Slug: "huge", Title: "Huge", Body: strings.Repeat("The Ems flood barrier held. ", 200000)},
	} {
		ix.Upsert(DocFromArticle(r, a))
		for _, s := range Suggest(ix, r, a, SuggestOptions{}) {
			if s.Target.ID == a.ID || a.Body[s.Start:s.End] != s.Phrase {
				t.Errorf("%s: bad suggestion %+v", a.Slug, s)
			}
		}
	}
}

func TestInbound(t *testing.T) {
	t.Parallel()
	ix, r, arts := suggestSite(t)
	byID := map[int64]*article.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	load := func(id int64) (*article.Article, error) { return byID[id], nil }

	// The council article names the barrier outside headings and quotes.
	in, err := Inbound(ix, r, arts["barrier"].ID, load, SuggestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(in) != 1 || in[0].SourceSlug != "council-week" || in[0].Target.Slug != "ems-flood-barrier" {
		t.Fatalf("inbound to the barrier = %+v, want one from council-week", in)
	}
	// The first mention is in a heading: the link goes on the first one
	// in running text.
	src := arts["source"].Body
	if want := strings.Index(src, "Councillors praised the ") + len("Councillors praised the "); in[0].Start != want || src[in[0].Start:in[0].End] != in[0].Phrase {
		t.Errorf("inbound phrase %q at %d, want it at %d", in[0].Phrase, in[0].Start, want)
	}

	// The council article links "night tram trial" elsewhere: an
	// inbound suggestion for the tram article must avoid that link.
	in, err = Inbound(ix, r, arts["tram"].ID, load, SuggestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range in {
		if s.SourceID == arts["tram"].ID {
			t.Errorf("inbound suggestion from the article itself: %+v", s)
		}
		if body := byID[s.SourceID].Body; strings.Contains(body[max(0, s.Start-1):s.Start], "[") {
			t.Errorf("inbound suggestion inside an existing link: %+v", s)
		}
	}
}

func TestSuggestForDraft(t *testing.T) {
	t.Parallel()
	ix, r, _ := suggestSite(t)
	// A draft is not in the index: its suggestions follow its text.
	draft := &article.Article{ID: 99, Slug: "storm-night", Title: "Storm Night in the Harbour Town",
		Body: "All night the Ems flood barrier held back the storm surge, and the town slept."}
	got := Suggest(ix, r, draft, SuggestOptions{})
	if len(got) != 1 || got[0].Target.Slug != "ems-flood-barrier" || !strings.Contains(strings.ToLower("Ems flood barrier"), strings.ToLower(got[0].Phrase)) {
		t.Fatalf("suggestions for a draft = %+v, want one to the barrier article on words of its name", got)
	}
}
