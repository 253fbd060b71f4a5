package public

import (
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/web"
	"golang.org/x/net/html"
)

func TestRelatedArticlesFromTheEngine(t *testing.T) {
	t.Parallel()
	ix := linking.NewIndex()
	ts := newTestServer(t, 0, "", func(o *Options, _ *web.Site) { o.Linker = ix })
	r := render.New()
	add := func(a *article.Article) *article.Article {
		a = ts.add(t, a)
		ix.Upsert(linking.DocFromArticle(r, a))
		return a
	}
	barrier := add(&article.Article{Title: "Why the Ems Flood Barrier Still Shapes Selvik's Planning", Body: "The Ems flood barrier, built in 2019, decides where Selvik may build. Planners cite the flood barrier in every housing decision.\n", PublishedAt: published})
	add(&article.Article{Title: "Storm Surge Tests the Ems Flood Barrier", Body: "The storm surge reached the Ems flood barrier at night; the flood barrier gates held and the old town stayed dry.\n", PublishedAt: published})
	add(&article.Article{Title: "Night Trams Return", Body: "Trams run all night again on two lines.\n", PublishedAt: published})
	src := add(&article.Article{
		Title:          "Council Approves New Flood Defences",
		Body:           "The council approved new flood defences beside the Ems flood barrier, after the storm surge of October.\n",
		PublishedAt:    published,
		RequestedLinks: []string{"Why the Ems flood barrier still shapes Selvik planning"}, // a near title, not the exact one
	})
	_, body := ts.get(t, "/"+src.Slug+"/")
	doc := parseHTML(t, body)
	related := findAll(doc, hasClass("related"))
	if len(related) != 1 {
		t.Fatal("no related articles section")
	}
	var hrefs []string
	for _, a := range findAll(related[0], func(n *html.Node) bool { return n.Data == "a" }) {
		hrefs = append(hrefs, attr(a, "href"))
	}
	if len(hrefs) < 2 || hrefs[0] != "/"+barrier.Slug+"/" {
		t.Errorf("related links = %v, want the requested (near-titled) article first", hrefs)
	}
	if strings.Contains(strings.Join(hrefs, " "), "/"+src.Slug+"/") {
		t.Error("the article is related to itself")
	}
}
