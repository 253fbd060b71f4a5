package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/user"
)

// addEntity stores an entity with one name, as extraction would.
func (es *editorServer) addEntity(kind entity.Kind, name, slug, key string) {
	es.t.Helper()
	if err := es.store.CreateEntity(context.Background(), &entity.Entity{Kind: kind, Name: name, Slug: slug}, entity.Alias{Key: key, Name: name}); err != nil {
		es.t.Fatal(err)
	}
}

func (es *editorServer) entity(slug string) *entity.Entity {
	es.t.Helper()
	e, err := es.store.Entity(context.Background(), slug)
	if err != nil {
		es.t.Fatalf("entity %q: %v", slug, err)
	}
	return e
}

// Issue 20: editors list the entities by kind and name, a page at a
// time; contributors and authors may not.
func TestEntityList(t *testing.T) {
	es := newEditorServer(t)
	kenyaArchive(t, es, newsroom.DefaultTopicMinArticles)
	es.addEntity(entity.Person, "Amina Wanjiru", "amina-wanjiru", "person:amina wanjiru")
	editor := es.signIn("Eve Editor", user.Editor)

	res := editor.get("/admin/entities")
	wantEditorStatus(t, "the list", res, http.StatusOK)
	for _, want := range []string{`<a href="/admin/entities">Entities</a>`, `<a href="/admin/entities/kenya">Kenya</a>`, `<td>3</td>`, "Amina Wanjiru"} {
		if !strings.Contains(res.body, want) && !strings.Contains(res.body, strings.Replace(want, `">Entities`, `" aria-current="page">Entities`, 1)) {
			t.Errorf("the list lacks %q:\n%s", want, excerptOf(res.body))
		}
	}
	res = editor.get("/admin/entities?kind=person")
	if strings.Contains(res.body, ">Kenya<") || !strings.Contains(res.body, "Amina Wanjiru") {
		t.Errorf("people only: %s", excerptOf(res.body))
	}
	res = editor.get("/admin/entities?q=ken")
	if !strings.Contains(res.body, ">Kenya<") || strings.Contains(res.body, "Amina Wanjiru") {
		t.Errorf("names holding ken: %s", excerptOf(res.body))
	}
	for _, bad := range []string{"?kind=planet", "?page=0", "?page=x"} {
		wantEditorStatus(t, "the list "+bad, editor.get("/admin/entities"+bad), http.StatusBadRequest)
	}

	for i := range entitiesPerPage {
		es.addEntity(entity.Person, fmt.Sprintf("Person %02d", i), fmt.Sprintf("person-%02d", i), fmt.Sprintf("person:person %02d", i))
	}
	res = editor.get("/admin/entities?kind=person")
	if !strings.Contains(res.body, `<a rel="next" href="/admin/entities?kind=person&amp;page=2">`) {
		t.Errorf("51 people show no next page:\n%s", excerptOf(res.body[strings.Index(res.body, "</table>"):]))
	}
	res = editor.get("/admin/entities?kind=person&page=2")
	if strings.Count(res.body, `<a href="/admin/entities/person-`)+strings.Count(res.body, `<a href="/admin/entities/amina`) != 1 ||
		!strings.Contains(res.body, `rel="prev" href="/admin/entities?kind=person"`) {
		t.Errorf("page 2 of the people holds other than the last one:\n%s", excerptOf(res.body))
	}

	for _, role := range []user.Role{user.Author, user.Contributor} {
		c := es.signIn("Someone "+string(role), role)
		wantEditorStatus(t, string(role)+" lists entities", c.get("/admin/entities"), http.StatusForbidden)
		wantEditorStatus(t, string(role)+" renames an entity", c.post("/admin/entities/kenya", url.Values{"name": {"Hijacked"}}), http.StatusForbidden)
	}
	if e := es.entity("kenya"); e.Name != "Kenya" {
		t.Errorf("a refused rename renamed Kenya to %q", e.Name)
	}
}

// An editor renames, describes, bans and lets back an entity, merges one
// into another and splits a name off again; a mistake comes back beside
// its field, and each change is in the audit log.
func TestEntityEdits(t *testing.T) {
	es := newEditorServer(t)
	kenyaArchive(t, es, 1)
	es.addEntity(entity.PlaceKind, "Keniya", "keniya", "place:KE:keniya")
	editor := es.signIn("Eve Editor", user.Editor)

	res := editor.get("/admin/entities/kenya")
	wantEditorStatus(t, "the entity", res, http.StatusOK)
	for _, want := range []string{"<code>place:KE</code>", `<a href="/admin/articles/`, "Kenya report 1", `action="/admin/entities/kenya/merge"`, "/topic/kenya/"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the entity's page lacks %q:\n%s", want, excerptOf(res.body))
		}
	}
	wantEditorStatus(t, "an unknown entity", editor.get("/admin/entities/atlantis"), http.StatusNotFound)

	res = editor.post("/admin/entities/kenya", url.Values{"name": {"  "}, "description": {"East Africa."}})
	wantEditorStatus(t, "an empty name", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `<p class="field-error" role="alert">An entity needs a name.</p>`) || !strings.Contains(res.body, "East Africa.") {
		t.Errorf("an empty name: no message beside the field, or the description typed is lost:\n%s", excerptOf(res.body))
	}
	res = editor.post("/admin/entities/kenya", url.Values{"name": {"Republic of Kenya"}, "description": {"A country in East Africa."}})
	wantEditorStatus(t, "a rename", res, http.StatusSeeOther)
	if e := es.entity("kenya"); e.Name != "Republic of Kenya" || e.Description != "A country in East Africa." || !e.Edited {
		t.Errorf("after the rename: %+v", e)
	}

	wantEditorStatus(t, "a ban", editor.post("/admin/entities/kenya/ban", url.Values{"banned": {"1"}}), http.StatusSeeOther)
	if !es.entity("kenya").Banned {
		t.Error("the ban did not ban")
	}
	wantEditorStatus(t, "letting back", editor.post("/admin/entities/kenya/ban", url.Values{"banned": {"0"}}), http.StatusSeeOther)
	if es.entity("kenya").Banned {
		t.Error("letting back left it banned")
	}
	wantEditorStatus(t, "a ban without a value", editor.post("/admin/entities/kenya/ban", url.Values{}), http.StatusBadRequest)

	for _, test := range []struct{ into, msg string }{
		{"", "Give the slug of the entity to merge it into."},
		{"kenya", `&#34;kenya&#34; is the entity being merged: name another to merge it into.`},
		{"atlantis", `There is no entity &#34;atlantis&#34;: give the slug its page&#39;s address ends with.`},
	} {
		res = editor.post("/admin/entities/kenya/merge", url.Values{"into": {test.into}})
		wantEditorStatus(t, "merge into "+test.into, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.body, `<p class="field-error" role="alert">`+test.msg+`</p>`) {
			t.Errorf("merge into %q: no message %q beside the field:\n%s", test.into, test.msg, excerptOf(res.body[strings.Index(res.body, "merge-head"):]))
		}
	}
	res = editor.post("/admin/entities/keniya/merge", url.Values{"into": {"kenya"}})
	wantEditorStatus(t, "a merge", res, http.StatusSeeOther)
	if res.location != "/admin/entities/kenya?flash=entity-merged" {
		t.Errorf("a merge went to %q", res.location)
	}
	res = editor.get("/admin/entities/kenya")
	if !strings.Contains(res.body, "<code>place:KE:keniya</code>") {
		t.Errorf("after the merge Kenya lacks the name Keniya:\n%s", excerptOf(res.body))
	}

	res = editor.post("/admin/entities/kenya/split", url.Values{"key": {"place:XX"}})
	wantEditorStatus(t, "a split of a name it lacks", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `<p class="field-error" role="alert">&#34;place:XX&#34; is not a name of Republic of Kenya`) {
		t.Errorf("a split of a name it lacks: no message beside the field:\n%s", excerptOf(res.body[strings.Index(res.body, "names-head"):]))
	}
	res = editor.post("/admin/entities/kenya/split", url.Values{"key": {"place:KE:keniya"}})
	wantEditorStatus(t, "a split", res, http.StatusSeeOther)
	if res.location != "/admin/entities/keniya?flash=entity-split" {
		t.Errorf("a split went to %q", res.location)
	}
	if e := es.entity("keniya"); e.Name != "Keniya" {
		t.Errorf("the name split off: %+v", e)
	}

	events, err := es.store.Audit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"edited entity", "merged entity", "split entity"} {
		if !strings.Contains(strings.Join(actions, "|"), want) {
			t.Errorf("the audit log lacks %q: %v", want, actions)
		}
	}
}
