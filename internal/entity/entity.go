package entity

import (
	"strings"
	"time"
)

// Entity is a person, organisation or place as the site keeps it: one
// entity, with the names extraction gives it (its aliases), the articles
// that name it (Links), and what editors decided about it.
type Entity struct {
	ID   int64
	Slug string // its topic page's address: /topic/{slug}/
	Kind Kind
	Name string
	// Initials are an organisation's ("TTP"), when it has them.
	Initials string
	// Country is a place's country, as its ISO 3166-1 alpha-2 code
	// ("PK"); "" for people and organisations.
	Country string
	// Description is what an editor wrote about it, for its topic page.
	Description string
	// Banned keeps it off every article and topic page: a name an
	// editor ruled is not an entity ("Reading" the verb).
	Banned bool
	// Edited marks an entity an editor renamed, described, banned, merged
	// or split: rebuilds keep it as the editor left it.
	Edited    bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Articles is the number of articles naming it, where a list counts
	// them (readers' lists count the public articles only).
	Articles int
}

// Alias is a name extraction gives an entity. Key is the name as
// extraction identifies it (see Key); Name as it was written.
type Alias struct {
	Key      string
	Name     string
	EntityID int64
}

// Link is an article's mention of an entity: how salient it is there,
// and where the article names it.
type Link struct {
	ArticleID int64
	EntityID  int64
	Salience  float64
	Mentions  []Mention
	// Entity is the entity itself, where a read gives it.
	Entity *Entity
}

// Key identifies what extraction found, whatever the text's spelling: a
// country by its code ("place:PK"), a city or region by its country and
// name ("place:TR:istanbul"), a person or organisation by its folded name
// ("organisation:tehrik e taliban pakistan").
func Key(f Found) string {
	if f.Kind == PlaceKind && f.Place != nil && f.Place.Country != nil {
		if !f.Place.City && !f.Place.Region {
			return "place:" + f.Place.Country.ISO2
		}
		return "place:" + f.Place.Country.ISO2 + ":" + strings.Join(words(f.Name), " ")
	}
	return string(f.Kind) + ":" + strings.Join(words(f.Name), " ")
}

// ParseKind reads a kind as people write it ("org" and "organization"
// too), and says whether it is one.
func ParseKind(s string) (Kind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "people", "persons":
		return Person, true
	case "organisation", "organization", "org", "organisations", "organizations":
		return Organisation, true
	case "place", "places", "location":
		return PlaceKind, true
	}
	return "", false
}

// Salient keeps the links of entities an article is about, not those it
// mentions in passing (see MinSalience).
func Salient(links []Link) []Link {
	var out []Link
	for _, l := range links {
		if l.Salience >= MinSalience {
			out = append(out, l)
		}
	}
	return out
}

// SameStory says how closely two articles published close in time follow
// one developing story, from their links (mine with Entity set, for the
// kinds): 0 when they do not. They do when they share three salient
// entities, or two of which one is a person or an organisation: places
// alone ("Pakistan", "Afghanistan") tie together too much of a
// newsroom's coverage. The score is the shared salience.
func SameStory(mine, theirs []Link) float64 {
	salience := make(map[int64]float64, len(theirs))
	for _, l := range theirs {
		if l.Salience >= MinSalience {
			salience[l.EntityID] = l.Salience
		}
	}
	shared, named := 0, 0
	score := 0.0
	for _, l := range mine {
		s, ok := salience[l.EntityID]
		if !ok || l.Salience < MinSalience {
			continue
		}
		shared++
		score += min(s, l.Salience)
		if l.Entity != nil && l.Entity.Kind != PlaceKind {
			named++
		}
	}
	if shared >= 3 || shared >= 2 && named >= 1 {
		return score
	}
	return 0
}
