package public

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// mediaFile serves a file of a library image: only the variants made for
// a ready item, never the upload as it came (it may carry a reporter's
// GPS position). Files never change under their address, so browsers
// and caches keep them a year. A browser that takes WebP is given the
// WebP variant of a width it asks for in another format.
func (h *Handlers) mediaFile(w http.ResponseWriter, r *http.Request) error {
	hash, file := r.PathValue("hash"), r.PathValue("file")
	name, ext, _ := strings.Cut(file, ".")
	format, ok := media.FormatFromExt(ext)
	if !ok || h.mediaFiles == nil || !media.IsHash(hash) {
		return web.ErrNotFound
	}
	it, err := h.mediaItem(r.Context(), hash)
	if err != nil {
		return err
	}
	v, ok := it.Variant(name, format)
	if !ok || it.State != media.Ready {
		return web.ErrNotFound
	}
	vary := ""
	if webp, ok := it.Variant(name, media.WebP); ok && format != media.WebP {
		vary = "Accept"
		if strings.Contains(r.Header.Get("Accept"), "image/webp") {
			v = webp
		}
	}
	resp, err := h.mediaFiles.get(r.Context(), hash, v, vary)
	if err != nil {
		return err
	}
	if r.Header.Get("Range") != "" {
		// Rare (a resumed download): the standard library's ranges.
		for k, vs := range map[string]string{"Content-Type": resp.ContentType, "Cache-Control": resp.CacheControl, "Etag": resp.ETag} {
			w.Header().Set(k, vs)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(resp.Body))
		return nil
	}
	web.ServeBytes(w, r, *resp)
	return nil
}

// mediaItem reads the library's item of hash, kept for CacheFor so that
// serving a file reads the store once per item and period, not per
// request.
func (h *Handlers) mediaItem(ctx context.Context, hash string) (*media.Item, error) {
	return h.mediaItems.get(hash, func() (*media.Item, error) {
		it, err := h.store.MediaByHash(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return nil, web.ErrNotFound
		}
		return it, err
	})
}

// mediaFileCache keeps the most recently served files in memory, up to a
// number of bytes: a file never changes under its key, and storage may be
// a database on another machine.
type mediaFileCache struct {
	storage  media.Storage
	maxBytes int
	mu       sync.Mutex
	bytes    int
	order    *list.List // of *cachedFile, most recent first
	files    map[string]*list.Element
}

type cachedFile struct {
	key  string
	resp *web.Response
}

func newMediaFileCache(s media.Storage, maxBytes int) *mediaFileCache {
	return &mediaFileCache{storage: s, maxBytes: maxBytes, order: list.New(), files: map[string]*list.Element{}}
}

// get returns the response of a variant of item hash, prepared to serve
// many times.
func (c *mediaFileCache) get(ctx context.Context, hash string, v media.Variant, vary string) (*web.Response, error) {
	key := media.Key(hash, v.File()) + "|" + vary
	c.mu.Lock()
	if e, ok := c.files[key]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*cachedFile).resp, nil
	}
	c.mu.Unlock()
	data, err := c.storage.Get(ctx, media.Key(hash, v.File()))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, web.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	resp := &web.Response{Body: data, ContentType: v.Format.MIME(), CacheControl: "public, max-age=31536000, immutable",
		ETag: `"` + hash[:20] + "-" + v.File() + `"`, Vary: vary}
	resp.Prepare()
	if len(data) > c.maxBytes/8 {
		return resp, nil // one file must not push out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.files[key]; !ok {
		c.files[key] = c.order.PushFront(&cachedFile{key, resp})
		c.bytes += len(data)
		for c.bytes > c.maxBytes {
			last := c.order.Back()
			f := c.order.Remove(last).(*cachedFile)
			delete(c.files, f.key)
			c.bytes -= len(f.resp.Body)
		}
	}
	return resp, nil
}
