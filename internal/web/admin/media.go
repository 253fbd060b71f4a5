package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// mediaPerPage is how many images the library screen shows at once.
const mediaPerPage = 48

// MediaPage is the photo library: a grid of the images, searched by their
// text, with the form to upload more.
type MediaPage struct {
	Page
	Query     string
	Items     []MediaCard
	Total     int
	PageNum   int
	PrevPage  string
	NextPage  string
	CanDelete bool
	// MaxUploadMB is the largest file accepted, in megabytes.
	MaxUploadMB int
	// Message says why the page came back from a post, when it did.
	Message string
	Info    media.Info // the upload form's text, as posted
}

// MediaCard is one image of the library grid.
type MediaCard struct {
	*media.Item
	Thumb template.HTML // its small picture; empty until it is ready
	// Markdown is what puts the image in an article's body.
	Markdown string
}

func (h *Handler) mediaPage(r *http.Request) (MediaPage, error) {
	q := r.URL.Query()
	p := MediaPage{Page: h.page(r, "Photos", "media"), Query: strings.TrimSpace(q.Get("q")), PageNum: 1, MaxUploadMB: h.maxUploadMB,
		CanDelete: currentUser(r).Role.Can(user.DeleteImages)}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100000 {
			return p, web.BadRequest{Message: fmt.Sprintf("%q is not a page number.", s)}
		}
		p.PageNum = n
	}
	mq := store.MediaQuery{Text: p.Query, Limit: mediaPerPage, Offset: (p.PageNum - 1) * mediaPerPage}
	total, err := h.store.CountMedia(r.Context(), mq)
	if err != nil {
		return p, err
	}
	items, err := h.store.MediaItems(r.Context(), mq)
	if err != nil {
		return p, err
	}
	p.Total = total
	for i, it := range items {
		card := MediaCard{Item: it, Markdown: fmt.Sprintf("![%s](%s%d)", it.Alt, render.MediaRef, it.ID)}
		if it.State == media.Ready {
			// The first rows show at once; the rest load as they near.
			card.Thumb = template.HTML(render.Thumbnail(it, i < 8)) // escaped by render
		}
		p.Items = append(p.Items, card)
	}
	page := func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}}
		if p.Query != "" {
			v.Set("q", p.Query)
		}
		return "/admin/media?" + v.Encode()
	}
	if p.PageNum > 1 {
		p.PrevPage = page(p.PageNum - 1)
	}
	if p.PageNum*mediaPerPage < total {
		p.NextPage = page(p.PageNum + 1)
	}
	return p, nil
}

// mediaList shows the photo library.
func (h *Handler) mediaList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.mediaPage(r)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.media, p)
}

// mediaUpload adds the posted images to the library. A refused file
// comes back on the library page with the reason; the others are kept.
func (h *Handler) mediaUpload(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return web.HTTPError{Status: http.StatusRequestEntityTooLarge,
				Message: fmt.Sprintf("The upload is larger than the limit of %d MB (--max-upload-mb). Nothing was added.", h.maxUploadMB)}
		}
		return web.BadRequest{Message: "The upload could not be read: " + err.Error() + "."}
	}
	defer r.MultipartForm.RemoveAll()
	info := media.Info{Alt: r.FormValue("alt"), Caption: r.FormValue("caption"), Credit: r.FormValue("credit")}
	files := r.MultipartForm.File["file"]
	// The editor's script uploads one image and wants its ID back.
	asJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if len(files) == 0 {
		if asJSON {
			return writeJSONError(w, http.StatusUnprocessableEntity, "Choose an image to upload.")
		}
		return h.mediaRefused(w, r, http.StatusUnprocessableEntity, "Choose an image to upload.", info)
	}
	actor := actorOf(r)
	var added []int64
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
		it, _, err := h.news.Upload(r.Context(), actor, fh.Filename, data, info)
		if err != nil {
			status, msg := uploadRefusal(err)
			if status == 0 {
				return err
			}
			if asJSON {
				return writeJSONError(w, status, fmt.Sprintf("%s was not added: %s", media.CleanFilename(fh.Filename), msg))
			}
			return h.mediaRefused(w, r, status, fmt.Sprintf("%s was not added: %s%s", media.CleanFilename(fh.Filename), msg, addedNote(added)), info)
		}
		added = append(added, it.ID)
		if asJSON {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			return json.NewEncoder(w).Encode(map[string]any{"id": it.ID, "markdown": fmt.Sprintf("![%s](%s%d)", it.Alt, render.MediaRef, it.ID)})
		}
	}
	return redirect(w, r, "/admin/media", "uploaded")
}

// writeJSONError answers the editor's script with why an upload failed.
func writeJSONError(w http.ResponseWriter, status int, msg string) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func addedNote(ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" (the %d file(s) before it were added)", len(ids))
}

// uploadRefusal words the service's refusal of an upload, with its status;
// 0 for an error that is not a refusal.
func uploadRefusal(err error) (int, string) {
	var field *media.FieldError
	var refusal *newsroom.Refusal
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, err.Error()
	case errors.As(err, &field):
		return http.StatusUnprocessableEntity, field.Msg
	case errors.Is(err, media.ErrInvalid):
		return http.StatusUnprocessableEntity, strings.TrimPrefix(err.Error(), media.ErrInvalid.Error()+": ")
	case errors.As(err, &refusal):
		return http.StatusForbidden, refusal.Msg
	case errors.Is(err, newsroom.ErrNoLibrary):
		return http.StatusServiceUnavailable, err.Error()
	}
	return 0, ""
}

func (h *Handler) mediaRefused(w http.ResponseWriter, r *http.Request, status int, msg string, info media.Info) error {
	p, err := h.mediaPage(r)
	if err != nil {
		return err
	}
	p.Message, p.Info = msg, info
	return writePage(w, r, status, h.tpl.media, p)
}

// pathMedia is the library item ID the path names.
func pathMedia(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, web.ErrNotFound
	}
	return id, nil
}

// mediaDescribe saves an image's alt text, caption and credit.
func (h *Handler) mediaDescribe(w http.ResponseWriter, r *http.Request) error {
	id, err := pathMedia(r)
	if err != nil {
		return err
	}
	info := media.Info{Alt: r.PostFormValue("alt"), Caption: r.PostFormValue("caption"), Credit: r.PostFormValue("credit")}
	if err := h.news.DescribeMedia(r.Context(), actorOf(r), id, info); err != nil {
		if status, msg := uploadRefusal(err); status != 0 {
			return web.HTTPError{Status: status, Message: fmt.Sprintf("Image %d was not changed: %s", id, msg)}
		}
		return err
	}
	return redirect(w, r, "/admin/media", "saved")
}

// mediaDelete deletes an image no article uses.
func (h *Handler) mediaDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathMedia(r)
	if err != nil {
		return err
	}
	err = h.news.DeleteMedia(r.Context(), actorOf(r), id)
	var refusal *newsroom.Refusal
	switch {
	case errors.Is(err, store.ErrConflict):
		return web.HTTPError{Status: http.StatusConflict, Message: "Not deleted: " + strings.TrimPrefix(err.Error(), "conflict: ") + "."}
	case errors.As(err, &refusal):
		return web.HTTPError{Status: http.StatusForbidden, Message: refusal.Msg + " Nothing was deleted."}
	case err != nil:
		return err
	}
	return redirect(w, r, "/admin/media", "deleted")
}
