package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/exporter"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/schollz/progressbar/v3"
)

// exportFormats are the formats of 'dateline export', each with its
// writer.
var exportFormats = map[string]func(context.Context, io.Writer, store.Store, exporter.Options) (exporter.Summary, error){
	"wxr":  exporter.WXR,
	"json": exporter.JSON,
}

// exportCommand writes the whole site: as files a web server or CDN
// serves ('dateline export DIR'), or in a format another platform reads
// (--format).
func exportCommand() *command {
	var format string
	var quiet bool
	var site siteExport
	return &command{
		name:    "export",
		args:    "DIR | --format wxr|json FILE",
		summary: "export the public site as files for any web server or CDN (DIR), or the whole site as a WordPress export (wxr) or Dateline's JSON (json)",
		detail: "'dateline export DIR --base-url URL' writes every public page, feed, sitemap, photo and theme file to DIR, as serve answers them, with the redirects as _redirects (Netlify, Cloudflare Pages), nginx maps (deploy/nginx-static.conf) and HTML pages at the old addresses. Run it again into the same DIR and it writes only what changed since; files are staged and moved into place at the end, so DIR always holds a complete site.\n" +
			"With --format, the formats are wxr (WordPress eXtended RSS 1.2: WordPress's importer and 'dateline import' read it) and json (every field, described in docs/export-json.md; it holds commenters' emails, so keep it private). Links and images are absolute on --base-url. The file is written beside FILE and renamed once complete.",
		readOnly: true,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			fs.StringVar(&format, "format", "", "wxr or json, for a file another platform reads; leave it out to export the site as files to DIR")
			fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "the site's public address, such as https://news.example.org, for the export's links and image addresses (env DATELINE_BASE_URL)")
			fs.BoolVar(&quiet, "quiet", false, "show no progress")
			fs.BoolVar(&site.dryRun, "dry-run", false, "with DIR: list what would be written and removed, and write nothing")
			fs.BoolVar(&site.force, "force", false, "with DIR: export into a directory that holds other files and no earlier export")
			fs.StringVar(&site.commentsURL, "comments-url", "", "with DIR: the address of a Dateline node (serve) that takes the comments, such as https://comments.example.org; the forms post there")
			fs.BoolVar(&site.noComments, "no-comments", false, "with DIR: leave the comment forms out (the approved comments are shown)")
			fs.StringVar(&cfg.MetricsAddr, "metrics-addr", cfg.MetricsAddr, "with DIR: answer /metrics (Prometheus) on this host:port while exporting: the run's progress, and each run's files and time with --watch (env DATELINE_METRICS_ADDR)")
			fs.StringVar(&cfg.Theme, "theme", cfg.Theme, "with DIR: folder of templates and static files overriding the built-in theme, as serve's --theme (env DATELINE_THEME); a change of its files makes the next export a whole one")
			fs.BoolVar(&site.watch, "watch", false, "with DIR: keep running, and export again after each change to the database (by any node or command)")
			fs.StringVar(&site.searchURL, "search-url", "", "with DIR: the address of a Dateline node that answers searches; the search forms send readers there (without it, the exported /search/ page has only its form)")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			write, ok := exportFormats[strings.ToLower(strings.TrimSpace(format))]
			switch {
			case fs.NArg() != 1 && format == "":
				return usage(e, fs, "name the directory to write the site to (or use --format wxr|json FILE)")
			case e.cfg.BaseURL == "":
				return usage(e, fs, "--base-url (or DATELINE_BASE_URL) is required: the export's links and images are absolute on the site's address, such as https://news.example.org")
			case format == "" && site.commentsURL != "" && site.noComments:
				return usage(e, fs, "--comments-url and --no-comments cannot go together: the forms post to the node, or there are none")
			case format == "" && site.commentsURL != "" && !isSiteAddress(site.commentsURL):
				return usage(e, fs, "--comments-url %q: name the node's address, such as https://comments.example.org", site.commentsURL)
			case format == "" && site.searchURL != "" && !isSiteAddress(site.searchURL):
				return usage(e, fs, "--search-url %q: name the node's address, such as https://search.example.org", site.searchURL)
			case format == "":
				site.quiet = quiet
				return exportSiteFiles(e, fs.Arg(0), site)
			case !ok:
				return usage(e, fs, "--format %q: unknown format; the formats are wxr and json", format)
			case fs.NArg() != 1:
				return usage(e, fs, "name one file to write (- for stdout)")
			case format == "" && site.watch && site.dryRun:
				return usage(e, fs, "--watch and --dry-run cannot go together")
			case site.dryRun || site.force || site.commentsURL != "" || site.noComments || site.searchURL != "" || site.watch:
				return usage(e, fs, "--dry-run, --force, --watch, --comments-url, --no-comments and --search-url are for an export of the site as files (DIR), not --format")
			}
			path := fs.Arg(0)
			s, err := openStore(e)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			defer s.Close()
			opts := exporter.Options{BaseURL: e.cfg.BaseURL, Title: e.cfg.SiteTitle, Description: e.cfg.SiteDescription,
				Language: e.cfg.Language, Now: e.now, Renderer: render.New()}
			var bar *progressbar.ProgressBar
			if e.stdoutIsTerminal && !quiet && path != "-" {
				opts.Progress = func(done, total int) {
					if bar == nil {
						bar = progressbar.NewOptions(total,
							progressbar.OptionSetWriter(e.stdout),
							progressbar.OptionSetDescription("exporting"),
							progressbar.OptionShowCount(),
							progressbar.OptionClearOnFinish())
					}
					bar.ChangeMax(total)
					_ = bar.Set(done)
				}
			}
			sum, err := exportTo(path, e.stdout, func(w io.Writer) (exporter.Summary, error) {
				return write(e.ctx, w, s, opts)
			})
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			report := e.stdout
			if path == "-" {
				report = e.stderr
			}
			if !quiet {
				fmt.Fprintf(report, "exported %d articles, %d pages, %d comments, %d images, %d authors, %d sections, %d tags to %s\n",
					sum.Articles, sum.Pages, sum.Comments, sum.Media, sum.Authors, sum.Sections, sum.Tags, path)
			}
			return exitOK
		},
	}
}

// exportTo runs write on path ("-" is stdout). A file is written as
// path.tmp and renamed to path only once write succeeded, so a failed
// export leaves no half file behind, nor replaces a good one.
func exportTo(path string, stdout io.Writer, write func(io.Writer) (exporter.Summary, error)) (exporter.Summary, error) {
	if path == "-" {
		return write(stdout)
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return exporter.Summary{}, fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	sum, err := write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", path, cerr)
	}
	if err == nil {
		if rerr := os.Rename(tmp, path); rerr != nil {
			err = fmt.Errorf("cannot write %s: %w", path, unwrapPath(rerr))
		}
	}
	if err != nil {
		os.Remove(tmp)
		return sum, err
	}
	return sum, nil
}

// unwrapPath is the reason of a file-system error without its path,
// which the message names already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// isSiteAddress reports whether s is an http(s) address with a host and
// no more than a path.
func isSiteAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == ""
}
