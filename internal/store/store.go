// Package store defines where Dateline keeps its content: the Store
// interface that the sqlite and postgres backends implement, the filters
// its queries take, and the errors they report. It imports no database
// driver; the command line picks a backend by DSN.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
)

var (
	// ErrNotFound is wrapped by errors for a record that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is wrapped by errors for a write that clashes with what
	// is stored: a slug already taken, or an update made from a stale
	// version.
	ErrConflict = errors.New("conflict")
	// ErrSchema is wrapped by errors for a database whose schema this
	// binary cannot use: newer than it knows, or from another program.
	ErrSchema = errors.New("unsupported schema")
)

// Store is all of Dateline's persistent state behind one interface.
type Store interface {
	ArticleStore
	CommentStore
	SettingsStore
	// Close releases the database connections.
	Close() error
}

// CommentStore keeps readers' comments, their moderation and what the spam
// classifier learned from it. Every method is atomic, and keeps each
// article's count of approved comments exact.
type CommentStore interface {
	// CreateComment stores a new comment and sets c.ID and c.CreatedAt.
	// The form token's nonce is recorded until expires; a nonce used
	// before wraps comment.ErrTokenUsed, the same text from the same
	// email on the same article wraps comment.ErrDuplicate, and a parent
	// that is not a visible comment of the same article wraps
	// ErrNotFound. Nothing is written then.
	CreateComment(ctx context.Context, c *comment.Comment, nonce string, expires time.Time) error

	// Comment returns a comment by ID, or an error wrapping ErrNotFound.
	Comment(ctx context.Context, id int64) (*comment.Comment, error)

	// Comments lists comments matching q: oldest first for one article,
	// newest first otherwise.
	Comments(ctx context.Context, q CommentQuery) ([]*comment.Comment, error)

	// ModerateComment puts comment id in state. When that is a decision
	// the spam classifier learns from (approved: ham, spam: spam), the
	// counts of tokens move from what it learned from this comment before
	// to the new label. A missing comment wraps ErrNotFound.
	ModerateComment(ctx context.Context, id int64, state comment.State, tokens []string) error

	// DeleteComment deletes a comment for good; its replies move up to its
	// parent. A missing comment wraps ErrNotFound.
	DeleteComment(ctx context.Context, id int64) error

	// PurgeCommenter deletes (when remove is set) or anonymises every
	// comment with this email address, for a data-protection request, and
	// says how many there were.
	PurgeCommenter(ctx context.Context, email string, remove bool) (int, error)

	// HasApprovedComment reports whether this name and email have an
	// approved comment.
	HasApprovedComment(ctx context.Context, author, email string) (bool, error)

	// SpamModel returns what the classifier learned, for these tokens.
	SpamModel(ctx context.Context, tokens []string) (comment.Model, error)

	// SetCommentsClosed opens or closes comments on an article. A missing
	// article wraps ErrNotFound.
	SetCommentsClosed(ctx context.Context, slug string, closed bool) error
}

// CommentQuery filters a list of comments. The zero value lists every
// comment.
type CommentQuery struct {
	ArticleID int64
	State     comment.State // only this state, when set
	// VisibleTo, with ArticleID, lists what one reader sees: approved
	// comments and that reader's own pending ones (by commenter key
	// hash).
	VisibleTo string
	Email     string // only this commenter's, when set
	Limit     int
	Offset    int
}

// SettingsStore keeps the site's settings, shared by every node.
type SettingsStore interface {
	// CommentSettings returns the comment policy, or the defaults.
	CommentSettings(ctx context.Context) (comment.Settings, error)
	// SaveCommentSettings replaces the comment policy.
	SaveCommentSettings(ctx context.Context, s comment.Settings) error
	// Secret returns the site's signing secret, made on first use.
	Secret(ctx context.Context) ([]byte, error)
}

// ArticleStore keeps articles, their authors, tags and revisions. Every
// method is atomic: it writes all of its change or none of it.
type ArticleStore interface {
	// CreateArticle stores a new article with its author and tags (which
	// are created when missing) and sets a.ID, a.Version, a.CreatedAt and
	// a.UpdatedAt. A taken slug or source wraps ErrConflict.
	CreateArticle(ctx context.Context, a *article.Article) error

	// UpdateArticle replaces the stored article a.ID with a, first keeping
	// the stored version as a revision labelled note. a.Version must be the
	// version the change started from, else the error wraps ErrConflict and
	// nothing is written; on success a.Version and a.UpdatedAt advance.
	// A missing article wraps ErrNotFound.
	UpdateArticle(ctx context.Context, a *article.Article, note string) error

	// Article returns the article with the given slug, or an error
	// wrapping ErrNotFound.
	Article(ctx context.Context, slug string) (*article.Article, error)

	// ArticleBySource returns the article imported from source, or an
	// error wrapping ErrNotFound.
	ArticleBySource(ctx context.Context, source string) (*article.Article, error)

	// Articles lists articles matching q, newest first.
	Articles(ctx context.Context, q ArticleQuery) ([]*article.Article, error)

	// DeleteArticle deletes the article with the given slug and its
	// revisions. A missing article wraps ErrNotFound.
	DeleteArticle(ctx context.Context, slug string) error

	// Revisions lists the kept earlier versions of an article, oldest
	// first. Their Body is left empty; Revision returns one whole.
	Revisions(ctx context.Context, articleID int64) ([]article.Revision, error)

	// Revision returns revision number n of an article, or an error
	// wrapping ErrNotFound.
	Revision(ctx context.Context, articleID int64, n int) (*article.Revision, error)

	// CountArticles counts the articles matching q, ignoring its Limit
	// and Offset.
	CountArticles(ctx context.Context, q ArticleQuery) (int, error)

	// PublicArticlesByTitle returns the articles public at time at whose
	// titles equal one of titles, compared by article.TitleKey, in no
	// particular order.
	PublicArticlesByTitle(ctx context.Context, titles []string, at time.Time) ([]*article.Article, error)

	// Tag returns the tag with the given slug, or an error wrapping
	// ErrNotFound.
	Tag(ctx context.Context, slug string) (*article.Tag, error)

	// Author returns the author with the given slug, or an error wrapping
	// ErrNotFound.
	Author(ctx context.Context, slug string) (*article.Author, error)

	// AddViews adds page views, counted by article ID, to each article's
	// total and to its count for the given day (UTC). Unknown IDs (an
	// article deleted meanwhile) are skipped.
	AddViews(ctx context.Context, day time.Time, views map[int64]int64) error
}

// ArticleQuery filters and pages a list of articles. The zero value lists
// every article.
type ArticleQuery struct {
	Status article.Status // only this status, when set
	// PublicAt, when set, keeps only the articles readers may see at that
	// time: published, or scheduled for a time not after it. They are
	// then ordered by publication time.
	PublicAt   time.Time
	TagSlug    string // only articles with this tag, when set
	AuthorSlug string // only articles by this author, when set
	Limit      int    // at most this many, when positive
	Offset     int
}
