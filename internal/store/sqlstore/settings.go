package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
)

// CommentSettings returns the comment policy; see store.SettingsStore.
func (s *Store) CommentSettings(ctx context.Context) (_ comment.Settings, err error) {
	defer s.wrap(&err, "CommentSettings")
	cs := comment.DefaultSettings()
	var value string
	err = s.db.Reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'comments'`).Scan(&value)
	if noRows(err) {
		return cs, nil
	} else if err != nil {
		return cs, err
	}
	// Stored over the defaults, so settings added later get theirs.
	return cs, json.Unmarshal([]byte(value), &cs)
}

// SaveCommentSettings stores the comment policy; see store.SettingsStore.
func (s *Store) SaveCommentSettings(ctx context.Context, cs comment.Settings) (err error) {
	defer s.wrap(&err, "SaveCommentSettings")
	b, err := json.Marshal(cs)
	if err != nil {
		return err
	}
	_, err = s.db.Writer().Exec(ctx, `
		INSERT INTO settings (key, value) VALUES ('comments', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(b))
	return err
}

// Secret returns the signing secret; see store.SettingsStore.
func (s *Store) Secret(ctx context.Context) (_ []byte, err error) {
	defer s.wrap(&err, "Secret")
	var value string
	// Read first: a store opened read-only (an export) has the secret
	// serve made, and cannot write.
	switch err := s.db.Reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'secret'`).Scan(&value); {
	case err == nil:
		return hex.DecodeString(value)
	case !noRows(err):
		return nil, err
	}
	var fresh [32]byte
	rand.Read(fresh[:])
	err = s.db.Transact(ctx, func(tx Conn) error {
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

// siteField is a field of store.SiteSettings and the key of the settings
// row it is kept in.
type siteField struct {
	key   string
	value *string
}

// siteSettingKeys lists the fields of s with their keys.
func siteSettingKeys(site *store.SiteSettings) []siteField {
	return []siteField{
		{"site.title", &site.Title},
		{"site.description", &site.Description},
		{"site.logo_url", &site.LogoURL},
		{"site.time_zone", &site.TimeZone},
		{"site.language", &site.Language},
		{"site.publishing_principles", &site.PublishingPrinciples},
		{"site.corrections_policy", &site.CorrectionsPolicy},
		{"site.topic_min_articles", &site.TopicMinArticles},
	}
}

// SiteSettings returns what the admin set of the site; see
// store.SettingsStore.
func (s *Store) SiteSettings(ctx context.Context) (_ store.SiteSettings, err error) {
	defer s.wrap(&err, "SiteSettings")
	var site store.SiteSettings
	values := map[string]string{}
	err = each(ctx, s.db.Reader(), `SELECT key, value FROM settings WHERE key LIKE 'site.%'`, nil, func(row Row) error {
		var key, value string
		err := row.Scan(&key, &value)
		values[key] = value
		return err
	})
	if err != nil {
		return site, err
	}
	for _, f := range siteSettingKeys(&site) {
		*f.value = values[f.key]
	}
	return site, nil
}

// SaveSiteSettings replaces the site settings, all of them or none; see
// store.SettingsStore. An empty field is deleted, leaving the server's
// configuration in force.
func (s *Store) SaveSiteSettings(ctx context.Context, site store.SiteSettings) (err error) {
	defer s.wrap(&err, "SaveSiteSettings")
	return s.db.Transact(ctx, func(tx Conn) error {
		for _, f := range siteSettingKeys(&site) {
			var err error
			if *f.value == "" {
				_, err = tx.Exec(ctx, `DELETE FROM settings WHERE key = $1`, f.key)
			} else {
				_, err = tx.Exec(ctx, `
					INSERT INTO settings (key, value) VALUES ($1, $2)
					ON CONFLICT (key) DO UPDATE SET value = excluded.value`, f.key, *f.value)
			}
			if err != nil {
				return fmt.Errorf("save %s: %w", f.key, err)
			}
		}
		return nil
	})
}

// Menu returns a menu's items; see store.SettingsStore.
func (s *Store) Menu(ctx context.Context, name string) (_ []store.MenuItem, saved bool, err error) {
	defer s.wrap(&err, "Menu(%q)", name)
	var value string
	err = s.db.Reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, "menu."+name).Scan(&value)
	if noRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	var items []store.MenuItem
	return items, true, json.Unmarshal([]byte(value), &items)
}

// SaveMenu replaces a menu's items; see store.SettingsStore.
func (s *Store) SaveMenu(ctx context.Context, name string, items []store.MenuItem) (err error) {
	defer s.wrap(&err, "SaveMenu(%q)", name)
	if items == nil {
		items = []store.MenuItem{}
	}
	b, err := json.Marshal(items)
	if err != nil {
		return err
	}
	_, err = s.db.Writer().Exec(ctx, `
		INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, "menu."+name, string(b))
	return err
}
