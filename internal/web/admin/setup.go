package admin

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// SetupPage is the first-run form that creates the first administrator.
type SetupPage struct {
	Page
	Email, Name string
	Errors      map[string]string
	MinPassword int
	// AskCode shows the setup code field (see Options.SetupCode).
	AskCode bool
}

// errSetupDone answers /admin/setup once a user exists: setup never makes
// a second administrator, whoever asks.
var errSetupDone = web.HTTPError{Status: http.StatusNotFound,
	Message: "Dateline is already set up. Sign in, or ask an administrator for an account."}

func (h *Handler) needsSetup(r *http.Request) (bool, error) {
	n, err := h.store.CountUsers(r.Context())
	return n == 0, err
}

func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) error {
	if ok, err := h.needsSetup(r); err != nil {
		return err
	} else if !ok {
		return errSetupDone
	}
	return writePage(w, r, http.StatusOK, h.tpl.setup, SetupPage{Page: h.page(r, "Set up Dateline", ""), MinPassword: user.MinPasswordLength, AskCode: h.setupCode != ""})
}

func (h *Handler) setup(w http.ResponseWriter, r *http.Request) error {
	h.setupMu.Lock()
	defer h.setupMu.Unlock()
	if ok, err := h.needsSetup(r); err != nil {
		return err
	} else if !ok {
		return errSetupDone
	}
	if err := h.parseBody(r); err != nil {
		return err
	}
	u := &user.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: user.Administrator}
	errs := newAccountErrors(u, r.PostFormValue("password"), r.PostFormValue("password2"))
	if h.setupCode != "" && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(r.PostFormValue("code"))), []byte(h.setupCode)) != 1 {
		errs["code"] = "This is not the setup code: Dateline printed it on its console when it started."
	}
	if len(errs) == 0 {
		if err := h.createAccount(r, u, errs); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		p := SetupPage{Page: h.page(r, "Set up Dateline", ""), Email: u.Email, Name: u.Name, Errors: errs, MinPassword: user.MinPasswordLength, AskCode: h.setupCode != ""}
		p.Flash = "The account was not created. Please correct the fields marked below."
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.setup, p)
	}
	r = withUser(r, u)
	h.audit(r, "setup", u.Email, "created the first administrator")
	if err := h.startSession(w, r, u); err != nil {
		return err
	}
	return redirect(w, r, "/admin/", "welcome")
}

// createAccount stores new account u with the posted password, or notes
// in errs that its email is taken.
func (h *Handler) createAccount(r *http.Request, u *user.User, errs map[string]string) error {
	hash, err := user.HashPassword(r.PostFormValue("password"))
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	switch err := h.store.CreateUser(r.Context(), u); {
	case errors.Is(err, store.ErrConflict):
		errs["email"] = "An account with this email already exists."
	case err != nil:
		return err
	}
	return nil
}

// newAccountErrors checks a new account's fields and its password typed
// twice, and says what is wrong with each field, by form field name.
func newAccountErrors(u *user.User, password, again string) map[string]string {
	errs := map[string]string{}
	if err := u.Validate(); err != nil {
		msg := capitalize(err.Error()) + "."
		switch {
		case strings.HasPrefix(err.Error(), "email"):
			errs["email"] = msg
		case strings.HasPrefix(err.Error(), "name"):
			errs["name"] = msg
		default:
			errs["role"] = msg
		}
		// Validate stops at the first fault; check the name as well.
		if _, ok := errs["name"]; !ok && strings.TrimSpace(u.Name) == "" {
			errs["name"] = "Name is empty."
		}
	}
	if err := user.CheckPasswordPolicy(password); err != nil {
		errs["password"] = capitalize(err.Error()) + "."
	} else if password != again {
		errs["password2"] = "The two passwords differ."
	}
	return errs
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
