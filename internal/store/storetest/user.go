package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// userTests are the accounts half of the suite: users, sessions,
// throttling, the audit log, view statistics, site settings and the
// owners of articles.
var userTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"UsersCreateAndRead", testUsersCreateAndRead},
	{"UserUpdates", testUserUpdates},
	{"Sessions", testSessions},
	{"PasswordChangeEndsSessions", testPasswordChangeEndsSessions},
	{"DeletedUserKeepsArticles", testDeletedUserKeepsArticles},
	{"DisabledUser", testDisabledUser},
	{"UsersCheckRefuses", testUsersCheckRefuses},
	{"ConcurrentDisablesKeepAnAdministrator", testConcurrentDisablesKeepAnAdministrator},
	{"LoginFailures", testLoginFailures},
	{"Audit", testAudit},
	{"ViewStats", testViewStats},
	{"SiteSettings", testSiteSettings},
	{"ArticleOwnerAndTitleFilters", testArticleOwnerAndTitleFilters},
}

func mustUser(t *testing.T, s store.Store, email, name string, role user.Role) *user.User {
	t.Helper()
	u := &user.User{Email: email, Name: name, Role: role, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser(%q): %v", email, err)
	}
	return u
}

// approxTime compares stored times, which keep microseconds.
var approxTime = cmpopts.EquateApproxTime(time.Microsecond)

func testUsersCreateAndRead(t *testing.T, s store.Store) {
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers of a new site = %d, %v; want 0", n, err)
	}
	ada := mustUser(t, s, "Ada@Example.com", "Ada Lovelace", user.Administrator)
	if ada.ID == 0 || ada.CreatedAt.IsZero() {
		t.Fatalf("CreateUser did not set ID and CreatedAt: %+v", ada)
	}
	mustUser(t, s, "zoe@example.com", "zoë Zhang", user.Contributor)
	mustUser(t, s, "ben@example.com", "Ben Okri", user.Editor)

	got, err := s.User(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ada, got, approxTime); diff != "" {
		t.Errorf("User(%d) mismatch (-want +got):\n%s", ada.ID, diff)
	}
	for _, email := range []string{"Ada@Example.com", "ada@example.com", "ADA@EXAMPLE.COM", " ada@example.com "} {
		if got, err := s.UserByEmail(ctx, email); err != nil || got.ID != ada.ID || got.Email != "Ada@Example.com" {
			t.Errorf("UserByEmail(%q) = %+v, %v; want Ada with her email as typed", email, got, err)
		}
	}

	// Duplicates are refused in any case, in any script.
	for _, email := range []string{"ada@example.com", "ADA@EXAMPLE.COM"} {
		dup := &user.User{Email: email, Name: "Impostor", Role: user.Author}
		if err := s.CreateUser(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("CreateUser(%q) with Ada's email: err = %v, want ErrConflict", email, err)
		}
	}
	mustUser(t, s, "élise@example.com", "Élise", user.Author)
	if err := s.CreateUser(ctx, &user.User{Email: "ÉLISE@example.com", Name: "Élise again", Role: user.Author}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateUser with Élise's email in upper case: err = %v, want ErrConflict", err)
	}

	// Bad accounts are refused and nothing is stored.
	for _, bad := range []*user.User{
		{Email: "not an email", Name: "X", Role: user.Author},
		{Email: "x@example.com", Name: "", Role: user.Author},
		{Email: "x@example.com", Name: "X", Role: "overlord"},
	} {
		if err := s.CreateUser(ctx, bad); err == nil {
			t.Errorf("CreateUser(%+v) succeeded, want an error", bad)
		}
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 4 {
		t.Errorf("CountUsers = %d, %v; want 4", n, err)
	}

	us, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	// By name without case, whatever the database's collation.
	if diff := cmp.Diff([]string{"Ada Lovelace", "Ben Okri", "zoë Zhang", "Élise"}, names); diff != "" {
		t.Errorf("Users by name (-want +got):\n%s", diff)
	}

	if _, err := s.User(ctx, 99999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User(99999): err = %v, want ErrNotFound", err)
	}
	if _, err := s.UserByEmail(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByEmail(nobody): err = %v, want ErrNotFound", err)
	}
}

func testUserUpdates(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Author)
	ben := mustUser(t, s, "ben@example.com", "Ben", user.Author)

	ada.Name, ada.Email, ada.Role = "Ada Lovelace", "countess@example.com", user.Editor
	if err := s.UpdateUser(ctx, ada, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ada, got, approxTime); diff != "" {
		t.Errorf("after UpdateUser (-want +got):\n%s", diff)
	}
	if _, err := s.UserByEmail(ctx, "ada@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the old email still finds a user: err = %v", err)
	}
	// Changing only the case of one's own email is no clash.
	ada.Email = "Countess@Example.com"
	if err := s.UpdateUser(ctx, ada, nil); err != nil {
		t.Errorf("UpdateUser changing the case of the email: %v", err)
	}

	ben.Email, ben.Role = "COUNTESS@example.com", user.Administrator
	if err := s.UpdateUser(ctx, ben, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("UpdateUser to Ada's email: err = %v, want ErrConflict", err)
	}
	if got, _ := s.User(ctx, ben.ID); got.Email != "ben@example.com" || got.Role != user.Author {
		t.Errorf("a refused update changed Ben: %+v", got)
	}

	ghost := &user.User{ID: 99999, Email: "ghost@example.com", Name: "Ghost", Role: user.Author}
	if err := s.UpdateUser(ctx, ghost, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateUser of a missing user: err = %v, want ErrNotFound", err)
	}
	if err := s.SetPasswordHash(ctx, 99999, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPasswordHash of a missing user: err = %v, want ErrNotFound", err)
	}
	// UpdateUser leaves the password alone.
	if got, _ := s.User(ctx, ada.ID); got.PasswordHash == "" {
		t.Error("UpdateUser cleared the password hash")
	}
}

func token(n int) []byte { return bytes.Repeat([]byte{byte(n)}, 32) }

func testSessions(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Editor)
	now := now().UTC()
	sess := user.Session{TokenHash: token(1), UserID: ada.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour), IP: "192.0.2.1"}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionUser(ctx, token(1), now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ada, got, approxTime); diff != "" {
		t.Errorf("SessionUser mismatch (-want +got):\n%s", diff)
	}
	for _, test := range []struct {
		name  string
		token []byte
		at    time.Time
	}{
		{"expired", token(1), now.Add(time.Hour)},
		{"long expired", token(1), now.Add(30 * 24 * time.Hour)},
		{"unknown token", token(2), now},
		{"no token", nil, now},
	} {
		if u, err := s.SessionUser(ctx, test.token, test.at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SessionUser, %s: = %+v, %v; want ErrNotFound", test.name, u, err)
		}
	}

	if err := s.CreateSession(ctx, user.Session{TokenHash: token(3), UserID: 99999, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateSession for a missing user: err = %v, want ErrNotFound", err)
	}
	if err := s.CreateSession(ctx, user.Session{UserID: ada.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err == nil {
		t.Error("CreateSession without a token hash succeeded")
	}
	if err := s.CreateSession(ctx, sess); err == nil {
		t.Error("CreateSession with a token hash already used succeeded")
	}

	if err := s.DeleteSession(ctx, token(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, token(1), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SessionUser after DeleteSession: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, token(1)); err != nil {
		t.Errorf("DeleteSession of an ended session: %v, want nil", err)
	}

	// A role change shows at the next request of a signed-in user.
	if err := s.CreateSession(ctx, user.Session{TokenHash: token(4), UserID: ada.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	ada.Role = user.Contributor
	if err := s.UpdateUser(ctx, ada, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionUser(ctx, token(4), now); err != nil || got.Role != user.Contributor {
		t.Errorf("SessionUser after a role change = %+v, %v; want the new role", got, err)
	}
}

func testPasswordChangeEndsSessions(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Editor)
	ben := mustUser(t, s, "ben@example.com", "Ben", user.Author)
	now := now().UTC()
	for i, id := range []int64{ada.ID, ada.ID, ben.ID} {
		sess := user.Session{TokenHash: token(i + 1), UserID: id, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetPasswordHash(ctx, ada.ID, "$argon2id$new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User(ctx, ada.ID); got.PasswordHash != "$argon2id$new" {
		t.Errorf("password hash after SetPasswordHash = %q", got.PasswordHash)
	}
	for _, tok := range [][]byte{token(1), token(2)} {
		if _, err := s.SessionUser(ctx, tok, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Ada's session %x after her password changed: err = %v, want ErrNotFound", tok[:1], err)
		}
	}
	if got, err := s.SessionUser(ctx, token(3), now); err != nil || got.ID != ben.ID {
		t.Errorf("Ben's session after Ada's password changed = %+v, %v; want Ben still signed in", got, err)
	}
}

func testDeletedUserKeepsArticles(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Author)
	a := sample("owned")
	a.OwnerID = ada.ID
	mustCreate(t, s, a)
	now := now().UTC()
	if err := s.CreateSession(ctx, user.Session{TokenHash: token(1), UserID: ada.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, ada.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Article(ctx, "owned")
	if err != nil {
		t.Fatalf("the article of a deleted user is gone: %v", err)
	}
	if got.OwnerID != 0 || got.Body != a.Body || got.Author == nil || got.Author.Name != a.Author.Name {
		t.Errorf("article of a deleted user: owner %d, author %+v, body %q; want owner 0 and the byline and body kept", got.OwnerID, got.Author, got.Body)
	}
	if _, err := s.SessionUser(ctx, token(1), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of a deleted user: err = %v, want ErrNotFound", err)
	}
	if _, err := s.User(ctx, ada.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User of a deleted user: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteUser(ctx, ada.ID, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteUser twice: err = %v, want ErrNotFound", err)
	}
	// The email is free again.
	mustUser(t, s, "ada@example.com", "Ada", user.Author)
}

// Issue: users could be neither removed nor disabled.
func testDisabledUser(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Author)
	ben := mustUser(t, s, "ben@example.com", "Ben", user.Author)
	now := now().UTC()
	for i, id := range []int64{ada.ID, ben.ID} {
		if err := s.CreateSession(ctx, user.Session{TokenHash: token(i + 1), UserID: id, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetUserDisabled(ctx, ada.ID, true, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.User(ctx, ada.ID); err != nil || !got.Disabled {
		t.Errorf("User after SetUserDisabled(true) = %+v, %v; want disabled", got, err)
	}
	if got, err := s.UserByEmail(ctx, "ada@example.com"); err != nil || !got.Disabled {
		t.Errorf("UserByEmail after SetUserDisabled(true) = %+v, %v; want disabled", got, err)
	}
	if _, err := s.SessionUser(ctx, token(1), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of a disabled user: err = %v, want ErrNotFound", err)
	}
	if got, err := s.SessionUser(ctx, token(2), now); err != nil || got.ID != ben.ID {
		t.Errorf("Ben's session after Ada was disabled = %+v, %v; want Ben still signed in", got, err)
	}
	// A session made meanwhile (a sign-in racing the change) signs nobody in.
	if err := s.CreateSession(ctx, user.Session{TokenHash: token(3), UserID: ada.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, token(3), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("new session of a disabled user: err = %v, want ErrNotFound", err)
	}
	// Saving the name and role leaves the account disabled.
	ada.Name = "Ada Lovelace"
	if err := s.UpdateUser(ctx, ada, nil); err != nil {
		t.Fatal(err)
	}
	us, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || !us[0].Disabled || us[1].Disabled {
		t.Errorf("Users = %+v, %+v; want Ada disabled and Ben not", us[0], us[1])
	}

	if err := s.SetUserDisabled(ctx, ada.ID, false, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.User(ctx, ada.ID); err != nil || got.Disabled {
		t.Errorf("User after SetUserDisabled(false) = %+v, %v; want enabled", got, err)
	}
	if _, err := s.SessionUser(ctx, token(1), now); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a session ended by disabling came back on enabling: err = %v", err)
	}
	if err := s.SetUserDisabled(ctx, 99999, true, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetUserDisabled of a missing user: err = %v, want ErrNotFound", err)
	}
}

// A UsersCheck refuses a change before anything of it is written.
func testUsersCheckRefuses(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Administrator)
	ben := mustUser(t, s, "ben@example.com", "Ben", user.Editor)
	now := now().UTC()
	if err := s.CreateSession(ctx, user.Session{TokenHash: token(1), UserID: ada.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	keeps := store.UsersCheck(user.KeepsAdministrator)
	demoted := *ada
	demoted.Role = user.Editor
	for name, change := range map[string]func() error{
		"SetUserDisabled": func() error { return s.SetUserDisabled(ctx, ada.ID, true, keeps) },
		"DeleteUser":      func() error { return s.DeleteUser(ctx, ada.ID, keeps) },
		"UpdateUser":      func() error { return s.UpdateUser(ctx, &demoted, keeps) },
	} {
		var last *user.LastAdministratorError
		if err := change(); !errors.As(err, &last) || last.User.ID != ada.ID {
			t.Errorf("%s of the last administrator: err = %v, want a LastAdministratorError naming her", name, err)
		}
	}
	if got, err := s.SessionUser(ctx, token(1), now); err != nil || got.Role != user.Administrator || got.Disabled {
		t.Errorf("after the refusals, Ada's session = %+v, %v; want her signed in as an enabled administrator", got, err)
	}
	// Others may be changed, and so may she once she is not the last.
	if err := s.SetUserDisabled(ctx, ben.ID, true, keeps); err != nil {
		t.Errorf("disabling an editor: %v", err)
	}
	if err := s.DeleteUser(ctx, ben.ID, keeps); err != nil {
		t.Errorf("deleting an editor: %v", err)
	}
	mustUser(t, s, "cy@example.com", "Cy", user.Administrator)
	if err := s.DeleteUser(ctx, ada.ID, keeps); err != nil {
		t.Errorf("deleting one of two administrators: %v", err)
	}
	if err := s.DeleteUser(ctx, 99999, keeps); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DeleteUser of a missing user: err = %v, want ErrNotFound", err)
	}
}

// Two administrators disabling each other at once: the check of the
// second must see the first change, so one of them stays.
func testConcurrentDisablesKeepAnAdministrator(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Administrator)
	ben := mustUser(t, s, "ben@example.com", "Ben", user.Administrator)
	// Each check waits for the other to arrive: a store that let both
	// changes check before either wrote would pass them both.
	var mu sync.Mutex
	arrived := 0
	both := make(chan struct{})
	check := func(before, after []*user.User) error {
		mu.Lock()
		if arrived++; arrived == 2 {
			close(both)
		}
		mu.Unlock()
		select {
		case <-both:
		case <-time.After(300 * time.Millisecond):
		}
		return user.KeepsAdministrator(before, after)
	}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, id := range []int64{ada.ID, ben.ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.SetUserDisabled(ctx, id, true, check)
		}()
	}
	wg.Wait()
	refused := 0
	for _, err := range errs {
		var last *user.LastAdministratorError
		switch {
		case errors.As(err, &last):
			refused++
		case err != nil:
			t.Errorf("SetUserDisabled: %v", err)
		}
	}
	us, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	enabled := 0
	for _, u := range us {
		if !u.Disabled {
			enabled++
		}
	}
	if refused != 1 || enabled != 1 {
		t.Errorf("two administrators disabling each other at once: %d refused, %d left enabled; want 1 and 1 (errors %v)", refused, enabled, errs)
	}
}

func testLoginFailures(t *testing.T, s store.Store) {
	start := now().UTC().Truncate(time.Second)
	for i := range 3 {
		if err := s.AddLoginFailure(ctx, []string{"ada@example.com", "192.0.2.1"}, start.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddLoginFailure(ctx, []string{"ben@example.com", "192.0.2.1"}, start.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLoginFailure(ctx, nil, start); err != nil {
		t.Errorf("AddLoginFailure without keys: %v", err)
	}
	count := func(key string, since time.Time) int {
		t.Helper()
		n, err := s.LoginFailures(ctx, key, since)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, test := range []struct {
		key   string
		since time.Time
		want  int
	}{
		{"ada@example.com", start.Add(-time.Hour), 3},
		{"ada@example.com", start, 3}, // since is inclusive
		{"ada@example.com", start.Add(time.Minute + time.Second), 1},
		{"ada@example.com", start.Add(time.Hour), 0},
		{"192.0.2.1", start, 4},
		{"ben@example.com", start, 1},
		{"ADA@example.com", start, 0}, // keys are compared as given
		{"nobody@example.com", start, 0},
	} {
		if got := count(test.key, test.since); got != test.want {
			t.Errorf("LoginFailures(%q, start%+v) = %d, want %d", test.key, test.since.Sub(start), got, test.want)
		}
	}
	if err := s.ClearLoginFailures(ctx, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	if got := count("ada@example.com", start.Add(-time.Hour)); got != 0 {
		t.Errorf("after ClearLoginFailures, %d failures of Ada, want 0", got)
	}
	if got := count("192.0.2.1", start); got != 4 {
		t.Errorf("clearing Ada's failures cleared the IP's: %d, want 4", got)
	}
	if err := s.ClearLoginFailures(ctx, "nobody@example.com"); err != nil {
		t.Errorf("ClearLoginFailures of an unknown key: %v", err)
	}
}

func testAudit(t *testing.T, s store.Store) {
	if es, err := s.Audit(ctx, 10); err != nil || len(es) != 0 {
		t.Fatalf("Audit of a new site = %v, %v; want none", es, err)
	}
	at := time.Date(2026+testclock.Years(), 3, 1, 9, 0, 0, 123456000, time.UTC)
	var added []user.AuditEvent
	for i, action := range []string{"sign-in failed", "sign-in", "role changed", "published"} {
		e := &user.AuditEvent{
			At: at.Add(time.Duration(i) * time.Minute), Actor: "ada@example.com", Action: action,
			Target: fmt.Sprintf("target-%d", i), IP: "192.0.2.1", Detail: "detail " + action,
		}
		if err := s.AddAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 {
			t.Fatalf("AddAudit did not set the ID: %+v", e)
		}
		added = append(added, *e)
	}
	// Two events in one moment come out newest (last added) first.
	same := &user.AuditEvent{At: added[3].At, Action: "sign-out"}
	if err := s.AddAudit(ctx, same); err != nil {
		t.Fatal(err)
	}
	got, err := s.Audit(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]user.AuditEvent{*same, added[3], added[2]}, got, approxTime); diff != "" {
		t.Errorf("Audit(3) (-want +got):\n%s", diff)
	}
	if all, _ := s.Audit(ctx, 100); len(all) != 5 || all[4].ID != added[0].ID {
		t.Errorf("Audit(100) = %d events, want all 5 ending with the oldest", len(all))
	}
	noTime := &user.AuditEvent{Action: "sign-in"}
	before := now()
	if err := s.AddAudit(ctx, noTime); err != nil {
		t.Fatal(err)
	}
	if noTime.At.Before(before.Add(-time.Second)) || noTime.At.After(now().Add(time.Second)) {
		t.Errorf("AddAudit without a time dated it %v, want now", noTime.At)
	}
}

func testViewStats(t *testing.T, s store.Store) {
	a, b, c := sample("most-read"), sample("second-read"), sample("unread")
	for _, x := range []*article.Article{a, b, c} {
		mustCreate(t, s, x)
	}
	day := func(d int) time.Time { return time.Date(2026+testclock.Years(), 2, d, 23, 30, 0, 0, time.UTC) }
	for _, v := range []struct {
		day   int
		views map[int64]int64
	}{
		{1, map[int64]int64{a.ID: 5, b.ID: 1}},
		{2, map[int64]int64{a.ID: 1, b.ID: 20}},
		{3, map[int64]int64{a.ID: 7}},
		{3, map[int64]int64{a.ID: 3}}, // a second flush of the same day adds up
		{9, map[int64]int64{a.ID: 100}},
	} {
		if err := s.AddViews(ctx, day(v.day), v.views); err != nil {
			t.Fatal(err)
		}
	}
	// From and to are inclusive days (UTC), whatever their time of day
	// and zone.
	east := time.FixedZone("UTC+5", 5*60*60)
	from := time.Date(2026+testclock.Years(), 2, 1, 14, 0, 0, 0, east) // 09:00 UTC
	to := time.Date(2026+testclock.Years(), 2, 3, 5, 30, 0, 0, east)   // 00:30 UTC
	got, err := s.DailyViews(ctx, a.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	key := func(d int) string { return day(d).Format(time.DateOnly) }
	want := map[string]int64{key(1): 5, key(2): 1, key(3): 10}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DailyViews (-want +got):\n%s", diff)
	}
	if got, err := s.DailyViews(ctx, c.ID, day(1), day(28)); err != nil || len(got) != 0 {
		t.Errorf("DailyViews of an unread article = %v, %v; want none", got, err)
	}

	most, err := s.MostRead(ctx, day(1), day(3), 10)
	if err != nil {
		t.Fatal(err)
	}
	wantMost := []store.ArticleViews{
		{ArticleID: b.ID, Slug: b.Slug, Title: b.Title, Views: 21},
		{ArticleID: a.ID, Slug: a.Slug, Title: a.Title, Views: 16},
	}
	if diff := cmp.Diff(wantMost, most); diff != "" {
		t.Errorf("MostRead over three days (-want +got):\n%s", diff)
	}
	if most, _ := s.MostRead(ctx, day(1), day(9), 1); len(most) != 1 || most[0].ArticleID != a.ID || most[0].Views != 116 {
		t.Errorf("MostRead(limit 1) over the month = %+v, want the most read article with 116 views", most)
	}
	if most, _ := s.MostRead(ctx, day(4), day(8), 10); len(most) != 0 {
		t.Errorf("MostRead over days without views = %+v, want none", most)
	}
}

func testSiteSettings(t *testing.T, s store.Store) {
	if got, err := s.SiteSettings(ctx); err != nil || got != (store.SiteSettings{}) {
		t.Fatalf("SiteSettings of a new site = %+v, %v; want the zero value", got, err)
	}
	want := store.SiteSettings{
		Title: "The Ems Courier", Description: "News from the river’s mouth.", LogoURL: "/static/logo.svg",
		TimeZone: "Europe/Berlin", Language: "de",
	}
	if err := s.SaveSiteSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SiteSettings(ctx); err != nil || got != want {
		t.Errorf("SiteSettings = %+v, %v; want %+v", got, err, want)
	}
	// Saving replaces all of it: emptied fields are gone.
	want = store.SiteSettings{Title: "Courier"}
	if err := s.SaveSiteSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SiteSettings(ctx); got != want {
		t.Errorf("after a second save SiteSettings = %+v, want %+v", got, want)
	}
	// They live beside the comment policy without touching it.
	if got, _ := s.CommentSettings(ctx); !cmp.Equal(got, comment.DefaultSettings()) {
		t.Errorf("saving site settings changed the comment settings: %+v", got)
	}
}

func testArticleOwnerAndTitleFilters(t *testing.T, s store.Store) {
	ada := mustUser(t, s, "ada@example.com", "Ada", user.Author)
	ben := mustUser(t, s, "ben@example.com", "Ben", user.Author)
	create := func(slug, title string, owner int64) *article.Article {
		t.Helper()
		a := sample(slug)
		a.Title, a.OwnerID, a.Source = title, owner, ""
		mustCreate(t, s, a)
		return a
	}
	create("barrier", "Flood Barrier Holds", ada.ID)
	create("percent", "Turnout at 100% in Emden", ada.ID)
	create("underscore", "The snake_case river", ben.ID)
	create("umlaut", "ÜBER DIE EMS", ben.ID)
	orphan := create("imported", "Imported flood report", 0)

	if got, _ := s.Article(ctx, "barrier"); got.OwnerID != ada.ID {
		t.Errorf("stored owner = %d, want %d", got.OwnerID, ada.ID)
	}
	if got, _ := s.Article(ctx, "imported"); got.OwnerID != 0 {
		t.Errorf("an article without owner reads back owned by %d", got.OwnerID)
	}

	// UpdateArticle moves the owner, and back to nobody.
	orphan.OwnerID = ben.ID
	if err := s.UpdateArticle(ctx, orphan, "take over"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Article(ctx, "imported"); got.OwnerID != ben.ID {
		t.Errorf("after UpdateArticle owner = %d, want %d", got.OwnerID, ben.ID)
	}
	orphan.OwnerID = 0
	if err := s.UpdateArticle(ctx, orphan, "release"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Article(ctx, "imported"); got.OwnerID != 0 {
		t.Errorf("after UpdateArticle to no owner, owner = %d", got.OwnerID)
	}
	// An owner that is no user is refused, and nothing is written.
	orphan.OwnerID = 99999
	if err := s.UpdateArticle(ctx, orphan, "bad owner"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateArticle with a missing owner: err = %v, want ErrNotFound", err)
	}
	bad := sample("bad-owner")
	bad.OwnerID = 99999
	if err := s.CreateArticle(ctx, bad); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateArticle with a missing owner: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Article(ctx, "bad-owner"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused article was stored: err = %v", err)
	}
	orphan.OwnerID = 0

	for _, test := range []struct {
		name string
		q    store.ArticleQuery
		want []string
	}{
		{"owner", store.ArticleQuery{OwnerID: ada.ID}, []string{"barrier", "percent"}},
		{"other owner", store.ArticleQuery{OwnerID: ben.ID}, []string{"underscore", "umlaut"}},
		{"unknown owner", store.ArticleQuery{OwnerID: 99999}, nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			list, err := s.Articles(ctx, test.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range list {
				got = append(got, a.Slug)
			}
			sortStrings := cmpopts.SortSlices(func(a, b string) bool { return a < b })
			if diff := cmp.Diff(test.want, got, sortStrings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Articles(%+v) (-want +got):\n%s", test.q, diff)
			}
			if n, err := s.CountArticles(ctx, test.q); err != nil || n != len(test.want) {
				t.Errorf("CountArticles(%+v) = %d, %v; want %d", test.q, n, err, len(test.want))
			}
			n := 0
			err = s.EachArticle(ctx, test.q, func(a *article.Article) error {
				n++
				if test.q.OwnerID != 0 && a.OwnerID != test.q.OwnerID {
					t.Errorf("EachArticle walked %q owned by %d", a.Slug, a.OwnerID)
				}
				return nil
			})
			if err != nil || n != len(test.want) {
				t.Errorf("EachArticle(%+v) walked %d, %v; want %d", test.q, n, err, len(test.want))
			}
		})
	}
}
