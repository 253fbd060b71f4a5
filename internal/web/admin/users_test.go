package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/user"
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
