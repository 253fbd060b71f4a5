package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

func TestUsersAddAndChangeRole(t *testing.T) {
	at := newAdminTest(t)
	admin := at.addUser("admin@example.org", user.Administrator)
	token := at.session(admin)
	ctx := context.Background()

	add := url.Values{"email": {"ines@example.org"}, "name": {"Ines Okafor"}, "role": {"author"}, "password": {testPassword}, "password2": {testPassword}}
	expectStatus(t, at.post("/admin/users", token, add), http.StatusSeeOther)
	ines, err := at.db.UserByEmail(ctx, "ines@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ines.Role != user.Author || ines.Name != "Ines Okafor" {
		t.Errorf("added %+v", ines)
	}
	resp := at.get("/admin/users", token)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, "Ines Okafor") || !strings.Contains(resp.body, "ines@example.org") {
		t.Error("the list lacks the new user")
	}

	for _, test := range []struct {
		name, field, value, message string
	}{
		{"taken email", "email", "INES@example.org", "already exists"},
		{"unknown role", "role", "owner", "Unknown role"},
		{"passwords differ", "password2", "something else entirely", "The two passwords differ."},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := at.snapshot()
			form := url.Values{}
			for k, v := range add {
				form[k] = v
			}
			form.Set(test.field, test.value)
			resp := at.post("/admin/users", token, form)
			expectStatus(t, resp, http.StatusUnprocessableEntity)
			if !strings.Contains(resp.body, htmlEscape(test.message)) {
				t.Errorf("the form does not say %q", test.message)
			}
			if at.snapshot() != before {
				t.Error("a refused user was stored")
			}
		})
	}

	expectStatus(t, at.post(fmt.Sprintf("/admin/users/%d", ines.ID), token, url.Values{"role": {"editor"}}), http.StatusSeeOther)
	if u, _ := at.db.User(ctx, ines.ID); u.Role != user.Editor {
		t.Errorf("role is %s, want editor", u.Role)
	}
	expectStatus(t, at.post(fmt.Sprintf("/admin/users/%d", ines.ID), token, url.Values{"role": {"boss"}}), http.StatusBadRequest)
	expectStatus(t, at.post("/admin/users/999999", token, url.Values{"role": {"editor"}}), http.StatusNotFound)

	es, err := at.db.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if e := es[0]; e.Action != "role changed" || e.Actor != "admin@example.org" || e.Target != "ines@example.org" || e.Detail != "author → editor" {
		t.Errorf("last audit event %+v, want the role change by the administrator", e)
	}
	resp = at.get("/admin/audit", token)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, "role changed") || !strings.Contains(resp.body, "author → editor") {
		t.Errorf("the audit page lacks the role change:\n%s", excerptOf(resp.body))
	}
}

func TestLastAdministratorStays(t *testing.T) {
	at := newAdminTest(t)
	admin := at.addUser("admin@example.org", user.Administrator)
	token := at.session(admin)
	before := at.snapshot()
	resp := at.post(fmt.Sprintf("/admin/users/%d", admin.ID), token, url.Values{"role": {"editor"}})
	expectStatus(t, resp, http.StatusConflict)
	if !strings.Contains(resp.body, "last administrator") {
		t.Errorf("the refusal does not say why:\n%s", excerptOf(resp.body))
	}
	if at.snapshot() != before {
		t.Error("the last administrator was demoted")
	}
	// With a second administrator, one may step down.
	at.addUser("other@example.org", user.Administrator)
	expectStatus(t, at.post(fmt.Sprintf("/admin/users/%d", admin.ID), token, url.Values{"role": {"editor"}}), http.StatusSeeOther)
	// Now an editor, the former administrator may no longer manage users.
	expectStatus(t, at.get("/admin/users", token), http.StatusForbidden)
}

// Issue: users could be neither removed nor disabled.
func TestUsersDisableEnableDelete(t *testing.T) {
	at := newAdminTest(t)
	ctx := context.Background()
	admin := at.addUser("admin@example.org", user.Administrator)
	token := at.session(admin)
	ines := at.addUser("ines@example.org", user.Author)
	inesToken := at.session(ines)
	a := at.addArticle("harbour-flood", ines.ID)
	userPath := func(id int64, action string) string { return fmt.Sprintf("/admin/users/%d/%s", id, action) }

	resp := at.get("/admin/users", token)
	expectStatus(t, resp, http.StatusOK)
	if !strings.Contains(resp.body, `action="`+userPath(ines.ID, "disable")+`"`) || !strings.Contains(resp.body, `action="`+userPath(ines.ID, "delete")+`"`) {
		t.Errorf("the users page has no disable and delete forms for Ines:\n%s", excerptOf(resp.body))
	}
	if strings.Contains(resp.body, userPath(admin.ID, "disable")) || strings.Contains(resp.body, userPath(admin.ID, "delete")) {
		t.Error("the users page offers administrators to disable or delete themselves")
	}

	resp = at.post(userPath(ines.ID, "disable"), token, url.Values{})
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/users?flash=user-disabled" {
		t.Errorf("disable redirected to %q", loc)
	}
	// Her session has ended, and she cannot sign in again.
	if loc := at.get("/admin/articles", inesToken).Header.Get("Location"); !strings.HasPrefix(loc, "/admin/signin") {
		t.Errorf("a disabled user's session leads to %q, want the sign-in page", loc)
	}
	resp = at.post("/admin/signin", "", url.Values{"email": {"ines@example.org"}, "password": {testPassword}})
	expectStatus(t, resp, http.StatusForbidden)
	if !strings.Contains(resp.body, "This account is disabled. Ask an administrator to enable it.") {
		t.Errorf("a disabled user's sign-in does not say why:\n%s", excerptOf(resp.body))
	}
	// Only whoever knows the password learns that the account exists.
	resp = at.post("/admin/signin", "", url.Values{"email": {"ines@example.org"}, "password": {"not her password at all"}})
	expectStatus(t, resp, http.StatusUnauthorized)
	if resp = at.get("/admin/users", token); !strings.Contains(resp.body, `action="`+userPath(ines.ID, "enable")+`"`) || !strings.Contains(resp.body, "Disabled") {
		t.Errorf("the users page does not show Ines disabled:\n%s", excerptOf(resp.body))
	}

	expectStatus(t, at.post(userPath(ines.ID, "enable"), token, url.Values{}), http.StatusSeeOther)
	expectStatus(t, at.post("/admin/signin", "", url.Values{"email": {"ines@example.org"}, "password": {testPassword}}), http.StatusSeeOther)

	expectStatus(t, at.post(userPath(ines.ID, "delete"), token, url.Values{}), http.StatusSeeOther)
	if _, err := at.db.User(ctx, ines.ID); err == nil {
		t.Error("the deleted user is still there")
	}
	got, err := at.db.Article(ctx, a.Slug)
	if err != nil || got.OwnerID != 0 || got.Author == nil || got.Author.Name != "Ines Okafor" {
		t.Errorf("the deleted user's article = %+v, %v; want it kept with its byline, owned by nobody", got, err)
	}

	for _, test := range []struct{ path, message string }{
		{userPath(admin.ID, "disable"), "You cannot disable your own account"},
		{userPath(admin.ID, "delete"), "You cannot delete your own account"},
	} {
		resp := at.post(test.path, token, url.Values{})
		expectStatus(t, resp, http.StatusConflict)
		if !strings.Contains(resp.body, test.message) {
			t.Errorf("POST %s does not say %q:\n%s", test.path, test.message, excerptOf(resp.body))
		}
	}
	expectStatus(t, at.post(userPath(999999, "disable"), token, url.Values{}), http.StatusNotFound)
	expectStatus(t, at.post(userPath(ines.ID, "delete"), token, url.Values{}), http.StatusNotFound)

	want := []string{"user disabled", "user enabled", "user deleted"}
	var gotActions []string
	for _, action := range at.auditActions() {
		if strings.HasPrefix(action, "user ") {
			gotActions = append(gotActions, action)
		}
	}
	if !slices.Equal(gotActions, want) {
		t.Errorf("audit log %q, want %q", gotActions, want)
	}
}

// Two administrators disabling each other at once leave one of them
// able to sign in.
func TestAdministratorsDisablingEachOther(t *testing.T) {
	at := newAdminTest(t)
	ana := at.addUser("ana@example.org", user.Administrator)
	ben := at.addUser("ben@example.org", user.Administrator)
	tokens := []string{at.session(ana), at.session(ben)}
	targets := []int64{ben.ID, ana.ID}
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at.post(fmt.Sprintf("/admin/users/%d/disable", targets[i]), tokens[i], url.Values{})
		}()
	}
	wg.Wait()
	us, err := at.db.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	enabled := 0
	for _, u := range us {
		if !u.Disabled {
			enabled++
		}
	}
	if enabled != 1 {
		t.Errorf("%d administrators left enabled, want 1", enabled)
	}
	// The refusal, when the store makes it, is a conflict that says why.
	err = userChangeError(ana, fmt.Errorf("disable: %w", &user.LastAdministratorError{User: ana}))
	if status := web.StatusOf(err); status != http.StatusConflict || !strings.Contains(err.Error(), "ana is the last administrator who can sign in") {
		t.Errorf("userChangeError = %d %v, want 409 naming Ana", status, err)
	}
}
