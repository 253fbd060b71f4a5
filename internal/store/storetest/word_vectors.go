package storetest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/datelinehq/dateline/internal/store"
)

// wordVectorTests are the trained word vectors' half of the suite.
var wordVectorTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"WordVectorsReplaced", testWordVectorsReplaced},
}

func testWordVectorsReplaced(t *testing.T, s store.Store) {
	if _, err := s.WordVectors(ctx, "en"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a new store's word vectors: %v; want ErrNotFound", err)
	}
	first := &store.WordVectors{Language: "en", Articles: 1200, Words: 480_000, Data: []byte{1, 2, 0, 255}}
	if err := s.SaveWordVectors(ctx, first); err != nil {
		t.Fatal(err)
	}
	if !first.TrainedAt.Equal(clock.Now().UTC().Truncate(1e3)) {
		t.Errorf("TrainedAt = %v; want the store's clock, %v", first.TrainedAt, clock.Now())
	}
	got, err := s.WordVectors(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got.Articles != 1200 || got.Words != 480_000 || !bytes.Equal(got.Data, first.Data) || !got.TrainedAt.Equal(first.TrainedAt) {
		t.Errorf("read back %+v; want %+v", got, *first)
	}
	big := bytes.Repeat([]byte{7, 0, 200}, 1<<20) // a table of megabytes
	if err := s.SaveWordVectors(ctx, &store.WordVectors{Language: "en", Articles: 1500, Words: 600_000, Data: big}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.WordVectors(ctx, "en"); err != nil || got.Articles != 1500 || !bytes.Equal(got.Data, big) {
		t.Errorf("after training again: %d articles, %d bytes, %v; want the new set", got.Articles, len(got.Data), err)
	}
	if _, err := s.WordVectors(ctx, "ur"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another language's vectors: %v; want ErrNotFound", err)
	}
	if err := s.SaveWordVectors(ctx, &store.WordVectors{Language: "en"}); err == nil {
		t.Error("vectors without data were saved")
	}
	if got, _ := s.WordVectors(ctx, "en"); got.Articles != 1500 {
		t.Errorf("a refused save changed the stored set: %d articles", got.Articles)
	}
}
