package public

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// redirectMaxAge is how long browsers and proxies may keep a redirect.
// "Permanent" redirects are otherwise kept for good, and a redirect can
// be deleted, or an article renamed back to its old slug.
const redirectMaxAge = "public, max-age=3600"

// redirecting wraps fn so that a GET or HEAD of an address fn does not find
// answers 301 with the redirect stored for it, keeping the query string.
// The store is asked only then, so pages that are found cost nothing more.
func (h *Handlers) redirecting(fn web.HandlerFunc) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := fn(w, r)
		if err == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
			!(errors.Is(err, web.ErrNotFound) || errors.Is(err, store.ErrNotFound)) {
			return err
		}
		from, cerr := store.CleanRedirectPath(r.URL.EscapedPath())
		if cerr != nil {
			return err // no redirect can be stored for such an address
		}
		to, rerr := h.store.Redirect(r.Context(), from)
		if errors.Is(rerr, store.ErrNotFound) {
			return err
		}
		if rerr != nil {
			return fmt.Errorf("look up a redirect for %s: %w", from, rerr)
		}
		w.Header().Set("Cache-Control", redirectMaxAge)
		http.Redirect(w, r, withQuery(to, r.URL.RawQuery), http.StatusMovedPermanently)
		return nil
	}
}

// withQuery adds a request's query string to a redirect's target, after
// the target's own query if it has one.
func withQuery(to, query string) string {
	if query == "" {
		return to
	}
	u, err := url.Parse(to)
	if err != nil {
		return to
	}
	if u.RawQuery == "" {
		u.RawQuery = query
	} else {
		u.RawQuery += "&" + query
	}
	return u.String()
}

// wordPressAddress answers a WordPress "plain" permalink (/?p=123,
// /?page_id=45) of a site moved in from WordPress with the redirect its
// import stored (see store.WordPressQueryAddress). Such an address is the
// home page's, which is found, so redirecting never sees it. done reports
// whether it answered.
func (h *Handlers) wordPressAddress(w http.ResponseWriter, r *http.Request) (done bool, err error) {
	from := r.URL.Path + "?" + r.URL.RawQuery
	if !store.WordPressQueryAddress.MatchString(from) {
		return false, nil
	}
	to, err := h.store.Redirect(r.Context(), from)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up a redirect for %s: %w", from, err)
	}
	w.Header().Set("Cache-Control", redirectMaxAge)
	http.Redirect(w, r, to, http.StatusMovedPermanently)
	return true, nil
}
