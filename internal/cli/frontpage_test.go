package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// pinsOf lists the pinned stories as 'frontpage list --json' prints them.
func pinsOf(t *testing.T, db string) []pinJSON {
	t.Helper()
	var pins []pinJSON
	if err := json.Unmarshal([]byte(mustRun(t, "frontpage", "list", "--json", "--db", db)), &pins); err != nil {
		t.Fatal(err)
	}
	return pins
}

// pinnedSlugs lists the slugs of the pinned stories in order.
func pinnedSlugs(t *testing.T, db string) string {
	t.Helper()
	var slugs []string
	for _, p := range pinsOf(t, db) {
		slugs = append(slugs, p.Slug)
	}
	return strings.Join(slugs, ", ")
}

func TestFrontPageCommands(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			_, errOut, code := dateline(t, "frontpage", "list", "--db", db)
			if code != 0 || !strings.Contains(errOut, "no stories pinned") {
				t.Errorf("frontpage list with no pins: exit %d, %q", code, errOut)
			}

			if out := mustRun(t, "frontpage", "pin", tram, "--db", db); out != "pinned: "+tram+"\n" {
				t.Errorf("frontpage pin printed %q", out)
			}
			mustRun(t, "frontpage", "pin", budget, "--db", db)
			if out := mustRun(t, "frontpage", "pin", cranes, "--lead", "--db", db); out != "pinned: "+cranes+", "+tram+", "+budget+"\n" {
				t.Errorf("frontpage pin --lead printed %q", out)
			}
			// A scheduled story keeps its place for when it is public.
			if out := mustRun(t, "frontpage", "pin", "ferry-plan", "--db", db); !strings.Contains(out, "ferry-plan is scheduled for "+planAt.Format("2006-01-02 15:04")+"; it takes its place once it is public") {
				t.Errorf("pinning a scheduled story printed %q", out)
			}
			pins := pinsOf(t, db)
			if len(pins) != 4 || pins[0].Position != 1 || pins[0].Slug != cranes || !pins[0].Public || pins[3].Public || pins[3].Status != "scheduled" ||
				!strings.HasPrefix(pins[3].Note, "not public now") {
				t.Errorf("frontpage list --json: %+v", pins)
			}
			list := mustRun(t, "frontpage", "list", "--db", db)
			if !strings.Contains(list, "1  "+cranes) || !strings.Contains(list, "(not public now: scheduled for "+planAt.Format("2006-01-02 15:04")+")") {
				t.Errorf("frontpage list:\n%s", list)
			}
			if out := mustRun(t, "frontpage", "pin", tram, "--db", db); !strings.Contains(out, "pinned already, at 2; nothing changed") {
				t.Errorf("pinning a pinned story printed %q", out)
			}
			if out := mustRun(t, "frontpage", "pin", cranes, "--lead", "--db", db); !strings.Contains(out, "the lead already; nothing changed") {
				t.Errorf("pinning the lead as lead printed %q", out)
			}

			// Order.
			if out := mustRun(t, "frontpage", "move", budget, "up", "--db", db); out != "pinned: "+cranes+", "+budget+", "+tram+", ferry-plan\n" {
				t.Errorf("frontpage move up printed %q", out)
			}
			mustRun(t, "frontpage", "move", cranes, "down", "--db", db)
			if got := pinnedSlugs(t, db); got != budget+", "+cranes+", "+tram+", ferry-plan" {
				t.Errorf("after moving the lead down: %s", got)
			}
			if out := mustRun(t, "frontpage", "move", budget, "up", "--db", db); !strings.HasPrefix(out, budget+" is the lead already; nothing changed\n") {
				t.Errorf("moving the lead up printed %q", out)
			}
			if out := mustRun(t, "frontpage", "move", "ferry-plan", "down", "--db", db); !strings.HasPrefix(out, "ferry-plan is last already; nothing changed\n") {
				t.Errorf("moving the last down printed %q", out)
			}

			// A fifth fills the slots; a sixth is refused.
			dir := t.TempDir()
			mustRun(t, "import", "--db", db,
				writeFile(t, dir, "fifth.md", "---\ntitle: Fifth\nslug: fifth\ndate: "+clock.Now().Add(-26*24*time.Hour).Format(time.RFC3339)+"\n---\nText.\n"),
				writeFile(t, dir, "sixth.md", "---\ntitle: Sixth\nslug: sixth\ndate: "+clock.Now().Add(-26*24*time.Hour+time.Hour).Format(time.RFC3339)+"\n---\nText.\n"))
			mustRun(t, "frontpage", "pin", "fifth", "--db", db)
			before := pinnedSlugs(t, db)
			wantFailure(t, exitFail, "the front page has 5 pinned stories, all its slots: unpin one first", "frontpage", "pin", "sixth", "--db", db)
			wantFailure(t, exitFail, "the front page has 5 pinned stories", "frontpage", "pin", "sixth", "--lead", "--db", db)
			wantFailure(t, exitFail, `"Ferry Draft" is a draft: publish or schedule it before pinning it`, "frontpage", "pin", "ferry-draft", "--db", db)
			wantFailure(t, exitFail, `article "nope" not found`, "frontpage", "pin", "nope", "--db", db)
			wantFailure(t, exitFail, `"Sixth" is not pinned to the front page`, "frontpage", "unpin", "sixth", "--db", db)
			wantFailure(t, exitFail, "sixth is not pinned to the front page; pin it with 'dateline frontpage pin sixth'", "frontpage", "move", "sixth", "up", "--db", db)
			wantFailure(t, exitFail, `article "nope" not found`, "frontpage", "unpin", "nope", "--db", db)
			wantFailure(t, exitUsage, `move fifth up or down, not "left"`, "frontpage", "move", "fifth", "left", "--db", db)
			wantFailure(t, exitUsage, "name one story by its slug", "frontpage", "pin", "--db", db)
			if got := pinnedSlugs(t, db); got != before {
				t.Errorf("after refused changes the pins are %s, want %s", got, before)
			}

			// Unpin frees a slot.
			if out := mustRun(t, "frontpage", "unpin", cranes, "--db", db); out != "pinned: "+budget+", "+tram+", ferry-plan, fifth\n" {
				t.Errorf("frontpage unpin printed %q", out)
			}
			mustRun(t, "frontpage", "pin", "sixth", "--db", db)

			// A page stays off the front page; one made a page while
			// pinned is marked.
			mustRun(t, "article", "set-kind", cranes, "page", "--db", db)
			wantFailure(t, exitFail, cranes+" is a page, not a story: pages stay off the front page", "frontpage", "pin", cranes, "--db", db)
			if out := mustRun(t, "article", "set-kind", tram, "about", "--db", db); !strings.Contains(out, "still pinned to the front page") {
				t.Errorf("set-kind of a pinned story printed %q", out)
			}
			if list := mustRun(t, "frontpage", "list", "--db", db); !strings.Contains(list, "(an About page of the site: pages stay off the front page)") {
				t.Errorf("frontpage list with a page pinned:\n%s", list)
			}
			mustRun(t, "frontpage", "unpin", tram, "--db", db)
			for _, p := range []string{budget, "ferry-plan", "fifth", "sixth"} {
				mustRun(t, "frontpage", "unpin", p, "--db", db)
			}
			if out := mustRun(t, "frontpage", "list", "--json", "--db", db); out != "[]\n" {
				t.Errorf("after unpinning every story: %q", out)
			}
		})
	}
}
