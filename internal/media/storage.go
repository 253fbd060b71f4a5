package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// Storage keeps the bytes of media files by key: an item's hash, a
// slash and the file's name ("<hash>/w640.webp"; "<hash>/original" for
// the upload as it came, which is kept to make variants again and is
// never served). Files never change once written: a key names the same
// bytes forever.
type Storage interface {
	// Put writes a file; writing a key again replaces it whole, and a
	// reader never sees half a file.
	Put(ctx context.Context, key string, data []byte) error
	// Get reads a file; a missing one wraps fs.ErrNotExist.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes a file; a missing one is no error.
	Delete(ctx context.Context, key string) error
}

// OriginalFile is the name under which an item's upload is kept.
const OriginalFile = "original"

// Key is the storage key of an item's file.
func Key(hash, file string) string { return hash + "/" + file }

// validKey is a hash and a file name of letters, digits and one dot:
// nothing a path could be made of.
var validKey = regexp.MustCompile(`^[0-9a-f]{64}/[a-z0-9]+(\.[a-z]+)?$`)

// IsHash reports whether s is an item's hash: a SHA-256 in lower-case
// hex. (Cheaper than CheckKey, for serving.)
func IsHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// CheckKey refuses a key that no item's file has, such as one with a
// path in it.
func CheckKey(key string) error {
	if !validKey.MatchString(key) {
		return fmt.Errorf("%w: %q is not a media file key (a SHA-256 in hex, a slash and a file name)", ErrInvalid, key)
	}
	return nil
}

// Dir keeps media files in a directory, as <dir>/<first two characters of
// the hash>/<hash>/<file>, so that no directory holds too many entries.
type Dir struct{ root string }

// NewDir returns the storage in directory root, creating it if needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("media directory: %w", err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.root, key[:2], filepath.FromSlash(key)), nil
}

// Put writes the file beside its final name and renames it into place,
// so that a reader sees the old file or the new one, never a part.
func (d *Dir) Put(_ context.Context, key string, data []byte) (err error) {
	path, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Get reads a file.
func (d *Dir) Get(_ context.Context, key string) ([]byte, error) {
	path, err := d.path(key)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// Delete removes a file, and its item's directory once empty.
func (d *Dir) Delete(_ context.Context, key string) error {
	path, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Fails, harmlessly, while other files of the item remain.
	_ = os.Remove(filepath.Dir(path))
	return nil
}
