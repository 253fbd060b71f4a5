package public

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/web"
)

// newMediaServer serves the reader pages with a media directory holding
// one ready photo (w640 in WebP and JPEG, and its upload, with a GPS
// position in it) and one whose variants are still being made.
func newMediaServer(t *testing.T) (ts *testServer, ready, pending *media.Item) {
	t.Helper()
	dir, err := media.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts = newTestServer(t, time.Minute, "", func(o *Options, _ *web.Site) { o.Media = dir })
	add := func(name string, state media.State) *media.Item {
		sum := sha256.Sum256([]byte(name))
		it := &media.Item{Hash: hex.EncodeToString(sum[:]), Format: media.JPEG, Width: 640, Height: 480, Size: 1000, Filename: name + ".jpg", State: state}
		if state == media.Ready {
			it.Variants = []media.Variant{{Name: "w640", Format: media.WebP, Width: 640, Height: 480}, {Name: "w640", Format: media.JPEG, Width: 640, Height: 480}}
		}
		if _, err := ts.store.AddMedia(ctx, it); err != nil {
			t.Fatal(err)
		}
		for file, data := range map[string]string{"w640.webp": "RIFF-webp-bytes", "w640.jpg": "jpeg-bytes-0123456789", media.OriginalFile: "original with GPS"} {
			if err := dir.Put(ctx, media.Key(it.Hash, file), []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		return it
	}
	return ts, add("ready", media.Ready), add("pending", media.Pending)
}

func TestMediaFilesServed(t *testing.T) {
	ts, it, pending := newMediaServer(t)
	jpeg := "/media/" + it.Hash + "/w640.jpg"

	res, body := ts.get(t, jpeg)
	if res.StatusCode != http.StatusOK || body != "jpeg-bytes-0123456789" {
		t.Fatalf("GET %s = %d %q", jpeg, res.StatusCode, body)
	}
	for header, want := range map[string]string{
		"Content-Type":  "image/jpeg",
		"Cache-Control": "public, max-age=31536000, immutable",
		"Vary":          "Accept",
	} {
		if got := res.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if res, _ := ts.get(t, jpeg, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("GET with its ETag: %d, want 304", res.StatusCode)
	}
	if res, body := ts.get(t, jpeg, "Range", "bytes=5-9"); res.StatusCode != http.StatusPartialContent || body != "bytes" {
		t.Errorf("GET bytes 5-9: %d %q, want 206 \"bytes\"", res.StatusCode, body)
	}
	// A browser that takes WebP gets it at the same address.
	res, body = ts.get(t, jpeg, "Accept", "image/avif,image/webp,*/*")
	if res.Header.Get("Content-Type") != "image/webp" || body != "RIFF-webp-bytes" {
		t.Errorf("GET with Accept: image/webp: %s %q", res.Header.Get("Content-Type"), body)
	}

	for _, path := range []string{
		"/media/" + it.Hash + "/" + media.OriginalFile, // the upload as it came: never
		"/media/" + it.Hash + "/w320.jpg",              // no such variant
		"/media/" + it.Hash + "/w640.svg",
		"/media/" + pending.Hash + "/w640.jpg", // not ready: never served half made
		"/media/" + strings.Repeat("0", 64) + "/w640.jpg",
		"/media/../../etc/passwd",
		"/media/" + it.Hash + "/..%2f..%2fsite.db",
	} {
		if res, _ := ts.get(t, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
}
