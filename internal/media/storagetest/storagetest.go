// Package storagetest is the conformance suite of media.Storage: every
// place Dateline keeps image bytes (a directory, the PostgreSQL database)
// passes the same tests.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/datelinehq/dateline/internal/media"
)

// Run runs the suite against storages made by open, a fresh one per test.
func Run(t *testing.T, open func(t *testing.T) media.Storage) {
	for _, test := range []struct {
		name string
		fn   func(t *testing.T, s media.Storage)
	}{
		{"PutGetDelete", testPutGetDelete},
		{"PutReplaces", testPutReplaces},
		{"RefusesPathKeys", testRefusesPathKeys},
		{"ConcurrentReadsSeeWholeFiles", testConcurrentReads},
	} {
		t.Run(test.name, func(t *testing.T) { test.fn(t, open(t)) })
	}
}

var ctx = context.Background()

const hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func testPutGetDelete(t *testing.T, s media.Storage) {
	key := media.Key(hash, "w640.webp")
	if _, err := s.Get(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get of a missing file: err = %v, want fs.ErrNotExist", err)
	}
	data := bytes.Repeat([]byte{0, 1, 2, 255}, 50_000)
	if err := s.Put(ctx, key, data); err != nil {
		t.Fatal(err)
	}
	other := media.Key(hash, "w320.webp")
	if err := s.Put(ctx, other, []byte("small")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, key)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %d bytes, %v; want the %d bytes put", len(got), err, len(data))
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get after Delete: err = %v, want fs.ErrNotExist", err)
	}
	if got, err := s.Get(ctx, other); err != nil || string(got) != "small" {
		t.Errorf("the item's other file after Delete = %q, %v", got, err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("Delete of a missing file: %v", err)
	}
}

func testPutReplaces(t *testing.T, s media.Storage) {
	key := media.Key(hash, media.OriginalFile)
	for _, data := range []string{"first version, longer", "second"} {
		if err := s.Put(ctx, key, []byte(data)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Get(ctx, key); err != nil || string(got) != data {
			t.Fatalf("Get = %q, %v; want %q", got, err, data)
		}
	}
}

func testRefusesPathKeys(t *testing.T, s media.Storage) {
	for _, key := range []string{"../../etc/passwd", hash + "/../x", "/" + hash + "/a.jpg", hash, hash + "/a/b.jpg", strings.ToUpper(hash) + "/a.jpg", ""} {
		if err := s.Put(ctx, key, []byte("x")); !errors.Is(err, media.ErrInvalid) {
			t.Errorf("Put(%q): err = %v, want ErrInvalid", key, err)
		}
		if _, err := s.Get(ctx, key); !errors.Is(err, media.ErrInvalid) {
			t.Errorf("Get(%q): err = %v, want ErrInvalid", key, err)
		}
	}
}

// testConcurrentReads replaces a file while others read it: each read is
// one whole version.
func testConcurrentReads(t *testing.T, s media.Storage) {
	key := media.Key(hash, "w1920.jpg")
	versions := [][]byte{bytes.Repeat([]byte("a"), 300_000), bytes.Repeat([]byte("b"), 200_000)}
	if err := s.Put(ctx, key, versions[0]); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				if i == 0 {
					if err := s.Put(ctx, key, versions[(j+1)%2]); err != nil {
						errs <- err
					}
					continue
				}
				got, err := s.Get(ctx, key)
				if err != nil {
					errs <- err
				} else if !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) {
					errs <- errors.New("a read saw part of a file")
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
