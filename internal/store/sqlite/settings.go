package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
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

// siteField is a field of store.SiteSettings and the key of the settings
// row it is kept in.
type siteField struct {
	key   string
	value *string
}

// siteSettingKeys lists the fields of s with their keys.
func siteSettingKeys(s *store.SiteSettings) []siteField {
	return []siteField{
		{"site.title", &s.Title},
		{"site.description", &s.Description},
		{"site.logo_url", &s.LogoURL},
		{"site.time_zone", &s.TimeZone},
		{"site.language", &s.Language},
	}
}

// SiteSettings returns what the admin set of the site; see
// store.SettingsStore.
func (db *DB) SiteSettings(ctx context.Context) (_ store.SiteSettings, err error) {
	defer wrap(&err, "SiteSettings")
	var s store.SiteSettings
	rows, err := db.readConn().query(ctx, `SELECT key, value FROM settings WHERE key LIKE 'site.%'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	values := map[string]string{}
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return s, err
		}
		values[key] = value
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	for _, f := range siteSettingKeys(&s) {
		*f.value = values[f.key]
	}
	return s, nil
}

// SaveSiteSettings replaces the site settings, all of them or none; see
// store.SettingsStore. An empty field is deleted, leaving the server's
// configuration in force.
func (db *DB) SaveSiteSettings(ctx context.Context, s store.SiteSettings) (err error) {
	defer wrap(&err, "SaveSiteSettings")
	return db.transact(ctx, func(tx conn) error {
		for _, f := range siteSettingKeys(&s) {
			var err error
			if *f.value == "" {
				_, err = tx.exec(ctx, `DELETE FROM settings WHERE key = ?`, f.key)
			} else {
				_, err = tx.exec(ctx, `
					INSERT INTO settings (key, value) VALUES (?, ?)
					ON CONFLICT (key) DO UPDATE SET value = excluded.value`, f.key, *f.value)
			}
			if err != nil {
				return fmt.Errorf("save %s: %w", f.key, err)
			}
		}
		return nil
	})
}
