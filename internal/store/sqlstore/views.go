package sqlstore

import (
	"context"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// DailyViews returns an article's views per day; see store.ViewStats.
func (s *Store) DailyViews(ctx context.Context, articleID int64, from, to time.Time) (_ map[string]int64, err error) {
	defer s.wrap(&err, "DailyViews(%d)", articleID)
	views := map[string]int64{}
	return views, each(ctx, s.db.Reader(), `
		SELECT day, views
		FROM article_views_daily
		WHERE article_id = $1 AND day BETWEEN $2 AND $3`,
		[]any{articleID, s.db.Date(from), s.db.Date(to)}, func(row Row) error {
			var day string
			var n int64
			err := row.Scan(Day(&day), &n)
			views[day] = n
			return err
		})
}

// MostRead lists the most viewed articles of a time; see store.ViewStats.
// A limit that is not positive lists every article viewed then.
func (s *Store) MostRead(ctx context.Context, from, to time.Time, limit int) (_ []store.ArticleViews, err error) {
	defer s.wrap(&err, "MostRead(%d)", limit)
	query := `
		SELECT a.id, a.slug, a.title, CAST(SUM(v.views) AS BIGINT) AS total
		FROM article_views_daily v
		JOIN articles a ON a.id = v.article_id
		WHERE v.day BETWEEN $1 AND $2
		GROUP BY a.id, a.slug, a.title
		ORDER BY total DESC, a.id`
	args := []any{s.db.Date(from), s.db.Date(to)}
	if limit > 0 {
		query += ` LIMIT $3`
		args = append(args, limit)
	}
	return list(ctx, s.db.Reader(), query, args, func(row Row, av *store.ArticleViews) error {
		return row.Scan(&av.ArticleID, &av.Slug, &av.Title, &av.Views)
	})
}

// AddViews adds counted page views; see store.ArticleStore. Articles
// deleted meanwhile join nothing.
func (s *Store) AddViews(ctx context.Context, day time.Time, views map[int64]int64) (err error) {
	defer s.wrap(&err, "AddViews(%d articles)", len(views))
	ids := make([]int64, 0, len(views))
	counts := make([]int64, 0, len(views))
	for id, n := range views {
		ids = append(ids, id)
		counts = append(counts, n)
	}
	counted := s.db.Pairs("$1", "$2")
	return s.db.Transact(ctx, func(tx Conn) error {
		_, err := tx.Exec(ctx, `
			UPDATE articles SET view_count = view_count + v.n
			FROM `+counted+`
			WHERE articles.id = v.id`, s.db.Int64s(ids), s.db.Int64s(counts))
		if err != nil {
			return err
		}
		// WHERE true tells SQLite's parser that ON CONFLICT is the
		// upsert's, not the join's.
		_, err = tx.Exec(ctx, `
			INSERT INTO article_views_daily (article_id, day, views)
			SELECT a.id, $3, v.n FROM `+counted+` JOIN articles a ON a.id = v.id WHERE true
			ON CONFLICT (article_id, day) DO UPDATE SET views = article_views_daily.views + excluded.views`,
			s.db.Int64s(ids), s.db.Int64s(counts), s.db.Date(day))
		return err
	})
}
