package sqlstore

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
)

// recencyBoost is how much more a story of today counts than one of
// long ago with the same relevance: a gentle lift, halved at a year, so
// that a query for an old event still finds the old stories first.
const recencyBoost = "0.2"

// SearchArticles finds articles by their text; see store.Searcher.
func (s *Store) SearchArticles(ctx context.Context, q search.Query, o search.Options) (_ search.Results, err error) {
	defer s.wrap(&err, "SearchArticles(%q)", q.Text)
	var res search.Results
	if q.Empty() {
		return res, nil
	}
	f, _ := s.articleFilter(store.ArticleQuery{Status: o.Status, PublicAt: o.PublicAt, OwnerID: o.OwnerID, SectionSlug: o.SectionSlug,
		TagSlug: o.TagSlug, AuthorSlug: o.AuthorSlug, Kind: o.Kind})
	if !o.From.IsZero() {
		f.conditions = append(f.conditions, `a.published_at >= `+f.arg(s.db.Time(o.From)))
	}
	if !o.To.IsZero() {
		f.conditions = append(f.conditions, `a.published_at < `+f.arg(s.db.Time(o.To)))
	}
	var where string
	for _, c := range f.conditions {
		where += ` AND ` + c
	}
	sq := s.db.Search(q, o.Plain, f.arg)
	found := `WITH found AS (` + sq.Found(articleJoins, where, f.arg(search.Window)) + `)`
	foundArgs := slices.Clone(f.args)

	now := o.PublicAt
	if now.IsZero() {
		now = s.nowUTC()
	}
	limit := o.Limit
	if limit <= 0 {
		limit = 10
	}
	// The baseline ranks by the engine's relevance alone, no phrase first.
	score, order := `found.rank`, `score DESC, id DESC`
	pageOrder := `ranked.score DESC, a.id DESC`
	if !o.Plain {
		score = `found.rank * (1 + ` + recencyBoost + ` / (1 + ` + sq.Age(`found.published`, f.arg(s.db.Time(now))) + ` / 365.0))`
		order = `phrase DESC, ` + order
		pageOrder = `ranked.phrase DESC, ` + pageOrder
	}
	// The matches are ranked from what Found read, and only the page's
	// articles are read whole.
	query := found + `, ranked AS (
			SELECT id, phrase, ` + score + ` AS score, count(*) OVER () AS total, sum(whole) OVER () AS newest
			FROM found ORDER BY ` + order + f.page(limit, o.Offset) + `)
		SELECT ` + articleColumns + `, ranked.score, ranked.total, ranked.newest
		FROM ranked JOIN articles a ON a.id = ranked.id` + articleJoins + `
		ORDER BY ` + pageOrder
	var newest int
	byID := map[int64]*search.Hit{}
	var ids []int64
	err = each(ctx, s.db.Reader(), query, f.args, func(row Row) error {
		var h search.Hit
		h.Article = &article.Article{}
		if err := scanArticle(row, h.Article, &h.Score, &res.Total, &newest); err != nil {
			return err
		}
		res.Hits = append(res.Hits, h)
		ids = append(ids, h.Article.ID)
		return nil
	})
	if err == nil && len(ids) == 0 && o.Offset > 0 {
		// A page past the last: the count still tells the reader how
		// many there are.
		err = s.db.Reader().QueryRow(ctx, found+` SELECT count(*), COALESCE(sum(whole), 0) FROM found`, foundArgs...).Scan(&res.Total, &newest)
	}
	res.More = newest >= search.Window
	if err != nil || len(ids) == 0 {
		return res, err
	}
	as := make([]*article.Article, len(res.Hits))
	for i, h := range res.Hits {
		as[i] = h.Article
	}
	if err := s.loadTagsAndLinks(ctx, s.db.Reader(), as, false); err != nil {
		return res, err
	}
	for i := range res.Hits {
		byID[res.Hits[i].Article.ID] = &res.Hits[i]
	}
	snip := &filter{}
	snippets := s.db.Snippets(q, snip.arg(s.db.Int64s(ids)), snip.arg)
	err = each(ctx, s.db.Reader(), snippets, snip.args, func(row Row) error {
		var id int64
		var text string
		if err := row.Scan(&id, &text); err != nil {
			return err
		}
		if h := byID[id]; h != nil {
			h.Snippet = search.Snippet(text)
		}
		return nil
	})
	return res, err
}

// SearchWords lists words of the search index that begin with prefix;
// see store.Searcher.
func (s *Store) SearchWords(ctx context.Context, prefix string, limit int) (_ []string, err error) {
	defer s.wrap(&err, "SearchWords(%q)", prefix)
	var words []string
	// Every word that begins with prefix sorts between it and prefix
	// followed by the last code point, byte by byte.
	err = each(ctx, s.db.Reader(), s.db.SearchWordsQuery(), []any{prefix, prefix + string(utf8.MaxRune), limit}, func(row Row) error {
		var w string
		err := row.Scan(&w)
		words = append(words, w)
		return err
	})
	return words, err
}
