package admin

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// sessionCookie holds a signed-in browser's session token. The store
// keeps only its hash.
const sessionCookie = "dateline_session"

// contentSecurityPolicy allows the admin's own files and nothing else: no
// inline script or style, no frames, no plugins, forms posting only here.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure wraps fn with what every admin response needs: headers that
// keep it out of frames, caches and search engines; a refusal of a
// state-changing request sent by another site; a limit of limit bytes on
// the body; and the admin's error page for an error.
func (h *Handler) secure(limit int64, fn web.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "same-origin")
		hdr.Set("X-Robots-Tag", "noindex, nofollow")
		hdr.Set("Cache-Control", "no-store")
		if err := h.cop.Check(r); err != nil {
			// Cross-site: a page elsewhere tried to make a signed-in
			// browser change something here.
			h.error(w, r, web.HTTPError{Status: http.StatusForbidden,
				Message: "This request came from another site, so it was refused. Use the admin's own pages."})
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if err := fn(w, r); err != nil {
			h.error(w, r, err)
		}
	})
}

// parseBody reads a posted form, so that a body over the route's limit
// is refused before the handler acts on half of it.
func (h *Handler) parseBody(r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	var err error
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		err = r.ParseMultipartForm(MaxFormBody)
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return web.HTTPError{Status: http.StatusRequestEntityTooLarge,
			Message: "What you sent is too large: the limit is " + web.FormatNumber(tooBig.Limit/(1<<20)) + " MB. Nothing was saved."}
	case err != nil:
		return web.BadRequest{Message: "The form could not be read. Nothing was saved."}
	}
	return nil
}

// ErrorPage is the admin's page for an error.
type ErrorPage struct {
	Page
	Status  int
	Message string
}

// error answers r with the admin's error page for err. Server errors are
// logged once, without the request's body or cookies.
func (h *Handler) error(w http.ResponseWriter, r *http.Request, err error) {
	status := web.StatusOf(err)
	if status == 499 {
		return
	}
	p := ErrorPage{Page: h.page(r, http.StatusText(status), ""), Status: status}
	switch {
	case status == http.StatusNotFound:
		p.Title = "Not found"
		p.Message = "There is nothing at this address in the admin."
		var httpErr web.HTTPError
		if errors.As(err, &httpErr) {
			p.Message = httpErr.Message
		}
	case status == http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", web.RetryAfter)
		h.site.LogUnavailable(r, err)
		p.Title = "The database is not answering"
		p.Message = "It did not answer in time. Try again in a moment; if you were saving, look first whether the change was saved."
	case status >= 500:
		h.logger.Error("admin request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Title = "Something went wrong"
		p.Message = "The request could not be completed. Please try again in a moment."
	default:
		p.Message = err.Error()
	}
	if err := writePage(w, r, status, h.tpl.error, p); err != nil {
		h.logger.Error("render admin error page", "err", err)
		http.Error(w, p.Message, status)
	}
}

// sessionUser returns the user signed in by r's session cookie, or nil.
func (h *Handler) sessionUser(r *http.Request) (*user.User, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, err := h.store.SessionUser(r.Context(), user.HashToken(c.Value), h.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// toSignin sends an anonymous request to the sign-in page: with a note
// that the session expired when it carried a cookie, and with the page to
// come back to when it was a GET.
func (h *Handler) toSignin(w http.ResponseWriter, r *http.Request) error {
	q := url.Values{}
	if _, err := r.Cookie(sessionCookie); err == nil {
		h.clearSessionCookie(w, r)
		q.Set("flash", "expired")
	} else {
		q.Set("flash", "signin")
	}
	if r.Method == http.MethodGet {
		q.Set("next", r.URL.RequestURI())
	}
	http.Redirect(w, r, "/admin/signin?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// safeNext returns where to go after signing in: a page of the admin, never
// another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/admin/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") || strings.HasPrefix(u.Path, "/admin/signin") {
		return "/admin/"
	}
	return u.RequestURI()
}

// clientIP is the reader's address, as Site.Middleware resolved it (see
// web.ClientOf), for sign-in throttling, sessions and the audit log.
func clientIP(r *http.Request) string { return web.ClientOf(r).Addr.String() }

func (h *Handler) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/admin", MaxAge: int(user.SessionLifetime.Seconds()),
		HttpOnly: true, Secure: web.ClientOf(r).Secure, SameSite: http.SameSiteLaxMode,
	})
}

func (h *Handler) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/admin", MaxAge: -1,
		HttpOnly: true, Secure: web.ClientOf(r).Secure, SameSite: http.SameSiteLaxMode,
	})
}
