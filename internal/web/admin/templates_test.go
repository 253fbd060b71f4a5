package admin

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/user"
)

// Every page of this file's screens renders from its zero value, and with
// a signed-in user of each role.
func TestTemplatesExecuteZero(t *testing.T) {
	h := New(Options{Now: time.Now})
	pages := map[string]func(Page) any{
		"setup":     func(p Page) any { return SetupPage{Page: p} },
		"signin":    func(p Page) any { return SigninPage{Page: p} },
		"comments":  func(p Page) any { return CommentsPage{Page: p} },
		"settings":  func(p Page) any { return SettingsPage{Page: p} },
		"analytics": func(p Page) any { return AnalyticsPage{Page: p, Chart: barChart("", h.now(), 7, nil)} },
		"users":     func(p Page) any { return UsersPage{Page: p} },
		"audit":     func(p Page) any { return AuditPage{Page: p} },
		"error":     func(p Page) any { return ErrorPage{Page: p} },
	}
	for name, data := range pages {
		for _, u := range []*user.User{nil, {Name: "A", Role: user.Administrator}, {Name: "C", Role: user.Contributor}} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/admin/", nil)
			if err := h.render(w, r, 200, name, data(Page{User: u})); err != nil {
				t.Errorf("%s as %v: %v", name, u, err)
			}
		}
	}
}
