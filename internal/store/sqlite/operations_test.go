package sqlite

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/store"
)

// A database on a disk that filled up while it was closed: opening it
// fails (SQLite cannot make its -shm file and says "disk I/O error
// (4874)"), and the error says the disk is full and where.
func TestOpenOnAFullDiskSaysSo(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("mounts a small tmpfs: Linux, as root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	path := filepath.Join(dir, "site.db")
	db, err := Open(context.Background(), path, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Fill the disk.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	for _, readOnly := range []bool{false, true} {
		db, err := Open(context.Background(), path, store.Options{Now: testOptions.Now, ReadOnly: readOnly})
		if err == nil {
			db.Close()
			t.Errorf("read-only %v: opened a database on a full disk that cannot make its -shm file", readOnly)
			continue
		}
		if want := "the disk holding " + dir + " is full"; !strings.Contains(err.Error(), want) {
			t.Errorf("read-only %v: %v; want it to say %q", readOnly, err, want)
		}
	}
}

// A node still running when a newer one migrates the database is no
// longer ready: its /readyz answers 503 and the load balancer moves on.
func TestReadyRefusesASchemaMigratedByANewerVersion(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "site.db"), testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ready(context.Background()); err != nil {
		t.Fatalf("Ready = %v", err)
	}
	if _, err := db.writer.Exec(`INSERT INTO schema_version (version) SELECT MAX(version) + 1 FROM schema_version`); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(context.Background()); !errors.Is(err, store.ErrSchema) || !strings.Contains(err.Error(), "run a newer dateline") {
		t.Errorf("Ready after a newer migration = %v; want ErrSchema saying so", err)
	}
}
