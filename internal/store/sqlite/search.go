package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

// Search finds articles with FTS5 (migrations 0021 and 0024): BM25 with
// the title weighted 10, the standfirst 5, the tags 4 and the body 1.
func (db *DB) Search(q search.Query, plain bool, arg func(any) string) sqlstore.SearchSQL {
	match := fts5Query(q)
	rank := `-bm25(article_search, 10.0, 5.0, 1.0, 4.0) AS rank`
	headRank := `-bm25(article_search_head, 10.0, 5.0, 4.0) AS rank`
	if plain {
		rank, headRank = `-bm25(article_search) AS rank`, `-bm25(article_search_head) AS rank`
	}
	return sqlstore.SearchSQL{
		Found: func(joins, where, window string) string {
			// Each part is the newest matches of one FTS5 query: with the
			// index as the outer table (CROSS JOIN keeps it there),
			// FTS5 reads its doclists newest first and stops at the
			// window, computing BM25 only for the rows it returns. The
			// filters read the articles' index articles_search_filter,
			// not their rows, which hold the body.
			part := func(table, match, rank, also string) string {
				return `SELECT s.rowid AS id, ` + rank + `, COALESCE(a.published_at, a.created_at) AS published
					FROM ` + table + ` s CROSS JOIN articles a INDEXED BY articles_search_filter` + joins + `
					WHERE ` + table + ` MATCH ` + arg(match) + ` AND a.id = s.rowid` + also + where + `
					ORDER BY s.rowid DESC LIMIT ` + window
			}
			must, not := fts5Clauses(q)
			// The head's matches (title, standfirst and tags), however
			// old, ranked by the head alone: its own, smaller index. A
			// word excluded is looked for in the whole text.
			var notInBody string
			if len(not) > 0 {
				notInBody = ` AND s.rowid NOT IN (SELECT rowid FROM article_search WHERE article_search MATCH ` + arg(strings.Join(not, " OR ")) + `)`
			}
			parts := []string{
				`SELECT id, rank, 1 AS whole, 0 AS phrase, published FROM newest`,
				`SELECT id, rank, 0, 0, published FROM (` + part("article_search_head", must, headRank, notInBody) + `)`,
			}
			if words := q.PhraseWords(); len(words) > 1 && !plain {
				// Which of the newest hold the words as a phrase: only
				// those are read for it (not ranked again: BM25 would
				// count every article holding the phrase first).
				parts = append(parts, `SELECT id, NULL, 0, 1, published FROM (`+part("article_search",
					match+` AND "`+strings.Join(words, " ")+`"`, `NULL`, ` AND s.rowid >= (SELECT min(id) FROM newest)`)+`)`)
			}
			// An article's rank is its whole-text BM25 where the article
			// is among the newest, else its head's.
			return `WITH newest AS MATERIALIZED (` + part("article_search", match, rank, "") + `)
				SELECT id,
				COALESCE(max(CASE WHEN whole = 1 THEN rank END), max(rank), 0) AS rank,
				max(whole) AS whole, max(phrase) AS phrase, max(published) AS published
				FROM (` + strings.Join(parts, ` UNION ALL `) + `) GROUP BY id`
		},
		Age: func(published, now string) string {
			return `max(0, julianday(` + now + `) - julianday(` + published + `))`
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
	must, not := fts5Clauses(q)
	out := must
	for _, n := range not {
		out += " NOT " + n
	}
	return out
}

// fts5Clauses writes q's clauses in FTS5's query language: those an
// article must match, joined by AND, and those it must not, each alone.
func fts5Clauses(q search.Query) (must string, not []string) {
	var all []string
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
			all = append(all, expr)
		}
	}
	return strings.Join(all, " AND "), not
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
		// The head's index is small: it is built in one go.
		if _, err := tx.Exec(ctx, `INSERT INTO article_search_head (article_search_head) VALUES ('rebuild')`); err != nil {
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
