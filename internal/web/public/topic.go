package public

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// TopicPage is a person's, an organisation's or a place's page: what it
// is, and the timeline of the articles that name it, newest first.
type TopicPage struct {
	web.Base
	Name string
	// Kind says what it is: "Organisation", "Place · Pakistan".
	Kind string
	// Description is what an editor wrote of it; "" for nothing.
	Description string
	Intro       string
	// Timeline are its articles, without thumbnails.
	Timeline []Card
	// Related are the other entities with topic pages that its articles
	// name most often.
	Related    []TopicLink
	Pagination Pagination
}

// TopicLink is a link to an entity's topic page.
type TopicLink struct {
	Name string
	Href string
}

// relatedTopics is how many related entities a topic page links.
const relatedTopics = 8

// relatedTopicsFrom is how many of a topic's newest articles its related
// entities are counted in: they say what the topic is about lately, and
// the count costs the same for an entity named ten times or ten thousand.
const relatedTopicsFrom = 500

// topicMin is how many public articles must name an entity before it has
// a topic page.
func (h *Handlers) topicMin() int {
	if n := h.site.Current().TopicMinArticles; n > 0 {
		return n
	}
	return newsroom.DefaultTopicMinArticles
}

// topicEntity returns the entity of a topic page: not banned, and named
// by enough public articles. Any other is not found (the redirect of a
// merged entity's old address is looked up then).
func (h *Handlers) topicEntity(ctx context.Context, slug string, now time.Time) (*entity.Entity, error) {
	if article.ValidateSlug(slug) != nil {
		return nil, web.ErrNotFound
	}
	e, err := h.topics.get(slug, func() (*entity.Entity, error) {
		es, err := h.store.Entities(ctx, store.EntityQuery{Slugs: []string{slug}, PublicAt: now, MinArticles: h.topicMin(), Uncounted: true, Limit: 1})
		if err != nil || len(es) == 0 {
			return nil, err
		}
		return &es[0], nil
	})
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, web.ErrNotFound
	}
	return e, nil
}

// withTopicPages keeps the entities of ids that have a topic page, by ID,
// with one query.
func (h *Handlers) withTopicPages(ctx context.Context, ids []int64, now time.Time) (map[int64]bool, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// Each entity's answer is kept for the cache time: an article page
	// asks it of every entity it names, and most are named on many.
	return h.hasTopicPage.getMany(ids, func(missing []int64) (map[int64]bool, error) {
		es, err := h.store.Entities(ctx, store.EntityQuery{IDs: missing, PublicAt: now, MinArticles: h.topicMin(), Uncounted: true})
		if err != nil {
			return nil, err
		}
		has := make(map[int64]bool, len(es))
		for _, e := range es {
			has[e.ID] = true
		}
		return has, nil
	})
}

// kindLabel says what an entity is, in the site's language: a place with
// its country's English short name ("Place · Pakistan") unless the place
// is the country.
func (h *Handlers) kindLabel(e *entity.Entity) string {
	l := h.site.Locale()
	var label string
	switch e.Kind {
	case entity.Person:
		label = l.Text("kind_person")
	case entity.Organisation:
		label = l.Text("kind_organisation")
	default:
		label = l.Text("kind_place")
	}
	if e.Kind != entity.PlaceKind || e.Country == "" {
		return label
	}
	if g, err := entity.Default(); err == nil {
		if c := g.Country(e.Country); c != nil && c.Name != e.Name {
			label += " · " + c.Name
		}
	}
	return label
}

// thing describes an entity for structured data; href is its topic
// page's address, "" for none.
func thing(e *entity.Entity, href string) seo.Thing {
	return seo.Thing{Kind: string(e.Kind), Name: e.Name, URL: href, Country: e.Country}
}

func (h *Handlers) topic(w http.ResponseWriter, r *http.Request) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	err = h.pages.serve(w, r, func() (*cachedPage, error) {
		ctx := r.Context()
		now := h.now()
		e, err := h.topicEntity(ctx, slug, now)
		if err != nil {
			return nil, err
		}
		as, total, err := h.list(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story, EntityID: e.ID}, page)
		if err != nil {
			return nil, err
		}
		related, relatedKeys, err := h.relatedTopics(ctx, e, now)
		if err != nil {
			return nil, err
		}
		timeline := make([]Card, len(as))
		for i, a := range as {
			timeline[i].Article = a
		}
		if err := renderParts(h, h.tpl.topic, "timeline-entry", timeline); err != nil {
			return nil, err
		}
		l := h.site.Locale()
		description := e.Description
		if description == "" {
			description = l.Text("topic_description", "Name", e.Name)
		}
		p := TopicPage{
			Base:        h.site.Base(r, h.pageTitle(e.Name, page), description),
			Name:        e.Name,
			Kind:        h.kindLabel(e),
			Description: e.Description,
			Intro:       l.Plural("topic_intro", int64(total), "Name", e.Name),
			Timeline:    timeline,
			Related:     related,
			Pagination:  paginate(urls.Topic(slug), page, total),
		}
		h.describeList(r, &p.Base, urls.TopicListing, slug, e.Name, page)
		info := h.site.Current()
		p.StructuredData = append(p.StructuredData, seo.TopicPage(e.Name+" – "+info.Title, p.Canonical, description,
			info.Language, info.Title, h.site.AbsURL(r, urls.Home), thing(e, h.site.AbsURL(r, urls.Topic(e.Slug)))))
		built, err := listingPage(h.tpl.topic, p, as, purge.Topic(e.ID))
		if err == nil {
			built.show(purge.Entity(e.ID))
			built.show(relatedKeys...)
		}
		return built, err
	}, nil, nil)
	if errors.Is(err, web.ErrNotFound) && page == 1 {
		return h.topicByInitials(w, r, slug, err)
	}
	return err
}

// topicByInitials answers /topic/ttp/ with a redirect to the topic page
// of the one organisation with a page whose initials those are
// (/topic/tehrik-e-taliban-pakistan/), and otherwise with notFound.
func (h *Handlers) topicByInitials(w http.ResponseWriter, r *http.Request, slug string, notFound error) error {
	if len(slug) < 2 || len(slug) > 6 || strings.Trim(slug, "abcdefghijklmnopqrstuvwxyz") != "" {
		return notFound
	}
	es, err := h.store.Entities(r.Context(), store.EntityQuery{Kind: entity.Organisation, Initials: strings.ToUpper(slug),
		PublicAt: h.now(), MinArticles: h.topicMin(), Uncounted: true, Limit: 2})
	if err != nil {
		return err
	}
	if len(es) != 1 {
		return notFound // none, or several: the address names none of them
	}
	w.Header().Set("Cache-Control", redirectMaxAge)
	http.Redirect(w, r, withQuery(urls.Topic(es[0].Slug), r.URL.RawQuery), http.StatusFound)
	return nil
}

// relatedTopics links the entities named most often beside e that have
// topic pages of their own, with their cache keys.
func (h *Handlers) relatedTopics(ctx context.Context, e *entity.Entity, now time.Time) ([]TopicLink, []string, error) {
	// Read a few more than are shown: some have no page. Counting what
	// a common entity's articles name reads all their links, so every
	// page of its timeline shares one reading.
	candidates, err := h.coNamed.get(e.ID, func() ([]entity.Entity, error) {
		return h.store.RelatedEntities(ctx, e.ID, now, relatedTopicsFrom, 3*relatedTopics)
	})
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(candidates))
	for i, c := range candidates {
		ids[i] = c.ID
	}
	has, err := h.withTopicPages(ctx, ids, now)
	if err != nil {
		return nil, nil, err
	}
	var links []TopicLink
	var keys []string
	for _, c := range candidates {
		if has[c.ID] && c.ID != e.ID && len(links) < relatedTopics {
			links = append(links, TopicLink{Name: c.Name, Href: urls.Topic(c.Slug)})
			keys = append(keys, purge.Entity(c.ID))
		}
	}
	return links, keys, nil
}

// Limits of the entities an article page names.
const (
	// maxTopics is how many topic pages an article links.
	maxTopics = 8
	// maxNamed is how many of its entities, the most salient, its
	// structured data names.
	maxNamed = 24
	// aboutSalience is the salience of an entity the article is about
	// rather than one it mentions.
	aboutSalience = 0.5
)

// namedEntities are the entities an article page shows.
type namedEntities struct {
	topics          []TopicLink
	about, mentions []seo.Thing
	keys            []string
}

// namedEntities reads the entities article a names (one query) and
// which of them have topic pages (one more): the salient ones with a
// page are linked, and every one is named in the structured data, with
// its page's address when it has one.
func (h *Handlers) namedEntities(r *http.Request, a *article.Article, now time.Time) (namedEntities, error) {
	var n namedEntities
	byArticle, err := h.news.NamedEntities(r.Context(), []int64{a.ID})
	if err != nil {
		return n, err
	}
	links := byArticle[a.ID] // most salient first
	links = links[:min(len(links), maxNamed)]
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.EntityID
	}
	has, err := h.withTopicPages(r.Context(), ids, now)
	if err != nil {
		return n, err
	}
	for _, l := range links {
		e := l.Entity
		var href, abs string
		if has[e.ID] {
			href = urls.Topic(e.Slug)
			abs = h.site.AbsURL(r, href)
		}
		if href != "" && l.Salience >= entity.MinSalience && len(n.topics) < maxTopics {
			n.topics = append(n.topics, TopicLink{Name: e.Name, Href: href})
		}
		if l.Salience >= aboutSalience {
			n.about = append(n.about, thing(e, abs))
		} else {
			n.mentions = append(n.mentions, thing(e, abs))
		}
		// Whether it is linked depends on its articles too: the key of
		// every entity named, linked or not.
		n.keys = append(n.keys, purge.Entity(e.ID))
	}
	return n, nil
}

// storySoFar returns the public articles of the story a follows, oldest
// first (none when it follows none with others), and the cache key of
// its story: an article joining the story changes the page, even one
// that shows no story yet.
func (h *Handlers) storySoFar(ctx context.Context, a *article.Article) ([]*article.Article, string, error) {
	story, as, err := h.news.StorySoFar(ctx, a)
	return as, purge.Story(story), err
}
