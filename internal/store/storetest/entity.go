package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/store"
)

// entityTests are the entities' and stories' half of the suite.
var entityTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"EntitiesLinkedAndListed", testEntitiesLinkedAndListed},
	{"EntitiesMergedAndSplit", testEntitiesMerged},
	{"Stories", testStories},
}

// mustEntity stores a new entity under one alias.
func mustEntity(t *testing.T, s store.Store, kind entity.Kind, name, slug, key string) *entity.Entity {
	t.Helper()
	e := &entity.Entity{Kind: kind, Name: name, Slug: slug}
	if err := s.CreateEntity(ctx, e, entity.Alias{Key: key, Name: name}); err != nil {
		t.Fatalf("CreateEntity(%q): %v", slug, err)
	}
	return e
}

func mustLink(t *testing.T, s store.Store, batch ...store.ArticleLinks) {
	t.Helper()
	if err := s.SetArticleEntities(ctx, batch); err != nil {
		t.Fatalf("SetArticleEntities: %v", err)
	}
}

func link(e *entity.Entity, salience float64, ms ...entity.Mention) entity.Link {
	return entity.Link{EntityID: e.ID, Salience: salience, Mentions: ms}
}

func testEntitiesLinkedAndListed(t *testing.T, s store.Store) {
	first, second, draft := sample("talks-in-doha"), sample("talks-resume"), sample("talks-draft")
	second.PublishedAt = published.Add(48 * time.Hour)
	draft.Status, draft.PublishedAt = article.Draft, time.Time{}
	for _, a := range []*article.Article{first, second, draft} {
		mustCreate(t, s, a)
	}
	pakistan := mustEntity(t, s, entity.PlaceKind, "Pakistan", "pakistan", "place:PK")
	ttp := mustEntity(t, s, entity.Organisation, "Tehrik-e-Taliban Pakistan", "tehrik-e-taliban-pakistan", "organisation:tehrik e taliban pakistan")
	qatar := &entity.Entity{Kind: entity.PlaceKind, Name: "Qatar", Slug: "qatar", Country: "QA"}
	if err := s.CreateEntity(ctx, qatar, entity.Alias{Key: "place:QA", Name: "Qatar"}); err != nil {
		t.Fatal(err)
	}

	// Taken slugs and names are refused, and leave nothing behind.
	if err := s.CreateEntity(ctx, &entity.Entity{Kind: entity.PlaceKind, Name: "Pakistan", Slug: "pakistan"}, entity.Alias{Key: "place:PK2", Name: "Pakistan"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second entity with the slug pakistan: %v; want ErrConflict", err)
	}
	if err := s.CreateEntity(ctx, &entity.Entity{Kind: entity.PlaceKind, Name: "Pakistan", Slug: "pakistan-2"}, entity.Alias{Key: "place:PK", Name: "Pakistan"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second entity with the key place:PK: %v; want ErrConflict", err)
	}
	if _, err := s.Entity(ctx, "pakistan-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused entity was stored: %v", err)
	}
	ids, err := s.EntityIDs(ctx, []string{"place:PK", "organisation:tehrik e taliban pakistan", "place:XX"})
	if err != nil || len(ids) != 2 || ids["place:PK"] != pakistan.ID || ids["organisation:tehrik e taliban pakistan"] != ttp.ID {
		t.Fatalf("EntityIDs = %v, %v; want Pakistan and the TTP, not the unknown key", ids, err)
	}

	start, err := s.LastChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mention := entity.Mention{Field: entity.InBody, Start: 10, End: 13}
	mustLink(t, s,
		store.ArticleLinks{ArticleID: first.ID, Links: []entity.Link{link(pakistan, 0.5), link(ttp, 1, entity.Mention{Field: entity.InTitle, Start: 0, End: 3}, mention), link(qatar, 0.2)}},
		store.ArticleLinks{ArticleID: second.ID, Links: []entity.Link{link(ttp, 1), link(pakistan, 0.4)}},
		store.ArticleLinks{ArticleID: draft.ID, Links: []entity.Link{link(ttp, 1)}})
	changes, err := s.Changes(ctx, start, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !hasChange(changes, "article_entities", first.ID) || !hasChange(changes, "topics", ttp.ID) {
		t.Errorf("journal after linking: %+v; want the articles and the topics", changes)
	}

	links, err := s.ArticleEntities(ctx, []int64{first.ID, second.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := links[first.ID]
	if len(got) != 3 || got[0].Entity.Name != "Tehrik-e-Taliban Pakistan" || got[1].EntityID != pakistan.ID || got[2].Salience != 0.2 {
		t.Fatalf("first article's links: %+v; want the TTP, Pakistan, Qatar, most salient first", got)
	}
	if got[2].Entity.Country != "QA" || got[2].Entity.CreatedAt.IsZero() {
		t.Errorf("Qatar read back as %+v; want its country and times", got[2].Entity)
	}
	if ms := got[0].Mentions; len(ms) != 2 || ms[0] != (entity.Mention{Field: entity.InTitle, Start: 0, End: 3}) || ms[1] != mention {
		t.Errorf("the TTP's mentions read back as %+v", ms)
	}
	// A page reads the same links without the mentions, and of each
	// entity what it shows.
	named, err := s.NamedEntities(ctx, []int64{first.ID, second.ID})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range links {
		have := named[id]
		if len(have) != len(want) {
			t.Fatalf("NamedEntities of article %d: %+v; want the links of ArticleEntities, %+v", id, have, want)
		}
		for i := range want {
			w := want[i]
			e := w.Entity
			w.Mentions, w.Entity = nil, &entity.Entity{ID: e.ID, Slug: e.Slug, Kind: e.Kind, Name: e.Name, Country: e.Country}
			if !reflect.DeepEqual(have[i], w) {
				t.Errorf("NamedEntities of article %d, link %d: %+v (entity %+v); want %+v (entity %+v)", id, i, have[i], have[i].Entity, w, w.Entity)
			}
		}
	}
	if len(named) != len(links) {
		t.Errorf("NamedEntities found links of %d articles; ArticleEntities of %d", len(named), len(links))
	}

	// Linking again replaces: Qatar is gone, Pakistan's salience changed,
	// and only those rows are written.
	last, _ := s.LastChange(ctx)
	mustLink(t, s, store.ArticleLinks{ArticleID: first.ID, Links: []entity.Link{link(ttp, 1, entity.Mention{Field: entity.InTitle, Start: 0, End: 3}, mention), link(pakistan, 0.6)}})
	changes, _ = s.Changes(ctx, last, 1000)
	if hasChange(changes, "topics", ttp.ID) || !hasChange(changes, "topics", qatar.ID) || !hasChange(changes, "topics", pakistan.ID) {
		t.Errorf("journal after linking again: %+v; want Qatar's and Pakistan's topics, not the unchanged TTP", changes)
	}
	links, _ = s.ArticleEntities(ctx, []int64{first.ID})
	if len(links[first.ID]) != 2 || links[first.ID][1].Salience != 0.6 {
		t.Errorf("after linking again: %+v", links[first.ID])
	}

	// Lists: every article counts for editors, only public ones for
	// readers.
	all, err := s.Entities(ctx, store.EntityQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != ttp.ID || all[0].Articles != 3 || all[1].Articles != 2 || all[2].Articles != 0 {
		t.Errorf("Entities = %+v; want the TTP (3), Pakistan (2), Qatar (0)", all)
	}
	public, err := s.Entities(ctx, store.EntityQuery{PublicAt: now(), MinArticles: 2})
	if err != nil || len(public) != 2 || public[0].Articles != 2 {
		t.Errorf("public entities with 2 articles or more: %+v, %v; want the TTP and Pakistan, 2 each", public, err)
	}
	// A few entities, by ID or slug, are counted one by one: the same
	// counts.
	byID, err := s.Entities(ctx, store.EntityQuery{IDs: []int64{ttp.ID, qatar.ID}})
	if err != nil || len(byID) != 2 || byID[0].ID != ttp.ID || byID[0].Articles != 3 || byID[1].Articles != 0 {
		t.Errorf("entities by ID: %+v, %v; want the TTP (3), Qatar (0)", byID, err)
	}
	bySlug, err := s.Entities(ctx, store.EntityQuery{Slugs: []string{ttp.Slug}, PublicAt: now(), MinArticles: 2})
	if err != nil || len(bySlug) != 1 || bySlug[0].Articles != 2 {
		t.Errorf("public entity by slug: %+v, %v; want the TTP with its 2 public articles", bySlug, err)
	}
	// Uncounted: the same entities by name, no counts; a minimum keeps
	// those that reach it, in a list or among a few.
	uncounted, err := s.Entities(ctx, store.EntityQuery{Uncounted: true})
	if err != nil || len(uncounted) != 3 || uncounted[0].ID != pakistan.ID || uncounted[2].ID != ttp.ID || uncounted[2].Articles != 0 {
		t.Errorf("uncounted entities: %+v, %v; want Pakistan, Qatar and the TTP by name, no counts", uncounted, err)
	}
	uncounted, err = s.Entities(ctx, store.EntityQuery{Uncounted: true, PublicAt: now(), MinArticles: 2})
	if err != nil || len(uncounted) != 2 || uncounted[0].ID != pakistan.ID || uncounted[1].ID != ttp.ID || uncounted[0].Articles != 0 {
		t.Errorf("uncounted public entities with 2 articles or more: %+v, %v; want Pakistan and the TTP by name", uncounted, err)
	}
	for _, q := range []store.EntityQuery{
		{}, // every entity of the site
		{IDs: []int64{ttp.ID, qatar.ID, pakistan.ID}},
		{Slugs: []string{ttp.Slug, qatar.Slug, pakistan.Slug}},
	} {
		q.Uncounted, q.PublicAt = true, now()
		q.MinArticles = 2
		reach, err := s.Entities(ctx, q)
		if err != nil || len(reach) != 2 || reach[0].ID != pakistan.ID || reach[1].ID != ttp.ID {
			t.Errorf("Entities(%+v) = %+v, %v; want Pakistan and the TTP, which 2 public articles name", q, reach, err)
		}
		q.MinArticles = 3 // the TTP's third article is not public
		if reach, err := s.Entities(ctx, q); err != nil || len(reach) != 0 {
			t.Errorf("Entities(%+v) = %+v, %v; want none: no entity has 3 public articles", q, reach, err)
		}
	}
	places, _ := s.Entities(ctx, store.EntityQuery{Kind: entity.PlaceKind})
	byName, _ := s.Entities(ctx, store.EntityQuery{Name: "taliban"})
	if len(places) != 2 || len(byName) != 1 || byName[0].ID != ttp.ID {
		t.Errorf("places %+v, named like taliban %+v", places, byName)
	}
	tagged, err := s.Articles(ctx, store.ArticleQuery{EntityID: ttp.ID, PublicAt: now()})
	if err != nil || len(tagged) != 2 || tagged[0].ID != second.ID {
		t.Errorf("the TTP's public articles: %d, %v; want 2, newest first", len(tagged), err)
	}
	if n, err := s.CountArticles(ctx, store.ArticleQuery{EntityID: ttp.ID}); err != nil || n != 3 {
		t.Errorf("CountArticles(the TTP) = %d, %v; want 3", n, err)
	}
	related, err := s.RelatedEntities(ctx, ttp.ID, now(), 10, 10)
	if err != nil || len(related) != 1 || related[0].ID != pakistan.ID || related[0].Articles != 2 {
		t.Errorf("RelatedEntities(the TTP) = %+v, %v; want Pakistan, in 2 articles", related, err)
	}
	// Only the newest articles that name it count.
	related, err = s.RelatedEntities(ctx, ttp.ID, now(), 1, 10)
	if err != nil || len(related) != 1 || related[0].ID != pakistan.ID || related[0].Articles != 1 {
		t.Errorf("RelatedEntities(the TTP, newest article) = %+v, %v; want Pakistan, in 1 article", related, err)
	}
	naming, err := s.EntityArticles(ctx, []int64{ttp.ID, qatar.ID, pakistan.ID})
	if err != nil || len(naming[ttp.ID]) != 3 || !slices.IsSorted(naming[ttp.ID]) || len(naming[pakistan.ID]) != 2 || len(naming[qatar.ID]) != 0 {
		t.Errorf("EntityArticles = %v, %v; want the TTP's 3 articles in order, Pakistan's 2, none for Qatar", naming, err)
	}
	if naming, err := s.EntityArticles(ctx, nil); err != nil || len(naming) != 0 {
		t.Errorf("EntityArticles(no entities) = %v, %v", naming, err)
	}
	window, err := s.EntityLinks(ctx, []int64{ttp.ID, pakistan.ID}, published.Add(-time.Hour), published.Add(time.Hour))
	if err != nil || len(window) != 2 || window[0].ArticleID != first.ID {
		t.Errorf("EntityLinks around the first article: %+v, %v; want its 2 links only", window, err)
	}

	// A ban hides the entity from readers' lists and the articles' links.
	pakistan.Banned, pakistan.Edited = true, true
	pakistan.Description = "Not one of ours."
	if err := s.UpdateEntity(ctx, pakistan); err != nil {
		t.Fatal(err)
	}
	got2, err := s.Entity(ctx, "pakistan")
	if err != nil || !got2.Banned || !got2.Edited || got2.Description != "Not one of ours." || got2.Articles != 2 {
		t.Errorf("Entity(pakistan) after the ban: %+v, %v", got2, err)
	}
	links, _ = s.ArticleEntities(ctx, []int64{first.ID})
	named, _ = s.NamedEntities(ctx, []int64{first.ID})
	public, _ = s.Entities(ctx, store.EntityQuery{PublicAt: now()})
	if len(links[first.ID]) != 1 || len(named[first.ID]) != 1 || len(public) != 2 {
		t.Errorf("after the ban: links %+v, named %+v, public entities %+v; want Pakistan left out", links[first.ID], named[first.ID], public)
	}
	if err := s.UpdateEntity(ctx, &entity.Entity{ID: 999_999, Name: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateEntity of a missing entity: %v; want ErrNotFound", err)
	}

	// Deleting an article drops its links; unused entities go, unless an
	// editor touched them.
	if err := s.DeleteArticle(ctx, draft.Slug); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleQuery{EntityID: ttp.ID}); n != 2 {
		t.Errorf("after deleting the draft, the TTP has %d articles; want 2", n)
	}
	mustLink(t, s, store.ArticleLinks{ArticleID: first.ID}, store.ArticleLinks{ArticleID: second.ID})
	n, err := s.DeleteUnusedEntities(ctx)
	if err != nil || n != 2 {
		t.Errorf("DeleteUnusedEntities = %d, %v; want 2 (the TTP and Qatar; Pakistan was edited)", n, err)
	}
	if _, err := s.Entity(ctx, "pakistan"); err != nil {
		t.Errorf("the edited entity was deleted: %v", err)
	}
}

func hasChange(cs []store.Change, table string, row int64) bool {
	for _, c := range cs {
		if c.Table == table && c.Row == row {
			return true
		}
	}
	return false
}

func testEntitiesMerged(t *testing.T, s store.Store) {
	a, b := sample("isis-k-claims"), sample("daesh-khorasan")
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	isk := mustEntity(t, s, entity.Organisation, "Islamic State Khorasan Province", "islamic-state-khorasan-province", "organisation:islamic state khorasan province")
	daesh := mustEntity(t, s, entity.Organisation, "Daesh", "daesh", "organisation:daesh")
	inTitle := entity.Mention{Field: entity.InTitle, Start: 0, End: 5}
	inBody := entity.Mention{Field: entity.InBody, Start: 40, End: 45}
	mustLink(t, s,
		store.ArticleLinks{ArticleID: a.ID, Links: []entity.Link{link(isk, 0.4, inBody), link(daesh, 0.9, inTitle)}},
		store.ArticleLinks{ArticleID: b.ID, Links: []entity.Link{link(daesh, 1, inTitle)}})

	if err := s.MergeEntities(ctx, daesh.ID, isk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Entity(ctx, "daesh"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the merged entity is still there: %v", err)
	}
	links, _ := s.ArticleEntities(ctx, []int64{a.ID, b.ID})
	if got := links[a.ID]; len(got) != 1 || got[0].EntityID != isk.ID || got[0].Salience != 0.9 || len(got[0].Mentions) != 2 {
		t.Errorf("the article naming both: %+v; want one link, the higher salience, both mentions", got)
	}
	if got := links[b.ID]; len(got) != 1 || got[0].EntityID != isk.ID {
		t.Errorf("the article naming the merged one: %+v; want it linked to the other", got)
	}
	aliases, err := s.Aliases(ctx, isk.ID)
	if err != nil || len(aliases) != 2 {
		t.Errorf("aliases after the merge: %+v, %v; want both names", aliases, err)
	}
	if err := s.MergeEntities(ctx, 999_999, isk.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("merging a missing entity: %v; want ErrNotFound", err)
	}

	// A split gives a name back to an entity of its own.
	own := &entity.Entity{Kind: entity.Organisation, Name: "Daesh", Slug: "daesh-2", Edited: true}
	if err := s.SplitEntity(ctx, "organisation:daesh", own); err != nil {
		t.Fatal(err)
	}
	ids, _ := s.EntityIDs(ctx, []string{"organisation:daesh"})
	if own.ID == 0 || ids["organisation:daesh"] != own.ID {
		t.Errorf("after the split the name points to %d; want %d", ids["organisation:daesh"], own.ID)
	}
	every, err := s.Aliases(ctx, 0)
	if err != nil || len(every) != 2 {
		t.Errorf("every alias: %+v, %v; want 2", every, err)
	}
	if err := s.SplitEntity(ctx, "organisation:nobody", &entity.Entity{Kind: entity.Organisation, Name: "Nobody", Slug: "nobody"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("splitting off a missing name: %v; want ErrNotFound", err)
	}
	if err := s.SplitEntity(ctx, "organisation:daesh", &entity.Entity{Kind: entity.Organisation, Name: "Daesh", Slug: "daesh-2"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("splitting off under a taken slug: %v; want ErrConflict", err)
	}
	if ids, _ := s.EntityIDs(ctx, []string{"organisation:daesh"}); ids["organisation:daesh"] != own.ID {
		t.Errorf("a refused split moved the name")
	}
}

func testStories(t *testing.T, s store.Store) {
	var as []*article.Article
	for i, slug := range []string{"ceasefire-talks", "ceasefire-second-round", "ceasefire-collapses", "budget-day"} {
		a := sample(slug)
		a.PublishedAt = published.Add(time.Duration(i) * 24 * time.Hour)
		mustCreate(t, s, a)
		as = append(as, a)
	}
	story := as[0].ID
	if err := s.SetStories(ctx, []store.StoryMember{
		{ArticleID: as[0].ID, StoryID: story}, {ArticleID: as[1].ID, StoryID: story}, {ArticleID: as[2].ID, StoryID: as[2].ID},
		{ArticleID: as[3].ID, StoryID: as[3].ID, Fixed: true},
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Stories(ctx, []int64{as[1].ID, as[3].ID})
	if err != nil || got[as[1].ID].StoryID != story || !got[as[3].ID].Fixed || len(got) != 2 {
		t.Fatalf("Stories = %+v, %v", got, err)
	}
	if !got[as[1].ID].Shared || got[as[3].ID].Shared {
		t.Errorf("Stories = %+v; want the story of two shared and the one of its own not", got)
	}
	inStory, err := s.Articles(ctx, store.ArticleQuery{StoryID: story, PublicAt: now()})
	if err != nil || len(inStory) != 2 {
		t.Errorf("the story's articles: %d, %v; want 2", len(inStory), err)
	}
	start, _ := s.LastChange(ctx)
	if err := s.MergeStories(ctx, as[2].ID, story); err != nil {
		t.Fatal(err)
	}
	changes, _ := s.Changes(ctx, start, 100)
	if !hasChange(changes, "article_stories", as[2].ID) || !hasChange(changes, "article_stories", story) {
		t.Errorf("journal after joining the stories: %+v; want both stories", changes)
	}
	got, _ = s.Stories(ctx, []int64{as[2].ID})
	if got[as[2].ID].StoryID != story || !got[as[2].ID].Fixed || !got[as[2].ID].Shared {
		t.Errorf("after joining: %+v; want the first story, fixed by the editor, shared", got)
	}
	if err := s.MergeStories(ctx, 999_998, 999_999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("joining missing stories: %v; want ErrNotFound", err)
	}
	if err := s.SetStories(ctx, []store.StoryMember{{ArticleID: 999_999, StoryID: story}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing article in a story: %v; want ErrNotFound", err)
	}
	if err := s.DeleteArticle(ctx, as[1].Slug); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleQuery{StoryID: story}); n != 2 {
		t.Errorf("after deleting one, the story has %d articles; want 2", n)
	}
	// A draft follows the story as much as a public article does.
	if err := s.DeleteArticle(ctx, as[2].Slug); err != nil {
		t.Fatal(err)
	}
	draft := sample("ceasefire-draft")
	draft.Status, draft.PublishedAt = article.Draft, time.Time{}
	mustCreate(t, s, draft)
	if err := s.SetStories(ctx, []store.StoryMember{{ArticleID: draft.ID, StoryID: story}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Stories(ctx, []int64{as[0].ID, draft.ID})
	if !got[as[0].ID].Shared || !got[draft.ID].Shared {
		t.Errorf("a story of a public article and a draft: %+v; want both shared", got)
	}
	if err := s.DeleteArticle(ctx, draft.Slug); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Stories(ctx, []int64{as[0].ID}); got[as[0].ID].Shared {
		t.Errorf("a story left with one article: %+v; want it not shared", got)
	}
}
