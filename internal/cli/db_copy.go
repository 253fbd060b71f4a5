package cli

import (
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/dbcopy"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/schollz/progressbar/v3"
)

func dbCommand() *command {
	return &command{
		name:    "db",
		summary: "copy the whole site from one database to another (SQLite to PostgreSQL and back)",
		subs:    []*command{dbCopyCommand()},
	}
}

func dbCopyCommand() *command {
	var from, to, fromMedia, toMedia string
	var sessions, quiet bool
	return &command{
		name:    "copy",
		args:    "--from DSN --to DSN",
		summary: "copy the whole site, photos included, from one database into a new or empty one",
		detail: `Copies every table of the site (articles and their revisions, authors, users and their passwords, comments, redirects, settings, sections, menus, tags, views, photos...), keeping every ID, from --from to --to: sqlite:PATH or postgres://USER@HOST/DB, either way. Both are brought to this version's schema first. The target must hold no articles, comments, users or photos; what else a new database holds (the settings serve makes) is replaced.

The copy is one transaction on the target: stopped or failed half-way, it leaves the target as it was, never half a site. Search indexes are rebuilt by the target itself. Before it commits, every table is read back and compared with the source, row count and checksum, and a difference rolls it all back.

Photos go with the site: from the folder beside an SQLite database (NAME-media, or --from-media) into PostgreSQL's database, and back into the folder beside the new SQLite file (or --to-media). Signed-in sessions are left out unless --sessions. Stop serve on the source first, or changes made during the copy are not in it.`,
		noDB: true,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			fs.StringVar(&from, "from", "", "the database to copy: sqlite:PATH or postgres://USER@HOST/DB")
			fs.StringVar(&to, "to", "", "the new or empty database to copy into: sqlite:PATH or postgres://USER@HOST/DB")
			fs.StringVar(&fromMedia, "from-media", "", "folder of the source's photo files (default: beside an SQLite file, NAME-media; in a PostgreSQL database)")
			fs.StringVar(&toMedia, "to-media", "", "folder for the target's photo files (default: beside an SQLite file, NAME-media; in a PostgreSQL database)")
			fs.BoolVar(&sessions, "sessions", false, "copy the users' sessions too, so that nobody has to sign in again")
			fs.BoolVar(&quiet, "quiet", false, "show no progress")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			switch {
			case fs.NArg() != 0:
				return usage(e, fs, "takes no arguments, only --from and --to")
			case from == "" || to == "":
				return usage(e, fs, "name the database to copy with --from and the one to copy into with --to")
			case from == to:
				return usage(e, fs, "--from and --to name the same database")
			}
			src, err := openDSN(e, "--from", from)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			defer src.Close()
			dst, err := openDSN(e, "--to", to)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			defer dst.Close()
			fromSide, err := copySide(src, from, fromMedia)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			toSide, err := copySide(dst, to, toMedia)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			opts := dbcopy.Options{Sessions: sessions, Now: e.now}
			var bar *progressbar.ProgressBar
			if e.stdoutIsTerminal && !quiet {
				opts.Progress = func(done, total int64) {
					if bar == nil {
						bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(e.stdout), progressbar.OptionSetDescription("copying"),
							progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
					}
					bar.ChangeMax64(total)
					_ = bar.Set64(done)
				}
			}
			sum, err := dbcopy.Copy(e.ctx, fromSide, toSide, opts)
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				if errors.Is(err, dbcopy.ErrMismatch) {
					printCopySummary(e, sum)
				}
				return fail(e, fs.Name(), err)
			}
			if !quiet {
				printCopySummary(e, sum)
			}
			fmt.Fprintf(e.stdout, "copied %s to %s: %d rows in %d tables", fromSide.Name, toSide.Name, sum.Rows(), len(sum.Tables))
			if secs := sum.Elapsed.Seconds(); secs > 0 {
				fmt.Fprintf(e.stdout, " in %.1fs (%.0f rows/s)", secs, float64(sum.Rows())/secs)
			}
			fmt.Fprintln(e.stdout)
			return exitOK
		},
	}
}

// openDSN opens (and so migrates) the database dsn names; flag names it
// in errors.
func openDSN(e *env, flag, dsn string) (store.Store, error) {
	backend, target, err := config.ParseDB(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	opts := store.Options{Now: e.now}
	var s store.Store
	switch backend {
	case config.Postgres:
		s, err = postgres.Open(e.ctx, target, opts)
	default:
		s, err = sqlite.Open(e.ctx, target, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, config.Redact(dsn), err)
	}
	return s, nil
}

// copySide is one end of a copy: the store, and the folder of its photo
// files as serve finds it (config.MediaDir).
func copySide(s store.Store, dsn, mediaDir string) (dbcopy.Side, error) {
	tables, ok := s.(store.Tables)
	if !ok {
		return dbcopy.Side{}, fmt.Errorf("%s: this store cannot be copied table by table", config.Redact(dsn))
	}
	cfg := config.Config{DB: dsn, Media: mediaDir}
	return dbcopy.Side{Name: config.Redact(dsn), Tables: tables, MediaDir: cfg.MediaDir()}, nil
}

// printCopySummary prints a line per table: its rows and whether the
// target's checksum is the source's.
func printCopySummary(e *env, sum dbcopy.Summary) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tROWS\tCHECKSUM")
	for _, t := range sum.Tables {
		check := "ok"
		if !t.OK() {
			check = fmt.Sprintf("DIFFERS (%d rows in the target)", t.TargetRows)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", t.Name, t.Rows, check)
	}
	for _, s := range sum.Skipped {
		fmt.Fprintf(tw, "%s\t-\tnot copied: %s\n", s.Name, s.Reason)
	}
	tw.Flush()
}
