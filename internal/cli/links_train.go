package cli

import (
	"flag"
	"fmt"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/schollz/progressbar/v3"
)

// linksTrainCommand trains the word vectors of the site's archive now; a
// server does it by itself once the archive is large enough and again as
// it grows (see liveIndex.trainIfDue).
func linksTrainCommand() *command {
	return &command{
		name:    "train",
		summary: "train word vectors on the site's archive, for related articles (English sites of 1,000 stories or more)",
		flags:   func(*flag.FlagSet, *config.Config) {},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() > 0 {
				return usage(e, fs, "train takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				language, err := siteLanguage(e.ctx, s, e.cfg.Language)
				if err != nil {
					return err
				}
				var opts newsroom.TrainOptions
				var bar *progressbar.ProgressBar
				if e.stdoutIsTerminal {
					opts.Progress = func(done, planned int64) {
						if bar == nil {
							bar = progressbar.NewOptions64(planned,
								progressbar.OptionSetWriter(e.stdout),
								progressbar.OptionSetDescription("training"),
								progressbar.OptionClearOnFinish())
						}
						_ = bar.Set64(min(done, planned))
					}
				}
				v, err := newsroomOf(e, s).TrainWordVectors(e.ctx, language, opts)
				if bar != nil {
					_ = bar.Finish()
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "trained word vectors on %d stories (%d words read), %d KB; a running server ranks with them within ten minutes\n",
					v.Articles, v.Words, len(v.Data)/1024)
				return nil
			})
		},
	}
}
