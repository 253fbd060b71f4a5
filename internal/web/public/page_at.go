package public

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// Answer is what the site answers at an address.
type Answer struct {
	// Page says what is served there ("an article", "a tag archive",
	// "the home page", "a feed", ...), or is empty.
	Page string
	// RedirectTo is where the address redirects, when it does.
	RedirectTo string
}

// Found reports whether the address answers with a page or a redirect
// rather than 404.
func (a Answer) Found() bool { return a.Page != "" || a.RedirectTo != "" }

// PageAt says what a reader asking for path (a path on the site, as
// store.CleanRedirectPath gives it) gets at the time now says. It asks the
// reader pages' own handlers, with the built-in templates, so that it
// agrees with them on drafts, scheduled articles, empty archives and
// redirects. An answer other than a page, a redirect or 404 is an error.
func PageAt(ctx context.Context, s store.Store, path string, now func() time.Time) (Answer, error) {
	tpl, err := web.LoadTemplates("")
	if err != nil {
		return Answer{}, err
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		return Answer{}, err
	}
	var logged bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: now}
	mux := http.NewServeMux()
	// The views of this request are never counted: it is not a reader's
	// browser, and the counter is never flushed.
	h, err := New(site, s, render.New(), NewViewCounter(s, logger, now), Options{Now: now})
	if err != nil {
		return Answer{}, err
	}
	h.Register(mux)
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		return Answer{}, err
	}
	w := &statusRecorder{header: http.Header{}}
	CanonicalSlash(mux).ServeHTTP(w, r)
	switch {
	case w.status == http.StatusOK:
		_, pattern := mux.Handler(r)
		switch pattern {
		case catchAll:
			_, pattern = sectionPatterns.Handler(r)
		case get(urls.Article(slugWildcard)):
			slug, _ := urls.ArticleSlug(r.URL.Path)
			if _, err := s.Section(ctx, slug); err == nil {
				return Answer{Page: "a section front"}, nil
			}
		}
		return Answer{Page: serves[pattern]}, nil
	case w.status == http.StatusMovedPermanently || w.status == http.StatusPermanentRedirect:
		return Answer{RedirectTo: w.header.Get("Location")}, nil
	case w.status == http.StatusNotFound || w.status == http.StatusGone:
		return Answer{}, nil
	}
	return Answer{}, fmt.Errorf("the site answers %d at %s: %s", w.status, path, strings.TrimSpace(logged.String()))
}

// serves says what each route of the reader route table serves, by
// pattern.
var serves = func() map[string]string {
	m := make(map[string]string, len(routes))
	for _, rt := range append(routes[:len(routes):len(routes)], sectionRoutes...) {
		if rt.pattern != catchAll {
			m[rt.pattern] = rt.serves
		}
	}
	return m
}()

// sectionPatterns matches an address against sectionRoutes, for PageAt.
var sectionPatterns = func() *http.ServeMux {
	m := http.NewServeMux()
	for _, rt := range sectionRoutes {
		m.Handle(rt.pattern, http.NotFoundHandler())
	}
	return m
}()

// statusRecorder keeps a response's status and headers, dropping its body.
type statusRecorder struct {
	header http.Header
	status int
}

func (w *statusRecorder) Header() http.Header { return w.header }

func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}
