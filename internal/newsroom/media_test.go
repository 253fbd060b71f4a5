package newsroom_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
)

// withLibrary is the service over s with a photo library: in PostgreSQL
// for a PostgreSQL store, in a folder otherwise, as serve has it.
func withLibrary(t *testing.T, s store.Store, clock *testclock.Clock, files media.Storage) *newsroom.Service {
	t.Helper()
	if files == nil {
		files = libraryFiles(t, s)
	}
	n := service(s, clock)
	n.UseLibrary(newsroom.Library{Files: files, Processor: media.NewProcessor(media.Limits{MaxBytes: 2 << 20}, 1)})
	return n
}

func libraryFiles(t *testing.T, s store.Store) media.Storage {
	t.Helper()
	if db, ok := s.(interface{ MediaFiles() media.Storage }); ok {
		return db.MediaFiles()
	}
	dir, err := media.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// noMetadata fails the test when an image file carries EXIF (the GPS
// position of a reporter's photo lives there).
func noMetadata(t *testing.T, name string, data []byte) {
	t.Helper()
	if bytes.Contains(data, []byte("Exif\x00\x00")) || bytes.Contains(data, []byte("eXIf")) || bytes.Contains(data, []byte("EXIF")) {
		t.Errorf("%s carries EXIF", name)
	}
	if len(data) > 4 && data[0] == 0xFF && data[1] == 0xD8 && bytes.Contains(data, []byte{0xFF, 0xE1}) {
		t.Errorf("%s has an APP1 segment", name)
	}
}

func TestUploadMakesCleanVariants(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		files := libraryFiles(t, s)
		n := withLibrary(t, s, clock, files)
		contributor := newsroom.Person(addUser(t, s, "cy@example.org", user.Contributor), "192.0.2.9")
		photo := mediatest.JPEGWithGPS(1600, 1200)
		info := media.Info{Alt: "Fishing boats at the quay", Caption: "Boats stayed in port.", Credit: "Cy Reporter"}
		it, created, err := n.Upload(ctx, contributor, "../../DCIM/IMG_0042.JPG", photo, info)
		if err != nil || !created {
			t.Fatalf("Upload = %v, %t, %v", it, created, err)
		}
		if it.State != media.Ready || it.Filename != "IMG_0042.JPG" || it.Info != info || it.Size != int64(len(photo)) {
			t.Errorf("stored %+v", it)
		}
		// Its pixels are stored turned (EXIF orientation 6); the image
		// is as the camera meant it.
		if it.Width != 1600 || it.Height != 1200 {
			t.Errorf("stored as %d×%d, want 1600×1200 as the camera meant it", it.Width, it.Height)
		}
		if len(it.Variants) == 0 {
			t.Fatal("no variants")
		}
		for _, v := range it.Variants {
			data, err := files.Get(ctx, media.Key(it.Hash, v.File()))
			if err != nil {
				t.Fatalf("variant %s: %v", v.File(), err)
			}
			if v.Size != int64(len(data)) {
				t.Errorf("variant %s recorded as %d bytes, stored %d", v.File(), v.Size, len(data))
			}
			noMetadata(t, v.File(), data)
		}
		// The upload is kept as it came, to make sizes again.
		if kept, err := files.Get(ctx, media.Key(it.Hash, media.OriginalFile)); err != nil || !bytes.Equal(kept, photo) {
			t.Errorf("the upload was not kept: %v", err)
		}
		// The same bytes again are the same image, left as it was.
		again, created, err := n.Upload(ctx, contributor, "copy.jpg", photo, media.Info{Alt: "Other words"})
		if err != nil || created || again.ID != it.ID || again.Alt != info.Alt {
			t.Errorf("second upload = %+v, %t, %v; want image %d unchanged", again, created, err, it.ID)
		}
		if audit, _ := s.Audit(ctx, 1); len(audit) != 1 || audit[0].Action != "uploaded image" || audit[0].Actor != "cy@example.org" {
			t.Errorf("audit = %+v", audit)
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		n := withLibrary(t, s, clock, nil)
		var huge bytes.Buffer
		if err := png.Encode(&huge, image.NewGray(image.Rect(0, 0, 10, 10))); err != nil {
			t.Fatal(err)
		}
		for _, test := range []struct {
			name, file string
			data       []byte
			info       media.Info
			want       error
			says       string
		}{
			{"empty", "empty.jpg", nil, media.Info{}, media.ErrInvalid, "empty"},
			{"html named .jpg", "photo.jpg", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), media.Info{}, media.ErrInvalid, "HTML"},
			{"svg", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), media.Info{}, media.ErrInvalid, "SVG"},
			{"over the limit", "big.png", append(huge.Bytes(), make([]byte, 3<<20)...), media.Info{}, media.ErrTooLarge, "limit"},
			{"truncated", "cut.jpg", mediatest.JPEGWithGPS(400, 300)[:700], media.Info{}, media.ErrInvalid, ""},
			{"long alt text", "ok.jpg", mediatest.JPEGWithGPS(40, 30), media.Info{Alt: strings.Repeat("x", 10_000)}, media.ErrInvalid, "alt text is 10000 characters"},
		} {
			_, _, err := n.Upload(ctx, newsroom.System("test"), test.file, test.data, test.info)
			if !errors.Is(err, test.want) || !strings.Contains(err.Error(), test.says) {
				t.Errorf("%s: err = %v, want %v saying %q", test.name, err, test.want, test.says)
			}
		}
		if c, err := s.CountMedia(ctx, store.MediaQuery{}); err != nil || c != 0 {
			t.Errorf("refused uploads stored %d images (%v)", c, err)
		}
	})
}

func TestDeleteMediaRules(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		files := libraryFiles(t, s)
		n := withLibrary(t, s, clock, files)
		editor := newsroom.Person(addUser(t, s, "ed@example.org", user.Editor), "")
		author := addUser(t, s, "au@example.org", user.Author)
		it, _, err := n.Upload(ctx, editor, "quay.jpg", mediatest.JPEGWithGPS(1400, 900), media.Info{Alt: "Quay"})
		if err != nil {
			t.Fatal(err)
		}
		// An author may not delete images at all.
		var refusal *newsroom.Refusal
		if err := n.DeleteMedia(ctx, newsroom.Person(author, ""), it.ID); !errors.As(err, &refusal) {
			t.Errorf("an author's delete: err = %v, want a Refusal", err)
		}
		// In use as a featured image and in a body: refused, naming the articles.
		a := draft("Harbour report", "Text.", author.ID)
		if err := n.Create(ctx, newsroom.Person(author, ""), a); err != nil {
			t.Fatal(err)
		}
		if err := n.SetFeaturedImage(ctx, newsroom.Person(author, ""), a, it.ID); err != nil {
			t.Fatal(err)
		}
		b := draft("Quay gallery", "Look:\n\n![](media:"+itoa(it.ID)+")\n", author.ID)
		if err := n.Create(ctx, newsroom.Person(author, ""), b); err != nil {
			t.Fatal(err)
		}
		err = n.DeleteMedia(ctx, editor, it.ID)
		if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), a.Slug) || !strings.Contains(err.Error(), b.Slug) {
			t.Errorf("delete of an image in use: err = %v, want a conflict naming %s and %s", err, a.Slug, b.Slug)
		}
		// Let go by both, it goes, with its files.
		a = stored(t, s, a.ID)
		if err := n.SetFeaturedImage(ctx, newsroom.Person(author, ""), a, 0); err != nil {
			t.Fatal(err)
		}
		b = stored(t, s, b.ID)
		b2 := *b
		b2.Body = "No picture now."
		if err := n.Save(ctx, newsroom.Person(author, ""), b, &b2, "edit"); err != nil {
			t.Fatal(err)
		}
		if err := n.DeleteMedia(ctx, editor, it.ID); err != nil {
			t.Fatal(err)
		}
		for _, v := range append(it.Variants, media.Variant{Name: media.OriginalFile}) {
			file := v.File()
			if v.Name == media.OriginalFile {
				file = media.OriginalFile
			}
			if _, err := files.Get(ctx, media.Key(it.Hash, file)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("file %s left after delete: %v", file, err)
			}
		}
		// A featured image must be in the library.
		var field *article.FieldError
		if err := n.SetFeaturedImage(ctx, newsroom.Person(author, ""), stored(t, s, a.ID), it.ID); !errors.As(err, &field) || field.Field != "featured_image" {
			t.Errorf("featuring a deleted image: err = %v, want a featured_image field error", err)
		}
	})
}

// failingFiles refuses to write variants until told to.
type failingFiles struct {
	media.Storage
	fail bool
}

func (f *failingFiles) Put(ctx context.Context, key string, data []byte) error {
	if f.fail && !strings.HasSuffix(key, "/"+media.OriginalFile) {
		return errors.New("disk full")
	}
	return f.Storage.Put(ctx, key, data)
}

func TestFailedVariantsAreRetried(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		files := &failingFiles{Storage: libraryFiles(t, s), fail: true}
		n := withLibrary(t, s, clock, files)
		it, created, err := n.Upload(ctx, newsroom.System("test"), "quay.jpg", mediatest.JPEGWithGPS(800, 600), media.Info{Alt: "Quay"})
		if err != nil || !created {
			t.Fatalf("Upload = %v, %t, %v", it, created, err)
		}
		if it.State != media.Failed || !strings.Contains(it.Error, "disk full") || len(it.Variants) != 0 {
			t.Fatalf("an upload whose variants could not be stored: %+v", it)
		}
		if ready, err := n.MakeSizes(ctx); err != nil || ready != 0 {
			t.Errorf("MakeSizes while still failing = %d, %v", ready, err)
		}
		files.fail = false
		if ready, err := n.MakeSizes(ctx); err != nil || ready != 1 {
			t.Errorf("MakeSizes = %d, %v; want 1 ready", ready, err)
		}
		got, err := s.MediaItem(ctx, it.ID)
		if err != nil || got.State != media.Ready || len(got.Variants) == 0 || got.Attempts != 3 {
			t.Errorf("after the retry: %+v, %v", got, err)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestQueuedImagesAreMadeLater(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		n := withLibrary(t, s, clock, nil)
		it, err := n.Queue(ctx, newsroom.System("demo"), "quay.jpg", mediatest.JPEGWithGPS(900, 600), media.Info{Alt: "Quay"})
		if err != nil {
			t.Fatal(err)
		}
		if it.State != media.Pending || it.Width != 900 || it.Height != 600 {
			t.Errorf("queued %+v", it)
		}
		if _, err := n.Queue(ctx, newsroom.System("demo"), "page.jpg", []byte("<html></html>"), media.Info{}); !errors.Is(err, media.ErrInvalid) {
			t.Errorf("queueing HTML: err = %v, want ErrInvalid", err)
		}
		// A pending image may be featured already; pages show it once made.
		a := draft("Quay works", "Text.", 0)
		a.FeaturedMediaID = it.ID
		if err := n.Create(ctx, newsroom.System("demo"), a); err != nil {
			t.Fatal(err)
		}
		if ready, err := n.MakeSizes(ctx); err != nil || ready != 1 {
			t.Fatalf("MakeSizes = %d, %v", ready, err)
		}
		if got, _ := s.MediaItem(ctx, it.ID); got.State != media.Ready || len(got.Variants) == 0 {
			t.Errorf("after MakeSizes: %+v", got)
		}
	})
}
