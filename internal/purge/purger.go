package purge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// A Purger drops the responses carrying any of keys from a cache in
// front of the nodes.
type Purger interface {
	Purge(ctx context.Context, keys []string) error
	// String names the purger in logs: "varnish http://127.0.0.1:6081".
	String() string
}

// Parse reads a purger given on the command line:
//
//	varnish:http://127.0.0.1:6081   a PURGE request with the keys in its
//	                                Surrogate-Key header (deploy/varnish.vcl
//	                                turns it into a ban)
//	webhook:https://hooks.example/x a POST of {"keys": [...]} as JSON
func Parse(spec string) (Purger, error) {
	kind, target, ok := strings.Cut(spec, ":")
	if !ok {
		return nil, fmt.Errorf("purger %q: want varnish:URL or webhook:URL", spec)
	}
	if kind != "varnish" && kind != "webhook" {
		return nil, fmt.Errorf("purger %q: unknown kind %q; want varnish or webhook (Fastly and Cloudflare through a webhook, README)", spec, kind)
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("purger %q: %q is not an http or https address", spec, target)
	}
	client := &http.Client{}
	switch kind {
	case "varnish":
		return &varnish{url: u.String(), client: client}, nil
	}
	return &webhook{url: u.String(), client: client}, nil
}

type varnish struct {
	url    string
	client *http.Client
}

func (v *varnish) String() string { return "varnish " + v.url }

func (v *varnish) Purge(ctx context.Context, keys []string) error {
	req, err := http.NewRequestWithContext(ctx, "PURGE", v.url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Surrogate-Key", SurrogateKey(keys))
	return send(v.client, req)
}

type webhook struct {
	url    string
	client *http.Client
}

func (w *webhook) String() string { return "webhook " + w.url }

func (w *webhook) Purge(ctx context.Context, keys []string) error {
	body, _ := json.Marshal(map[string][]string{"keys": keys})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return send(w.client, req)
}

// send makes one purge request; anything but a 2xx answer is an error
// naming the status and the start of the answer.
func send(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return fmt.Errorf("%s answered %s: %s", req.URL.Host, resp.Status, bytes.TrimSpace(msg))
	}
	io.Copy(io.Discard, resp.Body)
	return nil
}

// Queue purges keys at the purgers in the background, so that a slow or
// broken cache never holds back the node: keys added while a purge is
// under way go together in the next. A purge that fails is tried again
// (Retries, waiting longer each time), then logged with the keys it could
// not purge. Each purge is sent a second time Again later: another node
// may have served the old page to the cache after the first, before it
// heard of the change itself.
type Queue struct {
	purgers []Purger
	logger  *slog.Logger
	// Retries are the waits before each new attempt of a failed purge.
	Retries []time.Duration
	// Again is the wait before the second sending; 0 sends once.
	Again time.Duration
	// Timeout bounds each attempt: a cache that does not answer is tried
	// again later, not waited for.
	Timeout time.Duration
	// OnPurge, when set, is told of each purge at each purger: its
	// keys, and nil or the error that remained after the retries.
	OnPurge func(p Purger, keys []string, err error)

	mu      sync.Mutex
	pending map[string]bool
	wake    chan struct{}
}

// NewQueue returns a queue for purgers.
func NewQueue(purgers []Purger, logger *slog.Logger) *Queue {
	return &Queue{
		purgers: purgers, logger: logger,
		Retries: []time.Duration{500 * time.Millisecond, 2 * time.Second, 8 * time.Second},
		Again:   time.Second,
		Timeout: 5 * time.Second,
		pending: map[string]bool{}, wake: make(chan struct{}, 1),
	}
}

// Add queues keys for purging; it never waits.
func (q *Queue) Add(keys ...string) {
	if len(q.purgers) == 0 || len(keys) == 0 {
		return
	}
	q.mu.Lock()
	for _, k := range keys {
		if Valid(k) {
			q.pending[k] = true
		}
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Run purges what is added until ctx is done.
func (q *Queue) Run(ctx context.Context) {
	var again sync.WaitGroup
	defer again.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
		q.mu.Lock()
		keys := make([]string, 0, len(q.pending))
		for k := range q.pending {
			keys = append(keys, k)
		}
		q.pending = map[string]bool{}
		q.mu.Unlock()
		if len(keys) == 0 {
			continue
		}
		slices.Sort(keys)
		q.purge(ctx, keys)
		if q.Again > 0 {
			again.Go(func() {
				select {
				case <-ctx.Done():
				case <-time.After(q.Again):
					q.purge(ctx, keys)
				}
			})
		}
	}
}

// maxKeys is the most tags one purge request names.
const maxKeys = 200

// purge sends keys to every purger at once, each with its retries.
func (q *Queue) purge(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, p := range q.purgers {
		wg.Go(func() {
			attempt := func() error {
				actx, cancel := context.WithTimeout(ctx, q.Timeout)
				defer cancel()
				var err error
				// A purge request names at most maxKeys tags, as
				// Fastly takes them.
				for chunk := range slices.Chunk(keys, maxKeys) {
					if err = p.Purge(actx, chunk); err != nil {
						break
					}
				}
				return err
			}
			err := attempt()
			for _, wait := range q.Retries {
				if err == nil || ctx.Err() != nil {
					break
				}
				select {
				case <-ctx.Done():
				case <-time.After(wait):
					err = attempt()
				}
			}
			if err != nil && ctx.Err() == nil {
				q.logger.Error("purge failed: the cache may serve these pages until they expire", "purger", p.String(), "keys", strings.Join(keys, " "), "attempts", len(q.Retries)+1, "err", err)
			}
			if q.OnPurge != nil {
				q.OnPurge(p, keys, err)
			}
		})
	}
	wg.Wait()
}
