package public

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A feed's three formats asked at once wait for one reading of its
// articles; a reading a purge overtook is returned, not kept.
func TestTTLCacheSharesAReadUnderWay(t *testing.T) {
	t.Parallel()
	c := newTTLCache[string, int](time.Minute, time.Now)
	var reads atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	slow := func() (int, error) {
		if reads.Add(1) == 1 {
			close(started)
			<-release
		}
		return 7, nil
	}
	var wg sync.WaitGroup
	got := make([]int, 3)
	wg.Go(func() { got[0], _ = c.get("feed", slow) })
	<-started
	for i := 1; i < 3; i++ {
		wg.Go(func() { got[i], _ = c.get("feed", slow) })
	}
	// The others would have read by now, had they not waited.
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 || got[0] != 7 || got[1] != 7 || got[2] != 7 {
		t.Errorf("three callers at once: %d reads, values %v; want 1 read, 7 each", n, got)
	}

	// A purge during a reading: what was read is returned, not kept.
	started, release = make(chan struct{}), make(chan struct{})
	wg.Go(func() {
		_, _ = c.get("author feed", func() (int, error) {
			close(started)
			<-release
			return 1, nil
		})
	})
	<-started
	c.clear()
	close(release)
	wg.Wait()
	if v, _ := c.get("author feed", func() (int, error) { return 2, nil }); v != 2 {
		t.Errorf("after a purge during a reading: %d kept; want 2, read again", v)
	}
}

// A reading that fails (the request that began it ended) or panics (its
// handler recovered) leaves those waiting on it to read for themselves,
// not with its missing value.
func TestTTLCacheWaitersReadAfterAFailedRead(t *testing.T) {
	t.Parallel()
	for name, end := range map[string]func() (int, error){
		"error": func() (int, error) { return 0, errors.New("the request ended") },
		"panic": func() (int, error) { panic("template failed") },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newTTLCache[string, int](time.Minute, time.Now)
			started, release := make(chan struct{}), make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				defer func() { _ = recover() }()
				_, _ = c.get("feed", func() (int, error) {
					close(started)
					<-release
					return end()
				})
			})
			<-started
			var got int
			var err error
			wg.Go(func() { got, err = c.get("feed", func() (int, error) { return 5, nil }) })
			time.Sleep(20 * time.Millisecond)
			close(release)
			wg.Wait()
			if got != 5 || err != nil {
				t.Errorf("after another caller's read ended with a %s: %d, %v; want its own read, 5", name, got, err)
			}
		})
	}
}

// Articles listed while a purge forgets them are not kept either.
func TestTTLCacheManyReadOvertakenByAPurge(t *testing.T) {
	t.Parallel()
	c := newTTLCache[int64, string](time.Minute, time.Now)
	reads := 0
	read := func(missing []int64) (map[int64]string, error) {
		reads++
		if reads == 1 {
			c.clear() // the purge of an edit, heard meanwhile
		}
		out := map[int64]string{}
		for _, id := range missing {
			out[id] = "as read"
		}
		return out, nil
	}
	for range 2 {
		if _, err := c.getMany([]int64{1, 2}, read); err != nil {
			t.Fatal(err)
		}
	}
	if reads != 2 {
		t.Errorf("%d reads; want 2: the first, overtaken by a purge, is not kept", reads)
	}
	if _, err := c.getMany([]int64{1, 2}, read); err != nil || reads != 2 {
		t.Errorf("%d reads, %v; want the second reading kept", reads, err)
	}
}
