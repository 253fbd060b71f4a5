package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// SigninPage is the sign-in form.
type SigninPage struct {
	Page
	Email string
	Next  string
	Error string
}

// failureWindow is how far back failed sign-ins count towards the delay;
// a success clears them sooner.
const failureWindow = 24 * time.Hour

func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) error {
	if ok, err := h.needsSetup(r); err != nil {
		return err
	} else if ok {
		http.Redirect(w, r, "/admin/setup", http.StatusSeeOther)
		return nil
	}
	if u, err := h.sessionUser(r); err != nil {
		return err
	} else if u != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	p := SigninPage{Page: h.page(r, "Sign in", ""), Next: r.URL.Query().Get("next")}
	return writePage(w, r, http.StatusOK, h.tpl.signin, p)
}

// signin checks an email and password. Failures are counted per account
// and per address; past a few, sign-ins from there or to that account
// must wait a growing delay (user.SignInDelay), during which they are
// refused without the password being checked.
func (h *Handler) signin(w http.ResponseWriter, r *http.Request) error {
	if err := h.parseBody(r); err != nil {
		return err
	}
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := r.PostFormValue("next")
	again := func(status int, msg string) error {
		p := SigninPage{Page: h.page(r, "Sign in", ""), Email: email, Next: next, Error: msg}
		return writePage(w, r, status, h.tpl.signin, p)
	}
	if email == "" || password == "" {
		return again(http.StatusUnprocessableEntity, "Please give your email and your password.")
	}
	ip := clientIP(r)
	keys := []string{"email:" + strings.ToLower(email), "ip:" + ip}
	now := h.now()
	for _, key := range keys {
		wait, err := h.throttled(r, key, now)
		if err != nil {
			return err
		}
		if wait > 0 {
			h.audit(r, "sign-in refused", email, "throttled after repeated failures")
			w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())))
			return again(http.StatusTooManyRequests, fmt.Sprintf(
				"Too many failed sign-ins. Please wait %s, then try again (at %s).", roundWait(wait), now.Add(wait).UTC().Format("15:04:05 UTC")))
		}
	}
	u, err := h.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	ok := false
	if u != nil {
		if ok, err = user.VerifyPassword(u.PasswordHash, password); err != nil {
			// A hash the binary cannot read: say so in the log (without
			// the hash) and treat it as a failure.
			h.logger.Error("verify password", "user", u.ID, "err", err)
			ok = false
		}
	} else {
		// The same work as for a known account, so the time taken does
		// not tell whether an email has an account.
		user.VerifyPassword(h.fakeHash(), password)
	}
	if !ok {
		if err := h.store.AddLoginFailure(ctx, keys, now); err != nil {
			return err
		}
		detail := "wrong password"
		if u == nil {
			detail = "unknown email"
		}
		h.audit(r, "sign-in failed", email, detail)
		return again(http.StatusUnauthorized, "Wrong email or password.")
	}
	// Said only to whoever knows the password, so that it tells nobody
	// else which emails have accounts.
	if u.Disabled {
		h.audit(r, "sign-in refused", u.Email, "account disabled")
		return again(http.StatusForbidden, "This account is disabled. Ask an administrator to enable it.")
	}
	for _, key := range keys {
		if err := h.store.ClearLoginFailures(ctx, key); err != nil {
			return err
		}
	}
	r = withUser(r, u)
	if err := h.startSession(w, r, u); err != nil {
		return err
	}
	h.audit(r, "sign-in", u.Email, "")
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// throttled returns how long key must wait before its next sign-in: the
// delay its failures have earned, if the last of them is more recent than
// that delay.
func (h *Handler) throttled(r *http.Request, key string, now time.Time) (time.Duration, error) {
	n, err := h.store.LoginFailures(r.Context(), key, now.Add(-failureWindow))
	if err != nil {
		return 0, err
	}
	delay := user.SignInDelay(n)
	if delay <= 0 {
		return 0, nil
	}
	recent, err := h.store.LoginFailures(r.Context(), key, now.Add(-delay))
	if err != nil || recent == 0 {
		return 0, err
	}
	return delay, nil
}

func roundWait(d time.Duration) string {
	if d < time.Minute {
		n := int(d.Round(time.Second).Seconds())
		return fmt.Sprintf("%d %s", n, plural(n, "second", "seconds"))
	}
	n := int((d + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("%d %s", n, plural(n, "minute", "minutes"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fakeHash is a hash of no one's password, made once.
func (h *Handler) fakeHash() string {
	h.dummyHashOnce.Do(func() {
		h.dummyHash, _ = user.HashPassword("no account has this password")
	})
	return h.dummyHash
}

// startSession signs u in on this browser.
func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, u *user.User) error {
	token, hash, err := user.NewSessionToken()
	if err != nil {
		return err
	}
	now := h.now()
	s := user.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(user.SessionLifetime), IP: clientIP(r)}
	if err := h.store.CreateSession(r.Context(), s); err != nil {
		return err
	}
	h.setSessionCookie(w, r, token)
	return nil
}

// signout ends this browser's session.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) error {
	u, err := h.sessionUser(r)
	if err != nil {
		return err
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := h.store.DeleteSession(r.Context(), user.HashToken(c.Value)); err != nil {
			return err
		}
	}
	h.clearSessionCookie(w, r)
	if u != nil {
		h.audit(withUser(r, u), "sign-out", u.Email, "")
	}
	return redirect(w, r, "/admin/signin", "signed-out")
}
