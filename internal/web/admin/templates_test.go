package admin

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
)

// Every admin page is declared (which executes it with its zero value),
// and renders an empty page with nobody signed in and with a signed-in
// user of each role.
func TestTemplatesExecuteZero(t *testing.T) {
	h := New(Options{Renderer: render.New(), Now: testclock.New(testclock.Date(2026, 11, 27, 12, 0)).Now})
	tpl := reflect.ValueOf(h.tpl)
	for i := range tpl.NumField() {
		if tpl.Field(i).IsNil() {
			t.Errorf("the admin page %s is not declared", tpl.Type().Field(i).Name)
		}
	}
	for _, u := range []*user.User{nil, {Name: "A", Role: user.Administrator}, {Name: "C", Role: user.Contributor}} {
		p := Page{User: u}
		execute(t, h.tpl.setup, SetupPage{Page: p})
		execute(t, h.tpl.signin, SigninPage{Page: p})
		execute(t, h.tpl.articles, ListPage{Page: p})
		execute(t, h.tpl.edit, EditPage{Page: p, Panels: &Panels{}})
		execute(t, h.tpl.edit, EditPage{Page: p, Sections: []article.Section{{}}})
		execute(t, h.tpl.panels, Panels{})
		execute(t, h.tpl.revision, RevisionPage{Page: p})
		execute(t, h.tpl.comments, CommentsPage{Page: p})
		execute(t, h.tpl.settings, SettingsPage{Page: p})
		execute(t, h.tpl.authors, AuthorsPage{Page: p})
		execute(t, h.tpl.author, AuthorPage{Page: p})
		execute(t, h.tpl.analytics, AnalyticsPage{Page: p, Chart: barChart("", h.now(), 7, nil)})
		execute(t, h.tpl.users, UsersPage{Page: p})
		execute(t, h.tpl.audit, AuditPage{Page: p})
		execute(t, h.tpl.sections, SectionsPage{Page: p})
		execute(t, h.tpl.sections, SectionsPage{Page: p, Rows: []SectionRow{{}}})
		execute(t, h.tpl.frontPage, FrontPagePage{Page: p})
		execute(t, h.tpl.menus, MenusPage{Page: p, Menus: []MenuForm{{Rows: []MenuRow{{}}}}})
		execute(t, h.tpl.error, ErrorPage{Page: p})
	}
}

func execute[T any](t *testing.T, page *web.Page[T], data T) {
	t.Helper()
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		t.Errorf("%T: %v", data, err)
	}
}
