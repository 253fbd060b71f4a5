package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
)

const mediaColumns = `m.id, m.hash, m.format, m.width, m.height, m.size, m.filename,
	m.alt, m.caption, m.credit, m.variants, m.state, m.error, m.attempts, m.created_at`

func scanMedia(row Row, it *media.Item) error {
	var variants string
	err := row.Scan(&it.ID, &it.Hash, &it.Format, &it.Width, &it.Height, &it.Size, &it.Filename,
		&it.Alt, &it.Caption, &it.Credit, &variants, &it.State, &it.Error, &it.Attempts, Time(&it.CreatedAt))
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(variants), &it.Variants); err != nil {
		return fmt.Errorf("media %d variants: %w", it.ID, err)
	}
	return nil
}

// AddMedia stores a new item, or finds the one with its bytes; see
// store.MediaStore.
func (s *Store) AddMedia(ctx context.Context, it *media.Item) (created bool, err error) {
	defer s.wrap(&err, "AddMedia(%s)", it.Hash)
	if err := it.Info.Validate(); err != nil {
		return false, err
	}
	variants, err := json.Marshal(it.Variants)
	if err != nil {
		return false, err
	}
	if it.State == "" {
		it.State = media.Pending
	}
	now := s.nowUTC()
	err = s.db.Transact(ctx, func(tx Conn) error {
		// A racing upload of the same bytes waits for this transaction,
		// then inserts nothing and reads the item this one stored.
		err := tx.QueryRow(ctx, `
			INSERT INTO media (id, hash, format, width, height, size, filename, alt, caption, credit,
				search_key, variants, state, error, attempts, created_at)
			VALUES (`+s.db.NewID("media")+`, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (hash) DO NOTHING
			RETURNING id`,
			it.Hash, it.Format, it.Width, it.Height, it.Size, it.Filename, it.Alt, it.Caption, it.Credit,
			it.SearchKey(), string(variants), it.State, it.Error, it.Attempts, s.db.Time(now)).Scan(&it.ID)
		if err == nil {
			created = true
			it.CreatedAt = now
			return nil
		}
		if !noRows(err) {
			return err
		}
		return scanMedia(tx.QueryRow(ctx, `SELECT `+mediaColumns+` FROM media m WHERE m.hash = $1`, it.Hash), it)
	})
	return created, err
}

func (s *Store) mediaWhere(ctx context.Context, cond string, arg any) (*media.Item, error) {
	it := &media.Item{}
	err := scanMedia(s.db.Reader().QueryRow(ctx, `SELECT `+mediaColumns+` FROM media m WHERE `+cond, arg), it)
	if noRows(err) {
		return nil, store.ErrNotFound
	}
	return it, err
}

// MediaItem returns an item by ID; see store.MediaStore.
func (s *Store) MediaItem(ctx context.Context, id int64) (_ *media.Item, err error) {
	defer s.wrap(&err, "MediaItem(%d)", id)
	return s.mediaWhere(ctx, `m.id = $1`, id)
}

// MediaByHash returns an item by its hash; see store.MediaStore.
func (s *Store) MediaByHash(ctx context.Context, hash string) (_ *media.Item, err error) {
	defer s.wrap(&err, "MediaByHash(%s)", hash)
	return s.mediaWhere(ctx, `m.hash = $1`, hash)
}

func (s *Store) mediaFilter(q store.MediaQuery) *filter {
	f := &filter{}
	if q.Text != "" {
		f.conditions = append(f.conditions, `m.search_key LIKE `+f.arg("%"+escapeLike(media.FoldSearch(q.Text))+"%")+` ESCAPE '\'`)
	}
	if q.State != "" {
		f.conditions = append(f.conditions, `m.state = `+f.arg(q.State))
	}
	if len(q.IDs) > 0 {
		f.conditions = append(f.conditions, s.db.In("m.id", f.arg(s.db.Int64s(q.IDs))))
	}
	return f
}

// MediaItems lists items, newest first; see store.MediaStore.
func (s *Store) MediaItems(ctx context.Context, q store.MediaQuery) (_ []*media.Item, err error) {
	defer s.wrap(&err, "MediaItems(%+v)", q)
	f := s.mediaFilter(q)
	query := `SELECT ` + mediaColumns + ` FROM media m` + f.where() + ` ORDER BY m.created_at DESC, m.id DESC` + f.page(q.Limit, q.Offset)
	return list(ctx, s.db.Reader(), query, f.args, func(row Row, it **media.Item) error {
		*it = &media.Item{}
		return scanMedia(row, *it)
	})
}

// CountMedia counts the items matching q; see store.MediaStore.
func (s *Store) CountMedia(ctx context.Context, q store.MediaQuery) (n int, err error) {
	defer s.wrap(&err, "CountMedia(%+v)", q)
	f := s.mediaFilter(q)
	err = s.db.Reader().QueryRow(ctx, `SELECT COUNT(*) FROM media m`+f.where(), f.args...).Scan(&n)
	return n, err
}

// UpdateMediaInfo replaces an item's alt text, caption and credit; see
// store.MediaStore.
func (s *Store) UpdateMediaInfo(ctx context.Context, id int64, info media.Info) (err error) {
	defer s.wrap(&err, "UpdateMediaInfo(%d)", id)
	if err := info.Validate(); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx Conn) error {
		it := &media.Item{}
		err := scanMedia(tx.QueryRow(ctx, `SELECT `+mediaColumns+` FROM media m WHERE m.id = $1`+s.db.ForUpdate(), id), it)
		if noRows(err) {
			return store.ErrNotFound
		} else if err != nil {
			return err
		}
		it.Info = info
		return oneRow(tx.Exec(ctx, `UPDATE media SET alt = $1, caption = $2, credit = $3, search_key = $4 WHERE id = $5`,
			info.Alt, info.Caption, info.Credit, it.SearchKey(), id))
	})
}

// SetMediaVariants records an attempt at making an item's variants; see
// store.MediaStore.
func (s *Store) SetMediaVariants(ctx context.Context, id int64, vs []media.Variant, state media.State, reason string) (err error) {
	defer s.wrap(&err, "SetMediaVariants(%d, %s)", id, state)
	if vs == nil {
		vs = []media.Variant{}
	}
	variants, err := json.Marshal(vs)
	if err != nil {
		return err
	}
	return oneRow(s.db.Writer().Exec(ctx, `
		UPDATE media SET variants = $1, state = $2, error = $3, attempts = attempts + 1
		WHERE id = $4`, string(variants), state, reason, id))
}

// MediaUsers lists the articles that use an item; see store.MediaStore.
func (s *Store) MediaUsers(ctx context.Context, id int64) (_ []string, err error) {
	defer s.wrap(&err, "MediaUsers(%d)", id)
	return mediaUsers(ctx, s.db.Reader(), id)
}

func mediaUsers(ctx context.Context, c Conn, id int64) ([]string, error) {
	return list(ctx, c, `
		SELECT slug FROM articles
		WHERE featured_media_id = $1 OR id IN (SELECT article_id FROM article_media WHERE media_id = $1)
		UNION ALL
		SELECT 'author/' || slug FROM authors WHERE photo_media_id = $1
		ORDER BY 1`, []any{id}, func(row Row, slug *string) error { return row.Scan(slug) })
}

// DeleteMedia deletes an item no article uses; see store.MediaStore.
func (s *Store) DeleteMedia(ctx context.Context, id int64) (err error) {
	defer s.wrap(&err, "DeleteMedia(%d)", id)
	err = s.db.Transact(ctx, func(tx Conn) error {
		users, err := mediaUsers(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return inUse(id, users)
		}
		return oneRow(tx.Exec(ctx, `DELETE FROM media WHERE id = $1`, id))
	})
	if _, kind := s.db.Constraint(err); kind == ForeignKeyViolation {
		// An article took the image between the check and the delete.
		users, _ := mediaUsers(ctx, s.db.Reader(), id)
		return inUse(id, users)
	}
	return err
}

func inUse(id int64, slugs []string) error {
	return fmt.Errorf("%w: image %d is used by %s; take it out of them first",
		store.ErrConflict, id, strings.Join(slugs, ", "))
}
