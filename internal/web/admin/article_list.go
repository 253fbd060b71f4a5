package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// articlesPerPage is the length of a page of the article list.
const articlesPerPage = 25

// ListFilter is what the article list is narrowed to, as typed.
type ListFilter struct {
	Status string // draft, scheduled, published or empty for all
	Author string // an author's name or slug
	Tag    string // a tag's name or slug
	Q      string // words to find in the articles' text
}

// ListPage is the article list.
type ListPage struct {
	Page
	Filter   ListFilter
	Statuses []article.Status
	Articles []*article.Article
	// OwnOnly says the list holds only the user's own articles, as their
	// role allows no others.
	OwnOnly bool
	Total   int
	More    bool // Total may not count them all (a search of a common word)
	PageNum int
	Pages   int
	PrevURL string
	NextURL string
}

// query returns the list's address for page n with the same filter.
func (f ListFilter) query(n int) string {
	v := url.Values{}
	for k, s := range map[string]string{"status": f.Status, "author": f.Author, "tag": f.Tag, "q": f.Q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/admin/articles"
	}
	return "/admin/articles?" + v.Encode()
}

// articleList lists articles, newest first, filtered and paged. Users who
// may edit only their own articles see only those.
func (h *Handler) articleList(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := r.URL.Query()
	f := ListFilter{
		Status: strings.TrimSpace(q.Get("status")),
		Author: strings.TrimSpace(q.Get("author")),
		Tag:    strings.TrimSpace(q.Get("tag")),
		Q:      strings.TrimSpace(q.Get("q")),
	}
	var aq store.ArticleQuery
	if f.Status != "" {
		st, err := article.ParseStatus(f.Status)
		if err != nil {
			return web.BadRequest{Message: "Filter: " + err.Error() + "."}
		}
		aq.Status = st
	}
	// Names and slugs both find an author or tag: the slug is made from
	// the name.
	if f.Author != "" {
		aq.AuthorSlug = article.Slugify(f.Author)
	}
	if f.Tag != "" {
		aq.TagSlug = article.Slugify(f.Tag)
	}
	ownOnly := !u.Role.Can(user.EditAllArticles)
	if ownOnly {
		aq.OwnerID = u.ID
	}
	if f.Q != "" {
		return h.searchArticles(w, r, f, aq, ownOnly)
	}
	total, err := h.store.CountArticles(r.Context(), aq)
	if err != nil {
		return err
	}
	pages := max((total+articlesPerPage-1)/articlesPerPage, 1)
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	n = min(n, pages)
	aq.Limit, aq.Offset = articlesPerPage, (n-1)*articlesPerPage
	list, err := h.store.Articles(r.Context(), aq)
	if err != nil {
		return err
	}
	return h.writeList(w, r, f, list, ownOnly, total, false, n)
}

// writeList writes page n of a list of total articles, or at least
// total (a search of a common word: see search.Results.More).
func (h *Handler) writeList(w http.ResponseWriter, r *http.Request, f ListFilter, list []*article.Article, ownOnly bool, total int, more bool, n int) error {
	p := ListPage{
		Page:     h.page(r, "Articles", "articles"),
		Filter:   f,
		Statuses: []article.Status{article.Draft, article.Scheduled, article.Published},
		Articles: list,
		OwnOnly:  ownOnly,
		Total:    total,
		More:     more,
		PageNum:  n,
		Pages:    max((total+articlesPerPage-1)/articlesPerPage, 1),
	}
	if n > 1 {
		p.PrevURL = f.query(n - 1)
	}
	if n < p.Pages {
		p.NextURL = f.query(n + 1)
	}
	return writePage(w, r, http.StatusOK, h.tpl.articles, p)
}

// searchArticles is the article list for words typed in its search box:
// the full text of every article the user may see (drafts included),
// best match first, with the list's other filters.
func (h *Handler) searchArticles(w http.ResponseWriter, r *http.Request, f ListFilter, aq store.ArticleQuery, ownOnly bool) error {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	o := search.Options{Status: aq.Status, AuthorSlug: aq.AuthorSlug, TagSlug: aq.TagSlug, Limit: articlesPerPage, Offset: (n - 1) * articlesPerPage}
	_, res, err := h.news.SearchNewsroom(r.Context(), actorOf(r), f.Q, o)
	if err != nil {
		return err
	}
	// A page past the last (a stale link) shows the last, as the list
	// without words does.
	if last := max((res.Total+articlesPerPage-1)/articlesPerPage, 1); n > last && res.Total > 0 {
		n, o.Offset = last, (last-1)*articlesPerPage
		if _, res, err = h.news.SearchNewsroom(r.Context(), actorOf(r), f.Q, o); err != nil {
			return err
		}
	}
	var list []*article.Article
	for _, hit := range res.Hits {
		list = append(list, hit.Article)
	}
	return h.writeList(w, r, f, list, ownOnly, res.Total, res.More, n)
}
