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
		detail:  "A consistent copy of the site, taken while serve goes on writing, with the photo library's files, as one gzipped tar archive holding an SQLite database (a PostgreSQL site's tables are copied into one, from one snapshot); 'dateline restore FILE' puts it back into SQLite or PostgreSQL.",
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
		summary: "restore a backup written by 'dateline backup' into a new or empty database (--db, SQLite or PostgreSQL) and its photo library",
		flags:   mediaDirFlag,
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "takes the backup file to restore")
			}
			backend, path, err := config.ParseDB(e.cfg.DB)
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			var m backup.Manifest
			if backend == config.SQLite {
				m, err = backup.Restore(e.ctx, fs.Arg(0), path, e.cfg.MediaDir(), e.now)
			} else {
				m, err = restoreIntoDatabase(e, fs.Arg(0))
			}
			if err != nil {
				return fail(e, fs.Name(), err)
			}
			fmt.Fprintf(e.stdout, "restored %s into %s: %d articles, %d comments, %d users, %d photo files (backed up %s)\n",
				fs.Arg(0), config.Redact(e.cfg.DB), m.Articles, m.Comments, m.Users, m.Media, m.Created.Format("2006-01-02 15:04 UTC"))
			return exitOK
		},
	}
}

// restoreIntoDatabase restores a backup into the PostgreSQL database of
// --db, whose photos are kept in it.
func restoreIntoDatabase(e *env, file string) (backup.Manifest, error) {
	s, err := openDSN(e, "--db", e.cfg.DB)
	if err != nil {
		return backup.Manifest{}, err
	}
	defer s.Close()
	target, err := copySide(s, e.cfg.DB, "")
	if err != nil {
		return backup.Manifest{}, err
	}
	return backup.RestoreTo(e.ctx, file, target, e.now)
}
