package cli

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
)

// The user tests swap passwordInput, which every command reads, so they
// must not run in parallel with each other (no other test reads it).

// withStdin makes the next commands read input as their standard input.
func withStdin(t *testing.T, input string) {
	t.Helper()
	old := passwordInput
	passwordInput = strings.NewReader(input)
	t.Cleanup(func() { passwordInput = old })
}

// runWithPassword runs a command with password on its standard input and
// checks that the password is printed nowhere.
func runWithPassword(t *testing.T, password string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	withStdin(t, password+"\n")
	stdout, stderr, code = dateline(t, args...)
	if password != "" && (strings.Contains(stdout, password) || strings.Contains(stderr, password)) {
		t.Errorf("dateline %s printed the password:\n%s%s", strings.Join(args, " "), stdout, stderr)
	}
	return stdout, stderr, code
}

func listUsers(t *testing.T, db string) []userJSON {
	t.Helper()
	out := mustRun(t, "user", "list", "--json", "--db", db)
	if strings.Contains(out, "argon2") || strings.Contains(out, "hash") {
		t.Errorf("user list --json shows password hashes:\n%s", out)
	}
	var us []userJSON
	if err := json.Unmarshal([]byte(out), &us); err != nil {
		t.Fatalf("user list --json printed invalid JSON: %v\n%s", err, out)
	}
	return us
}

// openUserStore opens the test's database directly, to check what the
// commands stored.
func openUserStore(t *testing.T, path string) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestUserAddAndList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.db")
	db := "sqlite:" + path
	mustRun(t, "migrate", "--db", db)
	if us := listUsers(t, db); len(us) != 0 {
		t.Fatalf("a new site has users: %v", us)
	}
	const password = "correct horse battery"
	out, errOut, code := runWithPassword(t, password, "user", "add", "--email", "ana@example.com", "--name", "Ana Costa", "--role", "administrator", "--db", db)
	if code != 0 || out != "added Ana Costa <ana@example.com> as administrator\n" {
		t.Fatalf("user add: exit %d, %q, %q", code, out, errOut)
	}
	// A Windows line end is not part of the password.
	if _, errOut, code := runWithPassword(t, "another good secret\r", "user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "Contributor", "--db", db); code != 0 {
		t.Fatalf("user add with CRLF: exit %d, %s", code, errOut)
	}

	us := listUsers(t, db)
	if len(us) != 2 || us[0].Email != "ana@example.com" || us[0].Name != "Ana Costa" || us[0].Role != "administrator" || us[0].CreatedAt.IsZero() ||
		us[1].Email != "bo@example.com" || us[1].Role != "contributor" {
		t.Fatalf("user list --json = %+v", us)
	}
	table := mustRun(t, "user", "list", "--db", db)
	if !strings.Contains(table, "ana@example.com") || !strings.Contains(table, "Ana Costa") || strings.Contains(table, "argon2") {
		t.Errorf("user list:\n%s", table)
	}

	s := openUserStore(t, path)
	for email, pw := range map[string]string{"ana@example.com": password, "bo@example.com": "another good secret"} {
		u, err := s.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := user.VerifyPassword(u.PasswordHash, pw); !ok || err != nil {
			t.Errorf("%s: the stored hash does not verify the password: %v, %v", email, ok, err)
		}
	}
	events, err := s.Audit(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Action != "user added" || events[0].Actor != "command line" || events[0].Target != "bo@example.com" {
		t.Errorf("audit log = %+v", events)
	}
}

func TestUserCommandErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.db")
	db := "sqlite:" + path
	const password = "correct horse battery"
	if _, errOut, code := runWithPassword(t, password, "user", "add", "--email", "ana@example.com", "--name", "Ana", "--role", "editor", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	for _, test := range []struct {
		name  string
		input string // standard input
		args  []string
		code  int
		want  string
	}{
		{"duplicate email", password + "\n", []string{"user", "add", "--email", "ANA@example.com", "--name", "Another", "--role", "author"}, 1, "a user with email ANA@example.com already exists"},
		{"unknown role", password + "\n", []string{"user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "chief"}, 2, `unknown role "chief"`},
		{"bad email", password + "\n", []string{"user", "add", "--email", "bo at example", "--name", "Bo", "--role", "author"}, 2, `email "bo at example" is not an email address`},
		{"missing flags", password + "\n", []string{"user", "add", "--email", "bo@example.com"}, 2, "give --name, --role"},
		{"stray argument", password + "\n", []string{"user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "author", "extra"}, 2, "takes no arguments"},
		{"short password", "hunter2\n", []string{"user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "author"}, 1, "password is 7 characters; use at least 12"},
		{"blank password", "              \n", []string{"user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "author"}, 1, "password is only spaces"},
		{"no password", "", []string{"user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "author"}, 1, "no password on standard input"},
		{"long password", strings.Repeat("x", 2000) + "\n", []string{"user", "add", "--email", "bo@example.com", "--name", "Bo", "--role", "author"}, 1, "password is longer than 1024 bytes"},
		{"reset unknown user", password + "\n", []string{"user", "reset-password", "nobody@example.com"}, 1, `user "nobody@example.com" not found`},
		{"reset short password", "short\n", []string{"user", "reset-password", "ana@example.com"}, 1, "password is 5 characters"},
		{"reset without email", password + "\n", []string{"user", "reset-password"}, 2, "give the user's email"},
		{"role unknown user", "", []string{"user", "role", "nobody@example.com", "author"}, 1, `user "nobody@example.com" not found`},
		{"role unknown role", "", []string{"user", "role", "ana@example.com", "boss"}, 2, `unknown role "boss"`},
		{"role without role", "", []string{"user", "role", "ana@example.com"}, 2, "give the user's email and the new role"},
		{"list with argument", "", []string{"user", "list", "x"}, 2, "takes no arguments"},
	} {
		t.Run(test.name, func(t *testing.T) {
			withStdin(t, test.input)
			out, errOut, code := dateline(t, append(test.args, "--db", db)...)
			if secret := strings.TrimSpace(test.input); secret != "" && strings.Contains(out+errOut, secret) {
				t.Errorf("printed the password:\n%s%s", out, errOut)
			}
			if code != test.code || !strings.Contains(errOut, test.want) {
				t.Errorf("exit %d, %q; want %d and %q", code, errOut, test.code, test.want)
			}
			if first, _, _ := strings.Cut(errOut, "\n"); !strings.Contains(first, test.want) {
				t.Errorf("the first line of stderr, %q, does not name the problem %q", first, test.want)
			}
			if out != "" {
				t.Errorf("printed %q on a failure", out)
			}
		})
	}
	// Nothing above was stored or changed.
	us := listUsers(t, db)
	if len(us) != 1 || us[0].Role != "editor" || us[0].Name != "Ana" {
		t.Fatalf("after the failures, users = %+v", us)
	}
	s := openUserStore(t, path)
	u, err := s.UserByEmail(context.Background(), "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := user.VerifyPassword(u.PasswordHash, password); !ok || err != nil {
		t.Errorf("a failed reset changed the password: %v, %v", ok, err)
	}
}

func TestUserResetPasswordEndsSessions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "site.db")
	db := "sqlite:" + path
	const oldPassword, newPassword = "correct horse battery", "staple gun and paper"
	if _, errOut, code := runWithPassword(t, oldPassword, "user", "add", "--email", "ana@example.com", "--name", "Ana", "--role", "author", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	s := openUserStore(t, path)
	u, err := s.UserByEmail(ctx, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	_, tokenHash, err := user.NewSessionToken()
	if err != nil {
		t.Fatal(err)
	}
	now := clock.Now().UTC()
	if err := s.CreateSession(ctx, user.Session{TokenHash: tokenHash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime), IP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, tokenHash, now); err != nil {
		t.Fatalf("the session does not work before the reset: %v", err)
	}

	out, errOut, code := runWithPassword(t, newPassword, "user", "reset-password", "Ana@Example.com", "--db", db)
	if code != 0 || !strings.Contains(out, "new password set for ana@example.com; their sessions have ended") {
		t.Fatalf("reset-password: exit %d, %q, %q", code, out, errOut)
	}
	if _, err := s.SessionUser(ctx, tokenHash, now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a password reset, the old session still signs in: %v", err)
	}
	u, err = s.UserByEmail(ctx, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := user.VerifyPassword(u.PasswordHash, newPassword); !ok {
		t.Error("the new password does not verify")
	}
	if ok, _ := user.VerifyPassword(u.PasswordHash, oldPassword); ok {
		t.Error("the old password still verifies")
	}
	events, err := s.Audit(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != "password reset" || events[0].Target != "ana@example.com" || events[0].Actor != "command line" {
		t.Errorf("audit log = %+v", events)
	}
}

func TestUserRole(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "site.db")
	db := "sqlite:" + path
	for _, u := range []struct{ email, role string }{{"ana@example.com", "administrator"}, {"bo@example.com", "editor"}} {
		if _, errOut, code := runWithPassword(t, "correct horse battery", "user", "add", "--email", u.email, "--name", u.email, "--role", u.role, "--db", db); code != 0 {
			t.Fatalf("user add %s: %s", u.email, errOut)
		}
	}
	if out := mustRun(t, "user", "role", "bo@example.com", "Author", "--db", db); out != "bo@example.com: editor → author\n" {
		t.Errorf("user role: %q", out)
	}
	if out := mustRun(t, "user", "role", "bo@example.com", "author", "--db", db); out != "bo@example.com is already author\n" {
		t.Errorf("user role to the same role: %q", out)
	}
	// Demoting the only administrator would lock everyone out of the
	// users and settings screens.
	if _, errOut, code := dateline(t, "user", "role", "ana@example.com", "editor", "--db", db); code != 1 || !strings.Contains(errOut, "ana@example.com is the last administrator who can sign in") {
		t.Errorf("demoting the only administrator: exit %d, %q", code, errOut)
	}
	mustRun(t, "user", "role", "bo@example.com", "administrator", "--db", db)
	mustRun(t, "user", "role", "ana@example.com", "contributor", "--db", db)

	roles := map[string]string{}
	for _, u := range listUsers(t, db) {
		roles[u.Email] = u.Role
	}
	if roles["ana@example.com"] != "contributor" || roles["bo@example.com"] != "administrator" {
		t.Errorf("roles = %v", roles)
	}
	s := openUserStore(t, path)
	events, err := s.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, ev := range events {
		if ev.Action == "role changed" {
			if ev.Actor != "command line" || ev.At.IsZero() {
				t.Errorf("role change event = %+v", ev)
			}
			changes = append(changes, ev.Target+": "+ev.Detail)
		}
	}
	want := []string{"ana@example.com: administrator → contributor", "bo@example.com: author → administrator", "bo@example.com: editor → author"}
	if strings.Join(changes, "\n") != strings.Join(want, "\n") {
		t.Errorf("role changes in the audit log, newest first:\n%s\nwant:\n%s", strings.Join(changes, "\n"), strings.Join(want, "\n"))
	}
}

// Issue: users could be neither removed nor disabled.
func TestUserDisableEnableDelete(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			db := b.dsn(t)
			for _, u := range []struct{ email, role string }{
				{"ana@example.com", "administrator"}, {"bo@example.com", "editor"}, {"cy@example.com", "author"},
			} {
				if _, errOut, code := runWithPassword(t, "correct horse battery", "user", "add", "--email", u.email, "--name", strings.Split(u.email, "@")[0], "--role", u.role, "--db", db); code != 0 {
					t.Fatalf("user add %s: %s", u.email, errOut)
				}
			}
			s, err := openStore(&env{ctx: ctx, cfg: &config.Config{DB: db}, now: clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ids := map[string]int64{}
			for _, u := range listUsers(t, db) {
				ids[u.Email] = u.ID
			}
			now := clock.Now()
			for i, email := range []string{"ana@example.com", "bo@example.com"} {
				sess := user.Session{TokenHash: []byte{byte(i + 1)}, UserID: ids[email], CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
				if err := s.CreateSession(ctx, sess); err != nil {
					t.Fatal(err)
				}
			}
			a := &article.Article{Slug: "cys-story", Title: "Cy's story", Body: "Text.", Status: article.Published, PublishedAt: now,
				Author: &article.Author{Name: "Cy Byline", Slug: "cy-byline"}, OwnerID: ids["cy@example.com"]}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}

			for _, step := range []struct{ args, want string }{
				{"user disable bo@example.com", "disabled bo@example.com; their sessions have ended\n"},
				{"user disable BO@example.com", "bo@example.com is already disabled\n"},
			} {
				if out := mustRun(t, append(strings.Fields(step.args), "--db", db)...); out != step.want {
					t.Errorf("%s printed %q, want %q", step.args, out, step.want)
				}
			}
			if _, err := s.SessionUser(ctx, []byte{2}, now); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("session of a disabled user: err = %v, want ErrNotFound", err)
			}
			if _, err := s.SessionUser(ctx, []byte{1}, now); err != nil {
				t.Errorf("another user's session ended: %v", err)
			}
			for _, u := range listUsers(t, db) {
				if u.Disabled != (u.Email == "bo@example.com") {
					t.Errorf("user list --json: %s disabled = %t", u.Email, u.Disabled)
				}
			}
			for _, line := range strings.Split(mustRun(t, "user", "list", "--db", db), "\n") {
				if strings.Contains(line, "@") && strings.Contains(line, "disabled") != strings.Contains(line, "bo@example.com") {
					t.Errorf("user list line %q; want only Bo's to say disabled", line)
				}
			}
			if out := mustRun(t, "user", "enable", "bo@example.com", "--db", db); out != "enabled bo@example.com\n" {
				t.Errorf("user enable printed %q", out)
			}

			if out := mustRun(t, "user", "delete", "cy@example.com", "--db", db); out != "deleted cy <cy@example.com>; nobody owns their 1 article now (the byline stays)\n" {
				t.Errorf("user delete printed %q", out)
			}
			if got := show(t, db, "cys-story"); got.Author == nil || got.Author.Name != "Cy Byline" {
				t.Errorf("the deleted user's article = %+v, want it kept with its byline", got)
			}

			for _, test := range []struct {
				args []string
				code int
				want string
			}{
				{[]string{"user", "disable", "ana@example.com"}, 1, "ana@example.com is the last administrator who can sign in: make another user an administrator first"},
				{[]string{"user", "delete", "ana@example.com"}, 1, "ana@example.com is the last administrator who can sign in"},
				{[]string{"user", "delete", "cy@example.com"}, 1, `user "cy@example.com" not found`},
				{[]string{"user", "enable", "nobody@example.com"}, 1, `user "nobody@example.com" not found`},
				{[]string{"user", "disable"}, 2, "give the user's email"},
			} {
				_, errOut, code := dateline(t, append(test.args, "--db", db)...)
				if code != test.code || !strings.Contains(errOut, test.want) {
					t.Errorf("dateline %s: exit %d, stderr %q; want exit %d and %q", strings.Join(test.args, " "), code, errOut, test.code, test.want)
				}
			}
			if us := listUsers(t, db); len(us) != 2 || us[0].Email != "ana@example.com" || us[0].Disabled {
				t.Errorf("after the refusals, users = %+v; want Ana still there and enabled", us)
			}

			events, err := s.Audit(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ev := range events {
				if strings.HasPrefix(ev.Action, "user ") && ev.Action != "user added" {
					got = append(got, ev.Action+" "+ev.Target)
				}
			}
			want := []string{"user deleted cy@example.com", "user enabled bo@example.com", "user disabled bo@example.com"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("audit log, newest first (-want +got):\n%s", diff)
			}
		})
	}
}
