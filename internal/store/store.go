// Package store defines where Dateline keeps its content: the Store
// interface that the sqlite and postgres backends implement, the filters
// its queries take, and the errors they report. It imports no database
// driver; the command line picks a backend by DSN.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/search"
)

var (
	// ErrNotFound is wrapped by errors for a record that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is wrapped by errors for a write that clashes with what
	// is stored: a slug already taken, or an update made from a stale
	// version.
	ErrConflict = errors.New("conflict")
	// ErrSchema is wrapped by errors for a database whose schema this
	// binary cannot use: newer than it knows, or from another program,
	// or (for a store opened ReadOnly) older than it needs.
	ErrSchema = errors.New("unsupported schema")
	// ErrUnavailable is wrapped by errors from a database that could not
	// be reached or was busy past the store's wait: the request may
	// succeed when tried again (a reader gets 503 with Retry-After).
	ErrUnavailable = errors.New("the database is unavailable")
	// ErrNoDatabase is wrapped by errors from opening ReadOnly a database
	// that does not exist or holds no Dateline schema: a read-only store
	// creates nothing.
	ErrNoDatabase = errors.New("no database")
)

// Options configures a backend as it opens.
type Options struct {
	// Now is the clock for every time the store records or compares
	// against (creation and update times, expired form tokens, sessions,
	// the audit log). It is the caller's clock, so that the store and the
	// code above it never disagree about the time. Required.
	Now func() time.Time
	// ReadOnly opens the database only to read it, for commands that only
	// read: nothing is created or migrated, so a missing database wraps
	// ErrNoDatabase and a schema older than this binary's wraps ErrSchema,
	// and every write fails. An SQLite file that the process may read but
	// not write, or in a directory it may not write, can still be read.
	ReadOnly bool
}

// Check reports an unusable set of options.
func (o Options) Check() error {
	if o.Now == nil {
		return errors.New("store options: no clock (Options.Now is nil)")
	}
	return nil
}

// Store is all of Dateline's persistent state behind one interface.
type Store interface {
	ArticleStore
	CommentStore
	SettingsStore
	RedirectStore
	UserStore
	ViewStats
	MediaStore
	SectionStore
	FrontPageStore
	WordVectorStore
	EntityStore
	Searcher
	// WatchChanges calls changed after writes that other connections
	// (this process's writes among them) commit, until ctx is done; it
	// returns nil then, or the error that ended the watch. Calls may be
	// several for one write, never none: SQLite polls PRAGMA data_version
	// (ChangePoll) and cannot say what changed (table is ""), PostgreSQL
	// listens to the notices the writes of articles, comments, settings
	// and the rest readers see send, each naming the table written.
	WatchChanges(ctx context.Context, changed func(table string)) error
	// Changes reads the change journal: the entries after ID after, in
	// order, at most limit of them. Every write a reader sees adds
	// entries when it commits (triggers of the database), so that a
	// follower learns what changed, and catches up with what it missed.
	// On PostgreSQL an entry may commit after one with a higher ID. An
	// error wrapping ErrChangesPruned says that entries after after are
	// gone (PruneChanges): the follower missed them.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
	// LastChange is the journal's newest entry's ID, 0 for none: where a
	// follower starts.
	LastChange(ctx context.Context) (int64, error)
	// PruneChanges keeps the newest keep entries of the journal and
	// deletes the rest.
	PruneChanges(ctx context.Context, keep int64) error
	// Ready returns nil when the database answers and holds the schema
	// this binary knows, and otherwise the reason (wrapping ErrSchema for
	// a schema another version migrated): a load balancer's readiness.
	Ready(ctx context.Context) error
	// Pool describes the database connections as they are now.
	Pool() PoolStats
	// Close releases the database connections.
	Close() error
}

// ErrChangesPruned says that journal entries a follower asked for were
// pruned before it read them.
var ErrChangesPruned = errors.New("the change journal no longer holds the entries asked for")

// Change is an entry of the change journal: a row written that readers
// see.
type Change struct {
	ID    int64
	Table string // the table written: "articles", "comments", "settings"...
	// Row is the article for the articles table and for the rows that
	// belong to an article (article_tags, article_media, comments); the
	// author, tag or section for those tables; 0 for site-wide tables.
	Row int64
	// Listing marks an article write that can change the listings it is
	// on: a new or deleted article, a change of its status, publication
	// time, kind, address, section, author or tags.
	Listing bool
}

// PoolStats describes a store's database connections, for metrics.
type PoolStats struct {
	Max   int // the most the store opens (0: no limit)
	Open  int // open now
	InUse int // serving a statement now
	// Waits counts the times a statement waited for a connection, and
	// Waited is how long they waited in all.
	Waits  int64
	Waited time.Duration
}

// ChangePoll is how often a store that polls for changes (SQLite) looks.
const ChangePoll = 200 * time.Millisecond

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

	// CountComments counts the comments matching q, ignoring its Limit
	// and Offset.
	CountComments(ctx context.Context, q CommentQuery) (int, error)

	// ModerateComments applies a batch of moderation decisions, in order,
	// in one transaction: all of them or none. A decision that names a
	// missing comment (or one an earlier decision of the batch deleted)
	// fails the batch with an error that names the comment and wraps
	// ErrNotFound; nothing is written then.
	//
	// A decision that puts a comment in a state the spam classifier
	// learns from (approved: ham, spam: spam) moves the counts of its
	// Tokens from what the classifier learned from that comment before to
	// the new label; pending and trash teach nothing and unlearn nothing.
	// A deleted comment's replies move up to its parent; what the
	// classifier learned from it stays.
	ModerateComments(ctx context.Context, ds []CommentDecision) error

	// ModerateComment puts comment id in state: a batch of one decision
	// (see ModerateComments). A missing comment wraps ErrNotFound.
	ModerateComment(ctx context.Context, id int64, state comment.State, tokens []string) error

	// DeleteComment deletes a comment for good: a batch of one decision
	// (see ModerateComments). A missing comment wraps ErrNotFound.
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

	// ImportComments stores comments moved in from another platform, on
	// the articles of sets, in one transaction. Each comment is keyed by
	// its Source on its article: one stored from the same source before
	// is brought up to date, the others are created with their own dates
	// and states. A reply finds its parent by ParentSource among the
	// article's imported comments; one whose parent is not there is
	// stored as a comment on the article. It returns how many were
	// created and how many changed; a missing article wraps ErrNotFound,
	// and then nothing is stored.
	ImportComments(ctx context.Context, sets []CommentSet) (created, updated int, err error)

	// SetCommentsClosed opens or closes comments on an article. A missing
	// article wraps ErrNotFound.
	SetCommentsClosed(ctx context.Context, slug string, closed bool) error
}

// CommentSet is the comments moved in for one article.
type CommentSet struct {
	ArticleID int64
	Comments  []ImportedComment
}

// ImportedComment is a comment brought from another platform, with its
// ID there (Source) and the ID there of the comment it replies to
// (ParentSource, "" for none). Comment.ID, ArticleID and ParentID are
// ignored.
type ImportedComment struct {
	comment.Comment
	Source       string
	ParentSource string
}

// CommentDecision is one decision of a ModerateComments batch: put the
// comment in State or, with Delete, delete it for good.
type CommentDecision struct {
	ID     int64
	State  comment.State // ignored with Delete
	Delete bool
	// Tokens are the comment's words for the spam classifier, as
	// comment.Tokens gives them; ignored with Delete.
	Tokens []string
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
	// Text, when set, keeps the comments whose text, author name or
	// email contains it, without case.
	Text   string
	Limit  int
	Offset int
}

// SettingsStore keeps the site's settings, shared by every node.
type SettingsStore interface {
	// CommentSettings returns the comment policy, or the defaults.
	CommentSettings(ctx context.Context) (comment.Settings, error)
	// SaveCommentSettings replaces the comment policy.
	SaveCommentSettings(ctx context.Context, s comment.Settings) error
	// Secret returns the site's signing secret, made on first use.
	Secret(ctx context.Context) ([]byte, error)
	// SiteSettings returns what the admin set of the site, or the zero
	// value; SaveSiteSettings replaces it.
	SiteSettings(ctx context.Context) (SiteSettings, error)
	SaveSiteSettings(ctx context.Context, s SiteSettings) error
	// Menu returns the items of a menu (HeaderMenu or FooterMenu) in
	// order, and whether it was ever saved (a site that never arranged
	// its header menu shows its sections).
	Menu(ctx context.Context, name string) (items []MenuItem, saved bool, err error)
	// SaveMenu replaces a menu's items.
	SaveMenu(ctx context.Context, name string, items []MenuItem) error
}

// AnyPage is the ArticleQuery.Kind of pages of every kind.
const AnyPage article.Kind = "any page"

// The site's menus.
const (
	HeaderMenu = "header"
	FooterMenu = "footer"
)

// MenuItem is a link of a menu: to a section's front page, to a page (an
// article by slug), or to any address.
type MenuItem struct {
	Label  string `json:"label"`
	Kind   string `json:"kind"`   // MenuSection, MenuPage or MenuLink
	Target string `json:"target"` // a section's or page's slug, or an address
}

// The kinds of menu item.
const (
	MenuSection = "section"
	MenuPage    = "page"
	MenuLink    = "link"
)

// SiteSettings is what an administrator sets of the site in the admin.
// An empty field leaves the server's configuration (flags, environment)
// in force.
type SiteSettings struct {
	Title       string
	Description string
	LogoURL     string
	TimeZone    string // an IANA name, e.g. "Asia/Karachi"
	Language    string // a BCP 47 tag, e.g. "en"
	// PublishingPrinciples and CorrectionsPolicy are the slugs of the
	// pages that state them, for the publisher's structured data.
	PublishingPrinciples string
	CorrectionsPolicy    string
	// TopicMinArticles is how many public articles must name an entity
	// before it has a topic page, as a whole number ("" for the
	// newsroom's default).
	TopicMinArticles string
}

// ArticleStore keeps articles, their authors, tags and revisions. Every
// method is atomic: it writes all of its change or none of it.
type ArticleStore interface {
	// CreateArticle stores a new article with its author and tags (which
	// are created when missing), comments closed when a.CommentsClosed,
	// and sets a.ID, a.Version, a.CreatedAt and a.UpdatedAt. A taken slug or source wraps ErrConflict.
	CreateArticle(ctx context.Context, a *article.Article) error

	// UpdateArticle replaces the stored article a.ID with a, first keeping
	// the stored version as a revision labelled note. a.Version must be the
	// version the change started from, else the error wraps ErrConflict and
	// nothing is written; on success a.Version and a.UpdatedAt advance.
	// A missing article wraps ErrNotFound.
	UpdateArticle(ctx context.Context, a *article.Article, note string) error

	// SaveArticles writes a batch of articles in one transaction, as
	// CreateArticle (ID 0) or UpdateArticle (with Note) would each, every
	// one in a savepoint of its own: one that fails leaves nothing of its
	// own and does not stop the others. It returns one error per write,
	// nil for those stored. When the batch itself fails (the returned
	// error), nothing is stored and new articles' IDs are reset to 0.
	SaveArticles(ctx context.Context, ws []ArticleWrite) ([]error, error)

	// Article returns the article with the given slug, or an error
	// wrapping ErrNotFound.
	Article(ctx context.Context, slug string) (*article.Article, error)

	// ArticleByID returns the article with the given ID, whole as Article
	// returns it, or an error wrapping ErrNotFound.
	ArticleByID(ctx context.Context, id int64) (*article.Article, error)

	// ArticleBySource returns the article imported from source, or an
	// error wrapping ErrNotFound.
	ArticleBySource(ctx context.Context, source string) (*article.Article, error)

	// Articles lists articles matching q, newest first, with their
	// authors and tags; their bodies and requested links only when
	// q.Whole is set.
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

	// EachArticle calls fn with every article matching q, whole (with
	// body, tags and requested links), one at a time, so that an archive
	// of any size can be walked without holding it in memory.
	// An error from fn stops the walk and is returned.
	EachArticle(ctx context.Context, q ArticleQuery, fn func(*article.Article) error) error

	// ArticleVersions lists the ID and version of each article matching
	// q, in the order Articles gives, and reads nothing else of them: a
	// copy of the articles (the linking index) tells from it which of its
	// entries are new, changed or gone without loading any body.
	ArticleVersions(ctx context.Context, q ArticleQuery) ([]ArticleVersion, error)

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

	// Author returns the author with the given slug, with the profile,
	// or an error wrapping ErrNotFound.
	Author(ctx context.Context, slug string) (*article.Author, error)

	// Authors lists every author by name, with the profile.
	Authors(ctx context.Context) ([]*article.Author, error)

	// UpdateAuthor replaces the name, bio and profile of author au.ID. A
	// missing author or photo wraps ErrNotFound.
	UpdateAuthor(ctx context.Context, au *article.Author) error

	// AddViews adds page views, counted by article ID, to each article's
	// total and to its count for the given day (UTC). Unknown IDs (an
	// article deleted meanwhile) are skipped.
	AddViews(ctx context.Context, day time.Time, views map[int64]int64) error
}

// SectionStore keeps the newspaper's sections. A section's slug is the
// address of its front page, so it may not be an article's slug as well:
// writing a section whose slug an article has wraps ErrConflict.
type SectionStore interface {
	// Sections lists every section in order, each with its count of
	// articles.
	Sections(ctx context.Context) ([]article.Section, error)
	// Section returns a section by slug, or an error wrapping ErrNotFound.
	Section(ctx context.Context, slug string) (*article.Section, error)
	// CreateSection stores a new section, last in order, and sets s.ID
	// and s.Position. A taken slug wraps ErrConflict.
	CreateSection(ctx context.Context, s *article.Section) error
	// UpdateSection replaces the name, slug and description of section
	// s.ID; a new slug redirects the old front page's address to the new
	// one. A missing section wraps ErrNotFound, a taken slug ErrConflict.
	UpdateSection(ctx context.Context, s *article.Section) error
	// OrderSections puts the sections in the order of ids, which must
	// name every section once (else the error wraps ErrConflict).
	OrderSections(ctx context.Context, ids []int64) error
	// DeleteSection deletes a section. Its articles move to the section
	// moveTo (a slug) when given; without it, a section that has articles
	// wraps ErrConflict and names their count. Nothing is written then.
	DeleteSection(ctx context.Context, slug, moveTo string) error
}

// FrontPageStore keeps the stories editors pin to the front page.
type FrontPageStore interface {
	// Pins lists the pinned articles' IDs in order: the lead first.
	Pins(ctx context.Context) ([]int64, error)
	// SetPins replaces the pins with ids, in order. An ID that is not an
	// article's wraps ErrNotFound, one given twice ErrConflict; nothing
	// is written then.
	SetPins(ctx context.Context, ids []int64) error
}

// ArticleVersion names one stored version of an article. Every write of
// the article's content (UpdateArticle, SaveArticles) gives it a new
// Version; counters (views, comments) do not.
type ArticleVersion struct {
	ID      int64
	Version int
}

// MediaStore keeps the photo library's items (their bytes live in a
// media.Storage).
type MediaStore interface {
	// AddMedia stores a new item and sets it.ID and it.CreatedAt, or,
	// when an item with the same hash is stored already, sets it to that
	// one and reports created false: the same bytes are one item.
	AddMedia(ctx context.Context, it *media.Item) (created bool, err error)
	// MediaItem returns an item by ID, or an error wrapping ErrNotFound.
	MediaItem(ctx context.Context, id int64) (*media.Item, error)
	// MediaByHash returns an item by the hash of its bytes, or an error
	// wrapping ErrNotFound.
	MediaByHash(ctx context.Context, hash string) (*media.Item, error)
	// MediaItems lists items, newest first.
	MediaItems(ctx context.Context, q MediaQuery) ([]*media.Item, error)
	// CountMedia counts the items matching q, ignoring Limit and Offset.
	CountMedia(ctx context.Context, q MediaQuery) (int, error)
	// UpdateMediaInfo replaces an item's alt text, caption and credit. A
	// missing item wraps ErrNotFound.
	UpdateMediaInfo(ctx context.Context, id int64, info media.Info) error
	// SetMediaVariants records an attempt at making an item's variants:
	// those made, the state it left the item in and, for a failure, why.
	SetMediaVariants(ctx context.Context, id int64, vs []media.Variant, state media.State, reason string) error
	// MediaUsers lists the slugs of the articles that use an item, as
	// featured image or in their body, and "author/{slug}" for an
	// author whose profile shows it.
	MediaUsers(ctx context.Context, id int64) ([]string, error)
	// DeleteMedia deletes an item no article uses; one that an article
	// uses wraps ErrConflict and names the articles, and a missing one
	// wraps ErrNotFound. Its files are the caller's to delete.
	DeleteMedia(ctx context.Context, id int64) error
}

// MediaQuery filters and pages the photo library. The zero value lists
// every item.
type MediaQuery struct {
	// Text keeps the items whose alt text, caption, credit or file name
	// contains it, without case, when set.
	Text   string
	State  media.State // only items in this state, when set
	IDs    []int64     // only these items, when not empty
	Limit  int         // at most this many, when positive
	Offset int
}

// ArticleWrite is one article of a SaveArticles batch: created when its
// ID is 0, else updated with Note as the kept revision's label.
type ArticleWrite struct {
	Article *article.Article
	Note    string
}

// ArticleQuery filters and pages a list of articles. The zero value lists
// every article.
type ArticleQuery struct {
	Status article.Status // only this status, when set
	// PublicAt, when set, keeps only the articles readers may see at that
	// time: published, or scheduled for a time not after it. They are
	// then ordered by publication time.
	PublicAt    time.Time
	TagSlug     string // only articles with this tag, when set
	AuthorSlug  string // only articles by this author, when set
	SectionSlug string // only articles of this section, when set
	EntityID    int64  // only articles naming this entity, when set
	StoryID     int64  // only articles of this story, when set
	// Kind keeps only the articles of that kind (article.Story for the
	// stories the listings show, AnyPage for pages of any kind), when
	// set.
	Kind    article.Kind
	OwnerID int64 // only articles owned by this user, when set
	// Slugs, Sources and IDs, when not empty, keep the articles with one
	// of these slugs, imported from one of these sources, and with one of
	// these IDs.
	Slugs   []string
	Sources []string
	IDs     []int64
	Limit   int // at most this many, when positive
	Offset  int
	// Whole lists each article whole, as Article returns it: with its
	// body and requested links, loaded for the whole list at once rather
	// than article by article. Lists that show no body leave it unset.
	Whole bool
}

// RedirectStore keeps the site's permanent redirects: old addresses that
// answer 301 with a new one. Redirects never chain: every target is an
// address that is not itself redirected, so readers and crawlers reach
// the page in one hop. Paths are kept in the form CleanRedirectPath gives.
type RedirectStore interface {
	// AddRedirect makes from redirect to to (a path on the site, or an
	// absolute http or https URL), replacing a redirect from there made
	// before, and returns what it stored. When to is itself redirected,
	// the new redirect goes straight to that target; redirects that led
	// to from now lead to the new target too. A redirect that would come
	// back to from, or one from the address of an article, wraps
	// ErrConflict; nothing is written then.
	AddRedirect(ctx context.Context, from, to string) (Redirect, error)

	// AddRedirects adds many redirects as AddRedirect does, in one
	// transaction, in order (a later one sees those before it). It
	// returns one error per redirect, nil for those stored; one that
	// fails is skipped and the others are stored. The error is for a
	// batch that could not be stored at all, when nothing was.
	AddRedirects(ctx context.Context, rs []Redirect) ([]error, error)

	// Redirect returns where path redirects to, or an error wrapping
	// ErrNotFound.
	Redirect(ctx context.Context, path string) (string, error)

	// Redirects lists every redirect, by the address it is from.
	Redirects(ctx context.Context) ([]Redirect, error)

	// DeleteRedirect deletes the redirect from a path. A missing redirect
	// wraps ErrNotFound.
	DeleteRedirect(ctx context.Context, from string) error
}

// Redirect sends readers from an old address to a new one.
type Redirect struct {
	From      string // a path on the site
	To        string // a path on the site, or an absolute http(s) URL
	CreatedAt time.Time
}

// maxRedirectPath bounds a redirect's path, like the longest address the
// site answers.
const maxRedirectPath = 1024

// WordPressQueryAddress matches WordPress's "plain" permalinks, /?p=123
// and /?page_id=45: the only addresses with a query that a redirect may
// be from, so that a site moved in from WordPress keeps them.
var WordPressQueryAddress = regexp.MustCompile(`^/\?(?:p|page_id)=[1-9][0-9]{0,18}$`)

// CleanRedirectPath returns p in the one form redirects are stored and
// looked up in: a site-absolute path (starting with "/", without scheme,
// host, query or fragment, without empty, "." or ".." segments), escaped
// the way net/url escapes a path, and ending in a slash unless its last
// segment has a file extension (as /feed.xml does; /feed.xml/ is taken
// for it), or a WordPress query address (WordPressQueryAddress). The
// error says what
// is wrong, in words for whoever typed p.
func CleanRedirectPath(p string) (string, error) {
	p = strings.TrimSpace(p)
	switch {
	case p == "":
		return "", errors.New("the path is empty")
	case strings.HasPrefix(p, "//") || strings.Contains(p, "://"):
		return "", fmt.Errorf("%q is not a path on this site: give it without scheme or host, such as /old-slug/", p)
	case !strings.HasPrefix(p, "/"):
		return "", fmt.Errorf("%q is not a site-absolute path: it must start with /, such as /old-slug/", p)
	case WordPressQueryAddress.MatchString(p):
		return p, nil
	case strings.ContainsAny(p, "?#"):
		return "", fmt.Errorf("%q has a query or fragment; give the path alone", p)
	case len(p) > maxRedirectPath:
		return "", fmt.Errorf("the path is %d bytes long, more than %d", len(p), maxRedirectPath)
	}
	decoded, err := url.PathUnescape(p)
	if err != nil {
		return "", fmt.Errorf("%q has a %% that is not a percent-escape such as %%20", p)
	}
	if !utf8.ValidString(decoded) || strings.IndexFunc(decoded, func(r rune) bool { return unicode.IsControl(r) || r == '\\' }) >= 0 {
		return "", fmt.Errorf("%q holds control characters, a backslash or invalid UTF-8", p)
	}
	segments := strings.Split(decoded[1:], "/")
	for i, seg := range segments {
		switch {
		case seg == "." || seg == "..":
			return "", fmt.Errorf("%q has a . or .. segment; give the path as readers see it", p)
		case seg == "" && i < len(segments)-1:
			return "", fmt.Errorf("%q has an empty segment (//)", p)
		}
	}
	switch last := segments[len(segments)-1]; {
	case last == "" && len(segments) > 1 && hasFileExtension(segments[len(segments)-2]):
		// The site adds a slash to an address of one segment before it
		// finds it missing: /old.html/ is /old.html.
		decoded = strings.TrimSuffix(decoded, "/")
	case last != "" && !hasFileExtension(last):
		decoded += "/"
	}
	return (&url.URL{Path: decoded}).EscapedPath(), nil
}

// hasFileExtension reports whether a path segment ends in an extension
// such as .xml or .json: a dot and up to eight letters and digits, at
// least one of them a letter. Slugs have no dots.
func hasFileExtension(seg string) bool {
	ext := path.Ext(seg)
	if len(ext) < 2 || len(ext) > 9 || len(ext) == len(seg) {
		return false
	}
	letter := false
	for _, r := range ext[1:] {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letter = true
		case r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return letter
}

// CleanRedirectTarget returns where a redirect may lead in its stored
// form: a path on the site as CleanRedirectPath gives it, or an absolute
// http or https URL to another site (kept as written, query and fragment
// included).
func CleanRedirectTarget(to string) (string, error) {
	to = strings.TrimSpace(to)
	if !IsExternalRedirect(to) {
		return CleanRedirectPath(to)
	}
	u, err := url.Parse(to)
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not a valid URL", to)
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("%q names no host", to)
	case u.User != nil:
		return "", fmt.Errorf("%q carries a user name or password", to)
	case len(to) > maxRedirectPath:
		return "", fmt.Errorf("the URL is %d bytes long, more than %d", len(to), maxRedirectPath)
	case strings.IndexFunc(to, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0:
		return "", fmt.Errorf("%q holds spaces or control characters", to)
	}
	return u.String(), nil
}

// IsExternalRedirect reports whether a redirect target is an absolute URL
// rather than a path on the site.
func IsExternalRedirect(to string) bool {
	lower := strings.ToLower(to)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// WordVectors is a set of word vectors trained on the site's archive for
// the linking engine (see wordvec.Train), with what it was trained on.
type WordVectors struct {
	// Language is the base language (a BCP 47 primary tag such as "en")
	// of the articles trained on.
	Language  string
	Articles  int   // articles read
	Words     int64 // words read
	TrainedAt time.Time
	Data      []byte // the table, as wordvec.Table.MarshalBinary writes it
}

// WordVectorStore keeps the word vectors trained on the site's archive,
// one set a language.
type WordVectorStore interface {
	// WordVectors returns the set for language; none wraps ErrNotFound.
	WordVectors(ctx context.Context, language string) (WordVectors, error)
	// SaveWordVectors replaces the set for v.Language, all at once, and
	// sets v.TrainedAt.
	SaveWordVectors(ctx context.Context, v *WordVectors) error
}

// Searcher finds articles by their text with the database's own
// full-text engine, kept in step with the articles by the statements
// that write them.
type Searcher interface {
	// SearchArticles returns the page of articles matching q that o
	// chooses, best first (an exact phrase of the query's words first,
	// then by relevance, title and standfirst above tags above body, with
	// a gentle lift for recent stories), each with a snippet, and how many
	// match in all. A query with nothing to find (see search.Query.Empty)
	// finds nothing.
	SearchArticles(ctx context.Context, q search.Query, o search.Options) (search.Results, error)
	// SearchWords lists up to limit words of the search index that begin
	// with prefix, as the index keeps them (stemmed), for "did you mean".
	SearchWords(ctx context.Context, prefix string, limit int) ([]string, error)
	// ReindexSearch builds the search index again from the articles, for
	// upgrades and repairs (the writes keep it in step otherwise), in one
	// transaction, telling progress (when not nil) how many articles of
	// how many it has done.
	ReindexSearch(ctx context.Context, progress func(done, total int)) error
}
