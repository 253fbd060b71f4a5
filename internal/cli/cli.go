// Package cli is Dateline's command line and its composition root: it
// parses flags, opens the store named by the configuration and wires the
// domain packages together. Each subcommand lives in a file of its own.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and something failed
	exitUsage = 2 // the command line was wrong
)

// env is what every command runs with.
type env struct {
	ctx    context.Context
	cfg    *config.Config
	stdout io.Writer
	stderr io.Writer
	// stdoutIsTerminal says whether progress bars make sense.
	stdoutIsTerminal bool
	// now is the one clock: the store, the site and every command read
	// the time from it.
	now func() time.Time
	// readOnly is the running command's: see command.readOnly.
	readOnly bool
	// serveHooks is set by tests only: see serveHooks.
	serveHooks *serveHooks
}

// command is one subcommand, or a group of them.
type command struct {
	name    string
	args    string // the synopsis after the name, for help
	summary string
	detail  string                                     // more for --help, after the summary; optional
	flags   func(fs *flag.FlagSet, cfg *config.Config) // declares the command's own flags; cfg holds their env defaults
	run     func(e *env, fs *flag.FlagSet) int
	subs    []*command
	noDB    bool // the command never opens the database
	// readOnly commands only read: they open an existing database without
	// creating or migrating it, so that one run in the wrong directory
	// says so instead of leaving an empty database there.
	readOnly bool
}

func commands() []*command {
	return []*command{
		serveCommand(),
		migrateCommand(),
		importCommand(),
		exportCommand(),
		backupCommand(),
		dbCommand(),
		restoreCommand(),
		articleCommand(),
		sectionCommand(),
		authorCommand(),
		menuCommand(),
		frontpageCommand(),
		commentCommand(),
		linksCommand(),
		settingsCommand(),
		seoCommand(),
		redirectCommand(),
		searchCommand(),
		entitiesCommand(),
		mediaCommand(),
		userCommand(),
		versionCommand(),
	}
}

// Main runs the command line args (without the program name) and returns
// the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, args, stdout, stderr, time.Now)
}

// run is Main on the clock now.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) int {
	e := &env{ctx: ctx, cfg: config.FromEnv(os.LookupEnv), stdout: stdout, stderr: stderr, now: now}
	if f, ok := stdout.(*os.File); ok {
		e.stdoutIsTerminal = isTerminal(f)
	}
	return dispatch(e, "dateline", commands(), args)
}

func dispatch(e *env, path string, cmds []*command, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := e.stdout
		code := exitOK
		if len(args) == 0 {
			w, code = e.stderr, exitUsage
		}
		printHelp(w, path, cmds)
		return code
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		if c.subs != nil {
			return dispatch(e, path+" "+c.name, c.subs, args[1:])
		}
		return runCommand(e, path+" "+c.name, c, args[1:])
	}
	fmt.Fprintf(e.stderr, "%s: unknown command %q\n", path, args[0])
	printHelp(e.stderr, path, cmds)
	return exitUsage
}

func runCommand(e *env, path string, c *command, args []string) int {
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if !c.noDB {
		fs.StringVar(&e.cfg.DB, "db", e.cfg.DB, "database: sqlite:PATH or postgres://USER@HOST/DB (env DATELINE_DB)")
	}
	if c.flags != nil {
		c.flags(fs, e.cfg)
	}
	usageText := func() {
		fmt.Fprintf(fs.Output(), "Usage: %s [flags] %s\n\n%s\n\n", path, c.args, c.summary)
		if c.detail != "" {
			fmt.Fprintf(fs.Output(), "%s\n\n", c.detail)
		}
		fmt.Fprintf(fs.Output(), "Flags:\n")
		fs.PrintDefaults()
	}
	// Printed once, below: to stdout when asked for, to stderr after an
	// error (which the flag package prints itself).
	fs.Usage = func() {}
	err := fs.Parse(interleaved(fs, args))
	fs.Usage = usageText
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return exitOK
		}
		fs.Usage()
		return exitUsage
	}
	if c.noDB {
		return c.run(e, fs)
	}
	e.readOnly = c.readOnly
	if err := e.cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", path, err)
		return exitUsage
	}
	return c.run(e, fs)
}

// interleaved moves flags after positional arguments to the front, so that
// "article show SLUG --json" works like "article show --json SLUG".
func interleaved(fs *flag.FlagSet, args []string) []string {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(append(flags, "--"), positional...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func printHelp(w io.Writer, path string, cmds []*command) {
	fmt.Fprintf(w, "Usage: %s COMMAND [flags] [arguments]\n\nCommands:\n", path)
	sorted := append([]*command(nil), cmds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	width := 10
	for _, c := range sorted {
		width = max(width, len(c.name))
	}
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-*s %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags.\n", path)
}

// openStore opens the database the configuration names, read-only for a
// command that only reads.
func openStore(e *env) (s store.Store, err error) {
	backend, target, err := config.ParseDB(e.cfg.DB)
	if err != nil {
		return nil, err
	}
	opts := store.Options{Now: e.now, ReadOnly: e.readOnly}
	switch backend {
	case config.Postgres:
		s, err = postgres.Open(e.ctx, target, opts)
	default:
		s, err = sqlite.Open(e.ctx, target, opts)
	}
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, fmt.Errorf("no Dateline database at %s (%s): run 'dateline migrate' to create it, or name the database with --db or DATELINE_DB",
			config.Redact(e.cfg.DB), reason(err, store.ErrNoDatabase))
	}
	return s, err
}

// reason is what a store said of an error wrapping sentinel, without the
// operations it is wrapped in or the sentinel's own words: a person at a
// terminal wants the reason.
func reason(err, sentinel error) string {
	for u := err; u != nil; u = errors.Unwrap(u) {
		if errors.Unwrap(u) == sentinel {
			return strings.TrimPrefix(u.Error(), sentinel.Error()+": ")
		}
	}
	return err.Error()
}

// fail reports an error on stderr, on one line, and returns the failure
// exit code.
func fail(e *env, path string, err error) int {
	fmt.Fprintf(e.stderr, "%s: %s\n", path, oneLine(err))
	return exitFail
}

// oneLine folds a multi-line error (pgx lists each address it tried on a
// line of its own) into one line, so each failure is one line of stderr.
func oneLine(err error) string { return joinLines(err.Error()) }

// joinLines puts a message of several lines on one, for a list that has a
// line per entry.
func joinLines(s string) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "; ")
}

// usage reports a command-line mistake and returns the usage exit code.
func usage(e *env, fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}

// flagsGiven names the flags set on the command line, so that a command
// can tell --bio "" (remove it) from no --bio at all (keep it).
func flagsGiven(fs *flag.FlagSet) map[string]bool {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}

// newsroomOf is the newsroom service over s, for the commands that change
// content: they act as the system (cliActor in the audit log).
func newsroomOf(e *env, s store.Store) *newsroom.Service {
	return newsroom.New(s, render.New(), e.now, slog.New(slog.NewTextHandler(e.stderr, nil)))
}

// cliAs is who a command acts as.
var cliAs = newsroom.System(cliActor)
