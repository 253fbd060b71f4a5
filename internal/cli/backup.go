package cli

import (
	"flag"
	"fmt"

	"github.com/datelinehq/dateline/internal/backup"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
)

func backupCommand() *command {
	return &command{
		name:    "backup",
		args:    "FILE",
		summary: "write a backup of the site (database and photos) to FILE while it is served",
		detail:  "A consistent copy of an SQLite site, taken while serve goes on writing, with the photo library's files, as one gzipped tar archive; 'dateline restore FILE' puts it back. A PostgreSQL site is backed up with pg_dump (README, \"Backups\").",
		flags:   mediaDirFlag,
		// A database that is not there is named, not made empty and
		// backed up.
		readOnly: true,
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "takes the backup file to write")
			}
			return withStore(e, fs, func(s store.Store) error {
				m, err := backup.Write(e.ctx, s, e.cfg.MediaDir(), fs.Arg(0), e.now)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "backed up %s to %s: %d articles, %d comments, %d users, %d photo files\n",
					config.Redact(e.cfg.DB), fs.Arg(0), m.Articles, m.Comments, m.Users, m.Media)
				return nil
			})
		},
	}
}

func restoreCommand() *command {
	return &command{
		name:    "restore",
		args:    "FILE",
		summary: "restore a backup written by 'dateline backup' into a new or empty SQLite database (--db) and its photo library",
		flags:   mediaDirFlag,
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "takes the backup file to restore")
			}
			backend, path, err := config.ParseDB(e.cfg.DB)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			if backend != config.SQLite {
				return fail(e, fs.Name(), fmt.Errorf("restores into an SQLite database (--db sqlite:PATH); a PostgreSQL site is restored with pg_restore (README, \"Backups\")"))
			}
			m, err := backup.Restore(e.ctx, fs.Arg(0), path, e.cfg.MediaDir(), e.now)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			fmt.Fprintf(e.stdout, "restored %s into %s: %d articles, %d comments, %d users, %d photo files (backed up %s)\n",
				fs.Arg(0), config.Redact(e.cfg.DB), m.Articles, m.Comments, m.Users, m.Media, m.Created.Format("2006-01-02 15:04 UTC"))
			return exitOK
		},
	}
}
