// Package backup writes a site's backup while it is served, and restores
// one into an empty database: 'dateline backup' and 'dateline restore'.
//
// A backup is a gzipped tar archive: first dateline-backup.json (what it
// holds, see Manifest), then the database as one consistent SQLite file
// (database.sqlite), then the photo library's files under media/. A file
// that is not such an archive, or is cut short, is refused with a message
// that says so, and nothing is written.
//
// A PostgreSQL site is backed up the same way: one consistent snapshot of
// every table, the photos with them, copied into such an SQLite file
// (package dbcopy), so that its backup restores into either database.
// pg_dump works too (README, "Backups").
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/dbcopy"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

// Manifest says what a backup holds.
type Manifest struct {
	Format   int       `json:"format"` // formatVersion
	Program  string    `json:"program"`
	Created  time.Time `json:"created"`
	Articles int       `json:"articles"`
	Comments int       `json:"comments"`
	Users    int       `json:"users"`
	Media    int       `json:"media_files"`
}

// The archive's layout.
const (
	formatVersion = 1
	manifestName  = "dateline-backup.json"
	databaseName  = "database.sqlite"
	mediaPrefix   = "media/"
)

// ErrNotBackup is wrapped by Restore's error for a file that is not a
// whole Dateline backup.
var ErrNotBackup = errors.New("not a Dateline backup")

// Snapshotter is a store that can write a consistent copy of itself
// while it is written (SQLite).
type Snapshotter interface {
	SnapshotTo(ctx context.Context, path string) error
}

// Write writes the backup of s, whose photos are the files under mediaDir
// ("" for none), to file, which it replaces whole or not at all; now is
// the clock.
func Write(ctx context.Context, s store.Store, mediaDir, file string, now func() time.Time) (Manifest, error) {
	work, err := os.MkdirTemp(filepath.Dir(file), ".dateline-backup-*")
	if err != nil {
		return Manifest{}, fmt.Errorf("backup into %s: %w", file, err)
	}
	defer os.RemoveAll(work)
	dbFile := filepath.Join(work, databaseName)
	switch src := s.(type) {
	case Snapshotter:
		if err := src.SnapshotTo(ctx, dbFile); err != nil {
			return Manifest{}, err
		}
	case store.Tables:
		// The photos are in the database: the copy writes them as the
		// files of an SQLite site's library.
		mediaDir = filepath.Join(work, "media")
		if err := copyTables(ctx, dbcopy.Side{Name: "the site's database", Tables: src}, dbFile, mediaDir, true, now); err != nil {
			return Manifest{}, err
		}
	default:
		return Manifest{}, errors.New("this database cannot be backed up by dateline backup")
	}
	m, err := describe(ctx, dbFile, true, now)
	if err != nil {
		return Manifest{}, fmt.Errorf("read the snapshot: %w", err)
	}
	m.Format, m.Program, m.Created = formatVersion, "dateline", now().UTC()
	var media []string
	if mediaDir != "" {
		err := filepath.WalkDir(mediaDir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				media = append(media, path)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, fmt.Errorf("read the photo library %s: %w", mediaDir, err)
		}
	}
	m.Media = len(media)

	tmp := filepath.Join(work, "backup.tar.gz")
	if err := writeArchive(tmp, m, dbFile, mediaDir, media); err != nil {
		return Manifest{}, fmt.Errorf("write %s: %w", file, err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return Manifest{}, fmt.Errorf("write %s: %w", file, err)
	}
	return m, nil
}

// describe checks the database file at path whole and counts what it
// holds. Opened to restore (not readOnly), a backup an older version made
// is brought up to this version's schema.
func describe(ctx context.Context, path string, readOnly bool, now func() time.Time) (Manifest, error) {
	db, err := sqlite.Open(ctx, path, store.Options{Now: now, ReadOnly: readOnly})
	if err != nil {
		return Manifest{}, err
	}
	defer db.Close()
	if err := db.QuickCheck(ctx); err != nil {
		return Manifest{}, err
	}
	return describeStore(ctx, db)
}

func writeArchive(path string, m Manifest, dbFile, mediaDir string, media []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o644, Size: int64(len(manifest)), ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := tw.Write(manifest); err != nil {
		return err
	}
	if err := addFile(tw, dbFile, databaseName); err != nil {
		return err
	}
	for _, p := range media {
		rel, err := filepath.Rel(mediaDir, p)
		if err != nil {
			return err
		}
		if err := addFile(tw, p, mediaPrefix+filepath.ToSlash(rel)); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: fi.Size(), ModTime: fi.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Restore restores the backup in file into the SQLite database at dbPath
// and the photo library at mediaDir ("" to leave the photos out). The
// database must be new or empty (no article, comment or user); -wal and
// -shm files left there by an earlier database are removed, as restoring
// beside them damages the file. Nothing is put in place before the whole
// backup has been read and checked.
func Restore(ctx context.Context, file, dbPath, mediaDir string, now func() time.Time) (Manifest, error) {
	if err := checkEmpty(ctx, dbPath, now); err != nil {
		return Manifest{}, err
	}
	work, err := os.MkdirTemp(filepath.Dir(dbPath), ".dateline-restore-*")
	if err != nil {
		return Manifest{}, fmt.Errorf("restore into %s: %w", dbPath, err)
	}
	defer os.RemoveAll(work)
	m, restored, err := unpackChecked(ctx, file, work, now)
	if err != nil {
		return Manifest{}, err
	}
	// The restored file takes the place of any database there; files of
	// the one before would be read as this one's.
	for _, stale := range []string{dbPath, dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"} {
		if err := os.Remove(stale); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Manifest{}, fmt.Errorf("remove %s: %w", stale, err)
		}
	}
	if mediaDir != "" {
		if err := moveMedia(filepath.Join(work, "media"), mediaDir); err != nil {
			return Manifest{}, err
		}
	}
	if err := os.Rename(restored, dbPath); err != nil {
		return Manifest{}, fmt.Errorf("put the database in place: %w", err)
	}
	return m, nil
}

// RestoreTo restores the backup in file into the database of target (a
// PostgreSQL site, whose photos go in its database), which must be new or
// empty: the backup's database and photos are checked, then copied in one
// transaction (package dbcopy), so that a failure leaves target as it was.
func RestoreTo(ctx context.Context, file string, target dbcopy.Side, now func() time.Time) (Manifest, error) {
	work, err := os.MkdirTemp("", ".dateline-restore-*")
	if err != nil {
		return Manifest{}, fmt.Errorf("restore %s: %w", file, err)
	}
	defer os.RemoveAll(work)
	m, restored, err := unpackChecked(ctx, file, work, now)
	if err != nil {
		return Manifest{}, err
	}
	db, err := sqlite.Open(ctx, restored, store.Options{Now: now})
	if err != nil {
		return Manifest{}, err
	}
	defer db.Close()
	from := dbcopy.Side{Name: file, Tables: db, MediaDir: filepath.Join(work, "media")}
	if _, err := dbcopy.Copy(ctx, from, target, dbcopy.Options{Sessions: true, Now: now}); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// copyTables copies every table of from, sessions included, into a new
// SQLite database at path, with the photos as files under mediaDir.
func copyTables(ctx context.Context, from dbcopy.Side, path, mediaDir string, sessions bool, now func() time.Time) error {
	db, err := sqlite.Open(ctx, path, store.Options{Now: now})
	if err != nil {
		return err
	}
	defer db.Close()
	to := dbcopy.Side{Name: "the backup", Tables: db, MediaDir: mediaDir}
	_, err = dbcopy.Copy(ctx, from, to, dbcopy.Options{Sessions: sessions, Now: now})
	return err
}

// unpackChecked reads the backup in file into work and checks that its
// database is whole and holds what its manifest says; it returns the
// manifest and the database's path.
func unpackChecked(ctx context.Context, file, work string, now func() time.Time) (Manifest, string, error) {
	m, err := unpack(file, work)
	if err != nil {
		return Manifest{}, "", err
	}
	restored := filepath.Join(work, databaseName)
	got, err := describe(ctx, restored, false, now)
	if err != nil {
		return Manifest{}, "", fmt.Errorf("%s: the database in it: %w", file, err)
	}
	if got.Articles != m.Articles || got.Comments != m.Comments || got.Users != m.Users {
		return Manifest{}, "", fmt.Errorf("%s: %w: its database holds %d articles, %d comments and %d users, its manifest says %d, %d and %d",
			file, ErrNotBackup, got.Articles, got.Comments, got.Users, m.Articles, m.Comments, m.Users)
	}
	return m, restored, nil
}

// checkEmpty refuses a database at path that holds anything.
func checkEmpty(ctx context.Context, path string, now func() time.Time) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := sqlite.Open(ctx, path, store.Options{Now: now})
	if err != nil {
		return fmt.Errorf("restore into %s: it exists and cannot be read (%w); restore into a new file", path, err)
	}
	defer db.Close()
	m, err := describeStore(ctx, db)
	if err != nil {
		return err
	}
	if m.Articles+m.Comments+m.Users > 0 {
		return fmt.Errorf("restore into %s: it holds %d articles, %d comments and %d users; restore into a new or empty database", path, m.Articles, m.Comments, m.Users)
	}
	return nil
}

func describeStore(ctx context.Context, s store.Store) (m Manifest, err error) {
	if m.Articles, err = s.CountArticles(ctx, store.ArticleQuery{}); err != nil {
		return m, err
	}
	if m.Comments, err = s.CountComments(ctx, store.CommentQuery{}); err != nil {
		return m, err
	}
	m.Users, err = s.CountUsers(ctx)
	return m, err
}

// unpack reads the backup in file into dir: the manifest, the database
// and the photos (under dir/media).
func unpack(file, dir string) (Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return Manifest{}, fmt.Errorf("read the backup: %w", err)
	}
	defer f.Close()
	bad := func(what string, err error) error {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%s: %w: it is cut short (%s)", file, ErrNotBackup, what)
		}
		return fmt.Errorf("%s: %w: %s (%v)", file, ErrNotBackup, what, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return Manifest{}, bad("not a gzip file", err)
	}
	tr := tar.NewReader(zr)
	var m Manifest
	media, haveDB := 0, false
	for i := 0; ; i++ {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Manifest{}, bad("reading its files", err)
		}
		switch {
		case i == 0 && h.Name != manifestName:
			return Manifest{}, fmt.Errorf("%s: %w: it does not begin with %s", file, ErrNotBackup, manifestName)
		case i == 0:
			raw, err := io.ReadAll(io.LimitReader(tr, 1<<20))
			if err != nil {
				return Manifest{}, bad("reading its manifest", err)
			}
			if err := json.Unmarshal(raw, &m); err != nil || m.Program != "dateline" {
				return Manifest{}, fmt.Errorf("%s: %w: its manifest is not Dateline's", file, ErrNotBackup)
			}
			if m.Format != formatVersion {
				return Manifest{}, fmt.Errorf("%s: a backup of format %d, which this dateline does not read (it reads %d): restore it with the version that made it", file, m.Format, formatVersion)
			}
		case h.Name == databaseName:
			if err := extract(tr, filepath.Join(dir, databaseName)); err != nil {
				return Manifest{}, bad("reading its database", err)
			}
			haveDB = true
		case strings.HasPrefix(h.Name, mediaPrefix) && h.Typeflag == tar.TypeReg:
			rel := strings.TrimPrefix(h.Name, mediaPrefix)
			if !filepath.IsLocal(rel) {
				return Manifest{}, fmt.Errorf("%s: %w: a photo file named %q leaves the library", file, ErrNotBackup, h.Name)
			}
			dst := filepath.Join(dir, "media", filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return Manifest{}, err
			}
			if err := extract(tr, dst); err != nil {
				return Manifest{}, bad("reading a photo", err)
			}
			media++
		}
	}
	if !haveDB {
		return Manifest{}, fmt.Errorf("%s: %w: it holds no database", file, ErrNotBackup)
	}
	if media != m.Media {
		return Manifest{}, fmt.Errorf("%s: %w: it holds %d photo files, its manifest says %d", file, ErrNotBackup, media, m.Media)
	}
	return m, nil
}

func extract(r io.Reader, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// moveMedia moves the photo files under from into the library at to. A
// file already there is the same file (its name is its content's digest).
func moveMedia(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == from {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("restore the photos into %s: %w", to, err)
		}
		if err := os.Rename(path, dst); err != nil {
			return fmt.Errorf("restore the photos into %s: %w", to, err)
		}
		return nil
	})
}
