package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/jackc/pgx/v5"
)

// MediaFiles keeps media files in the database (table media_files), so
// that every node serves every image without a shared disk.
func (db *DB) MediaFiles() media.Storage { return mediaFiles{db} }

type mediaFiles struct{ db *DB }

// Put writes a file in one statement: readers see it whole or not at all.
func (m mediaFiles) Put(ctx context.Context, key string, data []byte) error {
	if err := media.CheckKey(key); err != nil {
		return err
	}
	_, err := m.db.pool.Exec(ctx, `
		INSERT INTO media_files (key, data) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET data = excluded.data`, key, data)
	if err != nil {
		return fmt.Errorf("postgres: put media file %s: %w", key, err)
	}
	return nil
}

// Get reads a file.
func (m mediaFiles) Get(ctx context.Context, key string) ([]byte, error) {
	if err := media.CheckKey(key); err != nil {
		return nil, err
	}
	var data []byte
	err := m.db.pool.QueryRow(ctx, `SELECT data FROM media_files WHERE key = $1`, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("postgres: media file %s: %w", key, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get media file %s: %w", key, err)
	}
	return data, nil
}

// Delete removes a file.
func (m mediaFiles) Delete(ctx context.Context, key string) error {
	if err := media.CheckKey(key); err != nil {
		return err
	}
	if _, err := m.db.pool.Exec(ctx, `DELETE FROM media_files WHERE key = $1`, key); err != nil {
		return fmt.Errorf("postgres: delete media file %s: %w", key, err)
	}
	return nil
}
