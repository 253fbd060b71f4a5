//go:build !linux

package staticsite

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// flushToDisk writes to the disk the files under dir and their names:
// the staged files and the next manifest (Windows cannot flush a
// folder: its names are written with its files).
func flushToDisk(dir string) error {
	return filepath.WalkDir(dir, func(name string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && runtime.GOOS == "windows" {
			return nil
		}
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
