package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

var varyEncoding = []string{"Accept-Encoding"}

// Response is a complete response held in memory: a cached page or a
// static file.
type Response struct {
	Body         []byte
	Gzipped      []byte // the body gzipped, or nil
	ETag         string // quoted
	LastModified time.Time
	ContentType  string
	CacheControl string
}

// ServeBytes answers r with resp: 304 when the client's copy is current
// (If-None-Match, else If-Modified-Since), the gzipped body to a client
// that accepts it, and headers only to HEAD.
func ServeBytes(w http.ResponseWriter, r *http.Request, resp Response) {
	// Canonical keys assigned directly: this is the hot path of every
	// cached page.
	h := w.Header()
	h["Content-Type"] = []string{resp.ContentType}
	h["Cache-Control"] = []string{resp.CacheControl}
	h["Vary"] = varyEncoding
	if resp.ETag != "" {
		h["Etag"] = []string{resp.ETag}
	}
	if !resp.LastModified.IsZero() {
		h["Last-Modified"] = []string{resp.LastModified.UTC().Format(http.TimeFormat)}
	}
	if notModified(r, resp) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := resp.Body
	if resp.Gzipped != nil && AcceptsGzip(r) {
		body = resp.Gzipped
		h.Set("Content-Encoding", "gzip")
	}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
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
