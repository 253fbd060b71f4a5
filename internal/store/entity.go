package store

import (
	"context"
	"time"

	"github.com/datelinehq/dateline/internal/entity"
)

// EntityStore keeps the people, organisations and places the articles
// name, the names extraction gives them, which articles name them, and the
// stories articles are grouped in. Which entity an article names, and
// which story it follows, is the service's decision; the store keeps it.
type EntityStore interface {
	// EntityIDs returns the entities that hold the alias keys; a key no
	// entity holds is absent from the map.
	EntityIDs(ctx context.Context, keys []string) (map[string]int64, error)
	// CreateEntity stores a new entity with its first alias, and sets
	// e.ID. A slug or a key taken wraps ErrConflict; nothing is written
	// then.
	CreateEntity(ctx context.Context, e *entity.Entity, alias entity.Alias) error
	// CreateEntities stores new entities, each with its alias (aliases[i]
	// is es[i]'s), all in one transaction, and sets their IDs. Any slug
	// or key taken wraps ErrConflict; nothing is written then.
	CreateEntities(ctx context.Context, es []*entity.Entity, aliases []entity.Alias) error
	// UpdateEntity stores e's name, initials, description, Banned and
	// Edited (its slug, kind and country stay). A missing entity wraps
	// ErrNotFound.
	UpdateEntity(ctx context.Context, e *entity.Entity) error
	// Entity returns the entity of a slug, with Articles counting every
	// article that names it; a missing one wraps ErrNotFound.
	Entity(ctx context.Context, slug string) (*entity.Entity, error)
	// Entities lists entities, most named first (then by name).
	Entities(ctx context.Context, q EntityQuery) ([]entity.Entity, error)
	// Aliases lists an entity's aliases, by key; entityID 0 lists every
	// entity's.
	Aliases(ctx context.Context, entityID int64) ([]entity.Alias, error)
	// SplitEntity stores the new entity e and gives it the alias of key,
	// in one transaction, and sets e.ID. A missing alias wraps
	// ErrNotFound, a slug taken ErrConflict; nothing is written then.
	SplitEntity(ctx context.Context, key string, e *entity.Entity) error
	// MergeEntities moves from's aliases and article links to into (an
	// article naming both keeps the higher salience, and every mention)
	// and deletes from, in one transaction. A missing entity wraps
	// ErrNotFound.
	MergeEntities(ctx context.Context, from, into int64) error
	// SetArticleEntities replaces the links of each article in the
	// batch, in one transaction.
	SetArticleEntities(ctx context.Context, batch []ArticleLinks) error
	// ArticleEntities returns the links of the articles, with Entity set,
	// most salient first; banned entities are left out.
	ArticleEntities(ctx context.Context, articleIDs []int64) (map[int64][]entity.Link, error)
	// NamedEntities is ArticleEntities with what an article's page shows,
	// read for every page: no Mentions, and of each Entity only its ID,
	// Slug, Kind, Name and Country.
	NamedEntities(ctx context.Context, articleIDs []int64) (map[int64][]entity.Link, error)
	// EntityArticles returns the IDs of the articles that name each of
	// the entities, by entity, in ascending order: without the links'
	// mentions, for a question asked of the whole archive (which
	// articles are on which topic pages).
	EntityArticles(ctx context.Context, entityIDs []int64) (map[int64][]int64, error)
	// EntityLinks returns the links to the entities from articles
	// published between from and to (inclusive), with no Mentions: the
	// articles a new one may share a story with.
	EntityLinks(ctx context.Context, entityIDs []int64, from, to time.Time) ([]entity.Link, error)
	// RelatedEntities lists the entities named most often in the newest
	// recent articles that name the entity (public at the time publicAt),
	// with Articles the number of those articles, most first; banned ones
	// are left out.
	RelatedEntities(ctx context.Context, entityID int64, publicAt time.Time, recent, limit int) ([]entity.Entity, error)
	// DeleteUnusedEntities deletes the entities no article names and no
	// editor has edited, and says how many.
	DeleteUnusedEntities(ctx context.Context) (int, error)

	// SetStories records the story each article follows, in one
	// transaction.
	SetStories(ctx context.Context, stories []StoryMember) error
	// Stories returns the story memberships of the articles; an article
	// in none is absent.
	Stories(ctx context.Context, articleIDs []int64) (map[int64]StoryMember, error)
	// MergeStories moves every article of story from into story into,
	// as an editor's decision (Fixed).
	MergeStories(ctx context.Context, from, into int64) error
}

// ArticleLinks are the entities an article names.
type ArticleLinks struct {
	ArticleID int64
	Links     []entity.Link
}

// StoryMember says which story an article follows. A story is named by
// the ID of an article of it (its first, when the machine made it).
type StoryMember struct {
	ArticleID int64
	StoryID   int64
	// Fixed marks an editor's decision: the machine leaves it be.
	Fixed bool
	// Shared is set by Stories when another article, public or not,
	// follows the story too; SetStories ignores it.
	Shared bool
}

// EntityQuery filters a list of entities.
type EntityQuery struct {
	Kind entity.Kind // only this kind, when set
	// PublicAt, when set, counts only the articles readers may see at
	// that time, and leaves out banned entities.
	PublicAt time.Time
	// MinArticles keeps the entities that at least that many articles
	// name.
	MinArticles int
	// Slugs and IDs, when not empty, keep the entities with one of these.
	Slugs []string
	IDs   []int64
	// Name, when set, keeps the entities whose name or alias holds it
	// (case-insensitive).
	Name string
	// Initials, when set, keeps the organisations with these initials
	// ("TTP").
	Initials string
	// Uncounted leaves each entity's Articles zero, and lists by name,
	// instead of counting its links: a look-up that needs only the
	// entities (is a slug taken, what names does the site know, which
	// have a topic page) would otherwise count every link of a common
	// entity, which grows with the archive. MinArticles still keeps only
	// the entities that reach it; for a few (by slug, ID or initials) it
	// reads no more than that many links of each.
	Uncounted bool
	Limit     int // at most this many, when positive
	Offset    int
}
