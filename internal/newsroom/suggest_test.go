package newsroom_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
)

// publish stores a published article in section, with tags, an hour
// before the clock's time.
func publish(t *testing.T, svc *newsroom.Service, clock *testclock.Clock, title, body, section string, tags ...string) *article.Article {
	t.Helper()
	a := &article.Article{Title: title, Body: body, Status: article.Published, PublishedAt: clock.Now().Add(-time.Hour),
		Section: &article.Section{Slug: section}, Tags: article.TagsFromNames(tags...)}
	if err := svc.Create(ctx, newsroom.System("test"), a); err != nil {
		t.Fatalf("Create(%q): %v", title, err)
	}
	return a
}

// Issue 20: the editor suggests sections, tags and entities for the
// text being written, each with its reason, leaving out what the article
// has.
func TestSuggestions(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		addSections(t, svc, "World", "Business", "Sport")
		for i, day := range []string{"Monday", "Tuesday", "Wednesday"} {
			publish(t, svc, clock, fmt.Sprintf("Pakistan talks resume on %s", day),
				fmt.Sprintf("Officials in Pakistan met again on %s to discuss water sharing. Pakistan said talks would go on.\n", day),
				"world", "Pakistan")
			clock.Add(time.Duration(i+1) * 10 * 24 * time.Hour) // apart, so not one story
		}
		publish(t, svc, clock, "Pakistan textile exports rise",
			"Pakistan sold more cotton cloth abroad this year, traders in Pakistan said.\n", "business", "Flood defences")

		text := "Engineers in Islamabad said the flood defences along the river would be raised. " +
			"Pakistan has spent heavily on flood defences since the monsoon of last year.\n\n" +
			"Islamabad asked donors for more money. Officials in Islamabad said work would start in spring, " +
			"and Pakistani engineers would lead it. The flood defences are expected to hold. Islamabad will report in May.\n"
		d := &article.Article{Title: "Pakistan raises its flood defences", Body: text, Status: article.Draft,
			Section: &article.Section{Slug: "business"}, Tags: article.TagsFromNames("Monsoon")}
		got, err := svc.Suggest(ctx, newsroom.System("test"), d)
		if err != nil {
			t.Fatal(err)
		}

		// Sections: World, where three of the four articles naming
		// Pakistan are; not Business, which the draft is in.
		if len(got.Sections) != 1 || got.Sections[0].Slug != "world" ||
			got.Sections[0].Reason != "3 of the 4 articles naming Pakistan are in World" {
			t.Errorf("sections: %+v; want World, for 3 of the 4 articles naming Pakistan", got.Sections)
		}
		// Tags: Pakistan (the entity) and Flood defences (a phrase the
		// text writes three times), both existing tags.
		tags := map[string]string{}
		for _, tg := range got.Tags {
			tags[tg.Name] = tg.Reason
		}
		if r := tags["Pakistan"]; !strings.HasPrefix(r, "the place Pakistan: the text mentions Pakistan ") || !strings.Contains(r, "in the title too") {
			t.Errorf("the tag Pakistan: reason %q; want the place and its mentions, in the title too (all: %+v)", r, got.Tags)
		}
		if r := tags["Flood defences"]; r != "the text writes “flood defences” 4×" {
			t.Errorf("the tag Flood defences: reason %q; want the phrase counted 4× (all: %+v)", r, got.Tags)
		}
		if _, ok := tags["Monsoon"]; ok {
			t.Error("a tag the draft has is suggested")
		}
		// Entities: Islamabad, the text's most written place besides
		// Pakistan (suggested as a tag already), with its count.
		var islamabad *newsroom.EntitySuggestion
		for i, e := range got.Entities {
			if e.Name == "Pakistan" {
				t.Errorf("Pakistan is suggested as an entity and as its tag: %+v", e)
			}
			if e.Salience < entity.MinSalience {
				t.Errorf("an entity below the salience threshold: %+v", e)
			}
			if e.Name == "Islamabad" {
				islamabad = &got.Entities[i]
			}
		}
		if islamabad == nil || islamabad.Reason != "mentions Islamabad 4×" || islamabad.TopicPath != "" {
			t.Errorf("Islamabad: %+v; want it with the reason \"mentions Islamabad 4×\" and no topic page (entities: %+v)", islamabad, got.Entities)
		}

		// Pakistan has a topic page (four public articles): once its tag
		// is on the draft, it comes back as an entity with it.
		d.Tags = article.TagsFromNames("Monsoon", "Flood defences")
		d.Section = &article.Section{Slug: "world"}
		got, err = svc.Suggest(ctx, newsroom.System("test"), d)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Sections) != 0 {
			t.Errorf("the draft is in World already, yet sections are suggested: %+v", got.Sections)
		}
		var pakistan *newsroom.EntitySuggestion
		for i := range got.Tags {
			if got.Tags[i].Name == "Flood defences" {
				t.Errorf("a tag the draft has is suggested: %+v", got.Tags[i])
			}
		}
		for i := range got.Entities {
			if got.Entities[i].Name == "Pakistan" {
				pakistan = &got.Entities[i]
			}
		}
		if len(got.Tags) != 1 || pakistan != nil {
			t.Errorf("tags %+v, Pakistan as an entity %+v; want the tag Pakistan alone", got.Tags, pakistan)
		}
	})
}

// TestSuggestionsEntityTopicPage: an entity of the text that has a topic
// page (enough public articles, not banned) says so; a banned one is not
// suggested.
func TestSuggestionsEntityTopicPage(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		addSections(t, svc, "World")
		for i := range newsroom.DefaultTopicMinArticles {
			publish(t, svc, clock, fmt.Sprintf("Harvest report %d", i+1),
				"Farmers in Kenya and Uganda expect a large maize harvest. Kenya will export some.\n", "world")
			clock.Add(30 * 24 * time.Hour)
		}
		d := draft("Maize prices fall in Kenya", "Kenya's traders cut maize prices as the harvest in Kenya and Uganda came in. Uganda followed.\n", 0)
		got, err := svc.Suggest(ctx, newsroom.System("test"), d)
		if err != nil {
			t.Fatal(err)
		}
		paths := map[string]string{}
		for _, e := range got.Entities {
			paths[e.Name] = e.TopicPath
		}
		if paths["Kenya"] != "/topic/kenya/" {
			t.Errorf("Kenya's topic page: %q; want /topic/kenya/ (entities %+v)", paths["Kenya"], got.Entities)
		}
		topics, err := svc.KeyphraseTopics(ctx, " kenya ")
		if err != nil {
			t.Fatal(err)
		}
		if len(topics) != 1 || topics[0].Name != "Kenya" || topics[0].Path != "/topic/kenya/" {
			t.Errorf("KeyphraseTopics(kenya) = %+v; want Kenya's topic page", topics)
		}
		// A site that asks for more articles gives Kenya no topic page.
		site, err := s.SiteSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		site.TopicMinArticles = fmt.Sprint(newsroom.DefaultTopicMinArticles + 1)
		if err := s.SaveSiteSettings(ctx, site); err != nil {
			t.Fatal(err)
		}
		if topics, err := svc.KeyphraseTopics(ctx, "Kenya"); err != nil || len(topics) != 0 {
			t.Errorf("KeyphraseTopics(Kenya) with a threshold of %s = %+v, %v; want none", site.TopicMinArticles, topics, err)
		}
		banned := true
		if _, err := svc.EditEntity(ctx, newsroom.System("test"), "uganda", newsroom.EntityChange{Banned: &banned}); err != nil {
			t.Fatal(err)
		}
		got, err = svc.Suggest(ctx, newsroom.System("test"), d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range got.Entities {
			if e.Name == "Uganda" {
				t.Errorf("a banned entity is suggested: %+v", e)
			}
		}
		if topics, err := svc.KeyphraseTopics(ctx, "Uganda"); err != nil || len(topics) != 0 {
			t.Errorf("KeyphraseTopics(Uganda), banned = %+v, %v; want none", topics, err)
		}
	})
}

// TestSuggestionsBadInput: a text without names or repeats gets no
// suggestions; a contributor gets none for another's article.
func TestSuggestionsBadInput(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		got, err := svc.Suggest(ctx, newsroom.System("test"), draft("", "", 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Sections)+len(got.Tags)+len(got.Entities) != 0 {
			t.Errorf("an empty text got suggestions: %+v", got)
		}
		owner := addUser(t, s, "owner@example.org", user.Author)
		other := addUser(t, s, "other@example.org", user.Contributor)
		var refusal *newsroom.Refusal
		_, err = svc.Suggest(ctx, newsroom.Person(other, ""), draft("Ghana votes", "Ghana votes today.\n", owner.ID))
		if !errors.As(err, &refusal) {
			t.Errorf("a contributor's suggestions for another's article: %v; want a Refusal", err)
		}
	})
}
