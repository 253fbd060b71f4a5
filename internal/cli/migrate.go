package cli

import (
	"flag"
	"fmt"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
)

func migrateCommand() *command {
	return &command{
		name:    "migrate",
		summary: "create the database if it is missing and bring its schema up to date, as serve and every command that writes do",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(store.Store) error {
				fmt.Fprintf(e.stdout, "%s: the schema is up to date\n", config.Redact(e.cfg.DB))
				return nil
			})
		},
	}
}
