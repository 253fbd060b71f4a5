package web

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

var (
	varyEncoding        = []string{"Accept-Encoding"}
	contentEncodingGzip = []string{"gzip"}
)

// Response is a complete response held in memory: a cached page or a
// static file.
type Response struct {
	Body         []byte
	Gzipped      []byte // the body gzipped, or nil
	ETag         string // quoted
	LastModified time.Time
	ContentType  string
	CacheControl string
	// Vary is the Vary header when the response depends on other
	// request headers than Accept-Encoding, the default ("Accept" for an
	// image, which has no gzipped copy, served as WebP to browsers that
	// take it).
	Vary string
	// SurrogateKey and CacheTag are the response's cache tags, for a
	// CDN or Varnish to purge it by (see package purge); "" for none.
	SurrogateKey, CacheTag string

	values *headerValues // see Prepare
}

// headerValues are a response's header values, made once for a response
// served many times: net/http only reads them, and a handler that changes
// a header replaces its slice.
type headerValues struct {
	contentType, cacheControl, etag, lastModified, vary []string
	surrogateKey, cacheTag                              []string
	// The Content-Length last served, plain and gzipped: a page with a
	// hole keeps its length whatever fills it.
	length, gzLength atomic.Pointer[contentLength]
}

type contentLength struct {
	n     int
	value []string
}

// Prepare makes resp's header values once; copies of resp share them.
// Call it before resp is shared, never while it is being served.
func (resp *Response) Prepare() {
	v := &headerValues{contentType: []string{resp.ContentType}, cacheControl: []string{resp.CacheControl}, vary: varyEncoding}
	if resp.Vary != "" {
		v.vary = []string{resp.Vary}
	}
	if resp.ETag != "" {
		v.etag = []string{resp.ETag}
	}
	if resp.SurrogateKey != "" {
		v.surrogateKey = []string{resp.SurrogateKey}
	}
	if resp.CacheTag != "" {
		v.cacheTag = []string{resp.CacheTag}
	}
	if !resp.LastModified.IsZero() {
		v.lastModified = []string{resp.LastModified.UTC().Format(http.TimeFormat)}
	}
	resp.values = v
}

// contentLength returns the header value for a body of n bytes, from
// slot when it holds that length.
func (v *headerValues) contentLength(slot *atomic.Pointer[contentLength], n int) []string {
	if l := slot.Load(); l != nil && l.n == n {
		return l.value
	}
	l := &contentLength{n: n, value: []string{strconv.Itoa(n)}}
	slot.Store(l)
	return l.value
}

// ServeBytes answers r with resp: 304 when the client's copy is current
// (If-None-Match, else If-Modified-Since), the gzipped body to a client
// that accepts it, and headers only to HEAD.
func ServeBytes(w http.ResponseWriter, r *http.Request, resp Response) {
	// Canonical keys assigned directly: this is the hot path of every
	// cached page.
	v := resp.values
	if v == nil {
		resp.Prepare()
		v = resp.values
	}
	h := w.Header()
	h["Content-Type"] = v.contentType
	h["Cache-Control"] = v.cacheControl
	h["Vary"] = v.vary
	if v.etag != nil {
		h["Etag"] = v.etag
	}
	if v.lastModified != nil {
		h["Last-Modified"] = v.lastModified
	}
	if v.surrogateKey != nil {
		h["Surrogate-Key"] = v.surrogateKey
	}
	if v.cacheTag != nil {
		h["Cache-Tag"] = v.cacheTag
	}
	if notModified(r, resp) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, length := resp.Body, &v.length
	if resp.Gzipped != nil && AcceptsGzip(r) {
		body, length = resp.Gzipped, &v.gzLength
		h["Content-Encoding"] = contentEncodingGzip
	}
	h["Content-Length"] = v.contentLength(length, len(body))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func notModified(r *http.Request, resp Response) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if resp.ETag == "" {
			return false
		}
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == resp.ETag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !resp.LastModified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !resp.LastModified.Truncate(time.Second).After(t)
	}
	return false
}

// AcceptsGzip reports whether the client takes a gzipped body.
func AcceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}
