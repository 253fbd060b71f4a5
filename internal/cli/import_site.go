package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/datelinehq/dateline/internal/importer"
	"github.com/datelinehq/dateline/internal/metrics"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/schollz/progressbar/v3"
)

// siteImportFlags are the import command's flags for whole-site exports.
type siteImportFlags struct {
	dryRun, json, quiet  bool
	mediaFrom, permalink string
	createUsers          bool
	entities             bool             // find the archive's entities after the import
	metrics              *metrics.Metrics // nil without --metrics-addr
}

// importSite imports one whole-site export and prints its report. It
// returns whether every item went in.
func importSite(e *env, s store.Store, news *newsroom.Service, path string, f importer.Format, fl siteImportFlags) (bool, error) {
	opts := importer.SiteOptions{DryRun: fl.dryRun, MediaFrom: fl.mediaFrom, CreateUsers: fl.createUsers}
	if !fl.quiet {
		opts.Progress = siteProgress(e, path)
	}
	opts.Progress = withJobMetrics(fl.metrics, "import", opts.Progress)
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	read := importer.SiteReaderOf(f)
	if f == importer.Ghost {
		var err error
		if read, err = importer.GhostReader(fl.permalink); err != nil {
			return false, err
		}
	}
	rep, err := importer.New(s, news, importer.Options{}).ImportSite(e.ctx, path, f, read, open, opts)
	if opts.Progress != nil {
		opts.Progress(-1, -1) // done: clear the bar
	}
	if rep != nil {
		if fl.json {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rep); err != nil {
				return false, err
			}
		} else {
			printSiteReport(e.stdout, rep)
		}
	}
	if err != nil {
		return false, err
	}
	return rep.Posts.Failed+rep.Pages.Failed+rep.Comments.Failed == 0, nil
}

// withJobMetrics returns progress that also records the job's progress
// in m (when not nil; progress may be nil). done -1 ends the run.
func withJobMetrics(m *metrics.Metrics, job string, progress func(done, total int)) func(done, total int) {
	if m == nil {
		return progress
	}
	return func(done, total int) {
		if done >= 0 {
			m.Progress(job, done, total)
		}
		if progress != nil {
			progress(done, total)
		}
	}
}

// siteProgress shows an import's progress: a bar on a terminal, a line
// every few seconds otherwise (a log, a CI job). Called with -1 when the
// import ends.
func siteProgress(e *env, path string) func(done, total int) {
	var bar *progressbar.ProgressBar
	start := e.now()
	var last time.Time
	return func(done, total int) {
		if done < 0 {
			if bar != nil {
				_ = bar.Finish()
			}
			return
		}
		if e.stdoutIsTerminal {
			if bar == nil {
				bar = progressbar.NewOptions(total,
					progressbar.OptionSetWriter(e.stdout),
					progressbar.OptionSetDescription("importing "+path),
					progressbar.OptionShowCount(),
					progressbar.OptionShowIts(),
					progressbar.OptionSetItsString("items"),
					progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(done)
			return
		}
		now := e.now()
		if now.Sub(last) < 5*time.Second && done < total {
			return
		}
		last = now
		rate := ""
		if secs := now.Sub(start).Seconds(); secs > 0 {
			rate = fmt.Sprintf(", %.0f items/s", float64(done)/secs)
		}
		fmt.Fprintf(e.stderr, "importing %s: %d of %d items%s\n", path, done, total, rate)
	}
}

// printSiteReport prints what a whole-site import did, for a person.
func printSiteReport(w io.Writer, r *importer.SiteReport) {
	verb := ""
	if r.DryRun {
		verb = " (dry run: nothing was written; the counts are what would be)"
	}
	from := ""
	if r.Site != "" {
		from = " of " + r.Site
	}
	fmt.Fprintf(w, "%s: %s%s%s\n", r.Source, r.Format.Describe(), from, verb)
	tally := func(name string, t importer.Tally) {
		fmt.Fprintf(w, "  %-9s %d imported, %d updated, %d unchanged, %d skipped, %d failed\n", name+":", t.Imported, t.Updated, t.Unchanged, t.Skipped, t.Failed)
	}
	tally("posts", r.Posts)
	tally("pages", r.Pages)
	tally("comments", r.Comments)
	fmt.Fprintf(w, "  read:     %d authors, %d categories, %d tags, %d attachments\n", r.Authors, r.Categories, r.Tags, r.Attachments)
	if r.UsersCreated > 0 {
		fmt.Fprintf(w, "  users:    %d accounts made for the authors, as contributors with no password: set each with 'dateline user reset-password EMAIL'\n", r.UsersCreated)
	}
	fmt.Fprintf(w, "  made:     %d redirects from old addresses, %d stories pinned to the front page, %d author profiles filled in\n", r.Redirects, r.Pinned, r.Profiles)
	fmt.Fprintf(w, "  images:   %d taken into the library, %d left on the old site\n", r.ImagesAdded, r.ImagesRemote)
	notes := func(title string, ns []importer.ItemNote) {
		if len(ns) == 0 {
			return
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(ns))
		for _, n := range ns {
			fmt.Fprintf(w, "  %s: %s\n", n.Item, joinLines(n.Message))
		}
	}
	notes("failed", r.Failed)
	notes("skipped", r.Skipped)
	notes("not converted", r.NotConverted)
	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "problems in the export (%d):\n", len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s: %s\n", p.Where, p.Message)
		}
	}
}
