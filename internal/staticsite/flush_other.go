//go:build !linux

package staticsite

import (
	"cmp"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// flushToDisk writes to the disk the files under dir and their names:
// the staged files and the next manifest. Without syncfs(2), each file
// is flushed on its own, several at once: a file system commits the
// flushes that wait together (a full export stages tens of thousands).
// Windows cannot flush a folder: its names are written with its files.
func flushToDisk(dir string) error {
	var names []string
	err := filepath.WalkDir(dir, func(name string, e fs.DirEntry, err error) error {
		if err == nil && !(e.IsDir() && runtime.GOOS == "windows") {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		return err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan string)
	)
	for range 16 {
		wg.Go(func() {
			for name := range next {
				if err := syncFile(name); err != nil {
					mu.Lock()
					first = cmp.Or(first, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, name := range names {
		next <- name
	}
	close(next)
	wg.Wait()
	return first
}

// syncFile flushes the file or folder name to the disk.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
