package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The reference article and the follow-ups we wrote, imported together:
// the import finds their entities, and the entities commands show,
// list, merge and rebuild them.
func TestEntitiesCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	stories, err := filepath.Glob(filepath.Join("..", "newsroom", "testdata", "story", "*.md"))
	if err != nil || len(stories) == 0 {
		t.Fatalf("the follow-ups: %v, %v", stories, err)
	}
	out := mustRun(t, append([]string{"import", "--db", db, sharedFixture(t, "reference-article.txt")}, stories...)...)
	if !strings.Contains(out, "entities: ") {
		t.Errorf("the import says nothing of entities:\n%s", out)
	}

	var ttp entityShowJSON
	if err := json.Unmarshal([]byte(mustRun(t, "entities", "show", "tehrik-e-taliban-pakistan", "--json", "--db", db)), &ttp); err != nil {
		t.Fatal(err)
	}
	if ttp.Kind != "organisation" || ttp.Initials != "TTP" || len(ttp.Mentions) != 3 {
		t.Fatalf("the TTP: %+v; want an organisation with initials, named in 3 articles", ttp)
	}
	var saidTTP bool
	for _, m := range ttp.Mentions {
		saidTTP = saidTTP || slices.Contains(m.Said, "TTP")
	}
	if !saidTTP {
		t.Errorf("no article names the TTP by its initials: %+v", ttp.Mentions)
	}

	var doha articleDetailJSON
	if err := json.Unmarshal([]byte(mustRun(t, "article", "show", "doha-talks-resume", "--json", "--db", db)), &doha); err != nil {
		t.Fatal(err)
	}
	found := map[string]entityJSON{}
	for _, e := range doha.Entities {
		found[e.Name] = e
	}
	if q := found["Qatar"]; q.Kind != "place" || q.Country != "Qatar" || q.CountryCode != "QA" || q.Salience == nil {
		t.Errorf("Qatar in the follow-up: %+v", q)
	}
	if ist := found["Istanbul"]; ist.Country != "Türkiye" || ist.CountryCode != "TR" {
		t.Errorf("Istanbul in the follow-up: %+v; want a place in Türkiye (TR)", ist)
	}
	if _, ok := found["Tehrik-e-Taliban Pakistan"]; !ok {
		t.Errorf("the follow-up's entities lack the TTP: %+v", doha.Entities)
	}

	var places []entityJSON
	if err := json.Unmarshal([]byte(mustRun(t, "entities", "list", "--kind", "place", "--json", "--db", db)), &places); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for i, p := range places {
		counts[p.Name] = *p.Articles
		if i > 0 && *p.Articles > *places[i-1].Articles {
			t.Errorf("places not most named first: %s (%d) after %s (%d)", p.Name, *p.Articles, places[i-1].Name, *places[i-1].Articles)
		}
	}
	if counts["Pakistan"] != 3 || counts["Afghanistan"] != 3 || counts["Karachi"] != 1 {
		t.Errorf("places by articles: %v; want Pakistan and Afghanistan in 3, Karachi in 1", counts)
	}
	if text := mustRun(t, "entities", "list", "--db", db); !strings.Contains(text, "Afghan Taliban") {
		t.Errorf("entities list lacks the Afghan Taliban:\n%s", text)
	}

	// Bad input is named.
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"entities", "list", "--kind", "planet"}, exitUsage, `"planet": give person, organisation or place`},
		{[]string{"entities", "show", "no-such-entity"}, exitFail, "no-such-entity"},
		{[]string{"entities", "merge", "daesh", "daesh"}, exitFail, "name another"},
		{[]string{"entities", "merge", "daesh", "no-such-entity"}, exitFail, `no entity has the slug "no-such-entity"`},
		{[]string{"entities", "merge", "daesh"}, exitUsage, "name the entity to merge"},
	} {
		out, errOut, code := dateline(t, append(c.args, "--db", db)...)
		if code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("dateline %s: exit %d, %q%q; want exit %d saying %q", strings.Join(c.args, " "), code, out, errOut, c.code, c.says)
		}
	}

	out = mustRun(t, "entities", "merge", "daesh", "afghan-taliban", "--db", db)
	if !strings.Contains(out, "/topic/daesh/ redirects to /topic/afghan-taliban/") {
		t.Errorf("merge said:\n%s", out)
	}
	if _, _, code := dateline(t, "entities", "show", "daesh", "--db", db); code == 0 {
		t.Error("the merged entity is still shown")
	}
	out = mustRun(t, "entities", "rebuild", "--db", db)
	if !strings.Contains(out, "4 articles read") {
		t.Errorf("rebuild said:\n%s", out)
	}
	if _, _, code := dateline(t, "entities", "show", "daesh", "--db", db); code == 0 {
		t.Error("the rebuild undid the merge")
	}
}
