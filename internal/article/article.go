// Package article defines what an article is in Dateline and the rules it
// follows: slugs, statuses and publishing, word counts and reading time, and
// revisions. It knows nothing of SQL or HTTP; the store persists these types
// and the importers and the admin produce them.
package article

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Status is where an article stands in the publishing workflow.
type Status string

// The statuses an article can have. A scheduled article becomes public by
// itself once its PublishedAt has passed; nothing needs to flip the status.
const (
	Draft     Status = "draft"
	Scheduled Status = "scheduled"
	Published Status = "published"
)

// ParseStatus returns the status named s, or an error naming s.
func ParseStatus(s string) (Status, error) {
	switch st := Status(strings.ToLower(strings.TrimSpace(s))); st {
	case Draft, Scheduled, Published:
		return st, nil
	}
	return "", fmt.Errorf("unknown status %q (want draft, scheduled or published)", s)
}

// Kind is what an article is: a story (news, analysis) with its byline,
// comments and place in the listings, or a page of the site (About,
// Contact, a corrections policy) that stands outside them.
type Kind string

// The kinds of article. A page is a WebPage for search engines; About and
// Contact pages say which page they are.
const (
	Story   Kind = "article"
	Page    Kind = "page"
	About   Kind = "about"
	Contact Kind = "contact"
)

// IsPage reports whether k is a page of any kind.
func (k Kind) IsPage() bool { return k == Page || k == About || k == Contact }

// ParseKind returns the kind named s ("" is a story), or an error naming
// s.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case "", "story", Story:
		return Story, nil
	case Page, About, Contact:
		return k, nil
	}
	return "", fmt.Errorf("unknown kind %q (want article, page, about or contact)", s)
}

// WordsPerMinute is the reading speed behind ReadingMinutes.
const WordsPerMinute = 238

// Limits on the fields of an article. They keep a stray file from turning
// into a headline of a megabyte.
const (
	MaxTitleLen       = 300
	MaxDescriptionLen = 1000
	MaxBodyBytes      = 8 << 20
	MaxTags           = 50
	MaxRequestedLinks = 50
)

// Author is the person an article is credited to.
type Author struct {
	ID   int64
	Name string
	Slug string
	Bio  string
	// The profile the author page shows, edited in the admin (see
	// Profile); articles carry only the fields above.
	Profile *Profile
}

// Profile is what an author page shows besides the name and bio.
type Profile struct {
	PhotoMediaID int64  // a library image, 0 for none
	RoleTitle    string // "Defence correspondent"
	Links        []Link
}

// Link is a labelled address on an author's profile.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Limits of an author's profile.
const (
	MaxBioLen       = 2000
	MaxRoleTitleLen = 100
	MaxProfileLinks = 10
)

// Tag is a topic label; articles share tags by slug.
type Tag struct {
	ID   int64
	Name string
	Slug string
}

// Update is a note of a correction or an update to a published article,
// shown with its time: "Updated 3 December: the toll was revised to 12."
type Update struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// Limits of update notes.
const (
	MaxUpdates       = 50
	MaxUpdateTextLen = 1000
)

// Heading is one H2 or H3 of an article's body, with the anchor id the
// rendered page gives it.
type Heading struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
	ID    string `json:"id"`
}

// Article is a piece of writing with everything needed to publish it.
type Article struct {
	ID          int64
	Kind        Kind // Story unless it is a page
	Slug        string
	Title       string
	Description string // the meta description, shown as the standfirst
	Body        string // Markdown source
	Status      Status
	PublishedAt time.Time // zero while a draft has never been given a date
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Author      *Author // nil when the article is credited to nobody
	// OwnerID is the newsroom user who owns the article (its author in
	// the admin, see package user); 0 when none does, as for imports.
	OwnerID int64
	// Section is the article's primary section, nil for none; the store
	// finds it by slug.
	Section *Section
	Tags    []Tag

	// RequestedLinks are titles of other articles the author asked to link
	// to, in the order given; they are resolved against the archive later.
	RequestedLinks []string

	// FocusKeyphrase is the search phrase the author wants the article
	// found by, for the SEO analysis; optional.
	FocusKeyphrase string

	// SEOTitle is the title search results and social cards show, when
	// the newsroom writes one apart from the headline ("" for the
	// headline): Yoast's and Ghost's meta title.
	SEOTitle string

	// Updates are the notes of corrections and updates an editor
	// appended after publication, oldest first.
	Updates []Update

	// FeaturedMediaID is the library image shown above the body, on share
	// cards and in feeds; 0 for none.
	FeaturedMediaID int64
	// MediaIDs are the library images the body shows, each once, in ID
	// order. The service finds them in the body as it saves, and the
	// store keeps them, so that an image in use is never deleted.
	MediaIDs []int64

	WordCount      int
	ReadingMinutes int

	// Views and CommentCount are the page's counters, kept by the store:
	// saving an article never changes them.
	Views        int64
	CommentCount int
	// CommentsClosed stops new comments on this article.
	CommentsClosed bool

	// Source identifies the file an article was imported from, so that
	// importing the same file again updates this article. Empty for
	// articles written in Dateline. SourceHash is the hash of the file's
	// content at the last import.
	Source     string
	SourceHash string

	// Version counts saves. An update must name the version it started
	// from, so that a stale edit is refused instead of overwriting.
	Version int
}

// IsPublic reports whether readers may see the article at time now.
func (a *Article) IsPublic(now time.Time) bool {
	switch a.Status {
	case Published, Scheduled:
		return !a.PublishedAt.IsZero() && !a.PublishedAt.After(now)
	}
	return false
}

// SetWordCount records the body's word count and the reading time that
// follows from it.
func (a *Article) SetWordCount(words int) {
	a.WordCount = words
	a.ReadingMinutes = ReadingMinutes(words)
}

// ReadingMinutes is the reading time of a text of the given length, rounded
// up, and at least one minute.
func ReadingMinutes(words int) int {
	m := (words + WordsPerMinute - 1) / WordsPerMinute
	return max(m, 1)
}

// ErrInvalid is wrapped by every validation error, so callers can tell bad
// input from a failing database.
var ErrInvalid = errors.New("invalid article")

// FieldError is a validation error about one field of an article. Field
// is the field's name as forms and the command line know it ("title",
// "slug", "description", "body", "tags", "requested_links", "author",
// "status", "focus_keyphrase"), so that a form puts the message beside the
// field without reading its words. It wraps ErrInvalid.
type FieldError struct {
	Field string
	// Msg says what is wrong, in words for whoever typed it, without a
	// capital or a full stop: "title is empty".
	Msg string
}

func (e *FieldError) Error() string { return ErrInvalid.Error() + ": " + e.Msg }

func (e *FieldError) Unwrap() error { return ErrInvalid }

// invalid returns a *FieldError for field.
func invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// MaxKeyphraseLen bounds a focus keyphrase, in characters: a search phrase,
// not a sentence.
const MaxKeyphraseLen = 100

// Validate checks the article's own fields and fills in what follows from
// them: the slug from the title when it has none, and the status from the
// publication date. It returns a *FieldError naming the first field at
// fault.
func (a *Article) Validate(now time.Time) error {
	a.Title = strings.TrimSpace(a.Title)
	a.Description = strings.TrimSpace(a.Description)
	a.FocusKeyphrase = strings.Join(strings.Fields(a.FocusKeyphrase), " ")
	a.SEOTitle = strings.TrimSpace(a.SEOTitle)
	if a.SEOTitle == a.Title {
		a.SEOTitle = ""
	}
	switch {
	case a.Title == "":
		return invalid("title", "title is empty")
	case utf8.RuneCountInString(a.Title) > MaxTitleLen:
		return invalid("title", "title is %d characters long, more than %d", utf8.RuneCountInString(a.Title), MaxTitleLen)
	case strings.ContainsAny(a.Title, "\n\r"):
		return invalid("title", "title spans several lines")
	case utf8.RuneCountInString(a.Description) > MaxDescriptionLen:
		return invalid("description", "description is %d characters long, more than %d", utf8.RuneCountInString(a.Description), MaxDescriptionLen)
	case strings.TrimSpace(a.Body) == "":
		return invalid("body", "body is empty")
	case len(a.Body) > MaxBodyBytes:
		return invalid("body", "body is %d bytes, more than %d", len(a.Body), MaxBodyBytes)
	case len(a.Tags) > MaxTags:
		return invalid("tags", "%d tags, more than %d", len(a.Tags), MaxTags)
	case len(a.RequestedLinks) > MaxRequestedLinks:
		return invalid("requested_links", "%d requested links, more than %d", len(a.RequestedLinks), MaxRequestedLinks)
	case utf8.RuneCountInString(a.SEOTitle) > MaxTitleLen:
		return invalid("seo_title", "the SEO title is %d characters long, more than %d", utf8.RuneCountInString(a.SEOTitle), MaxTitleLen)
	case strings.ContainsAny(a.SEOTitle, "\n\r"):
		return invalid("seo_title", "the SEO title spans several lines")
	case utf8.RuneCountInString(a.FocusKeyphrase) > MaxKeyphraseLen:
		return invalid("focus_keyphrase", "the keyphrase has %d characters, more than %d: a keyphrase is a search phrase of a few words", utf8.RuneCountInString(a.FocusKeyphrase), MaxKeyphraseLen)
	}
	for _, f := range []struct{ name, text string }{{"title", a.Title}, {"description", a.Description}, {"body", a.Body}, {"focus_keyphrase", a.FocusKeyphrase}, {"seo_title", a.SEOTitle}} {
		if !utf8.ValidString(f.text) {
			return invalid(f.name, "%s is not valid UTF-8", strings.ReplaceAll(f.name, "_", " "))
		}
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Title)
	}
	if err := ValidateSlug(a.Slug); err != nil {
		return invalid("slug", "%v", err)
	}
	if a.Author != nil {
		a.Author.Name = strings.TrimSpace(a.Author.Name)
		if a.Author.Name == "" {
			return invalid("author", "author has no name")
		}
		if a.Author.Slug == "" {
			a.Author.Slug = Slugify(a.Author.Name)
		}
		if err := ValidateSlug(a.Author.Slug); err != nil {
			return invalid("author", "author %q: %v", a.Author.Name, err)
		}
	}
	if err := a.normalizeTags(); err != nil {
		return invalid("tags", "%v", err)
	}
	if len(a.Updates) > MaxUpdates {
		return invalid("updates", "%d update notes, more than %d", len(a.Updates), MaxUpdates)
	}
	for i, u := range a.Updates {
		switch n := utf8.RuneCountInString(u.Text); {
		case strings.TrimSpace(u.Text) == "":
			return invalid("updates", "update note %d is empty", i+1)
		case n > MaxUpdateTextLen:
			return invalid("updates", "update note %d is %d characters, more than %d", i+1, n, MaxUpdateTextLen)
		case !utf8.ValidString(u.Text):
			return invalid("updates", "update note %d is not valid UTF-8", i+1)
		}
	}
	kind, err := ParseKind(string(a.Kind))
	if err != nil {
		return invalid("kind", "%v", err)
	}
	a.Kind = kind
	switch a.Status {
	case "":
		a.Status = Published
	case Draft, Scheduled, Published:
	default:
		return invalid("status", "unknown status %q", a.Status)
	}
	if a.Status != Draft {
		if a.PublishedAt.IsZero() {
			a.PublishedAt = now
		}
		// The status says what readers see; the date decides it.
		if a.PublishedAt.After(now) {
			a.Status = Scheduled
		} else {
			a.Status = Published
		}
	}
	return nil
}

// normalizeTags trims tag names, derives missing slugs and drops repeats,
// keeping the first spelling of each.
func (a *Article) normalizeTags() error {
	seen := make(map[string]bool, len(a.Tags))
	tags := a.Tags[:0]
	for _, t := range a.Tags {
		t.Name = strings.TrimSpace(t.Name)
		if t.Name == "" {
			continue
		}
		if t.Slug == "" {
			t.Slug = Slugify(t.Name)
		}
		if err := ValidateSlug(t.Slug); err != nil {
			return fmt.Errorf("tag %q: %w", t.Name, err)
		}
		if seen[t.Slug] {
			continue
		}
		seen[t.Slug] = true
		tags = append(tags, t)
	}
	a.Tags = tags
	return nil
}

// TagsFromNames builds tags from their display names.
func TagsFromNames(names ...string) []Tag {
	tags := make([]Tag, 0, len(names))
	for _, n := range names {
		tags = append(tags, Tag{Name: n})
	}
	return tags
}

// KeepPublishedSlug gives next the slug of current when current is already
// public at time now: readers and search engines link to a published
// address, so it stays. Unpublished articles may take a new slug.
func KeepPublishedSlug(current, next *Article, now time.Time) {
	if current.IsPublic(now) {
		next.Slug = current.Slug
	}
}

// StaleError refuses an edit that started from an older version of an
// article than the one stored: saving it would undo the change saved
// meanwhile.
type StaleError struct {
	Slug            string
	Stored, Started int // the stored version and the one the edit began from
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("article %q was saved by someone else meanwhile (stored version %d, this change started from %d)",
		e.Slug, e.Stored, e.Started)
}

// CheckEdit refuses, with a *StaleError, an edit of stored that did not
// start from stored's version.
func CheckEdit(stored, edit *Article) error {
	if edit.Version != stored.Version {
		return &StaleError{Slug: stored.Slug, Stored: stored.Version, Started: edit.Version}
	}
	return nil
}

// MovesAddress reports whether saving edit over stored at time now moves
// a public address, which must then redirect to the new one: readers,
// other sites and search engines know the old one.
func MovesAddress(stored, edit *Article, now time.Time) bool {
	return edit.Slug != stored.Slug && stored.IsPublic(now)
}

// TitleKey reduces a title to the form in which two spellings of it match:
// lowercase, typographic quotes and dashes as plain ones, runs of spaces
// as one, without surrounding quotes or a final full stop. Requested links
// name articles by title, and authors rarely type a title the same way
// twice.
func TitleKey(title string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(title) {
		switch r {
		case '’', '‘', '‛', '`', '´':
			r = '\''
		case '“', '”', '„', '«', '»':
			r = '"'
		case '–', '—', '‐', '‑':
			r = '-'
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimRight(strings.Trim(b.String(), `"'`), ".")
}

// SearchTitle is the title search results and social cards show: the SEO
// title when the newsroom wrote one, else the headline.
func (a *Article) SearchTitle() string {
	if a.SEOTitle != "" {
		return a.SEOTitle
	}
	return a.Title
}
