package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/store"
)

const entityColumns = `e.id, e.slug, e.kind, e.name, e.initials, e.country, e.description, e.banned, e.edited, e.created_at, e.updated_at`

func scanEntity(row Row, e *entity.Entity, extra ...any) error {
	return row.Scan(append([]any{&e.ID, &e.Slug, &e.Kind, &e.Name, &e.Initials, &e.Country, &e.Description,
		&e.Banned, &e.Edited, Time(&e.CreatedAt), Time(&e.UpdatedAt)}, extra...)...)
}

// EntityIDs returns the entities holding the alias keys; see
// store.EntityStore.
func (s *Store) EntityIDs(ctx context.Context, keys []string) (_ map[string]int64, err error) {
	defer s.wrap(&err, "EntityIDs(%d keys)", len(keys))
	ids := make(map[string]int64, len(keys))
	if len(keys) == 0 {
		return ids, nil
	}
	return ids, each(ctx, s.db.Reader(), `SELECT key, entity_id FROM entity_names WHERE `+s.db.In("key", "$1"),
		[]any{s.db.Strings(keys)}, func(row Row) error {
			var key string
			var id int64
			err := row.Scan(&key, &id)
			ids[key] = id
			return err
		})
}

// CreateEntity stores a new entity and its first alias; see
// store.EntityStore.
func (s *Store) CreateEntity(ctx context.Context, e *entity.Entity, alias entity.Alias) (err error) {
	defer s.wrap(&err, "CreateEntity(%q)", e.Slug)
	return s.createEntities(ctx, []*entity.Entity{e}, []entity.Alias{alias})
}

// CreateEntities stores new entities with their aliases; see
// store.EntityStore.
func (s *Store) CreateEntities(ctx context.Context, es []*entity.Entity, aliases []entity.Alias) (err error) {
	defer s.wrap(&err, "CreateEntities(%d)", len(es))
	if len(es) != len(aliases) {
		return fmt.Errorf("%d entities with %d aliases", len(es), len(aliases))
	}
	return s.createEntities(ctx, es, aliases)
}

func (s *Store) createEntities(ctx context.Context, es []*entity.Entity, aliases []entity.Alias) error {
	now := s.nowUTC()
	err := s.db.Transact(ctx, func(tx Conn) error {
		stmts := make([]Statement, 0, 2*len(es))
		for i, e := range es {
			// Each alias names the ID its entity was just given.
			stmts = append(stmts, Statement{SQL: s.insertEntitySQL(), Args: []any{e.Slug, e.Kind, e.Name, e.Initials, e.Country, e.Description, e.Banned, e.Edited, s.db.Time(now)},
				Row: func(row Row) error { return row.Scan(&e.ID) }},
				Statement{SQL: insertAliasSQL, Args: []any{aliases[i].Key, aliases[i].Name, e.Slug}})
		}
		return tx.Pipeline(ctx, stmts)
	})
	if name, kind := s.db.Constraint(err); kind == UniqueViolation {
		if strings.Contains(name, "slug") {
			return fmt.Errorf("%w: the slug of one of the entities is taken", store.ErrConflict)
		}
		return fmt.Errorf("%w: one of the entities' names is another's", store.ErrConflict)
	}
	if err == nil {
		for _, e := range es {
			e.CreatedAt, e.UpdatedAt = now, now
		}
	}
	return err
}

// insertEntitySQL stores a new entity and returns its ID; insertAliasSQL
// gives the entity of a slug an alias. Both are among the statements
// prepared at once (HotWrites): a rebuild runs them for every new entity.
func (s *Store) insertEntitySQL() string {
	return `
		INSERT INTO entities (id, slug, kind, name, initials, country, description, banned, edited, created_at, updated_at)
		VALUES (` + s.db.NewID("entities") + `, $1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
		RETURNING id`
}

const insertAliasSQL = `INSERT INTO entity_names (key, entity_id, name) SELECT $1, id, $2 FROM entities WHERE slug = $3`

// The statements that write an article's links and stories one by one.
const (
	updateLinkSQL = `UPDATE article_entities SET salience = $3, mentions = $4 WHERE article_id = $1 AND entity_id = $2`
	deleteLinkSQL = `DELETE FROM article_entities WHERE article_id = $1 AND entity_id = $2`
	setStorySQL   = `
		INSERT INTO article_stories (article_id, story_id, fixed) VALUES ($1, $2, $3)
		ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, fixed = excluded.fixed
		WHERE article_stories.story_id <> excluded.story_id OR article_stories.fixed <> excluded.fixed`
)

// UpdateEntity stores what editors change of an entity; see
// store.EntityStore.
func (s *Store) UpdateEntity(ctx context.Context, e *entity.Entity) (err error) {
	defer s.wrap(&err, "UpdateEntity(%d)", e.ID)
	now := s.nowUTC()
	err = oneRow(s.db.Writer().Exec(ctx, `
		UPDATE entities
		SET name = $2, initials = $3, description = $4, banned = $5, edited = $6, updated_at = $7
		WHERE id = $1`, e.ID, e.Name, e.Initials, e.Description, e.Banned, e.Edited, s.db.Time(now)))
	if err == nil {
		e.UpdatedAt = now
	}
	return err
}

// Entity returns the entity of a slug; see store.EntityStore.
func (s *Store) Entity(ctx context.Context, slug string) (_ *entity.Entity, err error) {
	defer s.wrap(&err, "Entity(%q)", slug)
	e := &entity.Entity{}
	err = scanEntity(s.db.Reader().QueryRow(ctx, `
		SELECT `+entityColumns+`, (SELECT COUNT(*) FROM article_entities ae WHERE ae.entity_id = e.id)
		FROM entities e
		WHERE e.slug = $1`, slug), e, &e.Articles)
	if noRows(err) {
		return nil, fmt.Errorf("%w: no entity has the slug %q", store.ErrNotFound, slug)
	}
	return e, err
}

// Entities lists entities, most named first; see store.EntityStore.
func (s *Store) Entities(ctx context.Context, q store.EntityQuery) (_ []entity.Entity, err error) {
	defer s.wrap(&err, "Entities(%+v)", q)
	f := &filter{}
	// The articles an entity's count reads: every one, or for readers the
	// public ones, read by ID through the index that holds their status
	// and time (on SQLite the row holds them after the body).
	counted := !q.Uncounted || q.MinArticles > 0
	links, public := `article_entities ae`, ``
	if counted && !q.PublicAt.IsZero() {
		links = `article_entities ae JOIN ` + s.db.ArticlesByID() + ` ON a.id = ae.article_id`
		public = `a.status IN ('published', 'scheduled') AND a.published_at <= ` + f.arg(s.db.Time(q.PublicAt))
	}
	// A few entities are counted from their links, each link's article
	// looked up by ID: as a join, PostgreSQL without statistics (a table
	// never analysed) read every public article for each entity.
	linked, grouped := `ae.entity_id = e.id`, ``
	if public != "" {
		linked += ` AND (SELECT a.id FROM ` + s.db.ArticlesByID() + ` WHERE a.id = ae.article_id AND ` + public + `) IS NOT NULL`
		grouped = ` WHERE ` + public
	}
	if !q.PublicAt.IsZero() {
		f.conditions = append(f.conditions, `NOT e.banned`)
	}
	if q.Kind != "" {
		f.conditions = append(f.conditions, `e.kind = `+f.arg(q.Kind))
	}
	if len(q.Slugs) > 0 {
		f.conditions = append(f.conditions, s.db.In("e.slug", f.arg(s.db.Strings(q.Slugs))))
	}
	if len(q.IDs) > 0 {
		f.conditions = append(f.conditions, s.db.In("e.id", f.arg(s.db.Int64s(q.IDs))))
	}
	if q.Initials != "" {
		f.conditions = append(f.conditions, `e.initials = `+f.arg(q.Initials))
	}
	if q.Name != "" {
		p := f.arg("%" + escapeLike(strings.ToLower(q.Name)) + "%")
		f.conditions = append(f.conditions, `(LOWER(e.name) LIKE `+p+` ESCAPE '\' OR e.id IN (SELECT n.entity_id FROM entity_names n WHERE LOWER(n.name) LIKE `+p+` ESCAPE '\'))`)
	}
	// A few entities are counted one by one; a list of many counts every
	// link once, grouped: counting for each entity in turn read the links
	// of the common ones again and again (100,000 articles on PostgreSQL:
	// minutes, against half a second grouped).
	few := len(q.Slugs) > 0 || len(q.IDs) > 0 || q.Initials != ""
	having := ""
	var from string
	switch {
	case q.Uncounted:
		if q.MinArticles > 0 {
			// Whether an entity reaches the minimum reads that many of
			// its public links, not every link of a common entity. For
			// every entity of a site (the sitemap, the export) this reads
			// at most all links, as grouping them would, and usually a
			// handful each: 206,025 links of 48 entities took 0.65 s
			// grouped on SQLite, and some milliseconds so.
			enough := f.arg(q.MinArticles)
			f.conditions = append(f.conditions, `(SELECT COUNT(*) FROM (SELECT 1 FROM article_entities ae WHERE `+linked+` LIMIT `+enough+`) l) >= `+enough)
		}
		from = `(SELECT ` + entityColumns + `, 0 AS n FROM entities e` + f.where() + `)`
	case few:
		from = `(SELECT ` + entityColumns + `, (SELECT COUNT(*) FROM article_entities ae WHERE ` + linked + `) AS n FROM entities e` + f.where() + `)`
	default:
		from = `(SELECT ` + entityColumns + `, COALESCE(c.n, 0) AS n FROM entities e
			LEFT JOIN (SELECT ae.entity_id, COUNT(*) AS n FROM ` + links + grouped + ` GROUP BY ae.entity_id) c ON c.entity_id = e.id` + f.where() + `)`
	}
	if q.MinArticles > 0 && !q.Uncounted {
		having = ` WHERE n >= ` + f.arg(q.MinArticles)
	}
	query := `SELECT * FROM ` + from + ` e` + having + `
		ORDER BY n DESC, name, id` + f.page(q.Limit, q.Offset)
	return list(ctx, s.db.Reader(), query, f.args, func(row Row, e *entity.Entity) error {
		return row.Scan(&e.ID, &e.Slug, &e.Kind, &e.Name, &e.Initials, &e.Country, &e.Description,
			&e.Banned, &e.Edited, Time(&e.CreatedAt), Time(&e.UpdatedAt), &e.Articles)
	})
}

// Aliases lists an entity's aliases, or every one; see
// store.EntityStore.
func (s *Store) Aliases(ctx context.Context, entityID int64) (_ []entity.Alias, err error) {
	defer s.wrap(&err, "Aliases(%d)", entityID)
	return list(ctx, s.db.Reader(), `SELECT key, name, entity_id FROM entity_names WHERE entity_id = $1 OR $1 = 0 ORDER BY key`,
		[]any{entityID}, func(row Row, a *entity.Alias) error { return row.Scan(&a.Key, &a.Name, &a.EntityID) })
}

// SplitEntity gives an alias a new entity of its own; see
// store.EntityStore.
func (s *Store) SplitEntity(ctx context.Context, key string, e *entity.Entity) (err error) {
	defer s.wrap(&err, "SplitEntity(%q, %q)", key, e.Slug)
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error {
		var owner int64
		err := tx.QueryRow(ctx, `SELECT entity_id FROM entity_names WHERE key = $1`+s.db.ForUpdate(), key).Scan(&owner)
		if noRows(err) {
			return fmt.Errorf("%w: no entity has the name %q", store.ErrNotFound, key)
		} else if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO entities (id, slug, kind, name, initials, country, description, banned, edited, created_at, updated_at)
			VALUES (`+s.db.NewID("entities")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
			RETURNING id`, e.Slug, e.Kind, e.Name, e.Initials, e.Country, e.Description, e.Banned, e.Edited, s.db.Time(now)).Scan(&e.ID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE entity_names SET entity_id = $2 WHERE key = $1`, key, e.ID)
		return err
	})
	if _, kind := s.db.Constraint(err); kind == UniqueViolation {
		return fmt.Errorf("%w: another entity has the slug %q", store.ErrConflict, e.Slug)
	}
	if err == nil {
		e.CreatedAt, e.UpdatedAt = now, now
	}
	return err
}

// MergeEntities moves one entity's aliases and links to another; see
// store.EntityStore.
func (s *Store) MergeEntities(ctx context.Context, from, into int64) (err error) {
	defer s.wrap(&err, "MergeEntities(%d, %d)", from, into)
	return s.db.Transact(ctx, func(tx Conn) error {
		for _, id := range []int64{from, into} {
			var found int64
			if err := tx.QueryRow(ctx, `SELECT id FROM entities WHERE id = $1`+s.db.ForUpdate(), id).Scan(&found); noRows(err) {
				return fmt.Errorf("%w: no entity %d", store.ErrNotFound, id)
			} else if err != nil {
				return err
			}
		}
		// An article naming both keeps the higher salience and every
		// mention: the mentions are concatenated as JSON lists.
		var both []struct {
			article  int64
			salience float64
			mentions string
		}
		err := each(ctx, tx, `
			SELECT f.article_id, `+s.db.Greatest("f.salience", "i.salience")+`, f.mentions, i.mentions
			FROM article_entities f
			JOIN article_entities i ON i.article_id = f.article_id AND i.entity_id = $2
			WHERE f.entity_id = $1`, []any{from, into}, func(row Row) error {
			var a int64
			var sal float64
			var fm, im string
			if err := row.Scan(&a, &sal, &fm, &im); err != nil {
				return err
			}
			ms, err := mergeMentions(fm, im)
			both = append(both, struct {
				article  int64
				salience float64
				mentions string
			}{a, sal, ms})
			return err
		})
		if err != nil {
			return err
		}
		for _, b := range both {
			if _, err := tx.Exec(ctx, `UPDATE article_entities SET salience = $3, mentions = $4 WHERE article_id = $1 AND entity_id = $2`,
				b.article, into, b.salience, b.mentions); err != nil {
				return err
			}
		}
		stmts := []string{
			`DELETE FROM article_entities WHERE entity_id = $1 AND article_id IN (SELECT article_id FROM article_entities WHERE entity_id = $2)`,
			`UPDATE article_entities SET entity_id = $2 WHERE entity_id = $1`,
			`UPDATE entity_names SET entity_id = $2 WHERE entity_id = $1`,
		}
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q, from, into); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM entities WHERE id = $1`, from)
		return err
	})
}

// mergeMentions joins two JSON lists of mentions.
func mergeMentions(a, b string) (string, error) {
	var x, y [][3]any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		return "", err
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		return "", err
	}
	out, err := json.Marshal(append(y, x...))
	return string(out), err
}

// encodeMentions writes mentions as a JSON list of [field, start, end].
func encodeMentions(ms []entity.Mention) string {
	out := make([][3]any, len(ms))
	for i, m := range ms {
		out[i] = [3]any{m.Field, m.Start, m.End}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeMentions(s string) ([]entity.Mention, error) {
	var lists [][3]any
	if err := json.Unmarshal([]byte(s), &lists); err != nil {
		return nil, fmt.Errorf("mentions %.40q: %w", s, err)
	}
	ms := make([]entity.Mention, 0, len(lists))
	for _, l := range lists {
		field, _ := l[0].(string)
		start, ok1 := l[1].(float64)
		end, ok2 := l[2].(float64)
		if field == "" || !ok1 || !ok2 {
			return nil, fmt.Errorf("mentions %.40q: not [field, start, end]", s)
		}
		ms = append(ms, entity.Mention{Field: entity.Field(field), Start: int(start), End: int(end)})
	}
	return ms, nil
}

// SetArticleEntities replaces the links of the articles of a batch; see
// store.EntityStore. Links that stay as they were are not written again,
// so that the journal names only what changed.
func (s *Store) SetArticleEntities(ctx context.Context, batch []store.ArticleLinks) (err error) {
	defer s.wrap(&err, "SetArticleEntities(%d articles)", len(batch))
	if len(batch) == 0 {
		return nil
	}
	ids := make([]int64, len(batch))
	for i, b := range batch {
		ids[i] = b.ArticleID
	}
	return s.db.Transact(ctx, func(tx Conn) error {
		type stored struct {
			salience float64
			mentions string
		}
		have := map[[2]int64]stored{}
		err := each(ctx, tx, `SELECT article_id, entity_id, salience, mentions FROM article_entities WHERE `+s.db.In("article_id", "$1"),
			[]any{s.db.Int64s(ids)}, func(row Row) error {
				var k [2]int64
				var st stored
				err := row.Scan(&k[0], &k[1], &st.salience, &st.mentions)
				have[k] = st
				return err
			})
		if err != nil {
			return err
		}
		var stmts []Statement
		// New links go in many to a statement: a rebuild writes hundreds
		// of thousands, and SQLite parses each statement anew.
		var values []string
		var args []any
		insert := func() {
			if len(values) > 0 {
				stmts = append(stmts, Statement{SQL: `INSERT INTO article_entities (article_id, entity_id, salience, mentions) VALUES ` + strings.Join(values, ", "), Args: args})
				values, args = nil, nil
			}
		}
		for _, b := range batch {
			for _, l := range b.Links {
				k := [2]int64{b.ArticleID, l.EntityID}
				ms := encodeMentions(l.Mentions)
				old, ok := have[k]
				delete(have, k)
				switch {
				case !ok:
					n := len(args)
					values = append(values, fmt.Sprintf("($%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4))
					args = append(args, b.ArticleID, l.EntityID, l.Salience, ms)
					if len(values) == 250 {
						insert()
					}
				case old.salience != l.Salience || old.mentions != ms:
					stmts = append(stmts, Statement{SQL: updateLinkSQL, Args: []any{b.ArticleID, l.EntityID, l.Salience, ms}})
				}
			}
		}
		insert()
		for k := range have {
			stmts = append(stmts, Statement{SQL: deleteLinkSQL, Args: []any{k[0], k[1]}})
		}
		return tx.Pipeline(ctx, stmts)
	})
}

// ArticleEntities returns the articles' links with their entities; see
// store.EntityStore.
func (s *Store) ArticleEntities(ctx context.Context, articleIDs []int64) (_ map[int64][]entity.Link, err error) {
	defer s.wrap(&err, "ArticleEntities(%d articles)", len(articleIDs))
	return s.articleEntities(ctx, articleIDs, entityColumns+", ae.mentions", func(row Row, l *entity.Link, e *entity.Entity) error {
		var ms string
		if err := scanEntity(row, e, &ms, &l.ArticleID, &l.Salience); err != nil {
			return err
		}
		var err error
		l.Mentions, err = decodeMentions(ms)
		return err
	})
}

// NamedEntities returns the articles' links without their mentions, and
// of each entity what a page shows; see store.EntityStore.
func (s *Store) NamedEntities(ctx context.Context, articleIDs []int64) (_ map[int64][]entity.Link, err error) {
	defer s.wrap(&err, "NamedEntities(%d articles)", len(articleIDs))
	// Read for every article page, and an export reads them all: of each
	// entity only the columns the page shows (no times to parse).
	return s.articleEntities(ctx, articleIDs, "e.id, e.slug, e.kind, e.name, e.country", func(row Row, l *entity.Link, e *entity.Entity) error {
		return row.Scan(&e.ID, &e.Slug, &e.Kind, &e.Name, &e.Country, &l.ArticleID, &l.Salience)
	})
}

// articleEntities reads the articles' links, most salient first: each row
// has the columns given, then the article and the salience, for scan.
func (s *Store) articleEntities(ctx context.Context, articleIDs []int64, columns string, scan func(Row, *entity.Link, *entity.Entity) error) (map[int64][]entity.Link, error) {
	links := map[int64][]entity.Link{}
	if len(articleIDs) == 0 {
		return links, nil
	}
	return links, each(ctx, s.db.Reader(), `
		SELECT `+columns+`, ae.article_id, ae.salience
		FROM article_entities ae
		JOIN entities e ON e.id = ae.entity_id
		WHERE `+s.db.In("ae.article_id", "$1")+` AND NOT e.banned
		ORDER BY ae.article_id, ae.salience DESC, e.name`, []any{s.db.Int64s(articleIDs)}, func(row Row) error {
		var l entity.Link
		e := &entity.Entity{}
		if err := scan(row, &l, e); err != nil {
			return err
		}
		l.EntityID, l.Entity = e.ID, e
		links[l.ArticleID] = append(links[l.ArticleID], l)
		return nil
	})
}

// EntityArticles returns the articles naming each entity; see
// store.EntityStore.
func (s *Store) EntityArticles(ctx context.Context, entityIDs []int64) (_ map[int64][]int64, err error) {
	defer s.wrap(&err, "EntityArticles(%d entities)", len(entityIDs))
	out := map[int64][]int64{}
	if len(entityIDs) == 0 {
		return out, nil
	}
	// The index on (entity_id, article_id) holds both: no row is read.
	// Each entity's articles come as one list: row by row, the 206,025
	// links of the generated 10,000 articles took 0.3 s to scan.
	return out, each(ctx, s.db.Reader(), `
		SELECT entity_id, `+s.db.IDList("article_id")+` FROM article_entities
		WHERE `+s.db.In("entity_id", "$1")+`
		GROUP BY entity_id`, []any{s.db.Int64s(entityIDs)}, func(row Row) error {
		var e int64
		var list string
		if err := row.Scan(&e, &list); err != nil {
			return err
		}
		ids, err := parseIDList(list)
		// In the index's order as a rule, which no database promises
		// of an aggregate.
		slices.Sort(ids)
		out[e] = ids
		return err
	})
}

// parseIDList reads an IDList.
func parseIDList(list string) ([]int64, error) {
	ids := make([]int64, 0, strings.Count(list, ",")+1)
	for list != "" {
		id, rest, _ := strings.Cut(list, ",")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("a list of IDs holds %q", id)
		}
		ids = append(ids, n)
		list = rest
	}
	return ids, nil
}

// EntityLinks returns the links to entities of the articles published in
// a window; see store.EntityStore.
func (s *Store) EntityLinks(ctx context.Context, entityIDs []int64, from, to time.Time) (_ []entity.Link, err error) {
	defer s.wrap(&err, "EntityLinks(%d entities)", len(entityIDs))
	if len(entityIDs) == 0 {
		return nil, nil
	}
	// Read from the articles of the window (few) to their links, not
	// from the entities' links (a country's are most of the archive).
	return list(ctx, s.db.Reader(), `
		SELECT ae.article_id, ae.entity_id, ae.salience
		FROM articles a
		CROSS JOIN article_entities ae
		WHERE ae.article_id = a.id AND `+s.db.In("ae.entity_id", "$1")+`
			AND a.status IN ('published', 'scheduled') AND a.published_at >= $2 AND a.published_at <= $3
		ORDER BY ae.article_id, ae.entity_id`, []any{s.db.Int64s(entityIDs), s.db.Time(from), s.db.Time(to)},
		func(row Row, l *entity.Link) error { return row.Scan(&l.ArticleID, &l.EntityID, &l.Salience) })
}

// RelatedEntities lists the entities named beside one; see
// store.EntityStore.
func (s *Store) RelatedEntities(ctx context.Context, entityID int64, publicAt time.Time, recent, limit int) (_ []entity.Entity, err error) {
	defer s.wrap(&err, "RelatedEntities(%d)", entityID)
	// The articles' status and time are read through the index that
	// holds them (on SQLite the row holds them after the body).
	return list(ctx, s.db.Reader(), `
		SELECT `+entityColumns+`, COUNT(*) AS n
		FROM (SELECT mine.article_id FROM article_entities mine
			JOIN `+s.db.ArticlesByID()+` ON a.id = mine.article_id
			WHERE mine.entity_id = $1 AND a.status IN ('published', 'scheduled') AND a.published_at <= $2
			ORDER BY a.published_at DESC, a.id DESC
			LIMIT $3) recent
		JOIN article_entities ae ON ae.article_id = recent.article_id AND ae.entity_id <> $1
		JOIN entities e ON e.id = ae.entity_id
		WHERE NOT e.banned
		GROUP BY e.id
		ORDER BY n DESC, e.name
		LIMIT $4`, []any{entityID, s.db.Time(publicAt), recent, limit}, func(row Row, e *entity.Entity) error {
		return scanEntity(row, e, &e.Articles)
	})
}

// DeleteUnusedEntities deletes what no article names and no editor
// touched; see store.EntityStore.
func (s *Store) DeleteUnusedEntities(ctx context.Context) (_ int, err error) {
	defer s.wrap(&err, "DeleteUnusedEntities")
	n, err := s.db.Writer().Exec(ctx, `
		DELETE FROM entities
		WHERE NOT edited AND NOT EXISTS (SELECT 1 FROM article_entities ae WHERE ae.entity_id = entities.id)`)
	return int(n), err
}

// SetStories records the stories articles follow; see store.EntityStore.
func (s *Store) SetStories(ctx context.Context, stories []store.StoryMember) (err error) {
	defer s.wrap(&err, "SetStories(%d articles)", len(stories))
	stmts := make([]Statement, len(stories))
	for i, m := range stories {
		stmts[i] = Statement{SQL: setStorySQL, Args: []any{m.ArticleID, m.StoryID, m.Fixed}}
	}
	err = s.db.Transact(ctx, func(tx Conn) error { return tx.Pipeline(ctx, stmts) })
	if _, kind := s.db.Constraint(err); kind == ForeignKeyViolation {
		return fmt.Errorf("%w: an article of the stories is gone", store.ErrNotFound)
	}
	return err
}

// Stories returns the stories of articles; see store.EntityStore.
func (s *Store) Stories(ctx context.Context, articleIDs []int64) (_ map[int64]store.StoryMember, err error) {
	defer s.wrap(&err, "Stories(%d articles)", len(articleIDs))
	out := map[int64]store.StoryMember{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	// Whether another article follows the story is one look in the index
	// on story_id: every article page asks, and most articles are a
	// story of their own.
	return out, each(ctx, s.db.Reader(), `
		SELECT s.article_id, s.story_id, s.fixed,
			EXISTS (SELECT 1 FROM article_stories o WHERE o.story_id = s.story_id AND o.article_id <> s.article_id)
		FROM article_stories s WHERE `+s.db.In("s.article_id", "$1"),
		[]any{s.db.Int64s(articleIDs)}, func(row Row) error {
			var m store.StoryMember
			err := row.Scan(&m.ArticleID, &m.StoryID, &m.Fixed, &m.Shared)
			out[m.ArticleID] = m
			return err
		})
}

// MergeStories moves one story's articles into another; see
// store.EntityStore.
func (s *Store) MergeStories(ctx context.Context, from, into int64) (err error) {
	defer s.wrap(&err, "MergeStories(%d, %d)", from, into)
	n, err := s.db.Writer().Exec(ctx, `UPDATE article_stories SET story_id = $2, fixed = true WHERE story_id = $1 OR story_id = $2`, from, into)
	if err == nil && n == 0 {
		return fmt.Errorf("%w: no story %d or %d", store.ErrNotFound, from, into)
	}
	return err
}
