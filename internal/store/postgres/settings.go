package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/jackc/pgx/v5"
)

// CommentSettings returns the comment policy; see store.SettingsStore.
func (db *DB) CommentSettings(ctx context.Context) (_ comment.Settings, err error) {
	defer wrap(&err, "CommentSettings")
	s := comment.DefaultSettings()
	var value string
	err = db.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'comments'`).Scan(&value)
	if errNoRows(err) {
		return s, nil
	} else if err != nil {
		return s, err
	}
	// Stored over the defaults, so settings added later get theirs.
	return s, json.Unmarshal([]byte(value), &s)
}

// SaveCommentSettings stores the comment policy; see store.SettingsStore.
func (db *DB) SaveCommentSettings(ctx context.Context, s comment.Settings) (err error) {
	defer wrap(&err, "SaveCommentSettings")
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `
		INSERT INTO settings (key, value) VALUES ('comments', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(b))
	return err
}

// Secret returns the signing secret; see store.SettingsStore.
func (db *DB) Secret(ctx context.Context) (_ []byte, err error) {
	defer wrap(&err, "Secret")
	var fresh [32]byte
	rand.Read(fresh[:])
	var value string
	err = db.transact(ctx, func(tx pgx.Tx) error {
		// The first node to ask makes it; every other one reads it. A
		// racing insert waits for the first to commit and then inserts
		// nothing, and the SELECT, a statement of its own, sees the row.
		_, err := tx.Exec(ctx, `
			INSERT INTO settings (key, value) VALUES ('secret', $1)
			ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(fresh[:]))
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'secret'`).Scan(&value)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(value)
}
