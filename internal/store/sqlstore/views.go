package sqlstore

import (
	"context"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

// DailyViews returns an article's views per day; see store.ViewStats.
func (s *Store) DailyViews(ctx context.Context, articleID int64, from, to time.Time) (_ map[string]int64, err error) {
	defer s.wrap(&err, "DailyViews(%d)", articleID)
	rows, err := s.db.Reader().Query(ctx, `
		SELECT day, views
		FROM article_views_daily
		WHERE article_id = $1 AND day BETWEEN $2 AND $3`,
		articleID, s.db.Date(from), s.db.Date(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	views := map[string]int64{}
	for rows.Next() {
		var day string
		var n int64
		if err := rows.Scan(Day(&day), &n); err != nil {
			return nil, err
		}
		views[day] = n
	}
	return views, rows.Err()
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
	rows, err := s.db.Reader().Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []store.ArticleViews
	for rows.Next() {
		var av store.ArticleViews
		if err := rows.Scan(&av.ArticleID, &av.Slug, &av.Title, &av.Views); err != nil {
			return nil, err
		}
		list = append(list, av)
	}
	return list, rows.Err()
}
