package admin

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// newMediaAdmin is the admin with a photo library in a folder and an
// upload limit of 1 MB.
func newMediaAdmin(t *testing.T) (*adminTest, *media.Dir) {
	t.Helper()
	dir, err := media.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	at := newAdminTest(t, func(o *Options) {
		o.MaxUploadMB = 1
		o.Newsroom = newsroom.New(o.Store, render.New(), o.Now, o.Logger)
		o.Newsroom.UseLibrary(newsroom.Library{Files: dir, Processor: media.NewProcessor(media.Limits{MaxBytes: 1 << 20}, 1)})
	})
	return at, dir
}

// upload posts files to the Photos screen as the browser's form does.
func (at *adminTest) upload(token string, fields map[string]string, files map[string][]byte) adminResponse {
	at.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, data := range files {
		part, err := w.CreateFormFile("file", name)
		if err != nil {
			at.t.Fatal(err)
		}
		part.Write(data)
	}
	w.Close()
	return at.do(adminRequest{method: http.MethodPost, path: "/admin/media", token: token, body: &body,
		header: http.Header{"Content-Type": {w.FormDataContentType()}}})
}

func TestPhotosScreen(t *testing.T) {
	at, dir := newMediaAdmin(t)
	ctx := context.Background()
	contributor := at.session(at.addUser("cy@example.org", user.Contributor))
	editor := at.session(at.addUser("ed@example.org", user.Editor))

	// A contributor uploads a phone photo with a GPS position.
	res := at.upload(contributor, map[string]string{"alt": "Boats at the quay", "caption": "Boats stayed in port.", "credit": "Cy Reporter"},
		map[string][]byte{"IMG_0042.JPG": mediatest.JPEGWithGPS(1400, 1000)})
	expectStatus(t, res, http.StatusSeeOther)
	items, err := at.db.MediaItems(ctx, store.MediaQuery{})
	if err != nil || len(items) != 1 {
		t.Fatalf("library after the upload: %v, %v", items, err)
	}
	it := items[0]
	if it.State != media.Ready || it.Alt != "Boats at the quay" || it.Credit != "Cy Reporter" {
		t.Errorf("uploaded %+v", it)
	}
	for _, v := range it.Variants {
		data, err := dir.Get(ctx, media.Key(it.Hash, v.File()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("Exif\x00\x00")) || bytes.Contains(data, []byte{0xFF, 0xE1}) && v.Format == media.JPEG {
			t.Errorf("variant %s carries EXIF", v.File())
		}
	}
	page := at.get("/admin/media?q=quay", contributor)
	expectStatus(t, page, http.StatusOK)
	for _, want := range []string{`/media/` + it.Hash + `/w320.webp 320w`, `value="![Boats at the quay](media:` + fmt.Sprint(it.ID) + `)"`, "IMG_0042.JPG"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the Photos screen lacks %s", want)
		}
	}
	if strings.Contains(page.body, "/delete") {
		t.Error("a contributor is offered to delete")
	}

	// Bad files come back with the reason, and nothing is added.
	for name, test := range map[string]struct {
		file   string
		data   []byte
		status int
		says   string
	}{
		"html":      {"photo.jpg", []byte("<!DOCTYPE html><title>x</title><script>alert(1)</script>"), http.StatusUnprocessableEntity, "HTML"},
		"svg":       {"chart.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), http.StatusUnprocessableEntity, "SVG is not accepted"},
		"too large": {"huge.jpg", bytes.Repeat([]byte{0xFF}, 3<<20), http.StatusRequestEntityTooLarge, "the limit is 1 MB"},
	} {
		res := at.upload(editor, nil, map[string][]byte{test.file: test.data})
		if res.StatusCode != test.status || !strings.Contains(res.body, test.says) {
			t.Errorf("%s: %d, want %d saying %q:\n%s", name, res.StatusCode, test.status, test.says, excerptOf(res.body))
		}
	}
	if n, _ := at.db.CountMedia(ctx, store.MediaQuery{}); n != 1 {
		t.Errorf("%d images after refused uploads, want 1", n)
	}

	// Describing, then deleting: refused while an article features it.
	expectStatus(t, at.post(fmt.Sprintf("/admin/media/%d", it.ID), contributor, url.Values{"alt": {"Fishing boats"}, "caption": {""}, "credit": {"Cy"}}), http.StatusSeeOther)
	if got, _ := at.db.MediaItem(ctx, it.ID); got.Alt != "Fishing boats" {
		t.Errorf("alt after describing: %q", got.Alt)
	}
	a := at.addArticle("harbour", 0)
	a.FeaturedMediaID = it.ID
	if err := at.db.UpdateArticle(ctx, a, "photo"); err != nil {
		t.Fatal(err)
	}
	res = at.post(fmt.Sprintf("/admin/media/%d/delete", it.ID), editor, url.Values{})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.body, "harbour") {
		t.Errorf("deleting a featured image: %d\n%s", res.StatusCode, excerptOf(res.body))
	}
	a.FeaturedMediaID = 0
	if err := at.db.UpdateArticle(ctx, a, "no photo"); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, at.post(fmt.Sprintf("/admin/media/%d/delete", it.ID), editor, url.Values{}), http.StatusSeeOther)
	if n, _ := at.db.CountMedia(ctx, store.MediaQuery{}); n != 0 {
		t.Errorf("%d images after delete", n)
	}
}
