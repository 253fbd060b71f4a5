package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store/sqlstore"
)

// Search finds articles through their tsvector (migrations 0021 and
// 0024), ranked by ts_rank_cd with the weights D 0.1, C 0.2, B 0.4, A 1.0
// (body, standfirst and tags, title).
func (db *DB) Search(q search.Query, plain bool, arg func(any) string) sqlstore.SearchSQL {
	tsq := tsQuery(q, arg)
	rank := `ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', v, q)`
	if plain {
		rank = `ts_rank('{1.0, 1.0, 1.0, 1.0}', v, q)`
	}
	var phrase string
	if words := q.PhraseWords(); len(words) > 1 && !plain {
		phrase = arg(strings.Join(words, " "))
	}
	return sqlstore.SearchSQL{
		Found: func(joins, where, window string) string {
			// Each part is the newest matches of one vector, found by its
			// GIN index and kept to the window by a top-N sort; only
			// those are ranked, as ranking reads each whole vector.
			part := func(n int, vector, also string) string {
				isPhrase := `0`
				if phrase != "" {
					isPhrase = `CASE WHEN v @@ phraseto_tsquery('english', ` + phrase + `::text) THEN 1 ELSE 0 END`
				}
				return `SELECT id, ` + rank + ` AS rank, ` + strconv.Itoa(n) + ` AS part, ` + isPhrase + ` AS phrase, published
					FROM (SELECT a.id, a.` + vector + ` AS v, query.q, COALESCE(a.published_at, a.created_at) AS published
						FROM articles a` + joins + ` CROSS JOIN (SELECT ` + tsq + ` AS q) query
						WHERE a.` + vector + ` @@ query.q` + also + where + `
						ORDER BY a.id DESC LIMIT ` + window + `) part` + strconv.Itoa(n)
			}
			// The head's matches, however old, ranked by the head alone;
			// a word the reader excluded is looked for in the whole text.
			var also string
			if q.Negated() {
				also = ` AND a.search @@ query.q`
			}
			return `SELECT id,
				COALESCE(max(CASE WHEN part = 0 THEN rank END), max(rank)) AS rank,
				max(CASE WHEN part = 0 THEN 1 ELSE 0 END) AS whole, max(phrase) AS phrase, max(published) AS published
				FROM (` + part(0, "search", "") + ` UNION ALL ` + part(1, "search_head", also) + `) parts GROUP BY id`
		},
		Age: func(published, now string) string {
			return `GREATEST(0, EXTRACT(EPOCH FROM (` + now + `::timestamptz - ` + published + `)) / 86400)`
		},
	}
}

// Snippets is the best fragment of each body; see sqlstore.Dialect.
func (db *DB) Snippets(q search.Query, ids string, arg func(any) string) string {
	return `SELECT a.id, ts_headline('english', a.body, query.q,
			'StartSel=` + search.SnippetStart + `, StopSel=` + search.SnippetEnd + `, MaxWords=35, MinWords=15, MaxFragments=1')
		FROM articles a CROSS JOIN (SELECT ` + tsQuery(q, arg) + ` AS q) query
		WHERE ` + db.In("a.id", ids)
}

// tsQuery writes q as a tsquery expression. Each word goes in as a
// parameter to plainto_tsquery or phraseto_tsquery, which read it as
// text; a prefix, which only to_tsquery takes, is a word of letters,
// digits and marks (Parse leaves nothing else) followed by ":*".
func tsQuery(q search.Query, arg func(any) string) string {
	term := func(t search.Term) string {
		switch {
		case t.Prefix:
			return `to_tsquery('english', ` + arg(t.Words[0]+":*") + `::text)`
		case len(t.Words) > 1:
			return `phraseto_tsquery('english', ` + arg(strings.Join(t.Words, " ")) + `::text)`
		}
		return `plainto_tsquery('english', ` + arg(t.Words[0]) + `::text)`
	}
	var parts []string
	for _, c := range q.Clauses {
		var alts []string
		for _, t := range c.Any {
			alts = append(alts, term(t))
		}
		expr := "(" + strings.Join(alts, " || ") + ")"
		if c.Negated {
			expr = "!!" + expr
		}
		parts = append(parts, expr)
	}
	return strings.Join(parts, " && ")
}

// ReindexSearch rebuilds the search index from the articles; see
// store.Searcher. The tag names and the tsvector are written again, a
// batch at a time to tell progress (migration 0023's trigger makes the
// vector of a row whose search is set), and the GIN index is built again.
func (db *DB) ReindexSearch(ctx context.Context, progress func(done, total int)) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("postgres: ReindexSearch: %w", err)
		}
	}()
	return db.Transact(ctx, func(tx sqlstore.Conn) error {
		var total int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&total); err != nil {
			return err
		}
		done, last := 0, int64(0)
		for {
			var batch []int64
			rows, err := tx.Query(ctx, `SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT 1000`, last)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			last = batch[len(batch)-1]
			// Setting search makes the trigger of migration 0023 make
			// the row's tsvector again.
			if _, err := tx.Exec(ctx, `UPDATE articles SET search_tags = article_tag_names(id), search = ''::tsvector
				WHERE id >= $1 AND id <= $2`, batch[0], last); err != nil {
				return err
			}
			done += len(batch)
			if progress != nil {
				progress(done, total)
			}
		}
		for _, index := range []string{"articles_search", "articles_search_head"} {
			if _, err := tx.Exec(ctx, `REINDEX INDEX `+index); err != nil {
				return err
			}
		}
		// Every row was written again: the planner's statistics are
		// made again too, or it guesses how many articles a word is in
		// (a search of 10,000 articles took 112 ms instead of 30).
		_, err := tx.Exec(ctx, `ANALYZE articles`)
		return err
	})
}

// SearchWordsQuery lists the index's words between $1 and $2, at most
// $3, the most used first where the index counts them; see
// sqlstore.Dialect.
func (db *DB) SearchWordsQuery() string {
	return `
		SELECT word FROM search_words
		WHERE word >= $1 AND word < $2
		LIMIT $3`
}
