package linking_test

import (
	"reflect"
	"testing"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/linkingtest"
)

// An index loaded by several workers ranks exactly as one built an
// article at a time in the same order: a static export of an unchanged
// site must not change because its index was built in parallel.
func TestLoaderMatchesUpsertInOrder(t *testing.T) {
	docs := linkingtest.GenerateArchive(400, 300, 7)
	one := linking.NewIndex()
	for _, d := range docs {
		one.Upsert(d)
	}
	for _, workers := range []int{1, 4} {
		loaded := linking.NewIndex()
		load := loaded.Loader(workers)
		for _, d := range docs {
			load.Add(func() linking.Doc { return d })
		}
		load.Wait()
		if loaded.Len() != len(docs) {
			t.Fatalf("%d workers: %d articles in the index, want %d", workers, loaded.Len(), len(docs))
		}
		for _, d := range docs {
			want, got := one.Related(d.ID, 5, 0), loaded.Related(d.ID, 5, 0)
			if len(want) == 0 {
				t.Fatalf("article %d has no related articles: the test archive says nothing", d.ID)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d workers: related to article %d:\n got %+v\nwant %+v", workers, d.ID, got, want)
			}
		}
	}
}
