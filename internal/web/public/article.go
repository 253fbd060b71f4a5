package public

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// TOCEntry is an H2 of the table of contents with the H3s under it.
type TOCEntry struct {
	article.Heading
	Children []article.Heading
}

// ArticlePage is an article as readers see it.
type ArticlePage struct {
	web.Base
	// Article is a value, not a pointer, so that the page's zero value
	// renders: the templates check at start that each does.
	Article article.Article
	Body    template.HTML
	// Featured is the featured image, as a figure with its caption and
	// credit; empty for none.
	Featured template.HTML
	TOC      []TOCEntry
	Updated  bool // updated noticeably later than published
	Views    int64
	Comments int64
	Related  []*article.Article
	// Author is the profile of the article's author, for the box under
	// the text; nil for none.
	Author *AuthorProfile
	// MoreInSection are the newest other stories of the article's
	// section.
	MoreInSection []*article.Article
	// Topics link the entities the article is mainly about to their
	// topic pages.
	Topics []TopicLink
	// StorySoFar are the public articles of the developing story the
	// article follows, oldest first, the article among them; nil when it
	// follows none with others.
	StorySoFar []*article.Article
	// about and mentions name the article's entities in its structured
	// data; keys are the cache keys of them and of its story.
	about, mentions []seo.Thing
	keys            []string
	// Thread is the comments shown: the approved ones, and the reader's
	// own that await moderation.
	Thread       []*comment.Node
	CommentsOpen bool
	Form         CommentForm
}

// CommentForm is the "Leave a Reply" form: empty, or as the reader posted
// it with what was wrong.
type CommentForm struct {
	Action  string // where it posts
	Values  comment.Form
	Errors  comment.FieldErrors
	Message string
	Token   string
	ReplyTo *comment.Comment
}

// tokenHole stands in a cached page for the form token, which is made
// fresh for every reader (a token is good for one comment only).
const tokenHole = "DATELINEFORMTOKENHOLE"

// article serves an article page. Readers with a comment awaiting
// moderation, or replying to a comment, get a page of their own; everyone
// else gets the cached page with a fresh form token.
func (h *Handlers) article(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if article.ValidateSlug(slug) != nil {
		return web.ErrNotFound
	}
	if isSection, err := h.sections.has(r.Context(), slug); err != nil {
		return err
	} else if isSection {
		return h.section(w, r)
	}
	key, hasKey := h.commenterKey(r)
	if hasKey || r.URL.RawQuery != "" && r.URL.Query().Has("replytocom") {
		return h.personalArticle(w, r, slug, key)
	}
	return h.pages.serve(w, r, func() (*cachedPage, error) {
		a, err := h.publicArticle(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		p, err := h.articlePage(r, a, "")
		if err != nil {
			return nil, err
		}
		p.Form.Token = tokenHole
		page, err := renderPage(h.template(a), *p, a.UpdatedAt)
		if err != nil {
			return nil, err
		}
		page.articleID = a.ID
		page.setHole(tokenHole)
		page.show(purge.Article(a.ID))
		page.show(purge.Listings(a)...)
		page.showArticles(p.Related)
		page.showArticles(p.MoreInSection)
		page.showArticles(p.StorySoFar)
		page.show(p.keys...)
		return page, nil
	}, func(p *cachedPage) {
		// Counted before the page is sent, so that a reader who has it
		// has been counted.
		if p.articleID != 0 && isReaderView(r) {
			h.views.Count(p.articleID)
		}
	}, func(p *cachedPage) string {
		if h.sharedCache {
			return ""
		}
		return h.token(p.articleID)
	})
}

// token is a fresh form token for the article's page. A page whose form
// posts to another node has none: that node gives its own. (Nor has the
// cached page when a shared cache serves it to many readers; see
// Options.SharedCacheFor.)
func (h *Handlers) token(articleID int64) string {
	if h.commentsAt != "" {
		return ""
	}
	return h.signer.NewToken(articleID, h.now())
}

// personalArticle renders an article page for one reader, uncached.
func (h *Handlers) personalArticle(w http.ResponseWriter, r *http.Request, slug, key string) error {
	a, err := h.publicArticle(r.Context(), slug)
	if err != nil {
		return err
	}
	visibleTo := ""
	if key != "" {
		visibleTo = comment.HashKey(key)
	}
	p, err := h.articlePage(r, a, visibleTo)
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("replytocom"), 10, 64); err == nil {
		p.Form.ReplyTo = findNode(p.Thread, id)
		if p.Form.ReplyTo != nil {
			p.Form.Values.Parent = strconv.FormatInt(id, 10)
		}
	}
	p.Form.Token = h.token(a.ID)
	if isReaderView(r) {
		h.views.Count(a.ID)
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.template(a).Render(w, http.StatusOK, *p)
}

// template is the page template of a: a story's, or a site page's.
func (h *Handlers) template(a *article.Article) *web.Page[ArticlePage] {
	if a.Kind.IsPage() {
		return h.tpl.page
	}
	return h.tpl.article
}

func findNode(nodes []*comment.Node, id int64) *comment.Comment {
	for _, n := range nodes {
		if n.ID == id {
			return n.Comment
		}
		if c := findNode(n.Replies, id); c != nil {
			return c
		}
	}
	return nil
}

// publicArticle loads an article that readers may see now, or reports
// that there is no such page.
func (h *Handlers) publicArticle(ctx context.Context, slug string) (*article.Article, error) {
	a, err := h.store.Article(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !a.IsPublic(h.now()) {
		return nil, web.ErrNotFound
	}
	return a, nil
}

// articlePage assembles an article page. visibleTo, a commenter key hash,
// adds that reader's comments awaiting moderation.
func (h *Handlers) articlePage(r *http.Request, a *article.Article, visibleTo string) (*ArticlePage, error) {
	ctx := r.Context()
	images, err := h.images(ctx, a)
	if err != nil {
		return nil, err
	}
	featured := images[a.FeaturedMediaID]
	body, err := h.bodies.get(a, h.renderer, images, featured == nil)
	if err != nil {
		return nil, err
	}
	now := h.now()
	var related, more, story []*article.Article
	var author *AuthorProfile
	var named namedEntities
	var keys []string
	if !a.Kind.IsPage() {
		if author, err = h.authorBox(ctx, a); err != nil {
			return nil, err
		}
		if related, err = h.related(ctx, a, now); err != nil {
			return nil, err
		}
		if more, err = h.moreInSection(ctx, a, related, now); err != nil {
			return nil, err
		}
		if named, err = h.namedEntities(r, a, now); err != nil {
			return nil, err
		}
		var storyKey string
		if story, storyKey, err = h.storySoFar(ctx, a); err != nil {
			return nil, err
		}
		keys = append(named.keys, storyKey)
	}
	var comments []*comment.Comment
	// The count of approved comments is kept with them, in the same
	// transaction: the page of an article without any (most) asks for
	// none, unless the reader may see comments of their own still held.
	if a.CommentCount > 0 || visibleTo != "" {
		q := store.CommentQuery{ArticleID: a.ID, State: comment.Approved}
		if visibleTo != "" {
			q = store.CommentQuery{ArticleID: a.ID, VisibleTo: visibleTo}
		}
		if comments, err = h.store.Comments(ctx, q); err != nil {
			return nil, err
		}
	}
	settings, err := h.settings.get(ctx)
	if err != nil {
		return nil, err
	}
	p := &ArticlePage{
		Base:          h.site.Base(r, a.SearchTitle(), a.Description),
		Article:       *a,
		Body:          body.html,
		Featured:      featuredHTML(featured),
		TOC:           toc(body.outline),
		Updated:       a.UpdatedAt.Sub(a.PublishedAt) > time.Hour,
		Views:         a.Views,
		Comments:      int64(a.CommentCount),
		Related:       related,
		MoreInSection: more,
		Topics:        named.topics,
		StorySoFar:    story,
		about:         named.about,
		mentions:      named.mentions,
		keys:          keys,
		Author:        author,
		Thread:        comment.Thread(comments),
		CommentsOpen:  !h.noCommentForm && !a.CommentsClosed && !settings.ClosedFor(a.PublishedAt, now),
		Form:          CommentForm{Action: h.commentsAt + urls.PostComment(a.Slug)},
	}
	h.describeArticle(r, p, body, shareItem(featured, images, body))
	return p, nil
}

// images are the ready library images an article shows: its featured
// image and those its body names.
func (h *Handlers) images(ctx context.Context, a *article.Article) (render.Images, error) {
	images, err := newsroom.Images(ctx, h.store, a)
	return images.Of(a), err
}

// featuredHTML is the featured image above an article's body: the page's
// lead image.
func featuredHTML(it *media.Item) template.HTML {
	if it == nil {
		return ""
	}
	// render.Figure escapes the item's text.
	return template.HTML(render.Figure(it, "", true))
}

// shareItem is the library image of an article's social cards: the
// featured image, else the first library image of the body.
func shareItem(featured *media.Item, images render.Images, body *renderedBody) *media.Item {
	if featured != nil {
		return featured
	}
	if id, ok := strings.CutPrefix(body.image, render.MediaRef); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		return images[n]
	}
	return nil
}

// related lists the articles shown under "Related articles": first those
// the author requested (by title: exactly, or the most similar title the
// linking engine finds), then the engine's best matches above the floor.
// Titles that name no public article are left out.
func (h *Handlers) related(ctx context.Context, a *article.Article, now time.Time) ([]*article.Article, error) {
	var out []*article.Article
	seen := map[int64]bool{a.ID: true}
	add := func(id int64, slug, title string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, &article.Article{ID: id, Slug: slug, Title: title})
		}
	}
	if len(a.RequestedLinks) > 0 {
		found, err := h.store.PublicArticlesByTitle(ctx, a.RequestedLinks, now)
		if err != nil {
			return nil, err
		}
		byKey := make(map[string]*article.Article, len(found))
		for _, f := range found {
			byKey[article.TitleKey(f.Title)] = f
		}
		for _, title := range a.RequestedLinks {
			if f := byKey[article.TitleKey(title)]; f != nil {
				add(f.ID, f.Slug, f.Title)
			} else if h.linker != nil {
				if m, ok := h.linker.ResolveTitle(title); ok {
					add(m.ID, m.Slug, m.Title)
				}
			}
		}
	}
	if h.linker != nil {
		for _, m := range h.linker.Related(a.ID, RelatedCount, h.floor) {
			add(m.ID, m.Slug, m.Title)
		}
	}
	return out, nil
}

// authorBox is the profile of a's author, nil for none.
func (h *Handlers) authorBox(ctx context.Context, a *article.Article) (*AuthorProfile, error) {
	if a.Author == nil {
		return nil, nil
	}
	au, err := h.store.Author(ctx, a.Author.Slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p, _, err := h.profile(ctx, au)
	return p, err
}

// moreInSectionSize is how many stories "More in {section}" lists.
const moreInSectionSize = 4

// moreInSection lists the newest public stories of a's section, leaving
// out a and the related articles already shown.
func (h *Handlers) moreInSection(ctx context.Context, a *article.Article, related []*article.Article, now time.Time) ([]*article.Article, error) {
	if a.Section == nil {
		return nil, nil
	}
	shown := map[int64]bool{a.ID: true}
	for _, r := range related {
		shown[r.ID] = true
	}
	pick := func(as []*article.Article) (out []*article.Article) {
		for _, x := range as {
			if !shown[x.ID] && len(out) < moreInSectionSize {
				out = append(out, x)
			}
		}
		return out
	}
	newest := func(n int) ([]*article.Article, error) {
		return h.store.Articles(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story, SectionSlug: a.Section.Slug, Limit: n})
	}
	// The section's newest stories are the same for all its articles but
	// the ones each page leaves out: enough for most pages are read once.
	const kept = moreInSectionSize + 1 + RelatedCount
	as, err := h.latest.get(a.Section.Slug, func() ([]*article.Article, error) { return newest(kept) })
	if err != nil {
		return nil, err
	}
	out := pick(as)
	if len(out) < moreInSectionSize && len(as) == kept && len(related) > RelatedCount {
		// Links the author asked for left too few: read as many as needed.
		if as, err = newest(moreInSectionSize + 1 + len(related)); err != nil {
			return nil, err
		}
		out = pick(as)
	}
	return out, nil
}

func toc(outline []article.Heading) []TOCEntry {
	var entries []TOCEntry
	for _, hd := range outline {
		if hd.Level == 3 && len(entries) > 0 {
			last := &entries[len(entries)-1]
			last.Children = append(last.Children, hd)
			continue
		}
		entries = append(entries, TOCEntry{Heading: hd})
	}
	return entries
}
