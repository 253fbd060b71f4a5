package linking

import (
	"testing"

	"github.com/datelinehq/dateline/internal/render"
	"github.com/google/go-cmp/cmp"
)

func TestReport(t *testing.T) {
	t.Parallel()
	r := render.New()
	b := NewReport("https://news.example")
	b.Add("hub", "Hub", true, Links(r, "See [spoke](/spoke/), [again](/spoke/), [tag](/tag/x/), [feed](/feed.json), [out](https://other.example/a) and [abs](https://www.news.example/other/)."))
	b.Add("spoke", "Spoke", true, Links(r, "Back to [hub](/hub) and [old](/old-name/) and [draft](/secret/) and [gone](/deleted/) and [moved away](/moved/)."))
	b.Add("other", "Other", true, nil)
	b.Add("secret", "Secret", false, Links(r, "[hub](/hub/)"))
	rep := b.Build(map[string]string{"/old-name/": "/other/", "/moved/": "/secret/"}, NewIndex())
	links := map[string]ArticleLinks{}
	for _, a := range rep.Articles {
		links[a.Slug] = a
	}
	if diff := cmp.Diff([]string{"spoke", "other"}, links["hub"].Outbound); diff != "" {
		t.Errorf("hub outbound (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"spoke"}, links["hub"].Inbound); diff != "" {
		t.Errorf("hub inbound: a draft's link must not count (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hub", "spoke"}, links["other"].Inbound); diff != "" {
		t.Errorf("other inbound, through a redirect too (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{}, rep.Orphans); diff != "" {
		t.Errorf("orphans (-want +got):\n%s", diff)
	}
	var broken []string
	for _, br := range rep.Broken {
		broken = append(broken, br.Source+" "+br.Href)
	}
	if diff := cmp.Diff([]string{"spoke /secret/", "spoke /deleted/", "spoke /moved/"}, broken); diff != "" {
		t.Errorf("broken links (-want +got):\n%s", diff)
	}
}

// Requested links that matched no article vanished: the report said
// nothing of them.
func TestReportUnresolved(t *testing.T) {
	t.Parallel()
	ix := newsroomIndex(t)
	b := NewReport("")
	b.Add("doha-agreement", newsroom[0].Title, true, nil)
	b.Request(1, "doha-agreement", []string{
		"Islamabad weighs new talks with the TTP",      // exactly a title
		"Four years after Doha: the withdrawal deal",   // nearly one
		"How the TTP resurgence threatens the economy", // none
		"Why the Doha Agreement still matters",         // nearest is its own
	})
	b.Add("ttp-talks", newsroom[3].Title, true, nil)
	b.Add("draft", "A draft", false, nil)
	b.Request(100, "draft", []string{"Tram fares rise in January"})
	rep := b.Build(nil, ix)
	want := []UnresolvedLink{
		{Source: "doha-agreement", Title: "How the TTP resurgence threatens the economy"},
		{Source: "doha-agreement", Title: "Why the Doha Agreement still matters"},
		{Source: "draft", Title: "Tram fares rise in January"},
	}
	if diff := cmp.Diff(want, rep.Unresolved); diff != "" {
		t.Errorf("unresolved requested links (-want +got):\n%s", diff)
	}
}
