package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// passwordInput is where user add and reset-password read a password: the
// process's standard input. Main takes no reader, so tests swap this.
var passwordInput io.Reader = os.Stdin

// cliActor is the audit log's actor for changes made with this command,
// which has no signed-in user.
const cliActor = "command line"

func userCommand() *command {
	return &command{
		name:    "user",
		summary: "manage newsroom accounts: add users, list them, change roles, reset passwords, disable and delete them",
		subs: []*command{
			userAddCommand(),
			userListCommand(),
			userRoleCommand(),
			userResetPasswordCommand(),
			userDisableCommand("disable", true),
			userDisableCommand("enable", false),
			userDeleteCommand(),
		},
	}
}

func userAddCommand() *command {
	var email, name, role string
	return &command{
		name:    "add",
		summary: "add a user; the password is asked for on the terminal, or read as one line of standard input",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.StringVar(&email, "email", "", "the user's email address, which they sign in with")
			fs.StringVar(&name, "name", "", "the user's name, as shown in the admin")
			fs.StringVar(&role, "role", "", "administrator, editor, author or contributor")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments: give --email, --name and --role")
			}
			var missing []string
			for _, f := range []struct{ flag, value string }{{"--email", email}, {"--name", name}, {"--role", role}} {
				if strings.TrimSpace(f.value) == "" {
					missing = append(missing, f.flag)
				}
			}
			if len(missing) > 0 {
				return usage(e, fs, "give %s", strings.Join(missing, ", "))
			}
			r, err := user.ParseRole(role)
			if err != nil {
				return usage(e, fs, "--role: %v", err)
			}
			u := &user.User{Email: email, Name: name, Role: r}
			if err := u.Validate(); err != nil {
				return usage(e, fs, "%v", err)
			}
			return withStore(e, fs, func(s store.Store) error {
				// Refuse a taken email before anyone types a password.
				if _, err := s.UserByEmail(e.ctx, u.Email); err == nil {
					return duplicateEmail(u.Email)
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				hash, err := newPasswordHash(e)
				if err != nil {
					return err
				}
				u.PasswordHash = hash
				if err := s.CreateUser(e.ctx, u); errors.Is(err, store.ErrConflict) {
					return duplicateEmail(u.Email)
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "added %s <%s> as %s\n", u.Name, u.Email, u.Role)
				return audit(e, s, "user added", u.Email, "role "+string(u.Role))
			})
		},
	}
}

func duplicateEmail(email string) error {
	return fmt.Errorf("a user with email %s already exists", email)
}

type userJSON struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func userListCommand() *command {
	var asJSON bool
	return &command{
		name:     "list",
		readOnly: true,
		summary:  "list the users, by name",
		flags: func(fs *flag.FlagSet, _ *config.Config) {
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		},
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 0 {
				return usage(e, fs, "takes no arguments")
			}
			return withStore(e, fs, func(s store.Store) error {
				us, err := s.Users(e.ctx)
				if err != nil {
					return err
				}
				// Copy field by field: the password hash is never printed.
				if asJSON {
					out := make([]userJSON, 0, len(us))
					for _, u := range us {
						out = append(out, userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Disabled: u.Disabled, CreatedAt: u.CreatedAt})
					}
					return writeJSON(e.stdout, out)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS\tCREATED")
				for _, u := range us {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, userStatus(u), formatDate(u.CreatedAt))
				}
				return tw.Flush()
			})
		},
	}
}

// findUser loads a user by email, with a plain message when there is none.
func findUser(e *env, s store.Store, email string) (*user.User, error) {
	u, err := s.UserByEmail(e.ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFoundError{fmt.Sprintf("user %q", email)}
	}
	return u, err
}

func userRoleCommand() *command {
	return &command{
		name:    "role",
		args:    "EMAIL ROLE",
		summary: "change a user's role (administrator, editor, author or contributor)",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 2 {
				return usage(e, fs, "give the user's email and the new role, such as: ana@example.com editor")
			}
			email := strings.TrimSpace(fs.Arg(0))
			r, err := user.ParseRole(fs.Arg(1))
			if err != nil {
				return usage(e, fs, "%v", err)
			}
			return withStore(e, fs, func(s store.Store) error {
				u, err := findUser(e, s, email)
				if err != nil {
					return err
				}
				if u.Role == r {
					fmt.Fprintf(e.stdout, "%s is already %s\n", u.Email, r)
					return nil
				}
				old := u.Role
				u.Role = r
				if err := s.UpdateUser(e.ctx, u, user.KeepsAdministrator); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s: %s → %s\n", u.Email, old, r)
				return audit(e, s, "role changed", u.Email, fmt.Sprintf("%s → %s", old, r))
			})
		},
	}
}

func userStatus(u *user.User) string {
	if u.Disabled {
		return "disabled"
	}
	return "active"
}

// userDisableCommand is user disable (disabled true) or user enable.
func userDisableCommand(name string, disabled bool) *command {
	summary := "enable a disabled user again"
	if disabled {
		summary = "disable a user: they are signed out everywhere and cannot sign in; their articles stay theirs"
	}
	return &command{
		name:    name,
		args:    "EMAIL",
		summary: summary,
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "give the user's email")
			}
			email := strings.TrimSpace(fs.Arg(0))
			return withStore(e, fs, func(s store.Store) error {
				u, err := findUser(e, s, email)
				if err != nil {
					return err
				}
				if u.Disabled == disabled {
					fmt.Fprintf(e.stdout, "%s is already %s\n", u.Email, userStatus(u))
					return nil
				}
				if err := s.SetUserDisabled(e.ctx, u.ID, disabled, user.KeepsAdministrator); errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("user %q", email)}
				} else if err != nil {
					return err
				}
				if disabled {
					fmt.Fprintf(e.stdout, "disabled %s; their sessions have ended\n", u.Email)
				} else {
					fmt.Fprintf(e.stdout, "enabled %s\n", u.Email)
				}
				return audit(e, s, "user "+name+"d", u.Email, "")
			})
		},
	}
}

func userDeleteCommand() *command {
	return &command{
		name:    "delete",
		args:    "EMAIL",
		summary: "delete a user and end their sessions; their articles stay, with their byline, owned by nobody until an editor takes them over",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "give the user's email")
			}
			email := strings.TrimSpace(fs.Arg(0))
			return withStore(e, fs, func(s store.Store) error {
				u, err := findUser(e, s, email)
				if err != nil {
					return err
				}
				owned, err := s.CountArticles(e.ctx, store.ArticleQuery{OwnerID: u.ID})
				if err != nil {
					return err
				}
				if err := s.DeleteUser(e.ctx, u.ID, user.KeepsAdministrator); errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("user %q", email)}
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "deleted %s <%s>", u.Name, u.Email)
				if owned > 0 {
					fmt.Fprintf(e.stdout, "; nobody owns their %d %s now (the byline stays)", owned, pluralize(owned, "article", "articles"))
				}
				fmt.Fprintln(e.stdout)
				return audit(e, s, "user deleted", u.Email, "role "+string(u.Role))
			})
		},
	}
}

func userResetPasswordCommand() *command {
	return &command{
		name:    "reset-password",
		args:    "EMAIL",
		summary: "set a new password for a user and sign them out everywhere; the password is read as for add",
		run: func(e *env, fs *flag.FlagSet) int {
			if fs.NArg() != 1 {
				return usage(e, fs, "give the user's email")
			}
			email := strings.TrimSpace(fs.Arg(0))
			return withStore(e, fs, func(s store.Store) error {
				u, err := findUser(e, s, email)
				if err != nil {
					return err
				}
				hash, err := newPasswordHash(e)
				if err != nil {
					return err
				}
				if err := s.SetPasswordHash(e.ctx, u.ID, hash); errors.Is(err, store.ErrNotFound) {
					return notFoundError{fmt.Sprintf("user %q", email)}
				} else if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "new password set for %s; their sessions have ended\n", u.Email)
				return audit(e, s, "password reset", u.Email, "")
			})
		},
	}
}

// audit records a change made from the command line. The change itself is
// already stored, so a failure here says so rather than suggest otherwise.
func audit(e *env, s store.Store, action, target, detail string) error {
	ev := &user.AuditEvent{At: e.now().UTC(), Actor: cliActor, Action: action, Target: target, Detail: detail}
	if err := s.AddAudit(e.ctx, ev); err != nil {
		return fmt.Errorf("%s: done, but the audit log could not record it: %w", action, err)
	}
	return nil
}

// newPasswordHash reads a new password and returns its hash. The password
// itself never leaves this function, nor appears in any message.
func newPasswordHash(e *env) (string, error) {
	password, err := readNewPassword(e)
	if err != nil {
		return "", err
	}
	return user.HashPassword(password)
}

// readNewPassword asks for a password twice, without echo, when standard
// input is a terminal; otherwise it reads one line, so that scripts can
// pipe it in.
func readNewPassword(e *env) (string, error) {
	f, ok := passwordInput.(*os.File)
	if !ok || !isTerminal(f) {
		return readPasswordLine(passwordInput)
	}
	password, err := readTerminalPassword(e.ctx, f, e.stderr, "New password: ")
	if err != nil {
		return "", err
	}
	// Say what is wrong before asking for it again.
	if err := user.CheckPasswordPolicy(password); err != nil {
		return "", err
	}
	again, err := readTerminalPassword(e.ctx, f, e.stderr, "Same password again: ")
	if err != nil {
		return "", err
	}
	if again != password {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return password, nil
}

// readPasswordLine reads the first line of r, without its line end.
func readPasswordLine(r io.Reader) (string, error) {
	// Read a little past the longest allowed password and its line end, so
	// that a longer one is refused as too long rather than cut short.
	line, err := bufio.NewReader(io.LimitReader(r, user.MaxPasswordLength+3)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	if line == "" {
		return "", errors.New("no password on standard input: type it at a terminal, or pipe it in as one line")
	}
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r"), nil
}

// readTerminalPassword prompts on w and reads a password from the terminal
// f without echo. An interrupt (the context ends: main catches Ctrl-C)
// gives the terminal its echo back and returns at once.
func readTerminalPassword(ctx context.Context, f *os.File, w io.Writer, prompt string) (string, error) {
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(w, prompt)
	type result struct {
		password []byte
		err      error
	}
	read := make(chan result, 1)
	go func() {
		p, err := term.ReadPassword(fd)
		read <- result{p, err}
	}()
	select {
	case r := <-read:
		fmt.Fprintln(w)
		if r.err != nil {
			return "", fmt.Errorf("read password: %w", r.err)
		}
		return string(r.password), nil
	case <-ctx.Done():
		// The reading goroutine stays blocked until the process exits,
		// which it is about to.
		_ = term.Restore(fd, state)
		fmt.Fprintln(w)
		return "", errors.New("interrupted; nothing was changed")
	}
}
