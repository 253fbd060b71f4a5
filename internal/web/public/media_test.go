package public

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/urls"
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

// fullPhoto is a ready library item with every variant a photo gets.
func fullPhoto(t *testing.T, ts *testServer) *media.Item {
	t.Helper()
	sum := sha256.Sum256([]byte("featured photo"))
	it := &media.Item{Hash: hex.EncodeToString(sum[:]), Format: media.JPEG, Width: 4000, Height: 3000, Size: 3_000_000,
		Filename: "border-crossing.jpg", State: media.Ready,
		Info: media.Info{Alt: "Trucks queue at the border crossing", Caption: "Trucks waited for two days at the crossing.", Credit: "Amina Qureshi / Frontier Wire"}}
	for _, w := range []int{320, 640, 960, 1280, 1920} {
		for _, f := range []media.Format{media.WebP, media.JPEG} {
			it.Variants = append(it.Variants, media.Variant{Name: "w" + strconv.Itoa(w), Format: f, Width: w, Height: w * 3 / 4, Size: int64(w * 50)})
		}
	}
	for _, c := range []media.Variant{{Name: "share", Width: 1200, Height: 630}, {Name: "16x9", Width: 1200, Height: 675}, {Name: "4x3", Width: 1200, Height: 900}, {Name: "1x1", Width: 1200, Height: 1200}} {
		for _, f := range []media.Format{media.WebP, media.JPEG} {
			c.Format, c.Size = f, 90_000
			it.Variants = append(it.Variants, c)
		}
	}
	if _, err := ts.store.AddMedia(ctx, it); err != nil {
		t.Fatal(err)
	}
	return it
}

// The reference article with a featured image shows it with its caption
// and credit, and its social cards, structured data and feeds carry it.
func TestReferenceArticleWithFeaturedImage(t *testing.T) {
	ts := newTestServer(t, 0, "")
	a := importText(t, ts, referenceArticle(t))
	photo := fullPhoto(t, ts)
	a.FeaturedMediaID = photo.ID
	a.Section = ts.addSection(t, "Region", "")
	if err := ts.store.UpdateArticle(ctx, a, "featured image"); err != nil {
		t.Fatal(err)
	}
	res, page := ts.get(t, "/"+a.Slug+"/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET the article: %d", res.StatusCode)
	}
	src := func(file string) string { return "/media/" + photo.Hash + "/" + file }
	for _, want := range []string{
		`<figure class="photo"><picture><source type="image/webp" srcset="` + src("w320.webp") + ` 320w, ` + src("w640.webp") + ` 640w`,
		`<img src="` + src("w960.jpg") + `" srcset="` + src("w320.jpg") + ` 320w,`,
		`width="960" height="720" alt="Trucks queue at the border crossing" fetchpriority="high"`,
		`<figcaption>Trucks waited for two days at the crossing. <span class="credit">Photo: Amina Qureshi / Frontier Wire</span></figcaption>`,
		`<meta property="og:image" content="` + ts.URL + src("share.jpg") + `">`,
		`<meta property="og:image:width" content="1200">`,
		`<meta property="og:image:height" content="630">`,
		`<meta property="og:image:alt" content="Trucks queue at the border crossing">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`"image":["` + ts.URL + src("16x9.jpg") + `","` + ts.URL + src("4x3.jpg") + `","` + ts.URL + src("1x1.jpg") + `"]`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the article page lacks %s", want)
		}
	}
	if strings.Index(page, `<figure class="photo">`) > strings.Index(page, `<div class="article-body">`) {
		t.Error("the featured image is not above the body")
	}
	// The front page leads with it, loaded at once and with high
	// priority (the page's largest paint); the section's front page lists
	// it with a small thumbnail, the first card's, also loaded at once.
	_, home := ts.get(t, "/")
	if want := `<div class="lead-photo"><picture><source type="image/webp" srcset="` + src("w320.webp") + ` 320w`; !strings.Contains(home, want) {
		t.Errorf("the front page lacks the lead photo %s", want)
	}
	if !strings.Contains(home, `fetchpriority="high"`) || strings.Contains(home, `loading="lazy"`) {
		t.Error("the front page's lead photo is not loaded at once")
	}
	_, list := ts.get(t, urls.Section("region"))
	if want := `<div class="thumb"><picture><source type="image/webp" srcset="` + src("w320.webp") + ` 320w`; !strings.Contains(list, want) {
		t.Errorf("the section's front page lacks the thumbnail %s", want)
	}
	if want := `<img src="` + src("w320.jpg") + `"`; !strings.Contains(list, want) || !strings.Contains(list, `sizes="8rem" width="320" height="240" alt="" fetchpriority="high"`) {
		t.Errorf("the section front page's thumbnail is not the small lead image")
	}
	share := ts.URL + src("share.jpg")
	for path, want := range map[string][]string{
		urls.Feed(urls.Home, urls.RSS):      {`<enclosure url="` + share + `" length="90000" type="image/jpeg"></enclosure>`, `<media:content url="` + share + `" medium="image" type="image/jpeg" width="1200" height="630">`, `<media:description>Trucks waited for two days at the crossing.</media:description>`},
		urls.Feed(urls.Home, urls.Atom):     {`<link href="` + share + `" rel="enclosure" type="image/jpeg" length="90000"></link>`},
		urls.Feed(urls.Home, urls.JSONFeed): {`"image":"` + share + `"`},
	} {
		_, feed := ts.get(t, path)
		for _, w := range want {
			if !strings.Contains(feed, w) {
				t.Errorf("%s lacks %s", path, w)
			}
		}
	}
}

// Two nodes on one PostgreSQL database: an image uploaded through one is
// served by the other, with no disk shared.
func TestTwoNodesServeEachOthersUploads(t *testing.T) {
	dsn := pgtest.NewSchemaDSN(t)
	clock := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	node := func() (*postgres.DB, *httptest.Server) {
		db, err := postgres.Open(ctx, dsn, store.Options{Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		tpl, err := web.LoadTemplates("")
		if err != nil {
			t.Fatal(err)
		}
		assets, err := web.LoadAssets("")
		if err != nil {
			t.Fatal(err)
		}
		site := &web.Site{Templates: tpl, Assets: assets, Logger: slog.New(slog.DiscardHandler), Now: clock.Now, Info: web.SiteInfo{Title: "Node", Language: "en"}}
		h, err := New(site, db, render.New(), NewViewCounter(db, site.Logger, clock.Now), Options{CacheFor: time.Second, Now: clock.Now, Media: db.MediaFiles()})
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		h.Register(mux)
		srv := httptest.NewServer(site.Middleware(CanonicalSlash(mux)))
		t.Cleanup(srv.Close)
		return db, srv
	}
	dbA, _ := node()
	_, srvB := node()
	n := newsroom.New(dbA, render.New(), clock.Now, nil)
	n.UseLibrary(newsroom.Library{Files: dbA.MediaFiles(), Processor: media.NewProcessor(media.Limits{}, 1)})
	it, _, err := n.Upload(ctx, newsroom.System("node A"), "quay.jpg", mediatest.JPEGWithGPS(700, 500), media.Info{Alt: "Quay"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(srvB.URL + "/media/" + it.Hash + "/w640.webp")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/webp" || !bytes.HasPrefix(body, []byte("RIFF")) {
		t.Errorf("node B served %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(body))
	}
}
