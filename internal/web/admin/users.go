package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// UsersPage lists the newsroom's accounts, with a form to add one.
type UsersPage struct {
	Page
	Users []*user.User
	Roles []user.Role
	// New holds the add-user form as typed when it did not validate.
	New         user.User
	Errors      map[string]string
	MinPassword int
}

func (h *Handler) usersPage(r *http.Request) (UsersPage, error) {
	us, err := h.store.Users(r.Context())
	if err != nil {
		return UsersPage{}, err
	}
	return UsersPage{Page: h.page(r, "Users", "users"), Users: us, Roles: user.Roles, New: user.User{Role: user.Author}, MinPassword: user.MinPasswordLength}, nil
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) error {
	p, err := h.usersPage(r)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.users, p)
}

// userAdd creates an account with the password the administrator chose;
// its owner can change it with `dateline user reset-password`.
func (h *Handler) userAdd(w http.ResponseWriter, r *http.Request) error {
	u := &user.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name")}
	role, roleErr := user.ParseRole(r.PostFormValue("role"))
	u.Role = role
	errs := newAccountErrors(u, r.PostFormValue("password"), r.PostFormValue("password2"))
	if roleErr != nil {
		errs["role"] = capitalize(roleErr.Error()) + "."
	}
	if len(errs) == 0 {
		if err := h.createAccount(r, u, errs); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		p, err := h.usersPage(r)
		if err != nil {
			return err
		}
		p.New, p.Errors = user.User{Email: u.Email, Name: u.Name, Role: u.Role}, errs
		p.Flash = "The user was not added. Please correct the fields marked below."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.users, p)
	}
	h.audit(r, "user added", u.Email, "role "+string(u.Role))
	return redirect(w, r, "/admin/users", "user-added")
}

// userRole changes a user's role. The last administrator cannot be
// demoted, so that someone can always manage users and settings.
func (h *Handler) userRole(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	role, err := user.ParseRole(r.PostFormValue("role"))
	if err != nil {
		return web.BadRequest{Message: capitalize(err.Error()) + ". Nothing was changed."}
	}
	u, err := h.pathUser(r)
	if err != nil {
		return err
	}
	if u.Role == role {
		return redirect(w, r, "/admin/users", "")
	}
	old := u.Role
	u.Role = role
	if err := h.store.UpdateUser(ctx, u, user.KeepsAdministrator); err != nil {
		return userChangeError(u, err)
	}
	h.audit(r, "role changed", u.Email, fmt.Sprintf("%s → %s", old, role))
	return redirect(w, r, "/admin/users", "role-changed")
}

// pathUser loads the user whose ID the path names.
func (h *Handler) pathUser(r *http.Request) (*user.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return nil, web.ErrNotFound
	}
	u, err := h.store.User(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchUser(id)
	}
	return u, err
}

func noSuchUser(id int64) error {
	return web.HTTPError{Status: http.StatusNotFound, Message: fmt.Sprintf("There is no user %d.", id)}
}

// userChangeError words the store's refusal of a change to u for the
// admin: the last administrator (user.KeepsAdministrator) is a conflict,
// a user deleted meanwhile is not found. Other errors pass unchanged.
func userChangeError(u *user.User, err error) error {
	var last *user.LastAdministratorError
	switch {
	case errors.As(err, &last):
		return web.HTTPError{Status: http.StatusConflict,
			Message: fmt.Sprintf("%s is the last administrator who can sign in: make someone else an administrator first. Nothing was changed.", last.User.Name)}
	case errors.Is(err, store.ErrNotFound):
		return noSuchUser(u.ID)
	}
	return err
}
