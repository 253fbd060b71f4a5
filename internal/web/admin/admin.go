// Package admin is the newsroom's admin: first-run setup, sign-in and
// sessions, the article editor, the sections, comment moderation,
// settings, analytics, users and the audit log. Every route checks the
// signed-in user's role in the server (Handler.auth); every
// state-changing request must come from the admin's own pages
// (http.CrossOriginProtection), and every response carries a strict
// Content-Security-Policy and is kept out of caches and search engines.
package admin

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// Store is what the admin needs of the store: everything, including the
// users and the view statistics.
type Store interface {
	store.Store
	store.UserStore
	store.ViewStats
}

// Options configure the admin.
type Options struct {
	Store    Store
	Renderer *render.Renderer
	// Site is the public site: its settings, for previews and the SEO
	// analysis, and its logger when Logger is nil.
	Site *web.Site
	// Links returns the current linking index, for link suggestions; nil
	// gives an empty index.
	Links  func() *linking.Index
	Logger *slog.Logger
	// SetupCode, when set, is asked for by the first-run setup: the code
	// the server printed when it started with no account, so that nobody
	// but its operator can claim a new installation.
	SetupCode string
	// Now is the clock. Required.
	Now func() time.Time
	// Newsroom saves, publishes and deletes articles; nil makes one from
	// Store, Renderer, Now and Logger (without a photo library).
	Newsroom *newsroom.Service
	// MaxUploadMB is the largest image accepted, in megabytes (default
	// config.DefaultMaxUploadMB).
	MaxUploadMB int
}

// Handler serves the admin.
type Handler struct {
	store    Store
	news     *newsroom.Service
	renderer *render.Renderer
	site     *web.Site
	links    func() *linking.Index
	logger   *slog.Logger
	tpl      templates
	static   *web.Assets
	cop      *http.CrossOriginProtection
	// maxUploadMB is the largest image accepted, in megabytes.
	maxUploadMB int
	setupCode   string
	now         func() time.Time
	// setupMu serialises first-run setup, so that two requests racing
	// cannot both create an administrator on this node.
	setupMu sync.Mutex
	// dummyHash is verified against when an email is unknown, so that a
	// sign-in takes as long whether or not the account exists.
	dummyHash     string
	dummyHashOnce sync.Once
}

// New returns the admin handler. It panics when an embedded template does
// not parse or execute with an empty page: that is a bug in the binary,
// found by every test.
func New(opts Options) *Handler {
	if opts.Now == nil {
		panic("admin.New: Options.Now is nil; pass the server's clock")
	}
	if opts.Logger == nil && opts.Site != nil {
		opts.Logger = opts.Site.Logger
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Links == nil {
		empty := linking.NewIndex()
		opts.Links = func() *linking.Index { return empty }
	}
	if opts.Site == nil {
		opts.Site = &web.Site{Logger: opts.Logger, Now: opts.Now, Info: web.SiteInfo{Title: "Dateline"}}
	}
	if opts.Newsroom == nil {
		opts.Newsroom = newsroom.New(opts.Store, opts.Renderer, opts.Now, opts.Logger)
	}
	h := &Handler{
		store: opts.Store, news: opts.Newsroom, renderer: opts.Renderer, site: opts.Site, links: opts.Links, logger: opts.Logger,
		setupCode: opts.SetupCode, now: opts.Now, cop: http.NewCrossOriginProtection(),
		maxUploadMB: opts.MaxUploadMB,
	}
	if h.maxUploadMB <= 0 {
		h.maxUploadMB = config.DefaultMaxUploadMB
	}
	var err error
	if h.static, err = web.NewAssets(staticFS, "static", "/admin/static/", "private, max-age=31536000, immutable"); err != nil {
		panic(err)
	}
	// The admin's pages share the public site's engine, and with it the
	// site's time zone.
	engine := web.NewEngine()
	if opts.Site.Templates != nil {
		engine = opts.Site.Templates.Engine()
	}
	sub, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		panic(err)
	}
	if h.tpl, err = declareTemplates(engine.NewSet(sub, "admin-layout", "layout.html")); err != nil {
		panic(err)
	}
	return h
}

// templates are the admin's pages, each rendering its own type.
type templates struct {
	setup     *web.Page[SetupPage]
	signin    *web.Page[SigninPage]
	articles  *web.Page[ListPage]
	edit      *web.Page[EditPage]
	panels    *web.Page[Panels] // the editor's live panels, without the layout
	revision  *web.Page[RevisionPage]
	comments  *web.Page[CommentsPage]
	authors   *web.Page[AuthorsPage]
	author    *web.Page[AuthorPage]
	settings  *web.Page[SettingsPage]
	analytics *web.Page[AnalyticsPage]
	users     *web.Page[UsersPage]
	audit     *web.Page[AuditPage]
	media     *web.Page[MediaPage]
	sections  *web.Page[SectionsPage]
	frontPage *web.Page[FrontPagePage]
	menus     *web.Page[MenusPage]
	entities  *web.Page[EntitiesPage]
	entity    *web.Page[EntityPage]
	error     *web.Page[ErrorPage]
}

// declareTemplates declares every admin page on set, and checks that set
// has no page file besides.
func declareTemplates(set *web.Set) (templates, error) {
	var t templates
	var err error
	declare(set, &t.setup, "setup", &err)
	declare(set, &t.signin, "signin", &err)
	declare(set, &t.articles, "articles", &err)
	declare(set, &t.edit, "edit", &err)
	declare(set, &t.revision, "revision", &err)
	declare(set, &t.comments, "comments", &err)
	declare(set, &t.authors, "authors", &err)
	declare(set, &t.author, "author", &err)
	declare(set, &t.settings, "settings", &err)
	declare(set, &t.analytics, "analytics", &err)
	declare(set, &t.users, "users", &err)
	declare(set, &t.audit, "audit", &err)
	declare(set, &t.media, "media", &err)
	declare(set, &t.sections, "sections", &err)
	declare(set, &t.frontPage, "front_page", &err)
	declare(set, &t.menus, "menus", &err)
	declare(set, &t.entities, "entities", &err)
	declare(set, &t.entity, "entity", &err)
	declare(set, &t.error, "error", &err)
	if err == nil {
		t.panels, err = web.DeclareFragment[Panels](set, "edit", "panels")
	}
	if err != nil {
		return t, fmt.Errorf("admin: %w", err)
	}
	if files, err := set.Undeclared(); err != nil || len(files) > 0 {
		return t, fmt.Errorf("admin templates without a page: %v %v", files, err)
	}
	return t, nil
}

// declare declares the page name of set in *page, unless *err already
// holds an error; it leaves its own there.
func declare[T any](set *web.Set, page **web.Page[T], name string, err *error) {
	if *err == nil {
		*page, *err = web.Declare[T](set, name)
	}
}

// Body limits: forms are small; an article with its text posted by the
// editor may be large, but not unbounded.
const (
	MaxFormBody   = 1 << 20
	MaxEditorBody = 8 << 20
)

// Register adds every admin route to mux, which may hold the public
// site's routes too.
func (h *Handler) Register(mux *http.ServeMux) { h.register(mux.Handle) }

// register adds every admin route with add; tests list them with it.
func (h *Handler) register(add func(pattern string, handler http.Handler)) {
	// handle wraps fn with the security headers, the cross-origin check
	// and a body limit of limit bytes.
	handle := func(pattern string, limit int64, fn web.HandlerFunc) {
		add(pattern, h.secure(limit, fn))
	}
	form, editor := int64(MaxFormBody), int64(MaxEditorBody)

	handle("GET /admin/{$}", form, h.auth(user.EditOwnArticles, func(w http.ResponseWriter, r *http.Request) error {
		// The flash of the request that led here goes along.
		return redirect(w, r, "/admin/articles", r.URL.Query().Get("flash"))
	}))
	handle("GET /admin/static/{file}", form, h.static.ServeHTTP)
	handle("GET /admin/setup", form, h.setupForm)
	handle("POST /admin/setup", form, h.setup)
	handle("GET /admin/signin", form, h.signinForm)
	handle("POST /admin/signin", form, h.signin)
	handle("POST /admin/signout", form, h.signout)

	handle("GET /admin/articles", form, h.auth(user.EditOwnArticles, h.articleList))
	handle("GET /admin/articles/new", form, h.auth(user.EditOwnArticles, h.articleNew))
	handle("POST /admin/articles/new", editor, h.auth(user.EditOwnArticles, h.articleCreate))
	handle("GET /admin/articles/{id}", form, h.auth(user.EditOwnArticles, h.articleEdit))
	handle("POST /admin/articles/{id}", editor, h.auth(user.EditOwnArticles, h.articleSave))
	handle("POST /admin/articles/{id}/panels", editor, h.auth(user.EditOwnArticles, h.articlePanels))
	handle("POST /admin/articles/{id}/links/apply", editor, h.auth(user.EditOwnArticles, h.articleApplyLinks))
	handle("GET /admin/articles/{id}/revisions/{n}", form, h.auth(user.EditOwnArticles, h.articleRevision))
	handle("POST /admin/articles/{id}/revisions/{n}/restore", form, h.auth(user.EditOwnArticles, h.articleRestore))
	handle("POST /admin/articles/{id}/delete", form, h.auth(user.EditOwnArticles, h.articleDelete))
	handle("POST /admin/articles/{id}/story/leave", form, h.auth(user.EditOwnArticles, h.storyLeave))
	handle("POST /admin/articles/{id}/story/join", form, h.auth(user.EditOwnArticles, h.storyJoin))

	// An upload carries one file of up to the limit, or several smaller,
	// and a few short fields.
	upload := int64(h.maxUploadMB)<<20 + 64<<10
	handle("GET /admin/media", form, h.auth(user.UploadImages, h.mediaList))
	handle("POST /admin/media", upload, h.auth(user.UploadImages, h.mediaUpload))
	handle("POST /admin/media/{id}", form, h.auth(user.UploadImages, h.mediaDescribe))
	handle("POST /admin/media/{id}/delete", form, h.auth(user.DeleteImages, h.mediaDelete))

	handle("GET /admin/sections", form, h.auth(user.ArrangeSite, h.sections))
	handle("POST /admin/sections", form, h.auth(user.ArrangeSite, h.sectionAdd))
	handle("POST /admin/sections/{slug}", form, h.auth(user.ArrangeSite, h.sectionEdit))
	handle("POST /admin/sections/{slug}/move", form, h.auth(user.ArrangeSite, h.sectionMove))
	handle("POST /admin/sections/{slug}/delete", form, h.auth(user.ArrangeSite, h.sectionDelete))
	handle("GET /admin/front-page", form, h.auth(user.ArrangeSite, h.frontPage))
	handle("POST /admin/front-page/pin", form, h.auth(user.ArrangeSite, h.frontPagePin))
	handle("POST /admin/front-page/unpin", form, h.auth(user.ArrangeSite, h.frontPageUnpin))
	handle("POST /admin/front-page/move", form, h.auth(user.ArrangeSite, h.frontPageMove))
	handle("POST /admin/front-page/order", form, h.auth(user.ArrangeSite, h.frontPageOrder))
	handle("GET /admin/menus", form, h.auth(user.ArrangeSite, h.menus))
	handle("POST /admin/menus", form, h.auth(user.ArrangeSite, h.menuSave))
	handle("GET /admin/entities", form, h.auth(user.ArrangeSite, h.entities))
	handle("GET /admin/entities/{slug}", form, h.auth(user.ArrangeSite, h.entityShow))
	handle("POST /admin/entities/{slug}", form, h.auth(user.ArrangeSite, h.entityEdit))
	handle("POST /admin/entities/{slug}/ban", form, h.auth(user.ArrangeSite, h.entityBan))
	handle("POST /admin/entities/{slug}/merge", form, h.auth(user.ArrangeSite, h.entityMerge))
	handle("POST /admin/entities/{slug}/split", form, h.auth(user.ArrangeSite, h.entitySplit))

	handle("GET /admin/comments", form, h.auth(user.ModerateComments, h.comments))
	handle("POST /admin/comments", form, h.auth(user.ModerateComments, h.commentsBulk))
	handle("POST /admin/comments/{id}/reply", form, h.auth(user.ModerateComments, h.commentReply))

	handle("GET /admin/authors", form, h.auth(user.EditAllArticles, h.authors))
	handle("GET /admin/authors/{slug}", form, h.auth(user.EditAllArticles, h.authorForm))
	handle("POST /admin/authors/{slug}", form, h.auth(user.EditAllArticles, h.authorSave))

	handle("GET /admin/settings", form, h.auth(user.ManageSettings, h.settingsForm))
	handle("POST /admin/settings", form, h.auth(user.ManageSettings, h.settingsSave))

	handle("GET /admin/analytics", form, h.auth(user.ViewAnalytics, h.analytics))

	handle("GET /admin/users", form, h.auth(user.ManageUsers, h.users))
	handle("POST /admin/users", form, h.auth(user.ManageUsers, h.userAdd))
	handle("POST /admin/users/{id}", form, h.auth(user.ManageUsers, h.userRole))
	handle("POST /admin/users/{id}/disable", form, h.auth(user.ManageUsers, h.userSetDisabled(true)))
	handle("POST /admin/users/{id}/enable", form, h.auth(user.ManageUsers, h.userSetDisabled(false)))
	handle("POST /admin/users/{id}/delete", form, h.auth(user.ManageUsers, h.userDelete))

	handle("GET /admin/audit", form, h.auth(user.ManageUsers, h.auditLog))
}

// Handler returns the admin on a mux of its own, for a server that sends
// every address under /admin/ to it: there, an unknown admin address
// gets the admin's not-found page and headers. (Register leaves that
// catch-all out so that the admin's routes can share a mux with the
// public site's, whose patterns it would conflict with.)
func (h *Handler) Handler() http.Handler {
	mux := http.NewServeMux()
	h.Register(mux)
	mux.Handle("/admin/", h.secure(MaxFormBody, func(http.ResponseWriter, *http.Request) error { return web.ErrNotFound }))
	return mux
}

type ctxKey int

const userKey ctxKey = 0

// currentUser returns the signed-in user: never nil inside a handler
// wrapped by auth, nil elsewhere when nobody is signed in.
func currentUser(r *http.Request) *user.User {
	u, _ := r.Context().Value(userKey).(*user.User)
	return u
}

func withUser(r *http.Request, u *user.User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), userKey, u))
}

// auth lets fn run only for a signed-in user whose role may do action:
// anybody else is sent to sign in, and a user whose role may not is
// refused with 403. It runs before fn reads the request's body, so a
// refused request changes nothing.
func (h *Handler) auth(action user.Action, fn web.HandlerFunc) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := h.sessionUser(r)
		if err != nil {
			return err
		}
		if u == nil {
			return h.toSignin(w, r)
		}
		if !u.Role.Can(action) {
			return web.HTTPError{Status: http.StatusForbidden,
				Message: fmt.Sprintf("Your role (%s) does not allow this: it needs permission to %s.", u.Role, action)}
		}
		r = withUser(r, u)
		if err := h.parseBody(r); err != nil {
			return err
		}
		return fn(w, r)
	}
}

// Page is the part of every admin page that the layout reads; page
// structs embed it.
type Page struct {
	Title string // the document title, without the site's name
	User  *user.User
	// Flash is a message about what the last request did.
	Flash string
	// Nav names the menu entry to mark as current: "articles",
	// "sections", "media", "comments", "analytics", "settings", "users",
	// "audit", "entities".
	Nav       string
	SiteTitle string
	// Assets are the admin's static files, for their addresses.
	Assets *web.Assets
}

// Can reports whether the signed-in user may do a, for the menu.
func (p Page) Can(a user.Action) bool { return p.User != nil && p.User.Role.Can(a) }

// page fills in the common part of a page for r.
func (h *Handler) page(r *http.Request, title, nav string) Page {
	return Page{Title: title, User: currentUser(r), Flash: flashMessage(r), Nav: nav, SiteTitle: h.site.Current().Title, Assets: h.static}
}

// Flash messages travel across a redirect as a code in the query string,
// so that no request can make the admin show words of its choosing.
var flashes = map[string]string{
	"saved":           "Saved.",
	"created":         "Created.",
	"deleted":         "Deleted.",
	"section-added":   "Section added.",
	"section-moved":   "Section moved.",
	"uploaded":        "Uploaded.",
	"published":       "Published.",
	"restored":        "Revision restored.",
	"applied":         "Links applied.",
	"moderated":       "Comments updated.",
	"replied":         "Your reply is published.",
	"none-selected":   "No comments were selected.",
	"user-added":      "User added.",
	"role-changed":    "Role changed.",
	"user-disabled":   "User disabled; their sessions have ended.",
	"user-enabled":    "User enabled.",
	"user-deleted":    "User deleted; their articles keep their byline.",
	"pinned":          "Pinned to the front page.",
	"unpinned":        "Unpinned: its slot shows the newest story again.",
	"was-pinned":      "That story is pinned to the front page already.",
	"entity-banned":   "Banned: no article names it and it has no topic page.",
	"entity-let-back": "Let back: articles name it again once they are saved or rebuilt.",
	"entity-merged":   "Merged: its names and articles are this entity's now.",
	"entity-split":    "Split off: the articles that write this name were read again.",
	"signed-out":      "You are signed out.",
	"expired":         "Your session has expired. Please sign in again.",
	"signin":          "Please sign in to continue.",
	"welcome":         "Welcome to Dateline. Your administrator account is ready.",
}

func flashMessage(r *http.Request) string { return flashes[r.URL.Query().Get("flash")] }

// redirect sends the browser to target (a path in the admin) after a
// change, with a flash code from the flashes table (or "" for none).
func redirect(w http.ResponseWriter, r *http.Request, target, flash string) error {
	if flash != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "flash=" + flash
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// writePage writes page with data and status: the headers only, for a HEAD
// request. The page renders into a buffer first, so that a failing
// template sends an error page rather than half a page.
func writePage[T any](w http.ResponseWriter, r *http.Request, status int, page *web.Page[T], data T) error {
	if r.Method == http.MethodHead {
		w = headersOnly{w}
	}
	return page.Render(w, status, data)
}

// headersOnly drops the body of a response.
type headersOnly struct{ http.ResponseWriter }

func (headersOnly) Write(b []byte) (int, error) { return len(b), nil }

// audit records an event by the signed-in user (or anonymous) in the audit
// log. A failure to record is logged and does not undo what was done.
func (h *Handler) audit(r *http.Request, action, target, detail string) {
	e := &user.AuditEvent{At: h.now(), Action: action, Target: target, IP: clientIP(r), Detail: detail}
	if u := currentUser(r); u != nil {
		e.Actor = u.Email
	}
	if err := h.store.AddAudit(context.WithoutCancel(r.Context()), e); err != nil {
		h.logger.Error("add to the audit log", "action", action, "target", target, "err", err)
	}
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFS embed.FS
