package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

// Search finds articles with FTS5 (migration 0021): BM25 with the title
// weighted 10, the standfirst 5, the tags 4 and the body 1.
func (db *DB) Search(q search.Query, arg func(any) string) sqlstore.SearchSQL {
	// The matches are a subquery of their own, kept whole by LIMIT -1 (no
	// limit: a subquery with one is not flattened into the join), so
	// that SQLite starts from the index's matches: joined flat, it walked
	// the public articles and ran the whole match for each.
	return sqlstore.SearchSQL{
		Join: `
	JOIN (SELECT rowid AS id, -bm25(article_search, 10.0, 5.0, 1.0, 4.0) AS rank, -bm25(article_search) AS plain
		FROM article_search WHERE article_search MATCH ` + arg(fts5Query(q)) + ` LIMIT -1) found ON found.id = a.id`,
		Rank:      `found.rank`,
		PlainRank: `found.plain`,
		Phrase: func(words string) string {
			return `(a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ` + arg(`"`+words+`"`) + `))`
		},
		Age: func(now string) string {
			return `max(0, julianday(` + now + `) - julianday(COALESCE(a.published_at, a.created_at)))`
		},
	}
}

// Snippets is the best fragment of each body; see sqlstore.Dialect.
func (db *DB) Snippets(q search.Query, ids string, arg func(any) string) string {
	return `SELECT rowid, snippet(article_search, 2, '` + search.SnippetStart + `', '` + search.SnippetEnd + `', '…', 32)
		FROM article_search
		WHERE article_search MATCH ` + arg(fts5Query(q)) + ` AND ` + db.In("rowid", ids)
}

// fts5Query writes q in FTS5's query language. Every word is a quoted
// string (Parse leaves only letters, digits and marks in a word, so none
// holds a quote): nothing a reader types is read as FTS5 syntax.
func fts5Query(q search.Query) string {
	var must, not []string
	for _, c := range q.Clauses {
		var alts []string
		for _, t := range c.Any {
			s := `"` + strings.Join(t.Words, " ") + `"`
			if t.Prefix {
				s += "*"
			}
			alts = append(alts, s)
		}
		expr := strings.Join(alts, " OR ")
		if len(alts) > 1 {
			expr = "(" + expr + ")"
		}
		if c.Negated {
			not = append(not, expr)
		} else {
			must = append(must, expr)
		}
	}
	out := strings.Join(must, " AND ")
	for _, n := range not {
		out += " NOT " + n
	}
	return out
}

// ReindexSearch rebuilds the search index from the articles; see
// store.Searcher. It empties the index and adds the articles back a batch
// at a time, to tell progress.
func (db *DB) ReindexSearch(ctx context.Context, progress func(done, total int)) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("sqlite: ReindexSearch: %w", err)
		}
	}()
	return db.Transact(ctx, func(tx sqlstore.Conn) error {
		var total int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&total); err != nil {
			return err
		}
		// Tag names that drifted (none, unless the database was changed
		// by hand) are written first, through the triggers; then the
		// index is emptied and filled from the articles.
		if _, err := tx.Exec(ctx, `UPDATE articles SET search_tags = n.names
			FROM article_tag_names n
			WHERE n.article_id = articles.id AND n.names <> articles.search_tags`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_search (article_search) VALUES ('delete-all')`); err != nil {
			return err
		}
		done, last := 0, int64(0)
		for {
			var ids []int64
			err := func() error {
				rows, err := tx.Query(ctx, `SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT 1000`, last)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var id int64
					if err := rows.Scan(&id); err != nil {
						return err
					}
					ids = append(ids, id)
				}
				return rows.Err()
			}()
			if err != nil || len(ids) == 0 {
				return err
			}
			last = ids[len(ids)-1]
			if _, err := tx.Exec(ctx, `
				INSERT INTO article_search (rowid, title, description, body, search_tags)
				SELECT id, title, description, body, search_tags FROM articles
				WHERE id >= $1 AND id <= $2`, ids[0], last); err != nil {
				return err
			}
			done += len(ids)
			if progress != nil {
				progress(done, total)
			}
		}
	})
}

// SearchWordsQuery lists the index's words between $1 and $2, at most
// $3, the most used first where the index counts them; see
// sqlstore.Dialect.
func (db *DB) SearchWordsQuery() string {
	return `
		SELECT term FROM article_search_vocabulary
		WHERE term >= $1 AND term < $2
		ORDER BY doc DESC
		LIMIT $3`
}
