package admin

import (
	"net/http"

	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// userSetDisabled disables a user (disabled true), ending their sessions,
// or enables them again. An administrator cannot disable themselves (they
// would be signed out at once), nor the last administrator.
func (h *Handler) userSetDisabled(disabled bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := h.pathUser(r)
		if err != nil {
			return err
		}
		if disabled && u.ID == currentUser(r).ID {
			return web.HTTPError{Status: http.StatusConflict, Message: "You cannot disable your own account; another administrator can. Nothing was changed."}
		}
		if u.Disabled == disabled {
			return redirect(w, r, "/admin/users", "")
		}
		if err := h.store.SetUserDisabled(r.Context(), u.ID, disabled, user.KeepsAdministrator); err != nil {
			return userChangeError(u, err)
		}
		if disabled {
			h.audit(r, "user disabled", u.Email, "")
			return redirect(w, r, "/admin/users", "user-disabled")
		}
		h.audit(r, "user enabled", u.Email, "")
		return redirect(w, r, "/admin/users", "user-enabled")
	}
}

// userDelete deletes a user and their sessions; their articles stay, with
// their byline, owned by nobody. An administrator cannot delete
// themselves, nor the last administrator.
func (h *Handler) userDelete(w http.ResponseWriter, r *http.Request) error {
	u, err := h.pathUser(r)
	if err != nil {
		return err
	}
	if u.ID == currentUser(r).ID {
		return web.HTTPError{Status: http.StatusConflict, Message: "You cannot delete your own account; another administrator can. Nothing was changed."}
	}
	if err := h.store.DeleteUser(r.Context(), u.ID, user.KeepsAdministrator); err != nil {
		return userChangeError(u, err)
	}
	h.audit(r, "user deleted", u.Email, "role "+string(u.Role))
	return redirect(w, r, "/admin/users", "user-deleted")
}
