package public

import (
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
func (c *ttlCache[K, V]) get(key K, read func() (V, error)) (V, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := read()
	if err != nil || c.ttl <= 0 {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= c.max {
		c.entries = map[K]ttlEntry[V]{}
	}
	c.entries[key] = ttlEntry[V]{v, now.Add(c.ttl)}
	return v, nil
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
	if c.ttl > 0 && (c.entries == nil || len(c.entries)+len(missing) > c.max) {
		c.entries = map[K]ttlEntry[V]{}
	}
	for _, k := range missing {
		v := got[k]
		out[k] = v
		if c.ttl > 0 {
			c.entries[k] = ttlEntry[V]{v, now.Add(c.ttl)}
		}
	}
	return out, nil
}

// clear forgets every value.
func (c *ttlCache[K, V]) clear() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
