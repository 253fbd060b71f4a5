// Package site is the shape of a whole site moved into Dateline from
// another platform (WordPress, Ghost, Hugo), whatever its format: its
// authors, categories and tags, posts and pages with their comments, and
// its images. Each format's reader (importer/wordpress, ...) streams a
// site to a Visitor in these types, keeping every key the source gave, so
// that importing the same export again finds what it imported before.
// Nothing here knows Dateline's store: the importer maps these parts to
// articles, sections, authors and comments.
package site

import "time"

// Site describes the exported site as a whole.
type Site struct {
	Title       string
	Description string
	// URL is the site's address as the export gives it, such as
	// "https://example.com"; old addresses are resolved against it.
	URL      string
	Language string
	// Generator names the platform and version that made the export,
	// such as "WordPress 6.4" or "Ghost 5.82", when it says.
	Generator string
}

// Author is a person the export credits.
type Author struct {
	// Key is how the export's items name the author (a WordPress login,
	// a Ghost user ID, a Hugo author name).
	Key   string
	Name  string // as bylines show it
	Email string // private: never shown to readers
	Bio   string
	URL   string // the author's own website, or ""
	// Slug is the author's address on the old site, or "".
	Slug string
	// Photo is the address of the author's picture on the old site, or "".
	Photo string
	// Links are the author's profiles elsewhere (website, social).
	Links []Link
}

// Link is a labelled address on an author's profile.
type Link struct {
	Label string
	URL   string
}

// TermKind tells a category from a tag.
type TermKind string

// The kinds of term.
const (
	Category TermKind = "category"
	Tag      TermKind = "tag"
)

// Term is a category or a tag.
type Term struct {
	Kind TermKind
	// Key is how items name the term: the slug for WordPress ("nicename"),
	// the tag ID or slug for Ghost.
	Key         string
	Name        string
	Slug        string
	Description string
	// Parent is the key of the parent category, or "".
	Parent string
}

// ItemKind tells a post from a page.
type ItemKind string

// The kinds of item.
const (
	Post ItemKind = "post"
	Page ItemKind = "page"
)

// Status is an item's state on the old site, in WordPress's words, which
// Ghost's and Hugo's map onto.
type Status string

// The statuses of an item.
const (
	Publish Status = "publish"
	Draft   Status = "draft"
	Future  Status = "future" // scheduled
	Pending Status = "pending"
	Private Status = "private"
	Trash   Status = "trash"
)

// ContentFormat says how an item's Content is written.
type ContentFormat string

// The content formats readers give.
const (
	HTML ContentFormat = "html" // HTML, with Gutenberg block comments and shortcodes for WordPress
	// StrictHTML is HTML as browsers read it: no paragraphs made of blank
	// lines, no shortcodes (Ghost's).
	StrictHTML ContentFormat = "strict-html"
	Markdown   ContentFormat = "markdown"
)

// Item is a post or a page.
type Item struct {
	Kind ItemKind
	// SourceID identifies the item within its export: WordPress's post
	// ID, Ghost's post ID, a Hugo file's path below content/.
	SourceID string
	Title    string
	Slug     string
	Status   Status
	// Date is when the item was (or is to be) published, in UTC; zero
	// for a draft never given a date.
	Date     time.Time
	Modified time.Time
	// Authors are the keys of the item's authors, first the main one.
	Authors []string
	// Categories and Tags are term keys in the order the export gives.
	Categories []string
	Tags       []string
	Excerpt    string
	Content    string
	Format     ContentFormat
	// MetaTitle, MetaDescription and FocusKeyphrase come from an SEO
	// plugin (Yoast, Rank Math) or Ghost's own fields; "" when unset.
	MetaTitle       string
	MetaDescription string
	FocusKeyphrase  string
	// Sticky items are the ones the old site kept on top of its front
	// page.
	Sticky bool
	// FeaturedImage is the source ID of an Attachment, or an image URL.
	FeaturedImage string
	// OldURLs are every address the item had on the old site (its
	// permalink, guid, aliases), absolute or site-relative.
	OldURLs        []string
	CommentsClosed bool
	// Restricted says why an item was kept from some readers on the old
	// site ("password-protected", "for paying members only"), or "".
	Restricted string
	Comments   []Comment
}

// CommentState is a comment's moderation state on the old site.
type CommentState string

// The states of a comment.
const (
	Approved CommentState = "approved"
	Held     CommentState = "pending"
	Spam     CommentState = "spam"
	Trashed  CommentState = "trash"
)

// Comment is a reader's comment on an item.
type Comment struct {
	SourceID string
	// ParentID is the SourceID of the comment this one replies to, or "".
	ParentID string
	Author   string
	Email    string // private, as always
	URL      string
	Body     string // as the source stores it (HTML for WordPress)
	State    CommentState
	Date     time.Time
}

// Attachment is an image (or other file) the site uploaded.
type Attachment struct {
	SourceID string
	// URL is the file's address on the old site.
	URL     string
	Title   string
	Caption string
	Alt     string
	// Parent is the SourceID of the item the file was uploaded to, or "".
	Parent string
}

// Problem is something in the export that could not be read as it
// should: an item with broken fields, a comment whose parent is missing.
// Reading goes on after a problem; the import report lists them.
type Problem struct {
	// Where names the part of the export, such as `item 42 "Hello"` or
	// "content/posts/broken.md".
	Where   string
	Message string
}

// Visitor receives the parts of a site in the order its export gives
// them. A reader calls only the functions that are set; an error returned
// by one stops the reading and is returned by the reader.
type Visitor struct {
	Site       func(Site) error
	Author     func(Author) error
	Term       func(Term) error
	Attachment func(Attachment) error
	Item       func(Item) error
	Problem    func(Problem) error
}
