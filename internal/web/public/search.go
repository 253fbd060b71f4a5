package public

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// SearchPage is the search page: the query, its filters and a page of
// results.
type SearchPage struct {
	web.Base
	Query                string
	Section, Tag, Author string // the filters' slugs
	TagName              string // the tag filter as the reader typed it
	From, To             string // the date filters, as YYYY-MM-DD
	Sections             []article.Section
	Authors              []*article.Author
	Total                int
	More                 bool   // Total may not count them all (see search.Results.More)
	Suggestion           string // a respelling that finds something ("did you mean")
	Hits                 []SearchHit
	Pagination           Pagination
}

// SearchHit is a result: the article's card and its snippet, with the
// words found marked.
type SearchHit struct {
	Card
	Snippet template.HTML
}

// searchPerMinute is how many searches a reader's address may make a
// minute: a search costs more than a cached page.
const searchPerMinute = 30

// maxSearchPage is the last page of results served.
const maxSearchPage = 50

// searchPage serves /search/?q=: not cached (each query is its own
// page), never indexed, rate limited by the reader's address.
func (h *Handlers) searchPage(w http.ResponseWriter, r *http.Request) error {
	if ip := web.ClientOf(r).Addr; !h.limits.allow("search:"+ip.String(), searchPerMinute) {
		w.Header().Set("Retry-After", "60")
		return web.HTTPError{Status: http.StatusTooManyRequests, Message: "Too many searches from your address. Please wait a minute and try again."}
	}
	q := r.URL.Query()
	p := SearchPage{Query: q.Get("q"), Section: q.Get("section"), Author: q.Get("author")}
	// The tag is typed by the reader, by its name or its slug, or comes
	// from a link, by its slug; the box shows the tag's name.
	if typed := strings.TrimSpace(q.Get("tag")); typed != "" {
		p.Tag, p.TagName = typed, typed
		tag, err := h.store.Tag(r.Context(), typed)
		if errors.Is(err, store.ErrNotFound) {
			p.Tag = article.Slugify(typed)
			tag, err = h.store.Tag(r.Context(), p.Tag)
		}
		switch {
		case err == nil:
			p.TagName = tag.Name
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	o := search.Options{SectionSlug: p.Section, TagSlug: p.Tag, AuthorSlug: p.Author, Limit: PerPage}
	page := 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		page = min(n, maxSearchPage)
	}
	o.Offset = (page - 1) * PerPage
	// A day that does not parse is left out, as a reader's typo should be.
	if t, err := time.Parse("2006-01-02", q.Get("from")); err == nil {
		o.From, p.From = t, q.Get("from")
	}
	if t, err := time.Parse("2006-01-02", q.Get("to")); err == nil {
		o.To, p.To = t.AddDate(0, 0, 1), q.Get("to")
	}
	if !o.From.IsZero() && !o.To.IsZero() && !o.From.Before(o.To) {
		o.To, p.To = time.Time{}, ""
	}
	sections, err := h.store.Sections(r.Context())
	if err != nil {
		return err
	}
	p.Sections = sections
	if p.Authors, err = h.store.Authors(r.Context()); err != nil {
		return err
	}
	parsed, res, err := h.news.SearchPublic(r.Context(), p.Query, o)
	if err != nil {
		return err
	}
	p.Query = parsed.Text
	p.Total, p.More, p.Suggestion = res.Total, res.More, res.Suggestion
	as := make([]*article.Article, len(res.Hits))
	for i, hit := range res.Hits {
		as[i] = hit.Article
	}
	cards, err := h.cards(r.Context(), as)
	if err != nil {
		return err
	}
	for i, hit := range res.Hits {
		p.Hits = append(p.Hits, SearchHit{Card: cards[i], Snippet: hit.Snippet.HTML()})
	}
	p.Pagination = searchPagination(q, page, res.Total)
	title := h.site.Locale().Text("search")
	if p.Query != "" {
		title = p.Query + " – " + title
	}
	p.Base = h.site.Base(r, title, h.site.Locale().Text("search_description", "Site", h.site.Current().Title))
	p.NoIndex = true
	p.SearchQuery = p.Query
	w.Header().Set("Cache-Control", "private, max-age=60")
	return h.tpl.search.Render(w, http.StatusOK, p)
}

// searchPagination links a page of results to its neighbours, with the
// same query and filters.
func searchPagination(q url.Values, page, total int) Pagination {
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return urls.Search + "?" + v.Encode()
	}
	var p Pagination
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page*PerPage < total && page < maxSearchPage {
		p.Next = link(page + 1)
	}
	return p
}

// openSearch serves the OpenSearch description that the layout links, so
// that a browser can offer the site's search in its address bar.
func (h *Handlers) openSearch(w http.ResponseWriter, r *http.Request) error {
	info := h.site.Current()
	name := info.Title
	if len([]rune(name)) > 16 { // OpenSearch's ShortName limit
		name = string([]rune(name)[:16])
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">` + "\n")
	fmt.Fprintf(&b, "<ShortName>%s</ShortName>\n", xmlText(name))
	fmt.Fprintf(&b, "<Description>%s</Description>\n", xmlText(h.site.Locale().Text("search_description", "Site", info.Title)))
	fmt.Fprintf(&b, "<InputEncoding>UTF-8</InputEncoding>\n")
	fmt.Fprintf(&b, "<Url type=\"text/html\" method=\"get\" template=\"%s\"/>\n", xmlText(h.site.SearchPageURL(r)+"?q={searchTerms}"))
	fmt.Fprintf(&b, "<Language>%s</Language>\n", xmlText(info.Language))
	b.WriteString("</OpenSearchDescription>\n")
	w.Header().Set("Content-Type", "application/opensearchdescription+xml; charset=utf-8")
	_, err := io.WriteString(w, b.String())
	return err
}

// xmlText escapes s for XML text and attribute values.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
