package staticsite

import (
	"os"

	"golang.org/x/sys/unix"
)

// flushToDisk writes to the disk whatever is written but not yet flushed
// on the file system holding dir: the staged files, their names and the
// next manifest. One syncfs(2) instead of a fsync for each of a full
// export's tens of thousands of files.
func flushToDisk(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return &os.PathError{Op: "syncfs", Path: dir, Err: err}
	}
	return nil
}
