package public

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/web"
)

// maxCachedPages bounds the page cache; past it, the cache starts afresh.
const maxCachedPages = 5000

// cachedPage is a rendered page with what conditional and compressed
// answers need.
type cachedPage struct {
	body      []byte
	expires   time.Time
	articleID int64 // the article shown, for the view counter
	// keys are the page's cache tags (package purge): what it shows.
	keys []string
	// hole, when not -1, is where a per-request value (the form token)
	// goes in body, replacing holeLen bytes of placeholder.
	hole, holeLen int

	// resp holds the page's header values, made once.
	resp web.Response

	gzipOnce sync.Once
	gzipped  []byte
	// For a page with a hole, the gzipped page around it (see gzipHoled).
	gzHoled *holedGzip
}

func newCachedPage(body []byte, modified time.Time) *cachedPage {
	p := &cachedPage{body: body, hole: -1}
	p.resp = web.Response{
		Body:         body,
		ETag:         pageETag(body),
		LastModified: modified,
		ContentType:  "text/html; charset=utf-8",
	}
	return p
}

// castagnoli is the table of the CRC-32C polynomial.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// pageETag is a page's ETag, the same on every node: the page's CRC-32
// with two polynomials, 64 bits that the processor's own instructions
// compute. FNV-1a, which read the page a byte at a time, was 0.8 s of CPU
// in a static export of 10,000 articles.
func pageETag(body []byte) string {
	var sum [8]byte
	binary.BigEndian.PutUint32(sum[:4], crc32.ChecksumIEEE(body))
	binary.BigEndian.PutUint32(sum[4:], crc32.Checksum(body, castagnoli))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// show adds the cache tags of what the page shows.
func (p *cachedPage) show(keys ...string) { p.keys = append(p.keys, keys...) }

// showArticles adds the keys of the articles the page lists or links.
func (p *cachedPage) showArticles(as []*article.Article) {
	for _, a := range as {
		p.keys = append(p.keys, purge.Article(a.ID))
	}
}

// finish sets the headers of a page built: its Cache-Control and cache
// tags (every page carries purge.Site).
func (c *pageCache) finish(p *cachedPage) {
	p.keys = append(p.keys, purge.Site)
	slices.Sort(p.keys)
	p.keys = slices.Compact(p.keys)
	p.resp.CacheControl = c.cacheControl
	p.resp.SurrogateKey, p.resp.CacheTag = purge.SurrogateKey(p.keys), purge.CacheTag(p.keys)
	p.resp.Prepare()
}

// Cache-Control of the reader pages. Browsers ask again each time (and
// get a 304 when nothing changed), so news is fresh. Without a shared
// cache declared (Options.SharedCacheFor), a CDN does the same, and may
// serve its copy while the nodes fail; with one, it keeps pages that long
// (purged on a change), serves a page past its time while it fetches it
// again, and serves it a day while the nodes fail.
func cacheControl(shared time.Duration) string {
	if shared <= 0 {
		return "public, no-cache, stale-if-error=86400"
	}
	return fmt.Sprintf("public, max-age=0, s-maxage=%d, stale-while-revalidate=60, stale-if-error=86400", int(shared.Seconds()))
}

// setHole marks the placeholder in the page that fill replaces.
func (p *cachedPage) setHole(placeholder string) {
	p.hole, p.holeLen = bytes.Index(p.body, []byte(placeholder)), len(placeholder)
}

// holedGzip is a page with a hole, compressed once around it: a gzip
// member is a DEFLATE stream, and a stream may be cut into independent
// runs of blocks. The part before the hole ends with a sync flush (byte
// aligned, not final); the hole's value goes in as a stored block; the
// part after it is a stream of its own that ends the member. Filling the
// hole then costs a copy and a CRC, not a compression of the whole page
// for every reader (it cost 650 µs and 1.2 MB a request).
type holedGzip struct {
	head      []byte // gzip header and the compressed part before the hole
	tail      []byte // the compressed part after the hole, ending the stream
	headCRC   uint32 // CRC-32 of the uncompressed part before the hole
	afterHole []byte // the uncompressed part after the hole, for the CRC
	size      int    // uncompressed length without the hole's value
}

func newHoledGzip(before, after []byte) *holedGzip {
	var head bytes.Buffer
	// The gzip header of RFC 1952 as Go writes it: no name, no time,
	// unknown OS.
	head.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255})
	fw, _ := flate.NewWriter(&head, flate.DefaultCompression)
	fw.Write(before)
	fw.Flush()
	var tail bytes.Buffer
	fw.Reset(&tail)
	fw.Write(after)
	fw.Close()
	return &holedGzip{head: head.Bytes(), tail: tail.Bytes(), headCRC: crc32.ChecksumIEEE(before), afterHole: after, size: len(before) + len(after)}
}

// fill appends the gzipped page with value in its hole to buf.
func (g *holedGzip) fill(buf []byte, value string) []byte {
	buf = append(buf, g.head...)
	// Stored blocks, not final, of at most 65,535 bytes: header bits 000
	// padded to a byte, then LEN and its complement, little-endian.
	crc := g.headCRC
	for rest := value; rest != ""; {
		n := min(len(rest), 0xffff)
		buf = append(buf, 0, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		buf, rest = append(buf, rest[:n]...), rest[n:]
		crc = crc32.Update(crc, crc32.IEEETable, buf[len(buf)-n:])
	}
	buf = append(buf, g.tail...)
	crc = crc32.Update(crc, crc32.IEEETable, g.afterHole)
	return binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(buf, crc), uint32(g.size+len(value)))
}

// gzipFilled writes the gzipped page with value in its hole into buf,
// which it returns.
func (p *cachedPage) gzipFilled(buf []byte, value string) []byte {
	p.gzipOnce.Do(func() { p.gzHoled = newHoledGzip(p.body[:p.hole], p.body[p.hole+p.holeLen:]) })
	return p.gzHoled.fill(buf[:0], value)
}

// fillHole writes the page with value in its hole into buf, which it
// returns.
func (p *cachedPage) fillHole(buf []byte, value string) []byte {
	buf = append(buf[:0], p.body[:p.hole]...)
	buf = append(buf, value...)
	return append(buf, p.body[p.hole+p.holeLen:]...)
}

// filled holds the buffers of pages filled for one request, so that a busy
// article does not allocate a page's worth of memory per reader.
var filled = sync.Pool{New: func() any { return new([]byte) }}

// gzip compresses the page once, on the first request that accepts it.
func (p *cachedPage) gzip() []byte {
	p.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(p.body)
		zw.Close()
		p.gzipped = buf.Bytes()
	})
	return p.gzipped
}

// pageCache keeps rendered pages by path for a short time. Pages are the
// same for every reader, so this is safe; the short lifetime bounds how
// stale a page can be on every node of a cluster without any messaging.
// A missing or expired page is built once however many readers ask for it
// meanwhile: the others wait for that build.
type pageCache struct {
	site         *web.Site
	ttl          time.Duration
	cacheControl string
	now          func() time.Time
	mu           sync.RWMutex
	pages        map[string]*cachedPage
	building     map[string]*pageBuild
	// waiting, when set (by tests), is called as a reader starts to wait
	// for another reader's build.
	waiting func()
	// observe, when set, is told whether each page served was a hit.
	observe func(hit bool)
	// downUntil is set when a build found the database unavailable:
	// until then, a page past its time is served as it is, without a
	// build (see serve).
	downUntil atomic.Pointer[time.Time]
}

// staleHold is how long after a build found the database unavailable the
// pages past their time are served without asking it again: readers get
// them at once instead of each waiting out a timeout, and one request in
// that time tries the database.
const staleHold = 5 * time.Second

// pageBuild is one build of a page, shared by the readers who wait for
// it. page and err are set before done is closed.
type pageBuild struct {
	done chan struct{}
	page *cachedPage
	err  error
}

// errBuildPanicked is what the readers waiting for a build get when it
// panicked (the panic itself goes up the builder's request).
var errBuildPanicked = errors.New("page cache: the page's build panicked")

// appendKey appends r's key in the page cache to dst: the site's address
// and r's path. Without a configured base URL, pages hold absolute links
// made from the scheme and host of the request that built them, so a page
// built for one (say https behind a proxy) must not be served for another.
func (c *pageCache) appendKey(dst []byte, r *http.Request) []byte {
	return append(c.site.AppendBaseURL(dst, r), r.URL.Path...)
}

func newPageCache(site *web.Site, ttl, shared time.Duration, now func() time.Time, observe func(hit bool)) *pageCache {
	return &pageCache{site: site, ttl: ttl, cacheControl: cacheControl(shared), now: now, observe: observe, pages: map[string]*cachedPage{}, building: map[string]*pageBuild{}}
}

// serve answers r with its page, building it when the cache has no fresh
// copy. Errors from build are returned and not cached. onServe, when
// set, is called with the page served, and fill gives the value for the
// page's hole, if it has one.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, build func() (*cachedPage, error), onServe func(*cachedPage), fill func(*cachedPage) string) error {
	now := c.now()
	var keyBuf [256]byte
	key := c.appendKey(keyBuf[:0], r)
	c.mu.RLock()
	p := c.pages[string(key)] // no copy of key for a lookup
	c.mu.RUnlock()
	hit := p != nil && now.Before(p.expires)
	if !hit && p != nil && c.down(now) {
		hit = true // stale, served at once while the database is away
	}
	if !hit {
		stale := p
		var err error
		if p, err = c.fresh(r.Context(), key, now, build); err != nil {
			if !web.Unavailable(err) {
				return err
			}
			c.downUntil.Store(new(now.Add(staleHold)))
			if stale == nil {
				return err
			}
			// The page last built is better than an error, as a CDN's
			// stale-if-error serves it.
			p = stale
		}
	}
	if c.observe != nil {
		c.observe(hit)
	}
	if onServe != nil {
		onServe(p)
	}
	body := p.body
	gzipped := acceptsGzip(r)
	if p.hole >= 0 && fill != nil {
		buf := filled.Get().(*[]byte)
		defer filled.Put(buf)
		if gzipped {
			*buf = p.gzipFilled(*buf, fill(p))
		} else {
			*buf = p.fillHole(*buf, fill(p))
		}
		body = *buf
	}
	resp := p.resp
	resp.Body = body
	switch {
	case gzipped && p.hole >= 0 && fill != nil:
		resp.Body, resp.Gzipped = nil, body
	case gzipped:
		resp.Gzipped = p.gzip()
	}
	web.ServeBytes(w, r, resp)
	return nil
}

// fresh returns a fresh page for key: one another reader built meanwhile,
// the one another reader is building (waited for), or one it builds. A
// reader whose wait ends with the builder's request cancelled (that
// reader left) tries again rather than fail for it. Errors are not cached.
func (c *pageCache) fresh(ctx context.Context, key []byte, now time.Time, build func() (*cachedPage, error)) (*cachedPage, error) {
	if c.ttl <= 0 {
		// No cache: every reader gets a page of its own.
		p, err := build()
		if err != nil {
			return nil, err
		}
		c.finish(p)
		p.expires = now
		return p, nil
	}
	for {
		c.mu.Lock()
		if p := c.pages[string(key)]; p != nil && now.Before(p.expires) {
			c.mu.Unlock()
			return p, nil
		}
		b := c.building[string(key)]
		if b == nil {
			b = &pageBuild{done: make(chan struct{})}
			k := string(key)
			c.building[k] = b
			c.mu.Unlock()
			c.runBuild(k, b, now, build)
			return b.page, b.err
		}
		c.mu.Unlock()
		if c.waiting != nil {
			c.waiting()
		}
		select {
		case <-b.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// A builder past its deadline waited on the database, as this
		// reader would: that is an answer, not a reader gone.
		builderLeft := errors.Is(b.err, context.Canceled)
		if !builderLeft || ctx.Err() != nil {
			return b.page, b.err
		}
	}
}

// runBuild runs b for key, keeps its page unless clear dropped b meanwhile
// (the page may predate the change that cleared the cache), and lets b's
// readers go.
func (c *pageCache) runBuild(key string, b *pageBuild, now time.Time, build func() (*cachedPage, error)) {
	defer func() {
		c.mu.Lock()
		if c.building[key] == b {
			delete(c.building, key)
			if b.err == nil {
				if len(c.pages) >= maxCachedPages {
					c.pages = map[string]*cachedPage{}
				}
				c.pages[key] = b.page
				c.downUntil.Store(nil)
			}
		}
		c.mu.Unlock()
		close(b.done)
	}()
	b.err = errBuildPanicked // until build returns
	p, err := build()
	if err == nil {
		c.finish(p)
		p.expires = now.Add(c.ttl)
	}
	b.page, b.err = p, err
}

func acceptsGzip(r *http.Request) bool { return web.AcceptsGzip(r) }

// clear forgets every page, after a change that shows on many of them.
// Builds under way are forgotten too: readers from now on start builds of
// their own, and the pages of the forgotten builds are not kept.
func (c *pageCache) clear() {
	c.mu.Lock()
	c.pages = map[string]*cachedPage{}
	c.building = map[string]*pageBuild{}
	c.mu.Unlock()
}

// purge forgets the pages that carry any of keys, and the builds under
// way (which may predate the change).
func (c *pageCache) purge(keys []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for path, p := range c.pages {
		for _, k := range p.keys {
			if slices.Contains(keys, k) {
				delete(c.pages, path)
				break
			}
		}
	}
	c.building = map[string]*pageBuild{}
}

// down reports whether a build found the database unavailable less than
// staleHold ago.
func (c *pageCache) down(now time.Time) bool {
	until := c.downUntil.Load()
	return until != nil && now.Before(*until)
}

// maxCachedBodies bounds the rendered-body cache.
const maxCachedBodies = 2000

// bodyCache keeps articles' rendered HTML by article and version, so that
// an article is rendered again only when it changes.
type bodyCache struct {
	mu     sync.Mutex
	bodies map[int64]*renderedBody
}

type renderedBody struct {
	version int
	media   string // the images' fingerprint (see mediaStamp)
	html    template.HTML
	outline []article.Heading
	// summary stands in for a missing description; image and imageAlt
	// are the body's first image, for social cards.
	summary, image, imageAlt string
	// feed is the body as feeds carry it, for the last site address
	// asked (a site has one).
	feed atomic.Pointer[feedBody]
}

type feedBody struct {
	base string
	html *seo.ItemHTML
}

// feedContent is the body as the content of a feed item, its addresses
// made absolute on base: made once for all the feeds that carry it.
func (b *renderedBody) feedContent(base string) *seo.ItemHTML {
	if f := b.feed.Load(); f != nil && f.base == base {
		return f.html
	}
	f := &feedBody{base: base, html: seo.NewItemHTML(seo.AbsoluteURLs(string(b.html), base))}
	b.feed.Store(f)
	return f.html
}

func newBodyCache() *bodyCache { return &bodyCache{bodies: map[int64]*renderedBody{}} }

func (c *bodyCache) get(a *article.Article, r *render.Renderer, images render.Images, lead bool) (*renderedBody, error) {
	stamp := mediaStamp(images, lead)
	c.mu.Lock()
	b := c.bodies[a.ID]
	c.mu.Unlock()
	if b != nil && b.version == a.Version && b.media == stamp {
		return b, nil
	}
	doc := r.Parse([]byte(a.Body))
	image, imageAlt := seo.FirstImage(doc)
	outline, summary := doc.Outline(), seo.Summary(doc)
	html, err := r.HTMLWith(doc, images, lead)
	if err != nil {
		return nil, err
	}
	// The renderer sanitised the HTML.
	b = &renderedBody{version: a.Version, media: stamp, html: template.HTML(html), outline: outline, summary: summary, image: image, imageAlt: imageAlt}
	c.mu.Lock()
	if len(c.bodies) >= maxCachedBodies {
		c.bodies = map[int64]*renderedBody{}
	}
	c.bodies[a.ID] = b
	c.mu.Unlock()
	return b, nil
}

// mediaStamp fingerprints what of an article's images its rendered body
// shows, so that a new caption or a variant made since renders it again.
func mediaStamp(images render.Images, lead bool) string {
	var b strings.Builder
	fmt.Fprint(&b, lead)
	for _, id := range slices.Sorted(maps.Keys(images)) {
		it := images[id]
		fmt.Fprintf(&b, "|%d %d %q %q %q", id, len(it.Variants), it.Alt, it.Caption, it.Credit)
	}
	return b.String()
}
