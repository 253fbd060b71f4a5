package cli

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/metrics"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/staticsite"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/datelinehq/dateline/internal/web/public"
	"github.com/schollz/progressbar/v3"
)

// siteExport are the options of 'dateline export DIR'.
type siteExport struct {
	dryRun, force, quiet bool
	// commentsURL is the node that takes the pages' comments; noComments
	// leaves the form out.
	commentsURL string
	noComments  bool
	// searchURL is the node that answers the pages' searches.
	searchURL string
	// watch keeps exporting as the store changes.
	watch bool
}

// exportSiteFiles writes the public site to dir as files (package staticsite),
// or brings an earlier export there up to date.
func exportSiteFiles(e *env, dir string, o siteExport) int {
	opened, err := openStore(e)
	if err != nil {
		return fail(e, "export", err)
	}
	defer opened.Close()
	// What follows reads the store as a run of the export sees it, at
	// the run's instant.
	run := &exportRun{Store: opened, clock: e.now}
	e.now = run.now
	var s store.Store = run
	renderer := render.New()
	// The photo library's files are the store's own (in the database,
	// for PostgreSQL), which the run's view of it does not show.
	lib, err := library(e, opened)
	if err != nil {
		return fail(e, "export", err)
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Read before the templates are: a file changed in between makes the
	// next export a whole one.
	theme, err := web.ReadThemeFiles(e.cfg.Theme)
	if err != nil {
		return fail(e, "export", err)
	}
	news := newsroomOf(e, s)
	news.UseLibrary(lib)
	// The site's secret signs the comment forms' tokens. A database
	// that was never served has none, and is opened read-only here: the
	// pages are signed with a throwaway one then, as no node can take
	// their comments yet.
	secret, err := s.Secret(e.ctx)
	if err != nil {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	// The pages' related articles come from the last export's answers
	// while the index would be built from the same articles.
	links := &exportLinks{floor: e.cfg.RelatedFloor}
	// No page cache: each page is rendered once. The settings, sections
	// and listings are read once a run (exportCacheFor; --watch
	// refreshes them before each).
	r, err := newReader(e, s, secret, news, lib.Files, renderer, logger, exportCacheFor, func(opts *public.Options) {
		opts.CommentsAt, opts.NoCommentForm, opts.NoPageCache = o.commentsURL, o.noComments, true
		opts.Linker = links
	})
	if err != nil {
		return fail(e, "export", err)
	}
	links.live = r.links
	if o.searchURL != "" {
		r.site.Info.SearchAt = strings.TrimSuffix(o.searchURL, "/") + urls.Search
	}
	x := &siteExporter{e: e, run: run, news: news, r: r, links: links, dir: dir, o: o, theme: theme}
	if e.cfg.MetricsAddr != "" {
		x.metrics = metrics.New(s)
		addr, stop, err := serveMetrics(e, x.metrics, logger)
		if err != nil {
			return fail(e, "export", err)
		}
		defer stop()
		if !o.quiet {
			fmt.Fprintf(e.stdout, "metrics at http://%s/metrics\n", addr)
		}
	}
	if !o.watch {
		run.pin()
		if err := x.once(e.ctx); err != nil {
			return fail(e, "export", err)
		}
		return exitOK
	}
	return x.watch(e.ctx)
}

// siteExporter runs 'dateline export DIR', once or as the store changes.
type siteExporter struct {
	e       *env
	run     *exportRun // the store, as each run reads it
	news    *newsroom.Service
	r       *reader
	links   *exportLinks
	dir     string
	o       siteExport
	metrics *metrics.Metrics // nil without --metrics-addr
	// theme is the theme folder's files as the templates were read (a
	// change of them needs a new --watch).
	theme web.ThemeFiles
}

// Watching: how long a burst of writes has to land before the export
// runs, and how often it runs anyway (a scheduled article's time comes
// with no write).
const (
	watchSettle  = 250 * time.Millisecond
	watchRecheck = time.Minute
)

// exportRun is the store as a run of the export reads it: at one
// instant, the run's, so that its pages show the site as it stood then (a
// story scheduled for a time during the run is on all of them or on
// none), and with the list of every public article read once for its two
// readers, the export's own list of articles and the sitemap (which the
// export fetches while it lists them). They share that list, and neither
// changes it; it is dropped once both have it (100,000 articles are some
// hundred MB), and a later reader asks the store.
type exportRun struct {
	store.Store
	clock func() time.Time

	mu   sync.Mutex
	at   time.Time
	list *sharedList // nil once both readers have it
}

// sharedList is a run's list of every public article.
type sharedList struct {
	read     sync.Once
	articles []*article.Article
	err      error
	readers  int // still to come
}

// pin begins a run now.
func (r *exportRun) pin() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at = r.clock()
	r.list = &sharedList{readers: 2}
}

// now is the run's instant.
func (r *exportRun) now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at
}

// Articles answers as the store does, reading the list of every public
// article at the run's instant once for its two readers.
func (r *exportRun) Articles(ctx context.Context, q store.ArticleQuery) ([]*article.Article, error) {
	r.mu.Lock()
	at, l := r.at, r.list
	r.mu.Unlock()
	others := q
	others.PublicAt = time.Time{}
	if l == nil || !q.PublicAt.Equal(at) || !reflect.DeepEqual(others, store.ArticleQuery{}) {
		return r.Store.Articles(ctx, q)
	}
	l.read.Do(func() { l.articles, l.err = r.Store.Articles(ctx, q) })
	r.mu.Lock()
	defer r.mu.Unlock()
	as, err := l.articles, l.err
	if l.readers--; l.readers == 0 && r.list == l {
		r.list = nil
	}
	return as, err
}

// exportCacheFor is how long an export keeps the settings, sections and
// listings it read, longer than any run: they are read for every
// page otherwise.
const exportCacheFor = 24 * time.Hour

// watch exports, then exports again after each change the store reports,
// until the command is stopped. An export that fails is reported and
// tried again at the next change.
func (x *siteExporter) watch(ctx context.Context) int {
	changes := make(chan struct{}, 1)
	watchErr := make(chan error, 1)
	go func() {
		watchErr <- x.run.WatchChanges(ctx, func(string) {
			select {
			case changes <- struct{}{}:
			default:
			}
		})
	}()
	if !x.o.quiet {
		fmt.Fprintf(x.e.stdout, "watching the database: %s is exported again after each change (Ctrl-C stops)\n", x.dir)
	}
	for first := true; ; first = false {
		x.run.pin()
		if !first {
			// The articles and settings as they stand now.
			if err := x.r.links.sync(ctx); err != nil && ctx.Err() == nil {
				fmt.Fprintf(x.e.stderr, "export: update the linking index: %v\n", err)
			}
			if err := x.r.site.LoadSettings(ctx, x.run); err != nil && ctx.Err() == nil {
				fmt.Fprintf(x.e.stderr, "export: read the settings: %v\n", err)
			}
			x.r.public.Refresh()
		}
		if err := x.once(ctx); err != nil {
			if ctx.Err() != nil {
				return exitOK
			}
			fmt.Fprintf(x.e.stderr, "export: %s: %v\n", x.e.now().Format(time.TimeOnly), err)
		}
		if first {
			// A first run with nothing to render left the linking index
			// unbuilt: it is built now, not after the first edit.
			if err := x.r.links.ensure(ctx); err != nil && ctx.Err() == nil {
				fmt.Fprintf(x.e.stderr, "export: build the linking index: %v\n", err)
			}
		}
		select {
		case <-ctx.Done():
			return exitOK
		case err := <-watchErr:
			if ctx.Err() != nil {
				return exitOK
			}
			return fail(x.e, "export", fmt.Errorf("the watch of the database ended: %w", err))
		case <-changes:
		case <-time.After(watchRecheck):
		}
		select {
		case <-ctx.Done():
			return exitOK
		case <-time.After(watchSettle):
		}
		select {
		case <-changes:
		default:
		}
	}
}

// once exports the site as the store holds it now.
func (x *siteExporter) once(ctx context.Context) error {
	e, s, o := x.e, x.run, x.o
	fingerprint, err := siteFingerprint(e, s, o, x.theme.Digest)
	if err != nil {
		return err
	}
	// A watch keeps its index, which follows the store, and no memo;
	// an earlier export's memo is removed once a watch's export is in,
	// as it would not tell what that export rendered.
	memo := ""
	if !o.watch {
		memo = staticsite.StateFile(x.dir, linkMemoFile)
	}
	// The memo is read while the export lists the articles. Most exports
	// render some article page, which needs the linking index when the
	// memo cannot answer: it is built meanwhile, on the core that leaves
	// idle, and stopped at the end of an export that renders none
	// (BeforeArticles waits for it otherwise).
	prebuild, stop := context.WithCancel(ctx)
	var prebuilding sync.WaitGroup
	// The reading of the memo, and the build begun ahead (stopped first),
	// are over once the pages are: they log where the run reports, and a
	// watch's next run begins its own.
	settleLinks := sync.OnceFunc(func() {
		stop()
		x.links.wait()
		prebuilding.Wait()
	})
	defer settleLinks()
	x.links.start(ctx, memo, fingerprint, func(reuse bool) {
		if reuse {
			return
		}
		if memo != "" && !o.dryRun {
			// The memo describes an index this export's pages will not
			// come from: an export interrupted after its commit and
			// before the new memo is written must leave none. (A folder
			// that cannot be written fails the export with a clearer
			// error than this.)
			_ = os.Remove(memo)
		}
		if prebuild.Err() == nil { // not for a run already over
			prebuilding.Go(func() { _ = x.r.links.ensure(prebuild) })
		}
	})
	beforeArticles := func(ctx context.Context) error {
		reuse, err := x.links.wait()
		if err != nil || reuse {
			return err
		}
		return x.r.links.ensure(ctx)
	}
	redirects, err := s.Redirects(ctx)
	if err != nil {
		return err
	}
	paths := map[int64]string{}
	opts := staticsite.Options{
		Dir: x.dir, Handler: x.r.site.Middleware(x.r.pages), BaseURL: e.cfg.BaseURL,
		Articles: func(ctx context.Context) ([]staticsite.Article, error) {
			as, listed, topics, err := exportArticles(ctx, s, x.news, e.now(), len(x.theme.Templates) > 0)
			// The listing pages show these articles as they were just
			// read.
			x.r.public.KeepListed(listed, topics)
			for _, a := range as {
				paths[a.ID] = a.Path
			}
			return as, err
		},
		// The pages whose related articles may list an article are those
		// of the articles most like it, as for a node's purges; none
		// when the index reads it as before.
		Neighbours: func(ctx context.Context, id int64) ([]string, error) {
			if x.links.Unmoved(id) {
				return nil, nil
			}
			var near []string
			for _, m := range x.links.Related(id, memoDepth, e.cfg.RelatedFloor) {
				if p, ok := paths[m.ID]; ok {
					near = append(near, p)
				}
			}
			return near, x.links.end()
		},
		Fingerprint: fingerprint, DryRun: o.dryRun, Force: o.force, Now: e.now,
		BeforeArticles: beforeArticles,
		BeforeCommit:   func(context.Context) error { return x.links.end() },
	}
	for _, rd := range redirects {
		opts.Redirects = append(opts.Redirects, staticsite.Redirect{From: rd.From, To: rd.To})
	}
	var bar *progressbar.ProgressBar
	showBar := e.stdoutIsTerminal && !o.quiet
	if showBar || x.metrics != nil {
		opts.Progress = func(done, total int) {
			if x.metrics != nil {
				x.metrics.Progress("export", done, total)
			}
			if !showBar {
				return
			}
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(e.stdout), progressbar.OptionSetDescription("exporting"),
					progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
			}
			bar.ChangeMax(total)
			_ = bar.Set(done)
		}
	}
	sum, err := staticsite.Export(ctx, opts)
	settleLinks()
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	switch {
	case o.dryRun:
	case memo != "":
		x.links.warm(ctx, memoWarm)
		if err := x.links.save(memo, fingerprint); err != nil {
			// An older memo would not tell what this export rendered:
			// the next export builds the index.
			os.Remove(memo)
			fmt.Fprintf(e.stderr, "export: keep the linking answers for the next export: %v\n", err)
		}
	default:
		memo := staticsite.StateFile(x.dir, linkMemoFile)
		if err := os.Remove(memo); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the linking answers of an earlier export: %w", err)
		}
		if err := removeLegacyMemo(memo); err != nil {
			return fmt.Errorf("remove the linking answers of an earlier export: %w", err)
		}
	}
	if x.metrics != nil && !o.dryRun {
		x.metrics.Exported(len(sum.Written), sum.Unchanged, len(sum.Removed), sum.Elapsed)
	}
	if n := len(sum.Missing); n > 0 {
		photos := 0
		for _, p := range sum.Missing {
			if strings.HasPrefix(p, urls.MediaRoot) {
				photos++
			}
		}
		fmt.Fprintf(e.stderr, "export: %d addresses the pages link to are not found on the site, such as %s", n, sum.Missing[0])
		if photos > 0 {
			fmt.Fprintf(e.stderr, "; %d are photo sizes not made yet: 'dateline serve' makes them, then export again", photos)
		}
		fmt.Fprintln(e.stderr)
	}
	if o.dryRun {
		for _, f := range sum.Written {
			fmt.Fprintf(e.stdout, "write  %s\n", f)
		}
		for _, f := range sum.Removed {
			fmt.Fprintf(e.stdout, "remove %s\n", f)
		}
		fmt.Fprintf(e.stdout, "dry run: would write %d files, remove %d; %d unchanged (nothing was written)\n", len(sum.Written), len(sum.Removed), sum.Unchanged)
		return nil
	}
	if !o.quiet {
		kind := "changes since the last export"
		if sum.Full {
			kind = "whole site"
		}
		when := ""
		if o.watch {
			when = e.now().Format(time.TimeOnly) + " "
		}
		fmt.Fprintf(e.stdout, "%sexported the %s to %s: %d files written, %d unchanged, %d removed; %d files in all, in %s\n",
			when, kind, x.dir, len(sum.Written), sum.Unchanged, len(sum.Removed), sum.Files, sum.Elapsed.Round(time.Millisecond))
	}
	return nil
}

// exportArticles lists the public articles as staticsite sees them: the
// listings each is on, and a digest of what pages show of it; the
// articles as the store listed them; and the articles naming each entity
// with a topic page (exportTopics). themeCards says the theme replaces
// templates: its cards may show any field of an article, so that every
// edit is taken to change them.
func exportArticles(ctx context.Context, s store.Store, news *newsroom.Service, now time.Time, themeCards bool) ([]staticsite.Article, []*article.Article, map[int64][]int64, error) {
	// The topic pages are read while the articles are listed.
	type topicPages struct {
		slugs  map[int64][]string
		naming map[int64][]int64
		err    error
	}
	read := make(chan topicPages, 1)
	go func() {
		slugs, naming, err := exportTopics(ctx, s, news, now)
		read <- topicPages{slugs, naming, err}
	}()
	as, err := s.Articles(ctx, store.ArticleQuery{PublicAt: now})
	pages := <-read
	if err != nil {
		return nil, nil, nil, err
	}
	if pages.err != nil {
		return nil, nil, nil, pages.err
	}
	topics := pages.slugs
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	members, err := s.Stories(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	stories := map[int64]int64{}
	for id, m := range members {
		stories[id] = m.StoryID
	}
	// A listing's address is made once for all its articles: each is on a
	// dozen (its topics, tags, section, author), and at 100,000 articles
	// the topic pages' alone were two million strings of 48 addresses.
	topicPaths, sectionPaths, tagPaths, authorPaths := map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	listing := func(paths map[string]string, path func(string) string, slug string) string {
		p, ok := paths[slug]
		if !ok {
			p = path(slug)
			paths[slug] = p
		}
		return p
	}
	out := make([]staticsite.Article, 0, len(as))
	// The listings of all the articles, one after the other: a slice
	// grown for each article's was most of this loop's time.
	room := 0
	for _, a := range as {
		room += len(topics[a.ID]) + 3 + len(a.Tags)
	}
	listings := make([]string, 0, room)
	for _, a := range as {
		x := staticsite.Article{ID: a.ID, Path: urls.Article(a.Slug), Order: a.PublishedAt.UTC().Format(time.RFC3339Nano)}
		// The version changes with every edit; comments do not make one.
		// The topics it links and its story change without an edit (a
		// rebuild, an editor's merge).
		x.State = strconv.Itoa(a.Version) + "/" + strconv.Itoa(a.CommentCount) + "/" + strconv.FormatBool(a.CommentsClosed) +
			"/" + strings.Join(topics[a.ID], ",") + "/" + strconv.FormatInt(stories[a.ID], 10)
		x.Card = exportCard(a, stories[a.ID])
		if themeCards {
			x.Card = x.State + "/" + x.Card
		}
		first := len(listings)
		for _, slug := range topics[a.ID] {
			listings = append(listings, listing(topicPaths, urls.Topic, slug))
		}
		if a.Kind == "" || a.Kind == article.Story {
			listings = append(listings, urls.Home)
			if a.Section != nil {
				x.Group = listing(sectionPaths, urls.Section, a.Section.Slug)
				listings = append(listings, x.Group)
			}
			for _, t := range a.Tags {
				listings = append(listings, listing(tagPaths, urls.Tag, t.Slug))
			}
			if a.Author != nil {
				listings = append(listings, listing(authorPaths, urls.Author, a.Author.Slug))
			}
		}
		if len(listings) > first {
			x.Listings = listings[first:len(listings):len(listings)]
		}
		out = append(out, x)
	}
	return out, as, pages.naming, nil
}

// exportCard digests what pages other than its own show of an article:
// what its card in a listing shows (the built-in theme's "card"), and its
// headline and address in other articles' lists and in its story's. Each
// text is written with its length, so that no two articles' fields run
// together the same (as JSON did, at three times the cost: 0.9 µs an
// article against 2.7 µs, which every export pays for every article).
func exportCard(a *article.Article, story int64) string {
	b := make([]byte, 0, 256)
	text := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	number := func(n int64) {
		b = strconv.AppendInt(b, n, 10)
		b = append(b, ';')
	}
	text(string(a.Kind))
	text(a.Slug)
	text(a.Title)
	text(a.Description)
	number(a.FeaturedMediaID)
	if a.Section != nil {
		text(a.Section.Slug)
		text(a.Section.Name)
	} else {
		b = append(b, '-')
	}
	if a.Author != nil {
		text(a.Author.Slug)
		text(a.Author.Name)
	} else {
		b = append(b, '-')
	}
	text(a.PublishedAt.UTC().Format(time.RFC3339Nano))
	number(int64(a.ReadingMinutes))
	number(int64(a.CommentCount))
	number(story)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// exportTopics returns the topic pages each article is on (the slugs of
// the entities it names that have one, in order) and the articles each
// such entity is named by (drafts too), by entity ID.
func exportTopics(ctx context.Context, s store.Store, news *newsroom.Service, now time.Time) (map[int64][]string, map[int64][]int64, error) {
	minArticles, err := news.TopicMinArticles(ctx)
	if err != nil {
		return nil, nil, err
	}
	withPages, err := s.Entities(ctx, store.EntityQuery{PublicAt: now, MinArticles: minArticles, Uncounted: true})
	if err != nil {
		return nil, nil, err
	}
	slugs := make(map[int64]string, len(withPages))
	pageIDs := make([]int64, len(withPages))
	for i, e := range withPages {
		slugs[e.ID], pageIDs[i] = e.Slug, e.ID
	}
	naming, err := s.EntityArticles(ctx, pageIDs)
	if err != nil {
		return nil, nil, err
	}
	topics := map[int64][]string{}
	for id, articles := range naming {
		for _, a := range articles {
			topics[a] = append(topics[a], slugs[id])
		}
	}
	for _, ts := range topics {
		slices.Sort(ts)
	}
	return topics, naming, nil
}

// siteFingerprint digests what pages show besides the articles: the
// settings, menus, sections and authors, the configuration that shapes
// pages, the theme folder's files (themeDigest) and the program's
// version. A change of it makes the next export render every page.
func siteFingerprint(e *env, s store.Store, o siteExport, themeDigest string) (string, error) {
	var parts []any
	site, err := s.SiteSettings(e.ctx)
	if err != nil {
		return "", err
	}
	comments, err := s.CommentSettings(e.ctx)
	if err != nil {
		return "", err
	}
	sections, err := s.Sections(e.ctx)
	if err != nil {
		return "", err
	}
	authors, err := s.Authors(e.ctx)
	if err != nil {
		return "", err
	}
	news := newsroomOf(e, s)
	var menus [][]any
	for _, name := range []string{"header", "footer"} {
		links, err := news.MenuLinks(e.ctx, name)
		if err != nil {
			return "", err
		}
		menus = append(menus, []any{name, links})
	}
	// Not the sections' counts of articles, which the articles' own
	// changes cover.
	for i := range sections {
		sections[i].Articles = 0
	}
	cfg := e.cfg
	parts = append(parts, site, comments, sections, authors, menus,
		[]any{themeDigest, cfg.FeedContent, cfg.RelatedFloor, cfg.Language, cfg.SiteTitle, cfg.SiteDescription, cfg.Logo, o.commentsURL, o.noComments, o.searchURL},
		programVersion())
	b, err := json.Marshal(parts)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// programVersion names the build: its version and the commit it was built
// from, with whether the tree had changes.
func programVersion() string {
	v := []string{Version}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if strings.HasPrefix(s.Key, "vcs.") {
				v = append(v, s.Key+"="+s.Value)
			}
		}
	}
	return strings.Join(v, " ")
}
