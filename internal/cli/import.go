package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/importer"
	"github.com/datelinehq/dateline/internal/metrics"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/schollz/progressbar/v3"
)

// progressThreshold is how many files make a run long enough for a
// progress bar.
const progressThreshold = 50

func importCommand() *command {
	var format, author, status, section string
	var site siteImportFlags
	return &command{
		name:    "import",
		args:    "PATH...",
		summary: "import a whole site (a WordPress or Ghost export, a Hugo or Jekyll site), or articles from text or Markdown files",
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			mediaFlags(fs, cfg)
			fs.StringVar(&format, "format", "", "read every file as wxr (a WordPress export), ghost (a Ghost export), hugo (Markdown of a Hugo or Jekyll site), text or markdown (default: detect from the content and extension)")
			fs.BoolVar(&site.dryRun, "dry-run", false, "read and check everything and print what would be imported, writing nothing")
			fs.BoolVar(&site.json, "json", false, "print the import report of a WordPress or Ghost export as JSON")
			fs.BoolVar(&site.quiet, "quiet", false, "show no progress")
			fs.BoolVar(&site.entities, "entities", true, "find the people, organisations and places of the whole archive once the articles are in, as 'dateline entities rebuild' does (false: leave it for later)")
			fs.StringVar(&cfg.MetricsAddr, "metrics-addr", cfg.MetricsAddr, "answer /metrics (Prometheus) on this host:port while importing, with the import's progress (env DATELINE_METRICS_ADDR)")
			fs.BoolVar(&site.createUsers, "create-users", false, "give each author of a WordPress or Ghost export an account (a contributor, with no password until 'dateline user reset-password')")
			fs.StringVar(&site.mediaFrom, "media-from", "", "a copy of the old site's uploads (wp-content/uploads, Ghost's content/images): the export's images are taken from it into the photo library")
			fs.StringVar(&site.permalink, "permalink", "", "the address pattern of a Ghost site's posts, as its routes.yaml gives it, such as '/:year/:month/:slug/' (default: Ghost's /:slug/)")
			fs.StringVar(&author, "author", "", "credit this author on articles whose file names none")
			fs.StringVar(&status, "status", "", "store every article as draft or published (default: what each file says, else published)")
			fs.StringVar(&section, "section", "", "put new articles whose file names no section (plain text never does) in the section with this name, made if missing (default: the first section)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() == 0 {
				return usage(e, fs, "name at least one file or directory to import")
			}
			f, err := importer.ParseFormat(format)
			if err != nil {
				return usage(e, fs, "--format: %v", err)
			}
			st, err := importer.ParseStatus(status)
			if err != nil {
				return usage(e, fs, "--status: %v", err)
			}
			opts := importer.Options{Format: f, Status: st, Section: strings.TrimSpace(section), DryRun: site.dryRun}
			if opts.Section != "" {
				// Checked here, so that a name no section may have is one
				// error rather than one per file. (The slug it makes is the
				// service's to judge: an existing section may have this name
				// and another slug.)
				var field *article.FieldError
				if err := (&article.Section{Name: opts.Section}).Normalize(); errors.As(err, &field) {
					return usage(e, fs, "--section: %s", field.Msg)
				}
			}
			if strings.TrimSpace(author) != "" {
				opts.Author = &article.Author{Name: strings.TrimSpace(author)}
			}
			exports, articles, err := splitExports(fs.Args(), f)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			if len(articles) > 0 && (site.json || site.mediaFrom != "" || site.permalink != "" || site.createUsers) {
				return usage(e, fs, "--json, --media-from, --permalink and --create-users are for WordPress and Ghost exports; %s is not one", articles[0])
			}
			if len(exports) > 0 && (status != "" || strings.TrimSpace(section) != "" || strings.TrimSpace(author) != "") {
				return usage(e, fs, "--status, --section and --author are for article files; %s is %s, which keeps its own statuses, sections and authors", exports[0].path, exports[0].format.Describe())
			}
			for _, x := range exports {
				if site.permalink != "" && x.format != importer.Ghost {
					return usage(e, fs, "--permalink is for Ghost exports; %s is %s", x.path, x.format.Describe())
				}
			}
			if site.permalink != "" {
				if _, err := importer.GhostReader(site.permalink); err != nil {
					return usage(e, fs, "--permalink: %v", err)
				}
			}
			if site.mediaFrom != "" {
				if fi, err := os.Stat(site.mediaFrom); err != nil || !fi.IsDir() {
					return usage(e, fs, "--media-from %s: not a folder that can be read", site.mediaFrom)
				}
			}
			if site.dryRun {
				// A dry run writes nothing, not even a new database: a site
				// that does not exist yet is checked as an empty one.
				done, err := emptySiteForDryRun(e)
				if err != nil {
					return fail(e, fs.Name(), err)
				}
				defer done()
			}
			s, err := openStore(e)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			defer s.Close()
			var m *metrics.Metrics
			if e.cfg.MetricsAddr != "" {
				m = metrics.New(s)
				logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
				addr, stop, err := serveMetrics(e, m, logger)
				if err != nil {
					return fail(e, fs.Name(), err)
				}
				defer stop()
				fmt.Fprintf(e.stderr, "metrics at http://%s/metrics\n", addr)
			}
			site.metrics = m
			if len(exports) > 0 {
				news, err := newsroomWithLibrary(e, s)
				if err != nil {
					return fail(e, fs.Name(), err)
				}
				allIn := true
				for _, x := range exports {
					ok, err := importSite(e, s, news, x.path, x.format, site)
					if err != nil {
						return fail(e, fs.Name(), err)
					}
					allIn = allIn && ok
				}
				if len(articles) == 0 {
					if err := entitiesAfterImport(e, news, site); err != nil {
						return fail(e, fs.Name(), err)
					}
					if !allIn {
						return exitFail
					}
					return exitOK
				}
			}

			var bar *progressbar.ProgressBar
			if e.stdoutIsTerminal {
				opts.Progress = func(done, total int) {
					if total < progressThreshold {
						return
					}
					if bar == nil {
						bar = progressbar.NewOptions(total,
							progressbar.OptionSetWriter(e.stdout),
							progressbar.OptionSetDescription("importing"),
							progressbar.OptionShowCount(),
							progressbar.OptionClearOnFinish())
					}
					_ = bar.Set(done)
				}
			}
			opts.Progress = withJobMetrics(m, "import", opts.Progress)
			// Images beside the files go to the photo library.
			news, err := newsroomWithLibrary(e, s)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			sum, err := importer.New(s, news, opts).Run(e.ctx, articles)
			if bar != nil {
				_ = bar.Finish()
			}
			for _, r := range sum.Failed() {
				fmt.Fprintf(e.stderr, "%s: %s: %s\n", fs.Name(), r.Path, oneLine(r.Err))
			}
			if opts.DryRun {
				fmt.Fprint(e.stdout, "dry run: nothing was written; the counts are what would be\n")
			}
			fmt.Fprintf(e.stdout, "%d imported, %d updated, %d unchanged, %d failed (%d published, %d draft, %d scheduled)\n",
				sum.Counts[importer.Created], sum.Counts[importer.Updated], sum.Counts[importer.Unchanged], sum.Counts[importer.Failed],
				sum.Statuses[article.Published], sum.Statuses[article.Draft], sum.Statuses[article.Scheduled])
			if sum.Redirects > 0 {
				verb := "now redirect"
				if opts.DryRun {
					verb = "would redirect"
				}
				fmt.Fprintf(e.stdout, "%d old addresses (aliases, permalinks) %s to the articles\n", sum.Redirects, verb)
			}
			var notes []string
			for _, r := range sum.Results {
				for _, n := range r.Notes {
					notes = append(notes, r.Path+": "+n)
				}
			}
			if len(notes) > 0 {
				fmt.Fprintf(e.stdout, "not converted (%d):\n", len(notes))
				for _, n := range notes {
					fmt.Fprintf(e.stdout, "  %s\n", n)
				}
			}
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			if sum.Counts[importer.Created]+sum.Counts[importer.Updated] > 0 {
				if err := entitiesAfterImport(e, news, site); err != nil {
					return fail(e, fs.Name(), err)
				}
			}
			if sum.Counts[importer.Failed] > 0 {
				return exitFail
			}
			return exitOK
		},
	}
}

// entitiesAfterImport finds the entities of the whole archive after an
// import: the importer stores articles in batches without them, since
// finding them with what the whole archive teaches needs the archive.
func entitiesAfterImport(e *env, news *newsroom.Service, fl siteImportFlags) error {
	if !fl.entities || fl.dryRun {
		return nil
	}
	start := time.Now()
	rep, err := rebuildEntities(e, news, e.stdoutIsTerminal && !fl.quiet)
	if err != nil {
		return fmt.Errorf("finding the entities (the articles are in; run dateline entities rebuild): %w", err)
	}
	out := e.stdout
	if fl.json {
		out = e.stderr // stdout holds the JSON report
	}
	fmt.Fprintln(out, "entities:", rebuildSummary(rep, time.Since(start)))
	return nil
}

// export is a whole-site export named on the command line.
type export struct {
	path   string
	format importer.Format
}

// splitExports sorts the paths into whole-site exports (a WordPress
// export, found by its content or forced by --format) and the files and
// directories of single articles.
func splitExports(paths []string, forced importer.Format) (exports []export, articles []string, err error) {
	for _, p := range paths {
		if importer.SiteReaderOf(forced) != nil {
			exports = append(exports, export{p, forced})
			continue
		}
		if fi, err := os.Stat(p); forced != "" || err != nil || fi.IsDir() {
			articles = append(articles, p) // the article import names what is wrong
			continue
		}
		f, err := importer.DetectSite(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		if f != "" {
			exports = append(exports, export{p, f})
		} else {
			articles = append(articles, p)
		}
	}
	return exports, articles, nil
}

// emptySiteForDryRun points the command at a temporary empty database when
// the SQLite file it names does not exist, and returns the clean-up.
func emptySiteForDryRun(e *env) (func(), error) {
	backend, target, err := config.ParseDB(e.cfg.DB)
	if err != nil || backend != config.SQLite {
		return func() {}, err
	}
	if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "dateline-dry-run-")
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stdout, "no database at %s yet: checked against an empty site\n", target)
	e.cfg.DB = "sqlite:" + filepath.Join(dir, "site.db")
	return func() { os.RemoveAll(dir) }, nil
}
