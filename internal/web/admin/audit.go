package admin

import (
	"net/http"

	"github.com/datelinehq/dateline/internal/user"
)

// auditLimit is how many of the latest events the audit log shows.
const auditLimit = 500

// AuditPage lists the latest events of the audit log.
type AuditPage struct {
	Page
	Events []user.AuditEvent
	Limit  int
}

func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request) error {
	events, err := h.store.Audit(r.Context(), auditLimit)
	if err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.audit, AuditPage{Page: h.page(r, "Audit log", "audit"), Events: events, Limit: auditLimit})
}
