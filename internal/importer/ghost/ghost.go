// Package ghost reads Ghost exports (the JSON file Ghost's admin writes
// under Settings › Migration, from Ghost 4 to 6, and older ones as far as
// their fields match) into the parts of package site.
//
// An export is one JSON document whose tables (posts, tags, users and the
// tables joining them) may come in any order, while an item needs its
// tags and authors. Reading therefore passes twice over the file: first
// for every table but the posts, which are small, then for the posts one
// at a time, so that an export of gigabytes costs what its largest post
// costs. A reader that cannot seek is first copied to a temporary file.
//
// What the export says wrong is reported as a site.Problem and reading
// goes on: a version this reader does not know, a post naming a tag or an
// author the export lacks, a post sent only as a newsletter.
package ghost

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/importer/site"
)

// DefaultPermalink is the address of a post on a Ghost site unless its
// routes.yaml says otherwise.
const DefaultPermalink = "/:slug/"

// placeholder is what Ghost 4 and later write in exports where the site's
// own address was, so that a site can move.
const placeholder = "__GHOST_URL__"

// Detect reports whether head, the start of a file, is a Ghost export;
// if not, looksLike says what it looks like instead ("JSON but not a
// Ghost export").
func Detect(head []byte) (ok bool, looksLike string) {
	c := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	if len(c) == 0 || (c[0] != '{' && c[0] != '[') {
		return false, ""
	}
	dec := json.NewDecoder(bytes.NewReader(c))
	// Ghost writes {"db":[{"meta":{...},"data":{...}}]}; some tools
	// write the inner object alone.
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false, "JSON but not a Ghost export"
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			break
		}
		switch key {
		case "db":
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return false, "JSON but not a Ghost export"
			}
			if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
				return false, "JSON but not a Ghost export"
			}
			if k, err := dec.Token(); err == nil && (k == "meta" || k == "data") {
				return true, "a Ghost export"
			}
			return false, "JSON but not a Ghost export"
		case "meta":
			var m meta
			if err := dec.Decode(&m); err == nil && (m.Version != "" || m.ExportedOn != nil) {
				return true, "a Ghost export"
			}
			return false, "JSON but not a Ghost export"
		}
		if skip(dec) != nil {
			break
		}
	}
	return false, "JSON but not a Ghost export"
}

// Reader reads Ghost exports.
type Reader struct {
	// Permalink is the pattern of the posts' addresses on the old site,
	// as Ghost's routes.yaml writes it: "/:year/:month/:slug/" and the
	// like. Empty means Ghost's default, "/:slug/". Pages are always at
	// "/:slug/".
	Permalink string
}

// CheckPermalink checks a pattern for Reader.Permalink.
func CheckPermalink(p string) error {
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("permalink %q must start with /", p)
	}
	if !strings.Contains(p, ":slug") && !strings.Contains(p, ":id") {
		return fmt.Errorf("permalink %q names no :slug or :id, so two posts would share an address", p)
	}
	rest := p
	for {
		_, after, ok := strings.Cut(rest, ":")
		if !ok {
			return nil
		}
		name := after
		if i := strings.IndexAny(after, "/-."); i >= 0 {
			name = after[:i]
		}
		if !slices.Contains(permalinkFields, name) {
			return fmt.Errorf("permalink %q: unknown field :%s (Ghost knows :%s)", p, name, strings.Join(permalinkFields, ", :"))
		}
		rest = after
	}
}

var permalinkFields = []string{"year", "month", "day", "slug", "id", "primary_tag", "primary_author"}

// Read reads a Ghost export with Ghost's default permalink.
func Read(ctx context.Context, r io.Reader, v site.Visitor) error {
	return Reader{}.Read(ctx, r, v)
}

// Read reads the export in r into v: the site, its authors, its tags,
// then each post and page with its comments (exports that carry them: a
// full backup's comments and members tables).
func (rd Reader) Read(ctx context.Context, r io.Reader, v site.Visitor) error {
	permalink := rd.Permalink
	if permalink == "" {
		permalink = DefaultPermalink
	}
	if err := CheckPermalink(permalink); err != nil {
		return err
	}
	rs, done, err := seekable(r)
	if err != nil {
		return err
	}
	defer done()

	x := &export{v: v, permalink: permalink,
		users: map[string]user{}, tags: map[string]tag{}, postTags: map[string][]join{}, postAuthors: map[string][]join{},
		postMeta: map[string]postMeta{}, comments: map[string][]comment{}, members: map[string]member{}}
	// The first pass takes every table but the posts. An export cut
	// short still gives the posts before the cut: the second pass reads
	// them and stops with the same error.
	cutErr := walk(ctx, rs, x.table)
	if errors.Is(cutErr, ctx.Err()) && ctx.Err() != nil {
		return cutErr
	}
	if !x.sawExport {
		if cutErr != nil {
			return cutErr
		}
		return errors.New("JSON but not a Ghost export: it has no db or data object")
	}
	if err := x.start(); err != nil {
		return err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return err
	}
	err = walk(ctx, rs, x.posts)
	if err == nil {
		err = cutErr
	}
	if err != nil {
		if x.items > 0 {
			return fmt.Errorf("%w (after %d items, the last %s)", err, x.items, x.last)
		}
		return err
	}
	return nil
}

// seekable gives a reader that can go back to its start: r itself, or a
// temporary copy of it.
func seekable(r io.Reader) (io.ReadSeeker, func(), error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekCurrent); err == nil {
			return rs, func() {}, nil
		}
	}
	f, err := os.CreateTemp("", "dateline-ghost-*.json")
	if err != nil {
		return nil, nil, err
	}
	done := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		done()
		return nil, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		done()
		return nil, nil, err
	}
	return f, done, nil
}

// meta is the export's "meta" object.
type meta struct {
	ExportedOn any    `json:"exported_on"`
	Version    string `json:"version"`
}

// walk reads an export, calling table for each row of each table (fn
// must consume the row) and for the meta object (as table "meta").
func walk(ctx context.Context, r io.Reader, fn func(table string, dec *json.Decoder) error) error {
	dec := json.NewDecoder(r)
	cut := func(err error) error {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("the export is cut short at byte %d", dec.InputOffset())
		}
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return fmt.Errorf("the export is not valid JSON at byte %d: %v", syn.Offset, err)
		}
		return err
	}
	var object func(depth int) error
	// object reads an object whose keys may be "db", "meta" or "data".
	object = func(depth int) error {
		if err := expect(dec, '{'); err != nil {
			return cut(err)
		}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return cut(err)
			}
			switch {
			case key == "db" && depth == 0:
				if err := expect(dec, '['); err != nil {
					return cut(err)
				}
				for dec.More() {
					if err := object(1); err != nil {
						return err
					}
				}
				if _, err := dec.Token(); err != nil {
					return cut(err)
				}
			case key == "meta":
				if err := fn("meta", dec); err != nil {
					return cut(err)
				}
			case key == "data":
				if err := fn("data", nil); err != nil {
					return err
				}
				if err := tables(ctx, dec, fn); err != nil {
					return cut(err)
				}
			default:
				if err := skip(dec); err != nil {
					return cut(err)
				}
			}
		}
		_, err := dec.Token()
		return cut(err)
	}
	return object(0)
}

// tables reads the "data" object: each key a table, each table an array
// of rows.
func tables(ctx context.Context, dec *json.Decoder, fn func(string, *json.Decoder) error) error {
	if err := expect(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := key.(string)
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if tok != json.Delim('[') {
			if d, ok := tok.(json.Delim); ok && d == '{' {
				if err := skipRest(dec); err != nil {
					return err
				}
			}
			continue
		}
		for dec.More() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(name, dec); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

// expect reads the delimiter d.
func expect(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("JSON but not a Ghost export: found %v where %v was expected, at byte %d", tok, d, dec.InputOffset())
	}
	return nil
}

// skipRow reads one row of a table without keeping it: a row is small
// enough to scan whole, which is much faster than token by token.
func skipRow(dec *json.Decoder) error {
	var raw json.RawMessage
	return dec.Decode(&raw)
}

// skip reads one value of any size without keeping it.
func skip(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return skipRest(dec)
	}
	return nil
}

// skipRest reads the rest of an object or array whose opening delimiter
// has been read.
func skipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
	}
	return nil
}

// Rows of the tables read.
type (
	post struct {
		ID                  string    `json:"id"`
		Title               string    `json:"title"`
		Slug                string    `json:"slug"`
		Mobiledoc           *string   `json:"mobiledoc"`
		Lexical             *string   `json:"lexical"`
		HTML                *string   `json:"html"`
		FeatureImage        *string   `json:"feature_image"`
		FeatureImageAlt     *string   `json:"feature_image_alt"`     // Ghost 4; posts_meta in 5
		FeatureImageCaption *string   `json:"feature_image_caption"` // Ghost 4; posts_meta in 5
		Featured            flexBool  `json:"featured"`
		Page                flexBool  `json:"page"` // Ghost 1 and 2
		Type                string    `json:"type"`
		Status              string    `json:"status"`
		Visibility          string    `json:"visibility"`
		CreatedAt           ghostTime `json:"created_at"`
		UpdatedAt           ghostTime `json:"updated_at"`
		PublishedAt         ghostTime `json:"published_at"`
		CustomExcerpt       *string   `json:"custom_excerpt"`
		MetaTitle           *string   `json:"meta_title"`       // Ghost 1 to 3; posts_meta later
		MetaDescription     *string   `json:"meta_description"` // idem
		AuthorID            string    `json:"author_id"`        // Ghost 1: a single author
		CanonicalURL        *string   `json:"canonical_url"`
	}
	postMeta struct {
		PostID              string   `json:"post_id"`
		MetaTitle           *string  `json:"meta_title"`
		MetaDescription     *string  `json:"meta_description"`
		FeatureImageAlt     *string  `json:"feature_image_alt"`
		FeatureImageCaption *string  `json:"feature_image_caption"`
		EmailOnly           flexBool `json:"email_only"`
	}
	user struct {
		ID           string  `json:"id"`
		Name         string  `json:"name"`
		Slug         string  `json:"slug"`
		Email        string  `json:"email"`
		ProfileImage *string `json:"profile_image"`
		Bio          *string `json:"bio"`
		Website      *string `json:"website"`
		Location     *string `json:"location"`
		Facebook     *string `json:"facebook"`
		Twitter      *string `json:"twitter"`
	}
	tag struct {
		ID          string  `json:"id"`
		Name        string  `json:"name"`
		Slug        string  `json:"slug"`
		Description *string `json:"description"`
		ParentID    *string `json:"parent_id"`
		Visibility  string  `json:"visibility"`
	}
	join struct {
		PostID    string `json:"post_id"`
		TagID     string `json:"tag_id"`
		AuthorID  string `json:"author_id"`
		SortOrder int    `json:"sort_order"`
	}
	setting struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	}
	comment struct {
		ID        string    `json:"id"`
		PostID    string    `json:"post_id"`
		MemberID  *string   `json:"member_id"`
		ParentID  *string   `json:"parent_id"`
		Status    string    `json:"status"`
		HTML      *string   `json:"html"`
		CreatedAt ghostTime `json:"created_at"`
	}
	member struct {
		ID    string  `json:"id"`
		Email string  `json:"email"`
		Name  *string `json:"name"`
	}
)

// export is one Read.
type export struct {
	v         site.Visitor
	permalink string

	sawExport   bool
	version     string
	site        site.Site
	users       map[string]user
	userOrder   []string
	tags        map[string]tag
	tagOrder    []string
	postTags    map[string][]join
	postAuthors map[string][]join
	postMeta    map[string]postMeta
	comments    map[string][]comment
	members     map[string]member

	items int
	last  string
}

// table takes one row of a table other than posts (first pass).
func (x *export) table(name string, dec *json.Decoder) error {
	switch name {
	case "meta":
		x.sawExport = true
		var m meta
		if err := dec.Decode(&m); err != nil {
			return err
		}
		x.version = m.Version
		return nil
	case "data":
		x.sawExport = true
		return nil
	case "users":
		var u user
		if err := dec.Decode(&u); err != nil {
			return err
		}
		if _, ok := x.users[u.ID]; !ok {
			x.userOrder = append(x.userOrder, u.ID)
		}
		x.users[u.ID] = u
	case "tags":
		var t tag
		if err := dec.Decode(&t); err != nil {
			return err
		}
		if _, ok := x.tags[t.ID]; !ok {
			x.tagOrder = append(x.tagOrder, t.ID)
		}
		x.tags[t.ID] = t
	case "posts_tags":
		var j join
		if err := dec.Decode(&j); err != nil {
			return err
		}
		x.postTags[j.PostID] = append(x.postTags[j.PostID], j)
	case "posts_authors":
		var j join
		if err := dec.Decode(&j); err != nil {
			return err
		}
		x.postAuthors[j.PostID] = append(x.postAuthors[j.PostID], j)
	case "posts_meta":
		var m postMeta
		if err := dec.Decode(&m); err != nil {
			return err
		}
		x.postMeta[m.PostID] = m
	case "settings":
		var s setting
		if err := dec.Decode(&s); err != nil {
			return err
		}
		value, _ := s.Value.(string)
		switch s.Key {
		case "title":
			x.site.Title = value
		case "description":
			x.site.Description = value
		case "lang", "locale":
			x.site.Language = value
		}
	case "comments":
		var c comment
		if err := dec.Decode(&c); err != nil {
			return err
		}
		x.comments[c.PostID] = append(x.comments[c.PostID], c)
	case "members":
		var m member
		if err := dec.Decode(&m); err != nil {
			return err
		}
		x.members[m.ID] = m
	default:
		return skipRow(dec)
	}
	return nil
}

// start visits what comes before the items: the site, the problems with
// the export as a whole, the authors and the tags.
func (x *export) start() error {
	x.site.Generator = "Ghost"
	if x.version != "" {
		x.site.Generator += " " + x.version
	}
	if err := send(x.v.Site, x.site); err != nil {
		return err
	}
	switch major := majorVersion(x.version); {
	case x.version == "":
		if err := x.problem("the export", "it does not say which Ghost version wrote it: read as Ghost 6; check the result"); err != nil {
			return err
		}
	case major >= 4 && major <= 6:
	case major >= 1 && major < 4:
		if err := x.problem("the export", "written by Ghost %s, older than the versions this importer knows (4 to 6): read as far as its fields match; check the result", x.version); err != nil {
			return err
		}
	default:
		if err := x.problem("the export", "written by Ghost %q, a version this importer does not know (it knows 4 to 6): read as Ghost 6; check the result", x.version); err != nil {
			return err
		}
	}
	for _, id := range x.userOrder {
		u := x.users[id]
		a := site.Author{Key: u.ID, Name: strings.TrimSpace(u.Name), Email: u.Email, Bio: deref(u.Bio), URL: deref(u.Website), Slug: u.Slug,
			Photo: ghostURL(deref(u.ProfileImage))}
		if a.URL != "" {
			a.Links = append(a.Links, site.Link{Label: "Website", URL: a.URL})
		}
		if t := strings.TrimPrefix(deref(u.Twitter), "@"); t != "" {
			a.Links = append(a.Links, site.Link{Label: "X", URL: "https://x.com/" + t})
		}
		if f := deref(u.Facebook); f != "" {
			a.Links = append(a.Links, site.Link{Label: "Facebook", URL: "https://www.facebook.com/" + f})
		}
		if err := send(x.v.Author, a); err != nil {
			return err
		}
	}
	for _, id := range x.tagOrder {
		t := x.tags[id]
		if internalTag(t) {
			continue
		}
		if err := send(x.v.Term, site.Term{Kind: site.Tag, Key: t.ID, Name: t.Name, Slug: t.Slug, Description: deref(t.Description), Parent: deref(t.ParentID)}); err != nil {
			return err
		}
	}
	return nil
}

// internalTag reports a tag Ghost keeps from readers (#name), used for
// routing and themes.
func internalTag(t tag) bool {
	return t.Visibility == "internal" || strings.HasPrefix(t.Name, "#")
}

// majorVersion is the first number of a version such as "5.82.0", or -1.
func majorVersion(v string) int {
	first, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	n, err := strconv.Atoi(first)
	if err != nil {
		return -1
	}
	return n
}

func (x *export) problem(where, format string, args ...any) error {
	return send(x.v.Problem, site.Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

// posts takes one post (second pass).
func (x *export) posts(name string, dec *json.Decoder) error {
	if name != "posts" {
		if dec != nil {
			return skipRow(dec)
		}
		return nil
	}
	var p post
	var problems []string
	if err := dec.Decode(&p); err != nil {
		// A field of the wrong type leaves that field empty; the decoder
		// has read the whole row, and the rest of it is kept.
		var typ *json.UnmarshalTypeError
		if !errors.As(err, &typ) {
			return err
		}
		problems = append(problems, fmt.Sprintf("field %s holds a %s, which Ghost never writes there: left empty", typ.Field, typ.Value))
	}
	x.items++
	it, more := x.item(p)
	problems = append(problems, more...)
	x.last = fmt.Sprintf("%s %s %q", it.Kind, it.SourceID, it.Title)
	for _, pr := range problems {
		if err := x.problem(x.last, "%s", pr); err != nil {
			return err
		}
	}
	if it.FeaturedImage != "" {
		m := x.postMeta[p.ID]
		at := site.Attachment{SourceID: "feature:" + p.ID, URL: it.FeaturedImage, Parent: p.ID,
			Alt: cmp.Or(deref(m.FeatureImageAlt), deref(p.FeatureImageAlt)), Caption: cmp.Or(deref(m.FeatureImageCaption), deref(p.FeatureImageCaption))}
		if err := send(x.v.Attachment, at); err != nil {
			return err
		}
		it.FeaturedImage = at.SourceID
	}
	return send(x.v.Item, it)
}

// item maps a post into an item, with what could not be.
func (x *export) item(p post) (site.Item, []string) {
	var problems []string
	it := site.Item{Kind: site.Post, SourceID: p.ID, Title: p.Title, Slug: p.Slug, Sticky: bool(p.Featured)}
	if p.Type == "page" || bool(p.Page) {
		it.Kind = site.Page
		it.Sticky = false
	}
	m := x.postMeta[p.ID]
	switch p.Status {
	case "published":
		it.Status = site.Publish
	case "scheduled":
		it.Status = site.Future
	case "draft":
		it.Status = site.Draft
	case "sent":
		it.Status = site.Private
		it.Restricted = "sent only as a newsletter, never on the web"
	default:
		it.Status = site.Draft
		problems = append(problems, fmt.Sprintf("unknown status %q: imported as a draft", p.Status))
	}
	if bool(m.EmailOnly) && it.Restricted == "" {
		it.Restricted = "sent only as a newsletter, never on the web"
	}
	switch p.Visibility {
	case "", "public":
	case "members":
		it.Restricted = "for signed-in members only"
	case "paid", "tiers":
		it.Restricted = "for paying members only"
	default:
		it.Restricted = fmt.Sprintf("visible to %q only", p.Visibility)
	}
	it.Date, it.Modified = p.PublishedAt.Time, p.UpdatedAt.Time
	for _, t := range []struct {
		field string
		ghostTime
	}{{"published_at", p.PublishedAt}, {"updated_at", p.UpdatedAt}} {
		if t.bad != "" {
			problems = append(problems, fmt.Sprintf("%s %q is in no form Ghost writes: left empty", t.field, t.bad))
		}
	}

	authors := slices.Clone(x.postAuthors[p.ID])
	slices.SortStableFunc(authors, func(a, b join) int { return a.SortOrder - b.SortOrder })
	for _, j := range authors {
		it.Authors = append(it.Authors, x.authorKey(j.AuthorID, &problems))
	}
	if len(it.Authors) == 0 && p.AuthorID != "" {
		it.Authors = append(it.Authors, x.authorKey(p.AuthorID, &problems))
	}

	tags := slices.Clone(x.postTags[p.ID])
	slices.SortStableFunc(tags, func(a, b join) int { return a.SortOrder - b.SortOrder })
	var dropped []string
	for _, j := range tags {
		t, ok := x.tags[j.TagID]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("names tag %s, which the export does not declare: left out", j.TagID))
		case internalTag(t):
			dropped = append(dropped, t.Name)
		case len(it.Categories) == 0 && it.Kind == site.Post:
			// Ghost's primary tag is what a newsroom's section is.
			it.Categories = append(it.Categories, t.ID)
		default:
			it.Tags = append(it.Tags, t.ID)
		}
	}
	if len(dropped) > 0 {
		problems = append(problems, fmt.Sprintf("internal tags %s are Ghost's own markers for themes and routes: not kept", strings.Join(dropped, ", ")))
	}

	it.Excerpt = deref(p.CustomExcerpt)
	it.MetaTitle = cmp.Or(deref(m.MetaTitle), deref(p.MetaTitle))
	it.MetaDescription = cmp.Or(deref(m.MetaDescription), deref(p.MetaDescription))
	it.FeaturedImage = ghostURL(deref(p.FeatureImage))
	if c := deref(p.CanonicalURL); c != "" {
		problems = append(problems, fmt.Sprintf("canonical URL %s not kept: Dateline's pages are their own canonical address", c))
	}

	content, format, notes := x.content(p)
	it.Content, it.Format = content, format
	problems = append(problems, notes...)

	if it.Kind == site.Page {
		it.OldURLs = []string{"/" + p.Slug + "/"}
	} else {
		it.OldURLs = []string{x.address(p, it)}
	}
	it.Comments = x.itemComments(p.ID, &problems)
	return it, problems
}

// authorKey is the key of a post's author, noting one the export lacks.
func (x *export) authorKey(id string, problems *[]string) string {
	if _, ok := x.users[id]; !ok {
		*problems = append(*problems, fmt.Sprintf("names author %s, whom the export does not declare", id))
	}
	return id
}

// content is a post's body, from the editor's own document (Lexical in
// Ghost 5 and later, Mobiledoc before) when the export has it, else
// from its HTML.
func (x *export) content(p post) (string, site.ContentFormat, []string) {
	switch {
	case p.Lexical != nil && *p.Lexical != "":
		html, notes, err := lexicalHTML(*p.Lexical)
		if err == nil {
			return ghostURLs(html), site.StrictHTML, notes
		}
		if p.HTML != nil {
			return ghostURLs(*p.HTML), site.StrictHTML, []string{"its Lexical document could not be read (" + err.Error() + "): its HTML was used"}
		}
		return "", site.StrictHTML, []string{"its Lexical document could not be read: " + err.Error()}
	case p.Mobiledoc != nil && *p.Mobiledoc != "":
		html, notes, err := mobiledocHTML(*p.Mobiledoc)
		if err == nil {
			return ghostURLs(html), site.StrictHTML, notes
		}
		if p.HTML != nil {
			return ghostURLs(*p.HTML), site.StrictHTML, []string{"its Mobiledoc document could not be read (" + err.Error() + "): its HTML was used"}
		}
		return "", site.StrictHTML, []string{"its Mobiledoc document could not be read: " + err.Error()}
	}
	return ghostURLs(deref(p.HTML)), site.StrictHTML, nil
}

// address is a post's address on the old site by the permalink pattern.
func (x *export) address(p post, it site.Item) string {
	d := it.Date
	if d.IsZero() {
		d = p.CreatedAt.Time
	}
	primaryTag, primaryAuthor := "", ""
	if len(it.Categories) > 0 {
		primaryTag = x.tags[it.Categories[0]].Slug
	}
	if len(it.Authors) > 0 {
		primaryAuthor = x.users[it.Authors[0]].Slug
	}
	return strings.NewReplacer(
		":year", d.Format("2006"), ":month", d.Format("01"), ":day", d.Format("02"),
		":slug", p.Slug, ":id", p.ID,
		":primary_tag", cmp.Or(primaryTag, "all"), ":primary_author", cmp.Or(primaryAuthor, "all"),
	).Replace(x.permalink)
}

// itemComments are a post's comments in a full backup's comments table,
// with their authors from its members table.
func (x *export) itemComments(postID string, problems *[]string) []site.Comment {
	rows := x.comments[postID]
	ids := make(map[string]bool, len(rows))
	for _, c := range rows {
		ids[c.ID] = true
	}
	out := make([]site.Comment, 0, len(rows))
	for _, c := range rows {
		sc := site.Comment{SourceID: c.ID, ParentID: deref(c.ParentID), Body: deref(c.HTML), Date: c.CreatedAt.Time}
		if sc.ParentID != "" && !ids[sc.ParentID] {
			*problems = append(*problems, fmt.Sprintf("comment %s replies to comment %s, which the export does not hold: kept as a comment of its own", c.ID, sc.ParentID))
			sc.ParentID = ""
		}
		switch c.Status {
		case "published":
			sc.State = site.Approved
		case "hidden":
			sc.State = site.Held
		case "deleted":
			sc.State = site.Trashed
		default:
			sc.State = site.Held
		}
		if id := deref(c.MemberID); id != "" {
			if m, ok := x.members[id]; ok {
				sc.Author, sc.Email = strings.TrimSpace(deref(m.Name)), m.Email
			} else {
				*problems = append(*problems, fmt.Sprintf("comment %s is by member %s, whom the export does not hold: kept as by “Anonymous”", c.ID, id))
			}
		}
		if sc.Author == "" {
			sc.Author = "Anonymous"
		}
		out = append(out, sc)
	}
	return out
}

// ghostURL turns an address Ghost wrote with its placeholder into one
// relative to the site.
func ghostURL(s string) string {
	return strings.TrimPrefix(strings.TrimSpace(s), placeholder)
}

// ghostURLs does what ghostURL does for every address in a body.
func ghostURLs(s string) string {
	return strings.ReplaceAll(s, placeholder, "")
}

// flexBool reads the booleans Ghost writes as true/false or, from
// SQLite, as 0/1.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", "1", `"true"`, `"1"`:
		*b = true
	default:
		*b = false
	}
	return nil
}

// ghostTime reads the times Ghost writes: ISO 8601 with milliseconds
// since Ghost 2, "2006-01-02 15:04:05" before, or milliseconds since
// 1970 in the oldest exports.
type ghostTime struct {
	time.Time
	bad string // what was there instead, reported by the item
}

func (t *ghostTime) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" || s == `""` {
		return nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		t.Time = time.UnixMilli(ms).UTC()
		return nil
	}
	var str string
	if err := json.Unmarshal(data, &str); err != nil {
		return err
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if parsed, err := time.Parse(layout, str); err == nil {
			t.Time = parsed.UTC()
			return nil
		}
	}
	t.bad = str
	return nil
}

// send calls fn with v when the visitor set it.
func send[T any](fn func(T) error, v T) error {
	if fn == nil {
		return nil
	}
	return fn(v)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}
