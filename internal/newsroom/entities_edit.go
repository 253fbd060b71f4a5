package newsroom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// Limits of what editors write of an entity.
const (
	MaxEntityNameLen        = 200
	MaxEntityDescriptionLen = 2000
)

// Entity returns the entity of a slug, with its aliases. A missing one
// wraps store.ErrNotFound, with the message naming the slug.
func (s *Service) Entity(ctx context.Context, slug string) (*entity.Entity, []entity.Alias, error) {
	e, err := s.store.Entity(ctx, strings.Trim(strings.TrimSpace(slug), "/"))
	if err != nil {
		return nil, nil, err
	}
	aliases, err := s.store.Aliases(ctx, e.ID)
	return e, aliases, err
}

// Entities lists the site's entities (see store.EntityQuery).
func (s *Service) Entities(ctx context.Context, q store.EntityQuery) ([]entity.Entity, error) {
	return s.store.Entities(ctx, q)
}

// ArticleEntities returns the entities the articles name, most salient
// first, banned ones left out.
func (s *Service) ArticleEntities(ctx context.Context, articleIDs []int64) (map[int64][]entity.Link, error) {
	return s.store.ArticleEntities(ctx, articleIDs)
}

// NamedEntities is ArticleEntities with what a page shows: not where the
// text names each entity, and of the entity its ID, slug, kind, name and
// country.
func (s *Service) NamedEntities(ctx context.Context, articleIDs []int64) (map[int64][]entity.Link, error) {
	return s.store.NamedEntities(ctx, articleIDs)
}

// EntityChange is what an editor changes of an entity; nil leaves a
// field as it is.
type EntityChange struct {
	Name        *string
	Description *string
	Banned      *bool
}

// EditEntity renames, describes, bans or lets back an entity. Its slug,
// and so its topic page's address, stays. The entity is marked edited:
// rebuilds keep it as the editor left it. Errors: a Refusal, an
// *article.FieldError (field "name" or "description"), or the store's.
func (s *Service) EditEntity(ctx context.Context, actor Actor, slug string, change EntityChange) (*entity.Entity, error) {
	if err := mayArrange(actor); err != nil {
		return nil, err
	}
	e, err := s.store.Entity(ctx, slug)
	if err != nil {
		return nil, err
	}
	var did []string
	if change.Name != nil {
		name := strings.Join(strings.Fields(*change.Name), " ")
		switch {
		case name == "":
			return nil, &article.FieldError{Field: "name", Msg: "an entity needs a name"}
		case utf8.RuneCountInString(name) > MaxEntityNameLen:
			return nil, &article.FieldError{Field: "name", Msg: fmt.Sprintf("a name has at most %d characters", MaxEntityNameLen)}
		}
		if name != e.Name {
			did = append(did, fmt.Sprintf("renamed from %q", e.Name))
			e.Name = name
		}
	}
	if change.Description != nil {
		d := strings.TrimSpace(*change.Description)
		if utf8.RuneCountInString(d) > MaxEntityDescriptionLen {
			return nil, &article.FieldError{Field: "description", Msg: fmt.Sprintf("a description has at most %d characters", MaxEntityDescriptionLen)}
		}
		if d != e.Description {
			did = append(did, "described")
			e.Description = d
		}
	}
	if change.Banned != nil && *change.Banned != e.Banned {
		e.Banned = *change.Banned
		did = append(did, map[bool]string{true: "banned", false: "let back"}[e.Banned])
	}
	if len(did) == 0 {
		return e, nil
	}
	e.Edited = true
	if err := s.store.UpdateEntity(ctx, e); err != nil {
		return nil, err
	}
	s.forgetVocabulary()
	s.audit(ctx, actor, "edited entity", e.Slug, strings.Join(did, ", "))
	return e, nil
}

// MergeEntities makes entity from one with entity into: its names find
// into from then on, its articles name into, and its topic page
// redirects to into's. Merging an entity into itself is refused.
func (s *Service) MergeEntities(ctx context.Context, actor Actor, from, into string) (*entity.Entity, error) {
	if err := mayArrange(actor); err != nil {
		return nil, err
	}
	f, err := s.store.Entity(ctx, from)
	if err != nil {
		return nil, err
	}
	t, err := s.store.Entity(ctx, into)
	if err != nil {
		return nil, err
	}
	if f.ID == t.ID {
		return nil, &article.FieldError{Field: "into", Msg: fmt.Sprintf("%q is the entity being merged: name another to merge it into", into)}
	}
	if err := s.store.MergeEntities(ctx, f.ID, t.ID); err != nil {
		return nil, err
	}
	t.Edited = true
	if t.Initials == "" && f.Initials != "" {
		t.Initials = f.Initials
	}
	if err := s.store.UpdateEntity(ctx, t); err != nil {
		return nil, err
	}
	if _, err := s.store.AddRedirect(ctx, urls.Topic(f.Slug), urls.Topic(t.Slug)); err != nil {
		s.logger.Error("redirect a merged entity's topic page", "from", f.Slug, "to", t.Slug, "err", err)
	}
	s.forgetVocabulary()
	s.audit(ctx, actor, "merged entity", t.Slug, fmt.Sprintf("%q merged into it", f.Name))
	return s.store.Entity(ctx, t.Slug)
}

// SplitEntity gives one of an entity's names (by alias key) an entity of
// its own, undoing a merge or the machine's mistake, and finds the
// entities of the articles that named it again. The entity keeps its
// last name: splitting it is refused.
func (s *Service) SplitEntity(ctx context.Context, actor Actor, slug, key string) (*entity.Entity, error) {
	if err := mayArrange(actor); err != nil {
		return nil, err
	}
	e, aliases, err := s.Entity(ctx, slug)
	if err != nil {
		return nil, err
	}
	var alias *entity.Alias
	var keys []string
	for i := range aliases {
		keys = append(keys, aliases[i].Key)
		if aliases[i].Key == key {
			alias = &aliases[i]
		}
	}
	switch {
	case alias == nil:
		return nil, &article.FieldError{Field: "name", Msg: fmt.Sprintf("%q is not a name of %s; its names are %s", key, e.Name, strings.Join(keys, ", "))}
	case len(aliases) == 1:
		return nil, &article.FieldError{Field: "name", Msg: fmt.Sprintf("%q is the only name of %s: rename it instead", key, e.Name)}
	}
	kind, _, _ := strings.Cut(key, ":")
	own := &entity.Entity{Kind: entity.Kind(kind), Name: alias.Name, Country: e.Country, Edited: true}
	if own.Kind != entity.Person && own.Kind != entity.Organisation && own.Kind != entity.PlaceKind {
		own.Kind = e.Kind
	}
	base := article.Slugify(alias.Name)
	if base == "" {
		base = string(own.Kind)
	}
	for n := 1; ; n++ {
		own.Slug = base
		if n > 1 {
			own.Slug = fmt.Sprintf("%s-%d", base, n)
		}
		err = s.store.SplitEntity(ctx, key, own)
		if !errors.Is(err, store.ErrConflict) || n == 50 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	e.Edited = true
	if err := s.store.UpdateEntity(ctx, e); err != nil {
		return nil, err
	}
	s.forgetVocabulary()
	// The articles that named it: which of its names each wrote is found
	// again.
	err = s.store.EachArticle(ctx, store.ArticleQuery{EntityID: e.ID}, func(a *article.Article) error {
		return s.FindEntities(ctx, a)
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, actor, "split entity", e.Slug, fmt.Sprintf("%q split off as %s", alias.Name, own.Slug))
	return own, nil
}

// StorySoFar returns the story article a follows (a's own ID when it
// follows none) and its public articles, oldest first, a among them;
// none when a follows no story with other public articles.
func (s *Service) StorySoFar(ctx context.Context, a *article.Article) (int64, []*article.Article, error) {
	m, err := s.store.Stories(ctx, []int64{a.ID})
	if err != nil {
		return 0, nil, err
	}
	member, ok := m[a.ID]
	if !ok {
		return a.ID, nil, nil
	}
	if !member.Shared {
		return member.StoryID, nil, nil
	}
	as, err := s.store.Articles(ctx, store.ArticleQuery{StoryID: member.StoryID, PublicAt: s.now(), Limit: 50})
	if err != nil || len(as) < 2 {
		return member.StoryID, nil, err
	}
	// Oldest first, as a story is told.
	for i, j := 0, len(as)-1; i < j; i, j = i+1, j-1 {
		as[i], as[j] = as[j], as[i]
	}
	return member.StoryID, as, nil
}

// RemoveFromStory takes article a out of the story it follows, for good:
// it starts a story of its own, which the machine leaves be.
func (s *Service) RemoveFromStory(ctx context.Context, actor Actor, a *article.Article) error {
	if !actor.mayEdit(a.OwnerID) {
		return &Refusal{"Your role cannot change this article's story."}
	}
	if err := s.store.SetStories(ctx, []store.StoryMember{{ArticleID: a.ID, StoryID: a.ID, Fixed: true}}); err != nil {
		return err
	}
	s.audit(ctx, actor, "took article out of its story", a.Slug, "")
	return nil
}

// JoinStories puts article other's story into article a's: every
// article of both follows one story, as an editor decided.
func (s *Service) JoinStories(ctx context.Context, actor Actor, a, other *article.Article) error {
	if !actor.mayEdit(a.OwnerID) || !actor.mayEdit(other.OwnerID) {
		return &Refusal{"Your role cannot change these articles' stories."}
	}
	if a.ID == other.ID {
		return &article.FieldError{Field: "story", Msg: "an article is in its own story already: name another article"}
	}
	m, err := s.store.Stories(ctx, []int64{a.ID, other.ID})
	if err != nil {
		return err
	}
	storyOf := func(x *article.Article) (int64, error) {
		if member, ok := m[x.ID]; ok {
			return member.StoryID, nil
		}
		return x.ID, s.store.SetStories(ctx, []store.StoryMember{{ArticleID: x.ID, StoryID: x.ID, Fixed: true}})
	}
	into, err := storyOf(a)
	if err != nil {
		return err
	}
	from, err := storyOf(other)
	if err != nil {
		return err
	}
	if err := s.store.MergeStories(ctx, from, into); err != nil {
		return err
	}
	s.audit(ctx, actor, "joined stories", a.Slug, "with "+other.Slug)
	return nil
}
