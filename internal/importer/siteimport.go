package importer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"

	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/importer/htmlmd"
	"github.com/datelinehq/dateline/internal/importer/markdown"
	"github.com/datelinehq/dateline/internal/importer/site"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// SiteReader streams a whole-site export (see package site), such as
// wordpress.Read.
type SiteReader func(ctx context.Context, r io.Reader, v site.Visitor) error

// SiteOptions tune the import of a whole site.
type SiteOptions struct {
	// DryRun reads and converts everything and reports what would be
	// imported, writing nothing.
	DryRun bool
	// MediaFrom is a local copy of the old site's uploads (such as
	// wp-content/uploads): the images of the items are taken from it into
	// the photo library. Without it, or for an image it lacks, the image
	// stays a link to the old site. Nothing is fetched from the network.
	MediaFrom string
	// CreateUsers gives each author of the export with an email an
	// account (see newsroom.ImportUser) unless the email has one.
	CreateUsers bool
	// Progress, when set, is called after each stored batch with the
	// number of items done and the total.
	Progress func(done, total int)
}

// Tally counts what happened to one kind of thing.
type Tally struct {
	Imported  int `json:"imported"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	Failed    int `json:"failed"`
}

// ItemNote is something the report says about one item: why it was
// skipped or failed, or what of it could not be converted.
type ItemNote struct {
	Item    string `json:"item"` // `post 12 "Title"`
	Slug    string `json:"slug,omitempty"`
	Message string `json:"message"`
}

// SiteReport is the outcome of a whole-site import.
type SiteReport struct {
	Source   string `json:"source"` // the export's file
	Format   Format `json:"format"`
	Site     string `json:"site"` // the old site's address
	DryRun   bool   `json:"dry_run"`
	Posts    Tally  `json:"posts"`
	Pages    Tally  `json:"pages"`
	Comments Tally  `json:"comments"`
	Authors  int    `json:"authors"`
	// Profiles counts the authors given the bio, photo and links the
	// old site had for them.
	Profiles int `json:"profiles"`
	// UsersCreated counts the accounts CreateUsers made.
	UsersCreated int `json:"users_created"`
	Categories   int `json:"categories"`
	Tags         int `json:"tags"`
	Attachments  int `json:"attachments"`
	// ImagesAdded counts the images taken into the library from
	// SiteOptions.MediaFrom, ImagesRemote those left as links to the old
	// site.
	ImagesAdded  int `json:"images_added"`
	ImagesRemote int `json:"images_remote"`
	Redirects    int `json:"redirects"`
	Pinned       int `json:"pinned"`
	// Skipped, Failed and NotConverted list the items concerned and why.
	Skipped      []ItemNote `json:"skipped"`
	Failed       []ItemNote `json:"failed"`
	NotConverted []ItemNote `json:"not_converted"`
	// Problems are what the reader found wrong in the export itself.
	Problems []site.Problem `json:"problems"`
}

// tally is the count an item's kind adds to.
func (r *SiteReport) tally(k site.ItemKind) *Tally {
	if k == site.Page {
		return &r.Pages
	}
	return &r.Posts
}

// ImportSite reads a whole-site export twice through read: first for its
// authors, terms and images (which its items name, before or after
// them), then for its items, stored in batches through the newsroom
// service with their comments, old addresses and front-page pins. Each
// item is keyed by its ID in the export, so importing the same export
// again updates what changed and duplicates nothing; an import stopped
// half-way resumes with the same command. open is called once a pass.
// The error is for an import that could not go on: an export that cannot
// be read at all, a cancelled context; failures of single items are in
// the report.
func (im *Importer) ImportSite(ctx context.Context, name string, format Format, read SiteReader, open func() (io.ReadCloser, error), opts SiteOptions) (*SiteReport, error) {
	rep := &SiteReport{Source: name, Format: format, DryRun: opts.DryRun}
	x := &siteImport{im: im, rep: rep, opts: opts, format: format,
		authors: map[string]site.Author{}, terms: map[string]site.Term{}, attachments: map[string]site.Attachment{}}

	total := 0
	err := readPass(ctx, open, read, site.Visitor{
		Site: func(s site.Site) error {
			x.site = s
			rep.Site = s.URL
			return nil
		},
		Author: func(a site.Author) error {
			x.authors[a.Key] = a
			rep.Authors++
			return nil
		},
		Term: func(t site.Term) error {
			x.terms[termKey(t.Kind, t.Key)] = t
			if t.Kind == site.Category {
				rep.Categories++
			} else {
				rep.Tags++
			}
			return nil
		},
		Attachment: func(a site.Attachment) error {
			x.attachments[a.SourceID] = a
			rep.Attachments++
			return nil
		},
		Item: func(site.Item) error {
			total++
			return nil
		},
		Problem: func(p site.Problem) error {
			rep.Problems = append(rep.Problems, p)
			return nil
		},
	})
	if err != nil && ctx.Err() != nil {
		return rep, ctx.Err()
	}
	// An export cut short still brings in the items before the cut: the
	// second pass stores them, then stops with the same error.
	if opts.CreateUsers {
		if err := x.createUsers(ctx); err != nil {
			return rep, err
		}
	}
	x.writer = im.writer()
	x.claimed = map[string]string{}
	x.added = map[string]int64{}
	done := 0
	var batch []siteItem
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := x.store(ctx, batch)
		done += len(batch)
		batch = batch[:0]
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
		return err
	}
	// Items are converted on every core while the export is read and
	// earlier batches are stored, and stored in the export's order, so
	// that which of two items sharing a slug gets it never depends on
	// timing.
	err = x.pipeline(ctx, open, read, func(p prepared) error {
		x.rep.merge(p.part)
		if p.ok {
			batch = append(batch, p.si)
		} else {
			done++
		}
		if len(batch) < batchSize {
			return nil
		}
		return flush()
	})
	if ctx.Err() == nil {
		// What was read before an export's cut is stored too.
		if ferr := flush(); err == nil {
			err = ferr
		}
	}
	if err != nil {
		return rep, fmt.Errorf("%s: %w", name, err)
	}
	if !opts.DryRun {
		if err := x.pin(ctx); err != nil {
			return rep, err
		}
		if err := x.profiles(ctx); err != nil {
			return rep, err
		}
	}
	return rep, ctx.Err()
}

// readPass opens the export and reads it once.
func readPass(ctx context.Context, open func() (io.ReadCloser, error), read SiteReader, v site.Visitor) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return read(ctx, rc, v)
}

func termKey(kind site.TermKind, key string) string { return string(kind) + "\x00" + key }

// siteImport is one run of ImportSite.
type siteImport struct {
	im          *Importer
	rep         *SiteReport
	opts        SiteOptions
	format      Format
	site        site.Site
	authors     map[string]site.Author
	terms       map[string]site.Term
	attachments map[string]site.Attachment
	writer      *writer
	// claimed says which item's redirect each old address is, so that an
	// address two items give (WordPress exports repeat guids) leads to
	// the first, on every import.
	claimed map[string]string
	// added are the library IDs of the images this run added, by their
	// address on the old site.
	added map[string]int64
	// sticky are the slugs of the items the old site kept on top, in the
	// export's order.
	sticky []string
}

// siteItem is an item converted, on its way to the store.
type siteItem struct {
	item    site.Item
	label   string
	article *article.Article
	// images are the featured image (first, when the item has one) and
	// those the body shows, as links to the old site.
	images []siteImage
}

// siteImage is an image of an item on the old site.
type siteImage struct {
	src, alt, caption string
	featured          bool
}

// prepare converts an item into an article, or reports why it is not
// imported.
func (x *siteImport) prepare(it site.Item, part *SiteReport) (siteItem, bool) {
	label := fmt.Sprintf("%s %s %q", it.Kind, it.SourceID, it.Title)
	tally := part.tally(it.Kind)
	skip := func(why string) (siteItem, bool) {
		tally.Skipped++
		part.Comments.Skipped += len(it.Comments)
		part.Skipped = append(part.Skipped, ItemNote{Item: label, Message: why})
		return siteItem{}, false
	}
	if it.Status == site.Trash {
		return skip("in the old site's trash")
	}
	a := &article.Article{
		Kind:           article.Story,
		Title:          strings.TrimSpace(it.Title),
		Slug:           it.Slug,
		FocusKeyphrase: it.FocusKeyphrase,
		CommentsClosed: it.CommentsClosed,
		Source:         x.sourceOf(it),
	}
	if it.Kind == site.Page {
		a.Kind = article.Page
	}
	if a.Title == "" {
		a.Title = "Untitled"
		part.NotConverted = append(part.NotConverted, ItemNote{Item: label, Message: "the item has no title; it was given “Untitled”"})
	}
	if article.ValidateSlug(a.Slug) != nil {
		// WordPress keeps percent-encoded non-ASCII slugs; Dateline's
		// are ASCII, so the title's slug stands in, and the old
		// address still leads here by its redirect.
		a.Slug = ""
	}
	switch it.Status {
	case site.Publish, site.Future:
		a.Status = article.Published // a future date makes it scheduled
		a.PublishedAt = it.Date
	default: // draft, pending, private
		a.Status = article.Draft
		a.PublishedAt = it.Date
	}
	if a.Status == article.Published && a.PublishedAt.IsZero() {
		a.Status = article.Draft
	}
	if it.Restricted != "" && it.Status != site.Draft {
		// Dateline's published articles are for every reader: what the
		// old site kept from some stays kept until an editor decides.
		a.Status = article.Draft
		part.NotConverted = append(part.NotConverted, ItemNote{Item: label, Message: "kept from some readers on the old site (" + it.Restricted + "): imported as a draft, as a published Dateline article is for every reader"})
	}
	if !it.Modified.IsZero() && !it.Modified.Before(it.Date) {
		a.UpdatedAt = it.Modified
	}
	if len(it.Authors) > 0 {
		au, ok := x.authors[it.Authors[0]]
		if !ok {
			au = site.Author{Key: it.Authors[0], Name: it.Authors[0]}
		}
		a.Author = &article.Author{Name: strings.TrimSpace(au.Name), Bio: au.Bio}
		if a.Author.Name == "" {
			a.Author.Name = au.Key
		}
	}
	if len(it.Authors) > 1 {
		var others []string
		for _, key := range it.Authors[1:] {
			others = append(others, cmp.Or(strings.TrimSpace(x.authors[key].Name), key))
		}
		part.NotConverted = append(part.NotConverted, ItemNote{Item: label, Message: fmt.Sprintf("co-authors %s not credited: a Dateline article credits one author, %s", strings.Join(others, ", "), a.Author.Name)})
	}
	x.placeTerms(a, it)
	if len(a.Tags) > article.MaxTags {
		var dropped []string
		for _, t := range a.Tags[article.MaxTags:] {
			dropped = append(dropped, t.Name)
		}
		a.Tags = a.Tags[:article.MaxTags]
		part.NotConverted = append(part.NotConverted, ItemNote{Item: label, Message: fmt.Sprintf("%d tags and categories over the %d an article takes were not kept: %s", len(dropped), article.MaxTags, strings.Join(dropped, ", "))})
	}
	body, bodyImages, notes := x.body(it)
	if strings.TrimSpace(body) == "" {
		return skip("no content: WordPress shows such an item with its title alone, and a Dateline article needs a body")
	}
	a.Body = body
	for _, n := range notes {
		part.NotConverted = append(part.NotConverted, ItemNote{Item: label, Message: n})
	}
	vars := x.seoVariables(it, a)
	description, dropped := expandSEOVariables(it.MetaDescription, vars)
	a.Description = description
	if a.Description == "" {
		a.Description = plainText(it.Excerpt)
	}
	seoTitle, more := expandSEOVariables(it.MetaTitle, vars)
	a.SEOTitle = seoTitle
	if dropped = append(dropped, more...); len(dropped) > 0 {
		part.NotConverted = append(part.NotConverted, ItemNote{Item: label, Message: fmt.Sprintf("SEO plugin variables with no value here were left out of the SEO title or description: %s", strings.Join(dropped, ", "))})
	}
	var images []siteImage
	if it.FeaturedImage != "" {
		img := siteImage{src: it.FeaturedImage, featured: true}
		if at, ok := x.attachments[it.FeaturedImage]; ok {
			img = siteImage{src: at.URL, alt: at.Alt, caption: plainText(at.Caption), featured: true}
		}
		images = append(images, img)
	}
	images = append(images, bodyImages...)
	x.im.service.CountWords(a)
	a.SourceHash = hashItem(it)
	return siteItem{item: it, label: label, article: a, images: images}, true
}

// sourceOf keys an item by the old site and its ID there.
func (x *siteImport) sourceOf(it site.Item) string {
	return string(x.format) + ":" + x.site.URL + "#" + it.SourceID
}

// placeTerms gives an article its section (the item's first category)
// and tags (its tags, then its other categories, so that no category is
// lost).
func (x *siteImport) placeTerms(a *article.Article, it site.Item) {
	seen := map[string]bool{}
	addTag := func(t site.Term) {
		slug := t.Slug
		if slug == "" || article.ValidateSlug(slug) != nil {
			slug = article.Slugify(t.Name)
		}
		if t.Name == "" || seen[slug] {
			return
		}
		seen[slug] = true
		a.Tags = append(a.Tags, article.Tag{Name: t.Name, Slug: slug})
	}
	for i, key := range it.Categories {
		t, ok := x.terms[termKey(site.Category, key)]
		if !ok {
			// Ghost has tags only, and its primary tag is the section.
			t, ok = x.terms[termKey(site.Tag, key)]
		}
		if !ok {
			t = site.Term{Kind: site.Category, Key: key, Name: key, Slug: key}
		}
		if i == 0 && a.Kind == article.Story {
			slug := t.Slug
			if article.ValidateSlug(slug) != nil {
				slug = article.Slugify(t.Name)
			}
			a.Section = &article.Section{Name: t.Name, Slug: slug}
			continue
		}
		addTag(t)
	}
	for _, key := range it.Tags {
		t, ok := x.terms[termKey(site.Tag, key)]
		if !ok {
			t = site.Term{Kind: site.Tag, Key: key, Name: key, Slug: key}
		}
		addTag(t)
	}
}

// body converts an item's content into Markdown, with notes on what could
// not be.
func (x *siteImport) body(it site.Item) (string, []siteImage, []string) {
	if it.Format == site.Markdown {
		return it.Content, nil, nil
	}
	res, err := htmlmd.Convert(it.Content, htmlmd.Options{SiteURL: x.site.URL, NoAutoParagraphs: it.Format == site.StrictHTML})
	if err != nil {
		return it.Content, nil, []string{"content kept as written: " + err.Error()}
	}
	images := make([]siteImage, len(res.Images))
	for i, img := range res.Images {
		images[i] = siteImage{src: img.Src, alt: img.Alt, caption: img.Caption}
		if at, ok := x.attachments[strconv.FormatInt(img.AttachmentID, 10)]; ok && img.AttachmentID > 0 {
			images[i].alt = cmp.Or(images[i].alt, at.Alt)
			images[i].caption = cmp.Or(images[i].caption, plainText(at.Caption))
		}
	}
	return res.Markdown, images, res.NotConverted
}

// hashItem fingerprints everything of an item that the import uses, so
// that an item that has not changed is left alone.
func hashItem(it site.Item) string {
	b, _ := json.Marshal(it)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// store writes a batch of items, then their comments and old addresses.
func (x *siteImport) store(ctx context.Context, batch []siteItem) error {
	if x.opts.DryRun {
		return x.dryRun(ctx, batch)
	}
	if err := x.placeImages(ctx, batch); err != nil {
		return err
	}
	ps := make([]parsed, len(batch))
	for i, si := range batch {
		ps[i] = parsed{path: si.label, article: si.article, numbered: true}
	}
	results, err := x.writer.write(ctx, ps)
	if err != nil {
		return err
	}
	var stored []string
	for i, r := range results {
		si := batch[i]
		tally := x.rep.tally(si.item.Kind)
		switch r.Outcome {
		case Failed:
			tally.Failed++
			x.rep.Failed = append(x.rep.Failed, ItemNote{Item: si.label, Message: r.Err.Error()})
			continue
		case Created:
			tally.Imported++
		case Updated:
			tally.Updated++
		case Unchanged:
			tally.Unchanged++
		}
		if si.item.Sticky && si.item.Kind == site.Post && si.article.Status != article.Draft {
			x.sticky = append(x.sticky, r.Slug)
		}
		stored = append(stored, si.article.Source)
	}
	if len(stored) == 0 {
		return nil
	}
	saved, err := x.writer.bySource(ctx, stored)
	if err != nil {
		return err
	}
	var sets []store.CommentSet
	var rs []store.Redirect
	var olds []oldAddress
	for _, si := range batch {
		a := saved[si.article.Source]
		if a == nil {
			continue
		}
		if cs := x.comments(si, a); len(cs) > 0 {
			sets = append(sets, store.CommentSet{ArticleID: a.ID, Comments: cs})
		}
		r, o := x.redirects(si, a)
		rs, olds = append(rs, r...), append(olds, o...)
	}
	if err := x.storeRedirects(ctx, rs, olds); err != nil {
		return err
	}
	// The batch's comments go in one transaction.
	n := 0
	for _, set := range sets {
		n += len(set.Comments)
	}
	created, updated, err := x.im.service.ImportComments(ctx, x.im.opts.Actor, sets)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		x.rep.Comments.Failed += n
		x.rep.Failed = append(x.rep.Failed, ItemNote{Item: fmt.Sprintf("the comments of %d items", len(sets)), Message: err.Error()})
		return nil
	}
	x.rep.Comments.Imported += created
	x.rep.Comments.Updated += updated
	x.rep.Comments.Unchanged += n - created - updated
	return nil
}

// dryRun counts what storing the batch would do, reading only.
func (x *siteImport) dryRun(ctx context.Context, batch []siteItem) error {
	existing, err := x.stored(ctx, batch)
	if err != nil {
		return err
	}
	for _, si := range batch {
		tally := x.rep.tally(si.item.Kind)
		old := existing[si.article.Source]
		if err := x.im.service.PrepareImport(x.im.opts.Actor, newsroom.ImportWrite{Article: si.article, Old: old}); err != nil {
			tally.Failed++
			x.rep.Failed = append(x.rep.Failed, ItemNote{Item: si.label, Message: err.Error()})
			continue
		}
		switch {
		case old == nil:
			tally.Imported++
		case old.SourceHash == si.article.SourceHash:
			tally.Unchanged++
		default:
			tally.Updated++
		}
		x.rep.Comments.Imported += len(si.item.Comments)
		for _, img := range si.images {
			if _, ok := x.localImage(img.src); ok {
				x.rep.ImagesAdded++
			} else {
				x.remote(si, img)
			}
		}
		if si.article.Status != article.Draft {
			for _, old := range si.item.OldURLs {
				from, ok := x.oldPath(old)
				if _, taken := x.claimed[from]; ok && !taken && from != urls.Article(si.article.Slug) {
					x.claimed[from] = si.label
					x.rep.Redirects++
				}
			}
		}
	}
	return nil
}

// comments are an item's comments as its article takes them; those
// that cannot be are reported.
func (x *siteImport) comments(si siteItem, a *article.Article) []store.ImportedComment {
	cs := make([]store.ImportedComment, 0, len(si.item.Comments))
	for _, c := range si.item.Comments {
		state, ok := commentStates[c.State]
		if !ok {
			x.rep.Comments.Skipped++
			x.rep.Skipped = append(x.rep.Skipped, ItemNote{Item: si.label, Slug: a.Slug, Message: fmt.Sprintf("comment %s has the unknown state %q", c.SourceID, c.State)})
			continue
		}
		body := plainText(c.Body)
		if body == "" {
			x.rep.Comments.Skipped++
			x.rep.Skipped = append(x.rep.Skipped, ItemNote{Item: si.label, Slug: a.Slug, Message: fmt.Sprintf("comment %s is empty", c.SourceID)})
			continue
		}
		author := strings.TrimSpace(c.Author)
		if author == "" {
			author = "Anonymous"
		}
		cs = append(cs, store.ImportedComment{
			Comment:      comment.Comment{Author: author, Email: strings.TrimSpace(c.Email), URL: strings.TrimSpace(c.URL), Body: body, State: state, CreatedAt: c.Date},
			Source:       c.SourceID,
			ParentSource: c.ParentID,
		})
	}
	return cs
}

var commentStates = map[site.CommentState]comment.State{
	site.Approved: comment.Approved,
	site.Held:     comment.Pending,
	site.Spam:     comment.Spam,
	site.Trashed:  comment.Trash,
}

// oldAddress is an old address of an item, on its way to a redirect.
type oldAddress struct {
	item, old string // the item's label, the address as the export gives it
	slug      string
}

// redirects lists the redirects from an item's old addresses to its
// article, once readers can see it (a draft's address may change before
// it is published).
func (x *siteImport) redirects(si siteItem, a *article.Article) (rs []store.Redirect, olds []oldAddress) {
	if a.Status == article.Draft {
		return nil, nil
	}
	to := urls.Article(a.Slug)
	for _, old := range si.item.OldURLs {
		from, ok := x.oldPath(old)
		if !ok || from == to {
			continue // the address is the article's own (an export of a Dateline site)
		}
		if first, taken := x.claimed[from]; taken {
			if first != si.label {
				x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: si.label, Slug: a.Slug, Message: fmt.Sprintf("old address %s is also %s's: it leads there", old, first)})
			}
			continue
		}
		x.claimed[from] = si.label
		rs = append(rs, store.Redirect{From: from, To: to})
		olds = append(olds, oldAddress{item: si.label, old: old, slug: a.Slug})
	}
	return rs, olds
}

// storeRedirects stores a batch's redirects in one transaction.
func (x *siteImport) storeRedirects(ctx context.Context, rs []store.Redirect, olds []oldAddress) error {
	errs, made, err := x.im.service.ImportRedirects(ctx, rs)
	if err != nil {
		return err
	}
	x.rep.Redirects += made
	for i, e := range errs {
		if e != nil {
			x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: olds[i].item, Slug: olds[i].slug, Message: fmt.Sprintf("old address %s not redirected: %v", olds[i].old, e)})
		}
	}
	return nil
}

// oldPath is the path on this site of an old address: addresses on the
// old site's host (or relative ones) keep their path, and WordPress's
// /?p=123 its query; other addresses with a query cannot be redirected.
func (x *siteImport) oldPath(old string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(old))
	if err != nil || u.Fragment != "" {
		return "", false
	}
	if u.Host != "" {
		base, err := url.Parse(x.site.URL)
		if err != nil || !strings.EqualFold(strings.TrimPrefix(u.Host, "www."), strings.TrimPrefix(base.Host, "www.")) {
			return "", false
		}
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery // kept only as WordPress's /?p=123
	} else if p == "/" {
		return "", false
	}
	from, err := store.CleanRedirectPath(p)
	if err != nil {
		return "", false
	}
	return from, true
}

// pin puts the old site's sticky posts on the front page after the
// stories pinned there, as many as it has slots; a story pinned already
// keeps the place an editor gave it.
func (x *siteImport) pin(ctx context.Context) error {
	pinned, err := x.im.service.Pinned(ctx)
	if err != nil {
		return err
	}
	already := map[string]bool{}
	for _, a := range pinned {
		already[a.Slug] = true
	}
	for _, slug := range x.sticky {
		if already[slug] {
			continue
		}
		err := x.im.service.Pin(ctx, x.im.opts.Actor, slug, newsroom.FrontPageSlots)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			x.rep.Skipped = append(x.rep.Skipped, ItemNote{Item: "sticky post", Slug: slug, Message: "not pinned to the front page: " + err.Error()})
			continue
		}
		x.rep.Pinned++
	}
	return nil
}

// seoVariable matches a variable of an SEO plugin's title or description
// template: Yoast's %%title%%, Rank Math's %title%.
var seoVariable = regexp.MustCompile(`%%?([a-z_]+)%%?`)

// seoVariables are the values of the variables SEO plugins' templates
// use most, for an item.
func (x *siteImport) seoVariables(it site.Item, a *article.Article) map[string]string {
	vars := map[string]string{
		"title": a.Title, "sitename": x.site.Title, "sitedesc": x.site.Description, "sep": "–",
		"excerpt": plainText(it.Excerpt), "page": "", "pagetotal": "", "pagenumber": "",
	}
	if a.Section != nil {
		vars["primary_category"], vars["category"] = a.Section.Name, a.Section.Name
	}
	if a.Author != nil {
		vars["name"] = a.Author.Name
	}
	if !a.PublishedAt.IsZero() {
		vars["date"] = a.PublishedAt.Format("2 January 2006")
	}
	return vars
}

// expandSEOVariables fills an SEO plugin's template with vars, naming
// the variables it had no value for (left out).
func expandSEOVariables(s string, vars map[string]string) (string, []string) {
	var dropped []string
	out := seoVariable.ReplaceAllStringFunc(s, func(m string) string {
		name := seoVariable.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok {
			return v
		}
		if !slices.Contains(dropped, m) {
			dropped = append(dropped, m)
		}
		return ""
	})
	return strings.Join(strings.Fields(out), " "), dropped
}

// profiles gives the authors the import credited the bio, photo and
// links the old site had for them, when their profile here is still
// empty: what an editor wrote since is kept.
func (x *siteImport) profiles(ctx context.Context) error {
	stored, err := x.im.service.Authors(ctx)
	if err != nil {
		return err
	}
	byName := map[string]*article.Author{}
	for _, au := range stored {
		byName[au.Name] = au
	}
	for _, k := range slices.Sorted(maps.Keys(x.authors)) {
		old := x.authors[k]
		au := byName[strings.TrimSpace(old.Name)]
		if au == nil || (old.Bio == "" && old.Photo == "" && len(old.Links) == 0) {
			continue // credited on no item, or nothing to add
		}
		// The bio came with the author's first article; anything else
		// here was written by an editor.
		if (au.Bio != "" && au.Bio != strings.TrimSpace(old.Bio)) || (au.Profile != nil && (au.Profile.PhotoMediaID != 0 || len(au.Profile.Links) > 0 || au.Profile.RoleTitle != "")) {
			continue
		}
		change := article.Author{Name: au.Name, Bio: truncateRunes(old.Bio, article.MaxBioLen), Profile: &article.Profile{}}
		for _, l := range old.Links {
			if len(change.Profile.Links) < article.MaxProfileLinks {
				change.Profile.Links = append(change.Profile.Links, article.Link{Label: l.Label, URL: l.URL})
			}
		}
		label := fmt.Sprintf("author %s %q", old.Key, old.Name)
		if old.Photo != "" {
			id, err := x.addImage(ctx, siteImage{src: old.Photo, alt: old.Name})
			switch {
			case err != nil && ctx.Err() != nil:
				return ctx.Err()
			case err != nil:
				x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: label, Message: fmt.Sprintf("photo %s not taken into the library: %v", old.Photo, err)})
			case id == 0:
				x.rep.ImagesRemote++
				x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: label, Message: fmt.Sprintf("photo %s left on the old site (an author's photo must be in the library: give --media-from)", old.Photo)})
			default:
				x.rep.ImagesAdded++
				change.Profile.PhotoMediaID = id
			}
		}
		if _, err := x.im.service.EditAuthor(ctx, x.im.opts.Actor, au.Slug, change); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: label, Message: "profile not kept: " + err.Error()})
			continue
		}
		x.rep.Profiles++
	}
	return nil
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// plainText is the text of a piece of HTML (a WordPress comment or
// excerpt): tags dropped, entities decoded, paragraphs and line breaks
// kept as blank lines and newlines, other runs of space made one.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidyText(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br":
				b.WriteString("\n")
			case "p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6":
				b.WriteString("\n\n")
			}
		}
	}
}

// tidyText trims each line, makes runs of spaces one and keeps at most
// one blank line between paragraphs.
func tidyText(s string) string {
	var out []string
	blank := false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// prepared is an item converted by prepare, with what the report says of
// it.
type prepared struct {
	si   siteItem
	ok   bool
	part *SiteReport
}

// pipeline reads the export's items and converts them on every core,
// handing them to use one by one in the export's order. An error of use
// stops the reading.
func (x *siteImport) pipeline(ctx context.Context, open func() (io.ReadCloser, error), read SiteReader, use func(prepared) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		it  site.Item
		out chan prepared
	}
	jobs := make(chan job)
	order := make(chan chan prepared, window)
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		readErr = readPass(ctx, open, read, site.Visitor{
			Item: func(it site.Item) error {
				out := make(chan prepared, 1)
				select {
				case order <- out:
				case <-ctx.Done():
					return ctx.Err()
				}
				select {
				case jobs <- job{it, out}:
				case <-ctx.Done():
					return ctx.Err()
				}
				return nil
			},
		})
	}()
	for range max(runtime.GOMAXPROCS(0), 1) {
		go func() {
			for j := range jobs {
				part := &SiteReport{}
				si, ok := x.prepare(j.it, part)
				j.out <- prepared{si, ok, part}
			}
		}()
	}
	for out := range order {
		if err := use(<-out); err != nil {
			cancel()
			for range order { // let the reader stop
			}
			return err
		}
	}
	return readErr
}

// merge adds what part says of one item to the report.
func (r *SiteReport) merge(part *SiteReport) {
	add := func(t, p *Tally) {
		t.Imported += p.Imported
		t.Updated += p.Updated
		t.Unchanged += p.Unchanged
		t.Skipped += p.Skipped
		t.Failed += p.Failed
	}
	add(&r.Posts, &part.Posts)
	add(&r.Pages, &part.Pages)
	add(&r.Comments, &part.Comments)
	r.ImagesAdded += part.ImagesAdded
	r.ImagesRemote += part.ImagesRemote
	r.Skipped = append(r.Skipped, part.Skipped...)
	r.NotConverted = append(r.NotConverted, part.NotConverted...)
}

// placeImages takes the images of the batch's new and changed items from
// SiteOptions.MediaFrom into the photo library and names them in their
// articles; the others stay links to the old site, each reported.
func (x *siteImport) placeImages(ctx context.Context, batch []siteItem) error {
	existing, err := x.stored(ctx, batch)
	if err != nil {
		return err
	}
	for _, si := range batch {
		if old := existing[si.article.Source]; old != nil && old.SourceHash == si.article.SourceHash {
			continue // unchanged: the stored article keeps its images
		}
		ids := map[string]int64{}
		for _, img := range si.images {
			id, err := x.addImage(ctx, img)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: si.label, Message: fmt.Sprintf("image %s not taken into the library: %v", img.src, err)})
			}
			if id == 0 {
				x.remote(si, img)
				continue
			}
			x.rep.ImagesAdded++
			if img.featured {
				si.article.FeaturedMediaID = id
			} else {
				ids[img.src] = id
			}
		}
		markdown.UseImages(si.article, ids)
	}
	return nil
}

// remote reports an image left as a link to the old site.
func (x *siteImport) remote(si siteItem, img siteImage) {
	x.rep.ImagesRemote++
	what := "image"
	if img.featured {
		what = "featured image"
	}
	hint := "give --media-from with a copy of the old site's uploads to bring it into the library"
	if x.opts.MediaFrom != "" {
		hint = "it is not in " + x.opts.MediaFrom
	}
	x.rep.NotConverted = append(x.rep.NotConverted, ItemNote{Item: si.label, Message: fmt.Sprintf("%s %s left on the old site (%s)", what, img.src, hint)})
}

// addImage queues the local copy of an image for the library, once a run
// (the library also knows an image it has by its bytes). It returns 0
// when there is no local copy.
func (x *siteImport) addImage(ctx context.Context, img siteImage) (int64, error) {
	if id, ok := x.added[img.src]; ok {
		return id, nil
	}
	path, ok := x.localImage(img.src)
	if !ok {
		return 0, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, describeFSError(err)
	}
	it, err := x.im.service.Queue(ctx, x.im.opts.Actor, filepath.Base(path), data, media.Info{Alt: img.alt, Caption: img.caption})
	if err != nil {
		return 0, err
	}
	x.added[img.src] = it.ID
	return it.ID, nil
}

// uploadRoots are where platforms keep uploads below their site's
// address; a copy of that folder is what --media-from names.
var uploadRoots = []string{"/wp-content/uploads/", "/content/images/"}

// localImage finds the local copy of an image of the old site in
// SiteOptions.MediaFrom: by its path below the uploads folder, else by its
// whole path, else by its file name at the top.
func (x *siteImport) localImage(src string) (string, bool) {
	if x.opts.MediaFrom == "" {
		return "", false
	}
	u, err := url.Parse(src)
	if err != nil || u.Path == "" {
		return "", false
	}
	p, err := url.PathUnescape(u.EscapedPath())
	if err != nil {
		return "", false
	}
	var candidates []string
	for _, root := range uploadRoots {
		if _, rest, ok := strings.Cut(p, root); ok {
			candidates = append(candidates, rest)
		}
	}
	candidates = append(candidates, strings.TrimPrefix(p, "/"), path.Base(p))
	for _, c := range candidates {
		if !fs.ValidPath(c) {
			continue // no way out of the folder
		}
		full := filepath.Join(x.opts.MediaFrom, filepath.FromSlash(c))
		if fi, err := os.Stat(full); err == nil && fi.Mode().IsRegular() {
			return full, true
		}
	}
	return "", false
}

// createUsers gives the export's authors accounts, in the order of their
// keys, so that a run is repeatable.
func (x *siteImport) createUsers(ctx context.Context) error {
	for _, k := range slices.Sorted(maps.Keys(x.authors)) {
		au := x.authors[k]
		label := fmt.Sprintf("author %q", au.Key)
		if strings.TrimSpace(au.Email) == "" {
			x.rep.Skipped = append(x.rep.Skipped, ItemNote{Item: label, Message: "no account made: the export gives no email"})
			continue
		}
		if x.opts.DryRun {
			x.rep.UsersCreated++
			continue
		}
		created, err := x.im.service.ImportUser(ctx, x.im.opts.Actor, au.Name, au.Email)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			x.rep.Failed = append(x.rep.Failed, ItemNote{Item: label, Message: "no account made: " + err.Error()})
			continue
		}
		if created {
			x.rep.UsersCreated++
		}
	}
	return nil
}

// stored returns the articles imported before from the batch's items, by
// source.
func (x *siteImport) stored(ctx context.Context, batch []siteItem) (map[string]*article.Article, error) {
	sources := make([]string, len(batch))
	for i, si := range batch {
		sources[i] = si.article.Source
	}
	return x.writer.bySource(ctx, sources)
}
