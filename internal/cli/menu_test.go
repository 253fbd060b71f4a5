package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// menuOf is a menu as 'menu show --json' prints it.
func menuOf(t *testing.T, db, name string) []menuItemJSON {
	t.Helper()
	var items []menuItemJSON
	if err := json.Unmarshal([]byte(mustRun(t, "menu", "show", name, "--json", "--db", db)), &items); err != nil {
		t.Fatal(err)
	}
	return items
}

func TestMenuCommands(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			mustRun(t, "section", "add", "Local", "--db", db)
			mustRun(t, "section", "add", "Sport", "--db", db)
			mustRun(t, "article", "set-kind", budget, "about", "--db", db)

			// A header menu never set lists the sections.
			_, errOut, code := dateline(t, "menu", "show", "header", "--db", db)
			if want := []menuItemJSON{{1, "Local", "section", "local", false}, {2, "Sport", "section", "sport", false}}; code != 0 ||
				!cmp.Equal(want, menuOf(t, db, "header")) || !strings.Contains(errOut, "never set") {
				t.Errorf("the header menu never set: %+v, stderr %q", menuOf(t, db, "header"), errOut)
			}
			if out := mustRun(t, "menu", "show", "footer", "--json", "--db", db); out != "[]\n" {
				t.Errorf("the footer menu never set: %q", out)
			}

			out := mustRun(t, "menu", "set", "footer", "--db", db, "About us=page:"+budget, "Sport=section:sport",
				"Ferries=/tag/transport/", "Archive=https://archive.example.org/?from=2020&to=2025")
			if out != "footer menu: About us, Sport, Ferries, Archive\n" {
				t.Errorf("menu set printed %q", out)
			}
			want := []menuItemJSON{
				{1, "About us", "page", budget, false},
				{2, "Sport", "section", "sport", false},
				{3, "Ferries", "link", "/tag/transport/", false},
				{4, "Archive", "link", "https://archive.example.org/?from=2020&to=2025", false},
			}
			if diff := cmp.Diff(want, menuOf(t, db, "footer")); diff != "" {
				t.Errorf("footer menu (-want +got):\n%s", diff)
			}

			// Items that lead nowhere now are flagged.
			mustRun(t, "section", "delete", "sport", "--db", db)
			want[1].Broken = true
			if diff := cmp.Diff(want, menuOf(t, db, "footer")); diff != "" {
				t.Errorf("footer menu after its section went (-want +got):\n%s", diff)
			}
			out, errOut, code = dateline(t, "menu", "show", "footer", "--db", db)
			if code != 0 || !strings.Contains(out, "2  Sport     section:sport  BROKEN: no such section now\n") || !strings.Contains(errOut, "1 item leads nowhere now") {
				t.Errorf("menu show with a broken item: exit %d\n%s%s", code, out, errOut)
			}

			// Refused: the item named as typed, and nothing changes.
			for _, test := range []struct {
				code int
				want string
				args []string
			}{
				{exitFail, `item 2 "Bad=section:nope": no section "nope"; nothing changed`, []string{"footer", "About=page:" + budget, "Bad=section:nope"}},
				{exitFail, `item 1 "Gone=page:nope": no page "nope"`, []string{"footer", "Gone=page:nope"}},
				{exitFail, `item 1 "FTP=ftp://files.example.org/": "ftp://files.example.org/" is neither a path on the site (/about/) nor an http or https address`, []string{"footer", "FTP=ftp://files.example.org/"}},
				{exitFail, "the label is 61 characters, more than 60", []string{"footer", strings.Repeat("x", 61) + "=/x/"}},
				{exitFail, "the menu has 13 items, more than 12", append([]string{"header"}, strings.Split(strings.Repeat("x=/x/ ", 13), " ")[:13]...)},
				{exitUsage, `item 2 "About": want LABEL=section:SLUG, LABEL=page:SLUG or LABEL=URL`, []string{"footer", "A=/a/", "About"}},
				{exitUsage, `item 1 "=page:about": the label before = is empty`, []string{"footer", "=page:about"}},
				{exitUsage, `item 1 "About=": nothing after =`, []string{"footer", "About="}},
				{exitUsage, `item 1 "About=page:": page: names no slug`, []string{"footer", "About=page:"}},
				{exitUsage, `no menu "sidebar"; the menus are header and footer`, []string{"sidebar", "A=/a/"}},
				{exitUsage, "give the menu's items", []string{"footer"}},
				{exitUsage, "give the items or --empty, not both", []string{"footer", "--empty", "A=/a/"}},
			} {
				wantFailure(t, test.code, test.want, append([]string{"menu", "set", "--db", db}, test.args...)...)
			}
			if diff := cmp.Diff(want, menuOf(t, db, "footer")); diff != "" {
				t.Errorf("footer menu after refused changes (-want +got):\n%s", diff)
			}
			wantFailure(t, exitUsage, `no menu "sidebar"`, "menu", "show", "sidebar", "--db", db)

			mustRun(t, "menu", "set", "header", "--empty", "--db", db)
			if out := mustRun(t, "menu", "show", "header", "--json", "--db", db); out != "[]\n" {
				t.Errorf("the header menu set empty: %q", out)
			}
		})
	}
}
