package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

const sectionColumns = `se.id, se.slug, se.name, se.description, se.position`

func scanSection(row Row, se *article.Section, extra ...any) error {
	return row.Scan(append([]any{&se.ID, &se.Slug, &se.Name, &se.Description, &se.Position}, extra...)...)
}

// Sections lists every section in order; see store.SectionStore.
func (s *Store) Sections(ctx context.Context) (_ []article.Section, err error) {
	defer s.wrap(&err, "Sections")
	var ss []article.Section
	return ss, each(ctx, s.db.Reader(), `
		SELECT `+sectionColumns+`, (SELECT COUNT(*) FROM articles a WHERE a.section_id = se.id)
		FROM sections se
		ORDER BY se.position, se.id`, nil, func(row Row) error {
		var se article.Section
		err := scanSection(row, &se, &se.Articles)
		ss = append(ss, se)
		return err
	})
}

// Section returns a section by slug; see store.SectionStore.
func (s *Store) Section(ctx context.Context, slug string) (_ *article.Section, err error) {
	defer s.wrap(&err, "Section(%q)", slug)
	se := &article.Section{}
	err = scanSection(s.db.Reader().QueryRow(ctx, `
		SELECT `+sectionColumns+`, (SELECT COUNT(*) FROM articles a WHERE a.section_id = se.id)
		FROM sections se
		WHERE se.slug = $1`, slug), se, &se.Articles)
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return se, err
}

// CreateSection stores a new section; see store.SectionStore.
func (s *Store) CreateSection(ctx context.Context, se *article.Section) (err error) {
	defer s.wrap(&err, "CreateSection(%q)", se.Slug)
	err = s.db.Transact(ctx, func(tx Conn) error {
		if err := s.slugFree(ctx, tx, se.Slug); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO sections (id, slug, name, description, position)
			VALUES (`+s.db.NewID("sections")+`, $1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM sections))
			RETURNING id, position`, se.Slug, se.Name, se.Description).Scan(&se.ID, &se.Position)
	})
	return s.sectionConflict(err, se.Slug)
}

// slugFree refuses, in transaction tx, a section slug that an article
// has: the article's address would be the section's front page. The
// article's row is locked, so that it cannot take the slug meanwhile.
func (s *Store) slugFree(ctx context.Context, tx Conn, slug string) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM articles WHERE slug = $1`+s.db.ForKeyShare(), slug).Scan(&id)
	if noRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: an article has the slug %q, at %s", store.ErrConflict, slug, urls.Article(slug))
}

func (s *Store) sectionConflict(err error, slug string) error {
	if name, kind := s.db.Constraint(err); kind == UniqueViolation && name == "sections_slug_key" {
		return fmt.Errorf("%w: another section has the slug %q", store.ErrConflict, slug)
	}
	return err
}

// UpdateSection replaces a section's name, slug and description; see
// store.SectionStore.
func (s *Store) UpdateSection(ctx context.Context, se *article.Section) (err error) {
	defer s.wrap(&err, "UpdateSection(%d)", se.ID)
	err = s.db.Transact(ctx, func(tx Conn) error {
		var old string
		err := tx.QueryRow(ctx, `SELECT slug FROM sections WHERE id = $1`+s.db.ForUpdate(), se.ID).Scan(&old)
		if noRows(err) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if old != se.Slug {
			if err := s.slugFree(ctx, tx, se.Slug); err != nil {
				return err
			}
		}
		err = tx.QueryRow(ctx, `
			UPDATE sections SET slug = $1, name = $2, description = $3
			WHERE id = $4
			RETURNING position`, se.Slug, se.Name, se.Description, se.ID).Scan(&se.Position)
		if err != nil || old == se.Slug {
			return err
		}
		return s.RedirectRenamed(ctx, tx, old, se.Slug, s.nowUTC())
	})
	return s.sectionConflict(err, se.Slug)
}

// OrderSections puts the sections in a new order; see store.SectionStore.
func (s *Store) OrderSections(ctx context.Context, ids []int64) (err error) {
	defer s.wrap(&err, "OrderSections(%v)", ids)
	return s.db.Transact(ctx, func(tx Conn) error {
		var stored []int64
		err := each(ctx, tx, `SELECT id FROM sections ORDER BY id`+s.db.ForUpdate(), nil, func(row Row) error {
			var id int64
			err := row.Scan(&id)
			stored = append(stored, id)
			return err
		})
		if err != nil {
			return err
		}
		sorted := slices.Sorted(slices.Values(ids))
		if !slices.Equal(sorted, stored) {
			return fmt.Errorf("%w: the new order names sections %v, but the sections are %v", store.ErrConflict, sorted, stored)
		}
		_, err = tx.Exec(ctx, `
			UPDATE sections SET position = v.n
			FROM `+s.db.Pairs("$1", "$2")+`
			WHERE sections.id = v.id`, s.db.Int64s(ids), s.db.Int64s(positions(len(ids))))
		return err
	})
}

// positions returns 1..n.
func positions(n int) []int64 {
	ps := make([]int64, n)
	for i := range ps {
		ps[i] = int64(i + 1)
	}
	return ps
}

// DeleteSection deletes a section, moving its articles or refusing; see
// store.SectionStore.
func (s *Store) DeleteSection(ctx context.Context, slug, moveTo string) (err error) {
	defer s.wrap(&err, "DeleteSection(%q)", slug)
	return s.db.Transact(ctx, func(tx Conn) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM sections WHERE slug = $1`+s.db.ForUpdate(), slug).Scan(&id)
		if noRows(err) {
			return fmt.Errorf("section %q: %w", slug, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if moveTo != "" {
			var to int64
			err := tx.QueryRow(ctx, `SELECT id FROM sections WHERE slug = $1`+s.db.ForKeyShare(), moveTo).Scan(&to)
			if noRows(err) {
				return fmt.Errorf("section %q, to move the articles to: %w", moveTo, store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if to == id {
				return fmt.Errorf("%w: the articles of section %q cannot move to the section itself", store.ErrConflict, slug)
			}
			// Revisions keep the old section's ID, which restoring them
			// finds gone; the articles' content does not change.
			if _, err := tx.Exec(ctx, `UPDATE articles SET section_id = $1 WHERE section_id = $2`, to, id); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM articles WHERE section_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		switch {
		case n == 1:
			return fmt.Errorf("%w: section %q has 1 article; move it to another section first", store.ErrConflict, slug)
		case n > 1:
			return fmt.Errorf("%w: section %q has %d articles; move them to another section first", store.ErrConflict, slug, n)
		}
		_, err = tx.Exec(ctx, `DELETE FROM sections WHERE id = $1`, id)
		return err
	})
}
