package linking

import (
	"net/url"
	"sort"
	"strings"

	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/yuin/goldmark/ast"
)

// Links returns the destinations of the links in a Markdown body.
func Links(r *render.Renderer, body string) []string {
	doc := r.Parse([]byte(body))
	var out []string
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			out = append(out, string(l.Destination))
		}
		return ast.WalkContinue, nil
	})
	return out
}

// ArticleLinks is one article's internal links, both ways.
type ArticleLinks struct {
	Slug     string   `json:"slug"`
	Title    string   `json:"title"`
	Public   bool     `json:"public"`
	Outbound []string `json:"outbound"` // slugs this article links to
	Inbound  []string `json:"inbound"`  // slugs of public articles linking here
}

// BrokenLink is an internal link that leads nowhere a reader can go.
type BrokenLink struct {
	Source string `json:"source"`
	Href   string `json:"href"`
	Reason string `json:"reason"`
}

// UnresolvedLink is a link an author requested by title that names no
// published article (see Index.ResolveTitle), so that no link is made.
type UnresolvedLink struct {
	Source string `json:"source"`
	Title  string `json:"title"`
}

// Report is the site's internal linking at a glance.
type Report struct {
	Articles []ArticleLinks `json:"articles"`
	// Orphans are public articles no other public article links to.
	Orphans    []string         `json:"orphans"`
	Broken     []BrokenLink     `json:"broken"`
	Unresolved []UnresolvedLink `json:"unresolved"`
}

// ReportBuilder gathers articles and their links, then resolves them.
type ReportBuilder struct {
	baseHost  string
	articles  map[string]*ArticleLinks
	hrefs     map[string][]string
	requested map[string]requested
	order     []string
}

// requested is an article's requested links.
type requested struct {
	id     int64
	titles []string
}

// NewReport starts a report for a site at baseURL (may be empty: then only
// site-relative links count as internal).
func NewReport(baseURL string) *ReportBuilder {
	host := ""
	if u, err := url.Parse(baseURL); err == nil {
		host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	}
	return &ReportBuilder{baseHost: host, articles: map[string]*ArticleLinks{}, hrefs: map[string][]string{}, requested: map[string]requested{}}
}

// Add records an article (public or not: links to unpublished ones are
// broken) and the link destinations in its body.
func (b *ReportBuilder) Add(slug, title string, public bool, hrefs []string) {
	b.articles[slug] = &ArticleLinks{Slug: slug, Title: title, Public: public, Outbound: []string{}, Inbound: []string{}}
	b.hrefs[slug] = hrefs
	b.order = append(b.order, slug)
}

// Request records the titles of the links the author of article id,
// added as slug, requested.
func (b *ReportBuilder) Request(id int64, slug string, titles []string) {
	b.requested[slug] = requested{id, titles}
}

// articlePath returns the slug an internal link names, if it is an
// article address (/slug/).
func (b *ReportBuilder) articlePath(href string) (path string, internal bool) {
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	if u.Scheme != "" || u.Host != "" {
		if b.baseHost == "" || strings.TrimPrefix(strings.ToLower(u.Host), "www.") != b.baseHost {
			return "", false
		}
	}
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(href, "//") && u.Host == "" {
		return "", false
	}
	return u.Path, true
}

// Build resolves every internal link, and every requested link by title
// in ix, the index of the published articles; redirects maps old paths to
// where they lead now.
func (b *ReportBuilder) Build(redirects map[string]string, ix *Index) Report {
	rep := Report{Orphans: []string{}, Broken: []BrokenLink{}, Unresolved: []UnresolvedLink{}}
	for _, slug := range b.order {
		req := b.requested[slug]
		for _, title := range ix.Unresolved(req.id, req.titles) {
			rep.Unresolved = append(rep.Unresolved, UnresolvedLink{Source: slug, Title: title})
		}
		src := b.articles[slug]
		seen := map[string]bool{}
		for _, href := range b.hrefs[slug] {
			path, internal := b.articlePath(href)
			if !internal {
				continue
			}
			target, reason := b.resolve(path, redirects)
			if target == nil {
				if reason != "" {
					rep.Broken = append(rep.Broken, BrokenLink{Source: slug, Href: href, Reason: reason})
				}
				continue
			}
			if target.Slug == slug || seen[target.Slug] {
				continue
			}
			seen[target.Slug] = true
			src.Outbound = append(src.Outbound, target.Slug)
			if src.Public {
				target.Inbound = append(target.Inbound, slug)
			}
		}
	}
	for _, slug := range b.order {
		a := b.articles[slug]
		sort.Strings(a.Inbound)
		rep.Articles = append(rep.Articles, *a)
		if a.Public && len(a.Inbound) == 0 {
			rep.Orphans = append(rep.Orphans, slug)
		}
	}
	return rep
}

// resolve finds the article a site path leads to. A path that is not an
// article address (a tag page, a feed) resolves to nothing and no reason.
func (b *ReportBuilder) resolve(path string, redirects map[string]string) (*ArticleLinks, string) {
	canonical := path
	if !strings.HasSuffix(canonical, "/") {
		canonical += "/"
	}
	if to, ok := redirects[canonical]; ok {
		if a := b.byPath(to); a != nil && a.Public {
			return a, ""
		}
		return nil, "redirects to " + to + ", which is not a public article"
	}
	slug, ok := urls.ArticleSlug(canonical)
	if !ok {
		return nil, ""
	}
	a := b.articles[slug]
	switch {
	case a == nil:
		return nil, "no article at " + canonical + " (deleted, or an old address that no redirect covers)"
	case !a.Public:
		return nil, "the article at " + canonical + " is not published"
	}
	return a, ""
}

func (b *ReportBuilder) byPath(p string) *ArticleLinks {
	return b.articles[strings.Trim(p, "/")]
}
