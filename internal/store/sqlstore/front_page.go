package sqlstore

import (
	"context"
	"fmt"

	"github.com/datelinehq/dateline/internal/store"
)

// Pins lists the pinned articles in order; see store.FrontPageStore.
func (s *Store) Pins(ctx context.Context) (_ []int64, err error) {
	defer s.wrap(&err, "Pins")
	var ids []int64
	return ids, each(ctx, s.db.Reader(), `SELECT article_id FROM front_page_pins ORDER BY position`, nil, func(row Row) error {
		var id int64
		err := row.Scan(&id)
		ids = append(ids, id)
		return err
	})
}

// SetPins replaces the pins; see store.FrontPageStore.
func (s *Store) SetPins(ctx context.Context, ids []int64) (err error) {
	defer s.wrap(&err, "SetPins(%v)", ids)
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			return fmt.Errorf("%w: article %d is pinned twice", store.ErrConflict, id)
		}
		seen[id] = true
	}
	err = s.db.Transact(ctx, func(tx Conn) error {
		if _, err := tx.Exec(ctx, `DELETE FROM front_page_pins`); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO front_page_pins (position, article_id)
			SELECT v.n, v.id FROM `+s.db.Pairs("$1", "$2"), s.db.Int64s(ids), s.db.Int64s(positions(len(ids))))
		return err
	})
	if _, kind := s.db.Constraint(err); kind == ForeignKeyViolation {
		return fmt.Errorf("%w: a pinned article does not exist", store.ErrNotFound)
	}
	return err
}
