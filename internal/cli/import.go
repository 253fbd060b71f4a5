package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/importer"
	"github.com/schollz/progressbar/v3"
)

// progressThreshold is how many files make a run long enough for a
// progress bar.
const progressThreshold = 50

func importCommand() *command {
	var format, author, status, section string
	return &command{
		name:    "import",
		args:    "PATH...",
		summary: "import articles from text or Markdown files and directories",
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			mediaFlags(fs, cfg)
			fs.StringVar(&format, "format", "", "read every file as text or markdown (default: detect from extension and content)")
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
			opts := importer.Options{Format: f, Status: st, Section: strings.TrimSpace(section)}
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
			s, err := openStore(e)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			defer s.Close()

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
			// Images beside the files go to the photo library.
			news, err := newsroomWithLibrary(e, s)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			sum, err := importer.New(s, news, opts).Run(e.ctx, fs.Args())
			if bar != nil {
				_ = bar.Finish()
			}
			for _, r := range sum.Failed() {
				fmt.Fprintf(e.stderr, "%s: %s: %s\n", fs.Name(), r.Path, oneLine(r.Err))
			}
			fmt.Fprintf(e.stdout, "%d imported, %d updated, %d unchanged, %d failed (%d published, %d draft, %d scheduled)\n",
				sum.Counts[importer.Created], sum.Counts[importer.Updated], sum.Counts[importer.Unchanged], sum.Counts[importer.Failed],
				sum.Statuses[article.Published], sum.Statuses[article.Draft], sum.Statuses[article.Scheduled])
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			if sum.Counts[importer.Failed] > 0 {
				return exitFail
			}
			return exitOK
		},
	}
}
