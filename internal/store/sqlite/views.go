package sqlite

import (
	"context"
	"time"

	"github.com/datelinehq/dateline/internal/store"
)

var _ store.ViewStats = (*DB)(nil)

// DailyViews returns an article's views per day; see store.ViewStats.
func (db *DB) DailyViews(ctx context.Context, articleID int64, from, to time.Time) (_ map[string]int64, err error) {
	defer wrap(&err, "DailyViews(%d)", articleID)
	rows, err := db.readConn().query(ctx, `
		SELECT day, views
		FROM article_views_daily
		WHERE article_id = ? AND day BETWEEN ? AND ?`,
		articleID, from.UTC().Format(time.DateOnly), to.UTC().Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	views := map[string]int64{}
	for rows.Next() {
		var day string
		var n int64
		if err := rows.Scan(&day, &n); err != nil {
			return nil, err
		}
		views[day] = n
	}
	return views, rows.Err()
}

// MostRead lists the most viewed articles of a time; see store.ViewStats.
// A limit that is not positive lists every article viewed then.
func (db *DB) MostRead(ctx context.Context, from, to time.Time, limit int) (_ []store.ArticleViews, err error) {
	defer wrap(&err, "MostRead(%d)", limit)
	if limit <= 0 {
		limit = -1 // no limit, to SQLite
	}
	rows, err := db.readConn().query(ctx, `
		SELECT a.id, a.slug, a.title, SUM(v.views) AS total
		FROM article_views_daily v
		JOIN articles a ON a.id = v.article_id
		WHERE v.day BETWEEN ? AND ?
		GROUP BY a.id, a.slug, a.title
		ORDER BY total DESC, a.id
		LIMIT ?`,
		from.UTC().Format(time.DateOnly), to.UTC().Format(time.DateOnly), limit)
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
