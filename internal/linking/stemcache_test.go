package linking

import (
	"fmt"
	"sync"
	"testing"
)

// Words stemmed on several cores at once each get the key they would get
// alone, before and after the cache copies its new words into the map it
// reads without a lock.
func TestStemCacheKeepsEveryWord(t *testing.T) {
	const workers, words = 4, 5000
	want := func(w string) keyEntry { return computeKey(w, true) }
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			var buf []byte
			for i := range words {
				// Each word twice: once new, once from the cache; some
				// words are every worker's.
				w := fmt.Sprintf("stemcachetest%dwalking", i)
				if i%2 == 1 {
					w = fmt.Sprintf("stemcachetest%d-%dwalking", g, i)
				}
				for range 2 {
					var key string
					var stop bool
					key, stop, buf = normalizeWord(w, buf)
					if e := want(w); key != e.key || stop != e.stop {
						t.Errorf("%s: key %q, stop %v; want %q, %v", w, key, stop, e.key, e.stop)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	for g := range workers {
		for i := range words {
			w := fmt.Sprintf("stemcachetest%dwalking", i)
			if i%2 == 1 {
				w = fmt.Sprintf("stemcachetest%d-%dwalking", g, i)
			}
			if e, ok := cacheGet([]byte(w)); !ok || e != want(w) {
				t.Fatalf("%s: cached as %+v, %v; want %+v", w, e, ok, want(w))
			}
		}
	}
}
