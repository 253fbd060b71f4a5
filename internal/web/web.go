// Package web is Dateline's HTTP layer: the server and its middleware, the
// adapter that turns a handler's error into a status and a themed error
// page, the template engine and the embedded static assets. The reader
// pages live in web/public and the admin in web/admin; both register their
// routes on the mux built here.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// HandlerFunc is an HTTP handler that reports failure by returning an
// error; Site.Handle turns it into a response.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ErrNotFound is returned by handlers for a page that does not exist.
var ErrNotFound = errors.New("page not found")

// BadRequest is returned by handlers for a request they cannot make sense
// of; its message is shown to the reader.
type BadRequest struct{ Message string }

func (e BadRequest) Error() string { return e.Message }

// HTTPError is returned by handlers for another client error, with the
// status and the message shown to the reader.
type HTTPError struct {
	Status  int
	Message string
}

func (e HTTPError) Error() string { return e.Message }

// StatusOf maps an error to its HTTP status, the one table of it (499:
// the reader went away; nothing is sent).
func StatusOf(err error) int {
	var bad BadRequest
	var httpErr HTTPError
	switch {
	case errors.As(err, &httpErr):
		return httpErr.Status
	case errors.Is(err, ErrNotFound), errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.As(err, &bad):
		return http.StatusBadRequest
	case errors.Is(err, context.Canceled):
		return 499 // the reader went away; nothing is sent
	case Unavailable(err):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Unavailable reports whether err says the database could not answer in
// time (unreachable, busy, or past the request's deadline): the request
// may be tried again.
func Unavailable(err error) bool {
	return errors.Is(err, store.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

// RetryAfter is what a 503 asks clients to wait, in seconds.
const RetryAfter = "5"

// unavailableLogEvery is how often a database that stays away is logged:
// once, then once an interval with the count of requests it failed, not a
// line for each of them.
const unavailableLogEvery = 10 * time.Second

// Site holds what every handler shares: the templates, the assets, the
// site's settings and the logger.
type Site struct {
	Templates *Templates
	Assets    *Assets
	// Info is the site as configured (flags, environment); Current adds
	// what an administrator set in the admin.
	Info   SiteInfo
	Logger *slog.Logger
	// Now is the clock (the footer's year). Required.
	Now func() time.Time
	// TrustProxy makes Middleware take each reader's address and scheme
	// from X-Forwarded-For and X-Forwarded-Proto: set it only behind a
	// reverse proxy that sets them. Without it those headers, which anyone
	// can send, are ignored. Read when Middleware is called.
	TrustProxy bool
	// Menus, when set, gives the header and footer menus; LoadSettings
	// reads them with the settings.
	Menus     func(ctx context.Context) (header, footer []MenuLink, err error)
	overrides atomic.Pointer[SiteInfo]
	menus     atomic.Pointer[[2][]MenuLink]
	// unavailable counts the requests failed for an unavailable database
	// since it was last logged, at logged.
	unavailableMu sync.Mutex
	unavailable   int
	logged        time.Time
}

// MenuLink is a link of a menu.
type MenuLink struct {
	Label string
	Href  string
}

// Current returns the site's description as it stands: Info, with each
// field an administrator set (see SetOverrides) in its place.
func (s *Site) Current() SiteInfo {
	info := s.Info
	if o := s.overrides.Load(); o != nil {
		for _, f := range []struct {
			dst *string
			src string
		}{
			{&info.Title, o.Title}, {&info.Description, o.Description},
			{&info.Language, o.Language}, {&info.Logo, o.Logo}, {&info.TimeZone, o.TimeZone},
			{&info.PublishingPrinciples, o.PublishingPrinciples}, {&info.CorrectionsPolicy, o.CorrectionsPolicy},
		} {
			if f.src != "" {
				*f.dst = f.src
			}
		}
	}
	if o := s.overrides.Load(); o != nil && o.TopicMinArticles > 0 {
		info.TopicMinArticles = o.TopicMinArticles
	}
	if m := s.menus.Load(); m != nil {
		info.Menu, info.FooterMenu = m[0], m[1]
	}
	return info
}

// SiteOverrides is the part of s that overrides the configured SiteInfo.
func SiteOverrides(s store.SiteSettings) SiteInfo {
	info := SiteInfo{Title: s.Title, Description: s.Description, Language: s.Language, Logo: s.LogoURL, TimeZone: s.TimeZone}
	if s.PublishingPrinciples != "" {
		info.PublishingPrinciples = urls.Article(s.PublishingPrinciples)
	}
	if s.CorrectionsPolicy != "" {
		info.CorrectionsPolicy = urls.Article(s.CorrectionsPolicy)
	}
	// The newsroom checked it when it was saved; anything else keeps the
	// configured value.
	if n, err := strconv.Atoi(s.TopicMinArticles); err == nil && n > 0 {
		info.TopicMinArticles = n
	}
	return info
}

// SiteSettingsInterval is how often a server reads the site settings
// again, to follow a change made on another node.
const SiteSettingsInterval = 30 * time.Second

// LoadSettings reads the site settings from st, and the menus (see
// Menus), and applies them.
func (s *Site) LoadSettings(ctx context.Context, st store.SettingsStore) error {
	set, err := st.SiteSettings(ctx)
	if err != nil {
		return err
	}
	s.SetOverrides(SiteOverrides(set))
	if s.Menus != nil {
		header, footer, err := s.Menus(ctx)
		if err != nil {
			return err
		}
		s.menus.Store(&[2][]MenuLink{header, footer})
	}
	return nil
}

// FollowSettings reads the site settings from st again every interval
// (SiteSettingsInterval in a server) until ctx is done, and then returns:
// the caller runs it and waits for it to end before closing st. A failed
// read is logged, unless it failed because ctx was done.
func (s *Site) FollowSettings(ctx context.Context, st store.SettingsStore, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if ctx.Err() != nil {
				return // select chose the tick of the two ready
			}
			if err := s.LoadSettings(ctx, st); err != nil && ctx.Err() == nil {
				s.Logger.Error("read the site settings", "err", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

// SetOverrides replaces what the admin set of the site; empty fields keep
// the configured values. Safe to call while serving.
func (s *Site) SetOverrides(o SiteInfo) {
	s.overrides.Store(&o)
	s.ApplySettings()
}

// ApplySettings gives the templates the site's time zone and language,
// as Current has them: SetOverrides calls it, and a server that has set
// Info before it serves. Safe to call while serving.
func (s *Site) ApplySettings() {
	if s.Templates == nil {
		return
	}
	info := s.Current()
	// The admin checks the zone before saving it; an unknown one (a
	// newer zone database elsewhere) leaves dates in UTC.
	loc, err := time.LoadLocation(info.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	s.Templates.SetLocation(loc)
	s.Templates.SetLanguage(info.Language)
}

// Locale returns the locale of the site's language, for what Go code
// writes to readers (see Locale.Text).
func (s *Site) Locale() *Locale {
	if s.Templates != nil {
		return s.Templates.Engine().LocaleFor(s.Current().Language)
	}
	return LocaleFor(s.Current().Language)
}

// SiteInfo describes the site in every page.
type SiteInfo struct {
	Title       string
	Description string
	Language    string
	// BaseURL is the site's public address without a final slash; empty
	// takes it from each request.
	BaseURL string
	// Logo is the publisher logo's address; empty uses the built-in one.
	Logo string
	// TimeZone is the IANA name of the zone pages show dates in; empty
	// is UTC.
	TimeZone string
	// PublishingPrinciples and CorrectionsPolicy are the paths of the
	// pages that state them; empty for none.
	PublishingPrinciples, CorrectionsPolicy string
	// Menu and FooterMenu are the site's menus, as LoadSettings last read
	// them.
	Menu, FooterMenu []MenuLink
	// TopicMinArticles is how many public articles must name an entity
	// before it has a topic page; 0 is the newsroom's default
	// (newsroom.DefaultTopicMinArticles).
	TopicMinArticles int
	// SearchAt, when set, is the address of the search page of the
	// Dateline node that answers searches, for pages served from
	// elsewhere (a static export); empty is the site's own /search/.
	SearchAt string
}

// SearchPage is the address the search forms send their query to.
func (s SiteInfo) SearchPage() string {
	if s.SearchAt != "" {
		return s.SearchAt
	}
	return urls.Search
}

// SearchPageURL is SearchPage as an absolute address, for the OpenSearch
// description and the SearchAction of structured data.
func (s *Site) SearchPageURL(r *http.Request) string {
	if at := s.Current().SearchAt; at != "" {
		return at
	}
	return s.AbsURL(r, urls.Search)
}

// BaseURL returns the site's address for r: the configured one, or the
// scheme the reader used (see ClientOf) and the host r came to.
func (s *Site) BaseURL(r *http.Request) string {
	if s.Info.BaseURL != "" {
		return s.Info.BaseURL
	}
	return schemeOf(r) + "://" + r.Host
}

// AppendBaseURL appends BaseURL(r) to dst, for keys built on every
// request without allocating.
func (s *Site) AppendBaseURL(dst []byte, r *http.Request) []byte {
	if s.Info.BaseURL != "" {
		return append(dst, s.Info.BaseURL...)
	}
	dst = append(dst, schemeOf(r)...)
	dst = append(dst, "://"...)
	return append(dst, r.Host...)
}

// AbsURL returns the absolute address of path on this site.
func (s *Site) AbsURL(r *http.Request, path string) string {
	return s.BaseURL(r) + path
}

// ErrorPage is the page shown for a 404 or 500.
type ErrorPage struct {
	Base
	Status  int
	Heading string
	Message string
}

// Handle adapts fn to http.Handler: an error becomes the themed error page
// with its status, and a server error is logged, once.
func (s *Site) Handle(fn HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}

// Error answers r with the error page for err.
func (s *Site) Error(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	if status == 499 {
		return
	}
	page := ErrorPage{Status: status}
	l := s.Locale()
	switch status {
	case http.StatusNotFound:
		page.Heading = l.Text("error_not_found")
		page.Message = l.Text("error_not_found_text")
	case http.StatusBadRequest:
		page.Heading = l.Text("error_bad_request")
		page.Message = err.Error()
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", RetryAfter)
		s.LogUnavailable(r, err)
		page.Heading = l.Text("error_server")
		page.Message = l.Text("error_server_text")
	default:
		if status < 500 {
			page.Heading = http.StatusText(status)
			page.Message = err.Error()
			break
		}
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		page.Heading = l.Text("error_server")
		page.Message = l.Text("error_server_text")
	}
	page.Base = s.Base(r, page.Heading, "")
	page.Base.NoIndex = true
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Templates.errorPage.Render(w, status, page); err != nil {
		s.Logger.Error("render error page", "err", err)
	}
}

// LogUnavailable logs a request failed for an unavailable database: the
// first at once, then one line an interval with how many failed since.
func (s *Site) LogUnavailable(r *http.Request, err error) {
	now := s.Now()
	s.unavailableMu.Lock()
	s.unavailable++
	n := s.unavailable
	due := now.Sub(s.logged) >= unavailableLogEvery
	if due {
		s.unavailable, s.logged = 0, now
	}
	s.unavailableMu.Unlock()
	if due {
		s.Logger.Error("database unavailable: answered 503", "requests", n, "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// Base is the part of every page that the layout reads.
type Base struct {
	Site        SiteInfo
	Assets      *Assets
	Title       string // the document title, without the site name
	Description string
	Path        string
	NoIndex     bool
	Year        int
	// Canonical is the page's one absolute address for search engines.
	Canonical string
	// Meta are OpenGraph and Twitter card tags.
	Meta []MetaTag
	// Feeds are the feeds that readers' software finds from this page.
	Feeds []FeedLink
	// StructuredData are JSON-LD objects, written by html/template as
	// escaped JSON.
	StructuredData []any
	// Wide lays the page out wider than the reading measure, as the
	// front page's columns need.
	Wide bool
	// SearchQuery is the query the search page shows results for, which
	// the header's search box keeps.
	SearchQuery string
}

// MetaTag is a <meta> with a name (Twitter) or a property (OpenGraph).
type MetaTag struct {
	Name, Property, Content string
}

// FeedLink is a <link rel="alternate"> to a feed.
type FeedLink struct {
	Type, Title, Href string
}

// Base fills in the common part of a page.
func (s *Site) Base(r *http.Request, title, description string) Base {
	info := s.Current()
	if description == "" {
		description = info.Description
	}
	b := Base{Site: info, Assets: s.Assets, Title: title, Description: description, Path: r.URL.Path, Year: s.Now().Year()}
	// Every page offers the site's feeds; archives add their own.
	for _, l := range seo.FeedLinks(seo.SiteFeed, "", info.Title) {
		b.Feeds = append(b.Feeds, FeedLink{Type: l.Type, Title: l.Title, Href: s.AbsURL(r, l.Href)})
	}
	return b
}

// Middleware wraps h with what every request gets: the client resolved
// for ClientOf (behind a proxy when TrustProxy is set), panic recovery
// (the 500 page, a logged stack, and a server that keeps serving), a
// request log line, security headers and limits on what a request may
// carry.
func (s *Site) Middleware(h http.Handler) http.Handler {
	trustProxy := s.TrustProxy
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if trustProxy {
			// Without a proxy, ClientOf reads the connection itself: no
			// context to allocate on every request.
			r = withClient(r)
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rec.wroteHeader {
					s.Error(rec, r, fmt.Errorf("panic: %v", p))
				}
			}
			// Checked first: building the record costs more than serving a
			// cached page, and --quiet turns it off.
			if s.Logger.Enabled(r.Context(), slog.LevelInfo) {
				s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.Int("status", rec.status), slog.Int("bytes", rec.bytes), slog.Duration("duration", time.Since(start).Round(time.Microsecond)))
			}
		}()
		// Canonical keys and shared values assigned directly: this runs
		// for every request. A handler that sets its own replaces the
		// slice, never writes into it.
		hdr := w.Header()
		hdr["X-Content-Type-Options"] = nosniff
		hdr["Referrer-Policy"] = referrerPolicy
		hdr["Content-Security-Policy"] = contentSecurityPolicy
		if len(r.URL.RawQuery) > maxQuery || len(r.URL.Path) > maxPath {
			s.Error(rec, r, BadRequest{"The address is too long."})
			return
		}
		if hasDotSegment(r.URL.Path) {
			// No page lives above the site's root: "..", plain or encoded,
			// is not found rather than redirected.
			s.Error(rec, r, ErrNotFound)
			return
		}
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			// A body on a GET means nothing; never read it.
			r.Body = http.NoBody
		}
		h.ServeHTTP(rec, r)
	})
}

// The security headers of every page.
var (
	nosniff               = []string{"nosniff"}
	referrerPolicy        = []string{"strict-origin-when-cross-origin"}
	contentSecurityPolicy = []string{"default-src 'self'; img-src 'self' data: https:; frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com https://www.openstreetmap.org; style-src 'self'; script-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"}
)

func hasDotSegment(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." || seg == "." {
			return true
		}
	}
	return false
}

// Limits on request addresses; real pages are far shorter.
const (
	maxPath  = 1024
	maxQuery = 2048
)

type statusRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
