package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/datelinehq/dateline/internal/comment"
)

// CommentSettings returns the comment policy; see store.SettingsStore.
func (db *DB) CommentSettings(ctx context.Context) (_ comment.Settings, err error) {
	defer wrap(&err, "CommentSettings")
	s := comment.DefaultSettings()
	var value string
	err = db.readConn().queryRow(ctx, `SELECT value FROM settings WHERE key = 'comments'`).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
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
	return db.transact(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `
			INSERT INTO settings (key, value) VALUES ('comments', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(b))
		return err
	})
}

// Secret returns the signing secret; see store.SettingsStore.
func (db *DB) Secret(ctx context.Context) (_ []byte, err error) {
	defer wrap(&err, "Secret")
	var fresh [32]byte
	rand.Read(fresh[:])
	var value string
	err = db.transact(ctx, func(tx conn) error {
		// The first node to ask makes it; every other one reads it.
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES ('secret', ?) ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(fresh[:])); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT value FROM settings WHERE key = 'secret'`).Scan(&value)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(value)
}
