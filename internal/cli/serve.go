package cli

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"flag"
	"fmt"
	"image/jpeg"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/demo"
	"github.com/datelinehq/dateline/internal/importer"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/metrics"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/datelinehq/dateline/internal/web/admin"
	"github.com/datelinehq/dateline/internal/web/public"
)

// Server timeouts: generous for readers on slow connections, short enough
// that idle or stalled clients do not pile up.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 30 * time.Second
	viewFlushInterval = 5 * time.Second
	// linkIndexInterval is how often the linking index catches up with
	// changes made elsewhere (another node, the command line).
	linkIndexInterval = 30 * time.Second
)

// serveHooks are what a test changes of serve; a user's serve has none.
type serveHooks struct {
	// loopInterval, when not zero, is how often every background loop
	// runs, instead of its own interval.
	loopInterval time.Duration
	// wrapStore, when set, wraps the store serve opens (and closes).
	wrapStore func(store.Store) store.Store
	// shutdownTimeout, when not zero, replaces shutdownTimeout.
	shutdownTimeout time.Duration
}

// every returns how often a background loop runs.
func (h *serveHooks) every(d time.Duration) time.Duration {
	if h != nil && h.loopInterval > 0 {
		return h.loopInterval
	}
	return d
}

func serveCommand() *command {
	var loadDemo bool
	var cacheFor time.Duration
	var quiet bool
	return &command{
		name:    "serve",
		summary: "serve the news site",
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen on this host:port (env DATELINE_ADDR)")
			fs.StringVar(&cfg.MetricsAddr, "metrics-addr", cfg.MetricsAddr, "answer /metrics (Prometheus) on this host:port, off the public address; none when empty (env DATELINE_METRICS_ADDR)")
			fs.StringVar(&cfg.Theme, "theme", cfg.Theme, "folder of templates and static files overriding the built-in theme (env DATELINE_THEME)")
			fs.StringVar(&cfg.SiteTitle, "site-title", cfg.SiteTitle, "the site's name in every page (env DATELINE_SITE_TITLE)")
			fs.StringVar(&cfg.FeedContent, "feed-content", cfg.FeedContent, "what feeds carry of each article: full or summary (env DATELINE_FEED_CONTENT)")
			fs.BoolVar(&cfg.TrustProxy, "trust-proxy", cfg.TrustProxy, "believe X-Forwarded-For and X-Forwarded-Proto; only behind a reverse proxy that sets them (env DATELINE_TRUST_PROXY=1)")
			fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "the site's public address, such as https://news.example.org, for canonical links, feeds and sitemaps (env DATELINE_BASE_URL; default: each request's host)")
			fs.Float64Var(&cfg.RelatedFloor, "related-floor", cfg.RelatedFloor, "the TF-IDF cosine, from 0 to 1, an article needs with another to be shown as related to it (env DATELINE_RELATED_FLOOR)")
			fs.BoolVar(&loadDemo, "demo", false, "load the demo newsroom into an empty database first")
			fs.DurationVar(&cacheFor, "cache", 5*time.Second, "how long a rendered page is reused before it is built again (0 disables)")
			fs.Func("purge", "purge changed pages at a cache in front of the nodes: varnish:http://127.0.0.1:6081 (deploy/varnish.vcl) or webhook:URL (a POST of {\"keys\": [...]}); repeat for several (env DATELINE_PURGE, separated by spaces)", func(v string) error {
				if _, err := purge.Parse(v); err != nil {
					return err
				}
				cfg.Purge = append(cfg.Purge, v)
				return nil
			})
			fs.DurationVar(&cfg.SharedCache, "shared-cache", cfg.SharedCache, "a CDN or Varnish is in front: pages tell it to keep them this long (s-maxage), and their comment form is shared (default 1h with --purge, else none; env DATELINE_SHARED_CACHE)")
			fs.BoolVar(&quiet, "quiet", false, "log only warnings and errors, not every request")
			mediaFlags(fs, cfg)
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			if cacheFor < 0 {
				return usage(e, fs, "--cache must not be negative")
			}
			level := slog.LevelInfo
			if quiet {
				level = slog.LevelWarn
			}
			logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
			s, err := openStore(e)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			if h := e.serveHooks; h != nil && h.wrapStore != nil {
				s = h.wrapStore(s)
			}
			// serve returns only once its loops have ended: none of them
			// runs against the closed store.
			defer s.Close()
			if err := serve(e, s, logger, loadDemo, cacheFor); err != nil {
				return fail(e, fs.Name(), err)
			}
			return exitOK
		},
	}
}

// serve runs the site until e.ctx is cancelled (SIGINT or SIGTERM), then
// lets requests in flight finish, ends the background loops (saving the
// views counted so far) and waits for them before it returns.
func serve(e *env, s store.Store, logger *slog.Logger, loadDemo bool, cacheFor time.Duration) error {
	renderer := render.New()
	lib, err := library(e, s)
	if err != nil {
		return err
	}
	news := newsroom.New(s, renderer, e.now, logger)
	news.UseLibrary(lib)
	if loadDemo {
		if err := loadDemoContent(e.ctx, s, news, logger); err != nil {
			return err
		}
	}
	m := metrics.New(s)
	handler, loops, err := siteHandler(e, s, news, lib.Files, renderer, logger, cacheFor, m)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return err
	}
	var metricsAt string
	if e.cfg.MetricsAddr != "" {
		addr, stop, err := serveMetrics(e, m, logger)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
		metricsAt = fmt.Sprintf("; metrics at http://%s/metrics", addr)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// The loops run on while requests in flight finish (their views still
	// count), then are cancelled and joined: a loop midway through a step
	// finishes it (the last views are saved) or abandons it, and says
	// nothing of an error the cancelling caused.
	background, stopBackground := context.WithCancel(context.WithoutCancel(e.ctx))
	var running sync.WaitGroup
	for _, loop := range loops {
		running.Go(func() { loop(background) })
	}
	defer func() {
		stopBackground()
		running.Wait()
	}()

	fmt.Fprintf(e.stdout, "Dateline is serving http://%s/ (Ctrl-C stops it)%s\n", ln.Addr(), metricsAt)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
	case <-e.ctx.Done():
		logger.Info("shutting down: finishing requests in flight")
		limit := shutdownTimeout
		if h := e.serveHooks; h != nil && h.shutdownTimeout > 0 {
			limit = h.shutdownTimeout
		}
		shutdown, cancel := context.WithTimeout(context.Background(), limit)
		err = srv.Shutdown(shutdown)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			srv.Close()
			err = fmt.Errorf("requests still running %v after the shutdown began were cut off (slow readers or a database that did not answer)", limit)
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// siteHandler builds the whole site's handler, and the loops that keep it
// in step with the store until their context is done: following the
// store's changes, checking its file, counting views, and (should the
// change feed miss something) syncing the linking index and the site
// settings on a timer. The caller runs them, and waits for them before it
// closes the store.
func siteHandler(e *env, s store.Store, news *newsroom.Service, files media.Storage, renderer *render.Renderer, logger *slog.Logger, cacheFor time.Duration, m *metrics.Metrics) (http.Handler, []func(context.Context), error) {
	secret, err := s.Secret(e.ctx)
	if err != nil {
		return nil, nil, err
	}
	r, err := newReader(e, s, secret, news, files, renderer, logger, cacheFor, func(opts *public.Options) { opts.OnPageCache = m.PageCache })
	if err != nil {
		return nil, nil, err
	}
	if err := r.links.ensure(e.ctx); err != nil {
		return nil, nil, err
	}
	purgers := make([]purge.Purger, len(e.cfg.Purge))
	for i, spec := range e.cfg.Purge {
		if purgers[i], err = purge.Parse(spec); err != nil {
			return nil, nil, err
		}
	}
	purges := purge.NewQueue(purgers, logger)
	purges.OnPurge = func(p purge.Purger, _ []string, err error) { m.Purged(p.String(), err) }
	follower := newChangeFollower(s, r, logger, m, purges, e.now)
	follower.relatedFloor = e.cfg.RelatedFloor
	integrity := &integrityCheck{s: s, logger: logger}
	h := e.serveHooks
	loops := []func(context.Context){
		follower.run,
		purges.Run,
		integrity.run,
		func(ctx context.Context) { r.views.Run(ctx, h.every(viewFlushInterval)) },
		func(ctx context.Context) { r.links.run(ctx, h.every(linkIndexInterval)) },
		func(ctx context.Context) { r.site.FollowSettings(ctx, s, h.every(web.SiteSettingsInterval)) },
		func(ctx context.Context) { makeSizes(ctx, news, logger, h.every(mediaRetryInterval)) },
	}
	// The admin has a mux of its own, so that an unknown address under
	// /admin/ gets the admin's not-found page and headers.
	setupCode, err := firstRunSetupCode(e, s)
	if err != nil {
		return nil, nil, err
	}
	adminHandler := admin.New(admin.Options{Store: s, Renderer: renderer, Site: r.site, Links: r.links.ix.Load, Logger: logger,
		SetupCode: setupCode, Now: e.now, Newsroom: news, MaxUploadMB: e.cfg.MaxUploadMB}).Handler()
	health := healthHandler(s, follower.ready, integrity.result)
	return m.Middleware(r.site.Middleware(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch {
		case req.URL.Path == urls.Healthz || req.URL.Path == urls.Readyz:
			metrics.SetRoute(req, req.URL.Path)
			health.ServeHTTP(w, req)
		case req.URL.Path == "/admin" || strings.HasPrefix(req.URL.Path, "/admin/"):
			metrics.SetRoute(req, "/admin/")
			ctx, cancel := context.WithTimeout(req.Context(), adminTimeout)
			defer cancel()
			adminHandler.ServeHTTP(w, req.WithContext(ctx))
		default:
			ctx, cancel := context.WithTimeout(req.Context(), pageTimeout)
			defer cancel()
			r.pages.ServeHTTP(w, req.WithContext(ctx))
		}
	}))), loops, nil
}

// How long a request may wait on the database before it is answered 503
// (a reader's page) or its error page (the admin's, whose uploads and
// saves take longer): a database cut off by a network partition must not
// hold every request for as long as the partition lasts.
const (
	pageTimeout  = 10 * time.Second
	adminTimeout = time.Minute
)

// integrityCheck checks, once as serve starts and in the background, that
// the database file is whole (SQLite's quick_check; other stores have no
// such check): a damaged file is logged and makes /readyz answer 503,
// rather than going unnoticed until a request reads the damaged page.
type integrityCheck struct {
	s      store.Store
	logger *slog.Logger
	err    atomic.Pointer[error]
}

func (c *integrityCheck) run(ctx context.Context) {
	checker, ok := c.s.(interface{ QuickCheck(context.Context) error })
	if !ok {
		return
	}
	start := time.Now()
	err := checker.QuickCheck(ctx)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		c.err.Store(&err)
		c.logger.Error("database check failed: this node answers /readyz with 503", "err", err)
	default:
		c.logger.Info("database checked", "duration", time.Since(start).Round(time.Millisecond))
	}
}

// result is the check's error, nil while it runs or when it found nothing.
func (c *integrityCheck) result() error {
	if err := c.err.Load(); err != nil {
		return *err
	}
	return nil
}

// readyTimeout bounds the database check of /readyz: a load balancer
// waits for no longer.
const readyTimeout = 2 * time.Second

// healthHandler answers the load balancers' checks: /healthz while the
// process runs, /readyz while the database answers with the schema this
// node knows, its file is whole and the node follows its changes (503
// otherwise: a node left behind by a newer node's migration is not ready).
// The reason is told to a client on this machine only: a database's host
// and user are nobody else's business; the log has it.
func healthHandler(s store.Store, feed, integrity func() error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "use GET", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == urls.Healthz {
			fmt.Fprintln(w, "ok")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		for _, check := range []struct {
			what string
			err  func() error
		}{
			{"database", func() error { return s.Ready(ctx) }},
			{"database", integrity},
			{"change feed", feed},
		} {
			if err := check.err(); err != nil {
				w.Header().Set("Retry-After", web.RetryAfter)
				w.WriteHeader(http.StatusServiceUnavailable)
				if web.ClientOf(r).Addr.IsLoopback() {
					fmt.Fprintf(w, "not ready: %s: %v\n", check.what, err)
				} else {
					fmt.Fprintf(w, "not ready: %s\n", check.what)
				}
				return
			}
		}
		fmt.Fprintln(w, "ready: database: ok; change feed: ok")
	})
}

// serveMetrics answers /metrics on the metrics address until the returned
// stop is called; addr is where it listens.
func serveMetrics(e *env, m *metrics.Metrics, logger *slog.Logger) (addr net.Addr, stop func(), err error) {
	ln, err := net.Listen("tcp", e.cfg.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics address", "err", err)
		}
	}()
	return ln.Addr(), func() {
		srv.Close()
		<-done
	}, nil
}

// reader is the public site: its pages, and the parts the loops of serve
// keep in step with the store.
type reader struct {
	site   *web.Site
	pages  http.Handler // the reader's pages, without the site's middleware
	public *public.Handlers
	links  *liveIndex
	views  *public.ViewCounter
}

// newReader builds the public site as serve and export run it, with the
// settings an administrator set and the linking index as they are now.
// adjust, when set, changes the reader pages' options.
func newReader(e *env, s store.Store, secret []byte, news *newsroom.Service, files media.Storage, renderer *render.Renderer, logger *slog.Logger, cacheFor time.Duration, adjust func(*public.Options)) (*reader, error) {
	tpl, err := web.LoadTemplates(e.cfg.Theme)
	if err != nil {
		return nil, err
	}
	assets, err := web.LoadAssets(e.cfg.Theme)
	if err != nil {
		return nil, err
	}
	site := &web.Site{
		Templates: tpl,
		Assets:    assets,
		Logger:    logger,
		Now:       e.now,
		// Both the public site and the admin read the reader's address
		// and scheme from the site's middleware.
		TrustProxy: e.cfg.TrustProxy,
		Info:       web.SiteInfo{Title: e.cfg.SiteTitle, Description: e.cfg.SiteDescription, Language: e.cfg.Language, BaseURL: strings.TrimSuffix(e.cfg.BaseURL, "/"), Logo: e.cfg.Logo},
		Menus:      siteMenus(news),
	}
	// What an administrator set in the admin overrides the configuration.
	if err := site.LoadSettings(e.ctx, s); err != nil {
		return nil, err
	}
	links := newLiveIndex(news, s, renderer, logger, e.now, e.cfg.Language)
	views := public.NewViewCounter(s, logger, e.now)
	mux := http.NewServeMux()
	opts := public.Options{
		CacheFor: cacheFor, Secret: secret, FeedFullContent: e.cfg.FeedContent == "full", Linker: links, RelatedFloor: e.cfg.RelatedFloor, Now: e.now,
		Media: files, Newsroom: news, SharedCacheFor: e.cfg.SharedCacheFor(),
	}
	if adjust != nil {
		adjust(&opts)
	}
	handlers, err := public.New(site, s, renderer, views, opts)
	if err != nil {
		return nil, err
	}
	handlers.Register(mux)
	return &reader{site: site, pages: metrics.Route(public.CanonicalSlash(mux)), public: handlers, links: links, views: views}, nil
}

// siteMenus reads the header and footer menus as readers see them.
func siteMenus(news *newsroom.Service) func(context.Context) ([]web.MenuLink, []web.MenuLink, error) {
	links := func(ctx context.Context, name string) ([]web.MenuLink, error) {
		ls, err := news.MenuLinks(ctx, name)
		out := make([]web.MenuLink, len(ls))
		for i, l := range ls {
			out[i] = web.MenuLink{Label: l.Label, Href: l.Href}
		}
		return out, err
	}
	return func(ctx context.Context) ([]web.MenuLink, []web.MenuLink, error) {
		header, err := links(ctx, store.HeaderMenu)
		if err != nil {
			return nil, nil, err
		}
		footer, err := links(ctx, store.FooterMenu)
		return header, footer, err
	}
}

// firstRunSetupCode returns the code the admin's first-run setup asks
// for, and prints it on the console, when the store has no account yet:
// DATELINE_SETUP_CODE, or the site's own (the same on every node). Whoever reaches /admin/setup
// first could otherwise claim a new installation.
func firstRunSetupCode(e *env, s store.Store) (string, error) {
	n, err := s.CountUsers(e.ctx)
	if err != nil || n > 0 {
		return "", err
	}
	code := e.cfg.SetupCode
	if code == "" {
		// One code for the site, not one per node: behind a load
		// balancer the setup form reaches any node. It is made from the
		// site's secret, which every node shares and none shows.
		secret, err := s.Secret(e.ctx)
		if err != nil {
			return "", err
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("dateline first-run setup code"))
		code = strings.ToLower(base32.StdEncoding.EncodeToString(mac.Sum(nil)[:10]))
	}
	fmt.Fprintf(e.stderr, "No account yet: open /admin/setup and enter the setup code %s (or run dateline user add).\n", code)
	return code, nil
}

// loadDemoContent imports the demo newsroom when the database has no
// articles yet, with its pictures as featured images, its footer menu of
// the pages of the site and the settings naming its policy pages; a
// database with content is left alone.
func loadDemoContent(ctx context.Context, s store.Store, news *newsroom.Service, logger *slog.Logger) error {
	n, err := s.CountArticles(ctx, store.ArticleQuery{})
	if err != nil {
		return err
	}
	if n > 0 {
		logger.Info("demo content not loaded: the database already has articles", "articles", n)
		return nil
	}
	for _, se := range demo.Sections {
		if err := news.AddSection(ctx, newsroom.System("demo"), &se); err != nil {
			return fmt.Errorf("demo section %s: %w", se.Name, err)
		}
	}
	im := importer.New(s, news, importer.Options{Format: importer.Markdown})
	pictures := map[string]int64{}
	files, err := fs.Glob(demo.Articles, "articles/*.md")
	if err != nil {
		return err
	}
	for _, name := range files {
		content, err := fs.ReadFile(demo.Articles, name)
		if err != nil {
			return err
		}
		r := im.Import(ctx, "demo:"+name, content)
		if r.Err != nil {
			return fmt.Errorf("demo content %s: %w", name, r.Err)
		}
		if err := featureDemoPicture(ctx, s, news, r.Slug, path.Base(name), pictures); err != nil {
			return fmt.Errorf("demo picture of %s: %w", name, err)
		}
	}
	if err := news.ArrangeMenu(ctx, newsroom.System("demo"), store.FooterMenu, []store.MenuItem{
		{Label: "About us", Kind: store.MenuPage, Target: demo.AboutPage},
		{Label: "Contact", Kind: store.MenuPage, Target: demo.ContactPage},
		{Label: "Corrections policy", Kind: store.MenuPage, Target: demo.CorrectionsPage},
	}); err != nil {
		return fmt.Errorf("demo footer menu: %w", err)
	}
	site, err := s.SiteSettings(ctx)
	if err != nil {
		return err
	}
	site.PublishingPrinciples, site.CorrectionsPolicy = demo.AboutPage, demo.CorrectionsPage
	if err := news.SaveSettings(ctx, newsroom.System("demo"), &site, nil); err != nil {
		return fmt.Errorf("demo settings: %w", err)
	}
	if err := seedDemoViews(ctx, s, news.Now()); err != nil {
		return fmt.Errorf("demo views: %w", err)
	}
	if _, err := news.RebuildEntities(ctx, nil); err != nil {
		return fmt.Errorf("demo entities: %w", err)
	}
	logger.Info("loaded the demo newsroom", "articles", len(files))
	return nil
}

// seedDemoViews gives the demo's stories page views over the last two
// days, made up but steady (each story's by its place in the list), so
// that the front page's "Most read" has something to show at once.
func seedDemoViews(ctx context.Context, s store.Store, now time.Time) error {
	as, err := s.Articles(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story})
	if err != nil {
		return err
	}
	today, yesterday := map[int64]int64{}, map[int64]int64{}
	for i, a := range as {
		// Not in date order: readers find older stories too.
		today[a.ID] = int64(40 + (i*53)%211)
		yesterday[a.ID] = int64(25 + (i*89)%157)
	}
	if len(as) == 0 {
		return nil
	}
	if err := s.AddViews(ctx, now, today); err != nil {
		return err
	}
	return s.AddViews(ctx, now.Add(-24*time.Hour), yesterday)
}

// mediaRetryInterval is how often serve makes the sizes of images queued
// or failed before.
const mediaRetryInterval = time.Minute

// makeSizes makes, at start and then every interval, the sizes of images
// queued or failed before (newsroom.MakeSizes), until ctx is done. On
// several nodes each does: the files are the same whoever makes them.
func makeSizes(ctx context.Context, news *newsroom.Service, logger *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for first := true; ; first = false {
		// At once on start, for images queued before (the demo's).
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
		ready, err := news.MakeSizes(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			logger.Error("make image sizes again", "err", err)
		case ready > 0:
			logger.Info("image sizes made", "images", ready)
		}
	}
}

// featureDemoPicture gives a demo article its picture, drawing and
// uploading each picture once (ids holds those uploaded, by name).
func featureDemoPicture(ctx context.Context, s store.Store, news *newsroom.Service, slug, file string, ids map[string]int64) error {
	name := demo.PictureFor(file)
	if name == "" {
		return nil
	}
	if _, ok := ids[name]; !ok {
		for _, p := range demo.Pictures {
			if p.Name != name {
				continue
			}
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, p.Draw(), &jpeg.Options{Quality: 90}); err != nil {
				return err
			}
			// Queued: their sizes are made in the background once the
			// site is up (a few seconds), not before it starts.
			it, err := news.Queue(ctx, newsroom.System("demo"), name+".jpg", buf.Bytes(), media.Info{Alt: p.Alt, Caption: p.Caption, Credit: demo.Credit})
			if err != nil {
				return err
			}
			ids[name] = it.ID
		}
	}
	a, err := s.Article(ctx, slug)
	if err != nil {
		return err
	}
	return news.SetFeaturedImage(ctx, newsroom.System("demo"), a, ids[name])
}
