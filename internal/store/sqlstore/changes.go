package sqlstore

import (
	"context"
	"fmt"

	"github.com/datelinehq/dateline/internal/store"
)

// Changes reads the change journal after an ID; see store.Store.
func (s *Store) Changes(ctx context.Context, after int64, limit int) (_ []store.Change, err error) {
	defer s.wrap(&err, "Changes(%d)", after)
	changes, err := list(ctx, s.db.Reader(), `
		SELECT id, tbl, COALESCE(row_id, 0), listing FROM change_journal
		WHERE id > $1 ORDER BY id LIMIT $2`, []any{after, limit}, func(row Row, c *store.Change) error {
		return row.Scan(&c.ID, &c.Table, &c.Row, &c.Listing)
	})
	if err != nil {
		return nil, err
	}
	// Entries next to after that are not there were pruned, unless after
	// is past the oldest entry kept (PostgreSQL leaves gaps in IDs, for
	// writes rolled back, which are not missed entries).
	if len(changes) == 0 || changes[0].ID > after+1 {
		var oldest int64
		if err := s.db.Reader().QueryRow(ctx, `SELECT COALESCE(MIN(id), 0) FROM change_journal`).Scan(&oldest); err != nil {
			return nil, err
		}
		if oldest > after+1 {
			return nil, fmt.Errorf("%w: asked for those after %d, the oldest kept is %d", store.ErrChangesPruned, after, oldest)
		}
	}
	return changes, nil
}

// LastChange is the change journal's newest ID; see store.Store.
func (s *Store) LastChange(ctx context.Context) (id int64, err error) {
	defer s.wrap(&err, "LastChange")
	err = s.db.Reader().QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM change_journal`).Scan(&id)
	return id, err
}

// PruneChanges deletes all but the newest keep journal entries; see
// store.Store.
func (s *Store) PruneChanges(ctx context.Context, keep int64) (err error) {
	defer s.wrap(&err, "PruneChanges(%d)", keep)
	_, err = s.db.Writer().Exec(ctx, `
		DELETE FROM change_journal WHERE id <= (SELECT MAX(id) FROM change_journal) - $1`, keep)
	return err
}
