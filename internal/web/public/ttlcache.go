package public

import (
	"errors"
	"sync"
	"time"
)

// ttlCache keeps values read from the store for a time (none when the
// time is not positive), so that the many pages showing one value read it
// once.
type ttlCache[K comparable, V any] struct {
	ttl     time.Duration
	now     func() time.Time
	max     int // entries kept at most: past it, it starts again
	mu      sync.Mutex
	entries map[K]ttlEntry[V]
	// reading are the reads under way: a page and its feeds asked at
	// once wait for one read, not one each.
	reading map[K]*ttlRead[V]
	// cleared counts the clears: a read begun before one is not kept.
	cleared int
}

type ttlRead[V any] struct {
	done chan struct{}
	v    V
	err  error
}

type ttlEntry[V any] struct {
	v       V
	expires time.Time
}

// maxTTLEntries bounds a ttlCache unless it is made with another bound.
const maxTTLEntries = 10_000

func newTTLCache[K comparable, V any](ttl time.Duration, now func() time.Time) *ttlCache[K, V] {
	return &ttlCache[K, V]{ttl: ttl, now: now, max: maxTTLEntries}
}

// bounded makes c keep up to max entries.
func (c *ttlCache[K, V]) bounded(max int) *ttlCache[K, V] {
	c.max = max
	return c
}

// get returns the value kept for key, or the one read reads and keeps.
// Callers that miss the same key together share one read.
func (c *ttlCache[K, V]) get(key K, read func() (V, error)) (V, error) {
	now := c.now()
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && now.Before(e.expires) {
		c.mu.Unlock()
		return e.v, nil
	}
	if c.ttl <= 0 {
		c.mu.Unlock()
		return read()
	}
	if r, ok := c.reading[key]; ok {
		c.mu.Unlock()
		<-r.done
		if r.err != nil {
			// Perhaps the other caller's request ended: this one reads
			// for itself.
			return read()
		}
		return r.v, nil
	}
	// Until the read returns, its error says so: one that panics sends
	// those waiting to read for themselves.
	r := &ttlRead[V]{done: make(chan struct{}), err: errors.New("the shared read did not finish")}
	if c.reading == nil {
		c.reading = map[K]*ttlRead[V]{}
	}
	c.reading[key] = r
	cleared := c.cleared
	c.mu.Unlock()
	// Deferred, so that a read that panics leaves no one waiting.
	defer func() {
		c.mu.Lock()
		if c.reading[key] == r {
			delete(c.reading, key)
		}
		c.mu.Unlock()
		close(r.done)
	}()
	r.v, r.err = read()
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.err != nil || c.cleared != cleared {
		return r.v, r.err
	}
	if c.entries == nil || len(c.entries) >= c.max {
		c.entries = map[K]ttlEntry[V]{}
	}
	c.entries[key] = ttlEntry[V]{r.v, now.Add(c.ttl)}
	return r.v, nil
}

// getMany returns the values kept for keys, reading those it does not
// keep with one call of read, which returns the value of each key asked
// (a key it leaves out has the zero value, kept too).
func (c *ttlCache[K, V]) getMany(keys []K, read func(missing []K) (map[K]V, error)) (map[K]V, error) {
	now := c.now()
	out := make(map[K]V, len(keys))
	var missing []K
	c.mu.Lock()
	for _, k := range keys {
		if e, ok := c.entries[k]; ok && now.Before(e.expires) {
			out[k] = e.v
		} else {
			missing = append(missing, k)
		}
	}
	cleared := c.cleared
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := read(missing)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := c.ttl > 0 && c.cleared == cleared
	if keep && (c.entries == nil || len(c.entries)+len(missing) > c.max) {
		c.entries = map[K]ttlEntry[V]{}
	}
	for _, k := range missing {
		v := got[k]
		out[k] = v
		if keep {
			c.entries[k] = ttlEntry[V]{v, now.Add(c.ttl)}
		}
	}
	return out, nil
}

// keepAll keeps values, read by the caller at the cache's instant, as
// getMany keeps what it reads: up to the cache's bound, past which it
// keeps none.
func (c *ttlCache[K, V]) keepAll(values map[K]V) {
	if c.ttl <= 0 || len(values) > c.max {
		return
	}
	expires := c.now().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries)+len(values) > c.max {
		c.entries = make(map[K]ttlEntry[V], len(values))
	}
	for k, v := range values {
		c.entries[k] = ttlEntry[V]{v, expires}
	}
}

// clear forgets every value.
func (c *ttlCache[K, V]) clear() {
	c.mu.Lock()
	c.entries, c.reading = nil, nil
	c.cleared++
	c.mu.Unlock()
}
