package public

import (
	"context"
	"errors"
	"html/template"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// How much the front page shows besides the lead and secondary stories.
const (
	blockSize    = 4  // stories in each section's block
	latestSize   = 10 // headlines under "Latest"
	mostReadSize = 5  // headlines under "Most read"
	// mostReadWindow is the time "Most read" counts views over. Views are
	// kept by day, so it covers today and the day before.
	mostReadWindow = 48 * time.Hour
)

// FrontPage is what the home page shows above its list of the latest
// stories: the lead, the secondary row, a block per section in menu
// order, and the most read. Editors pin stories to the lead and
// secondary slots; the slots left fill with the newest stories (an
// unpinned lead with the newest that has a photo).
type FrontPage struct {
	Lead      *Card
	Secondary []Card
	Blocks    []SectionBlock
	Latest    []*article.Article
	MostRead  []*article.Article
}

// SectionBlock is a section's newest stories on the front page.
type SectionBlock struct {
	Section article.Section
	Cards   []Card
}

// frontPage assembles the front page at time now. A pinned story that is
// not public now (unpublished, or scheduled for later) leaves its slot
// to the newest. It reports the time of the last change it shows.
func (h *Handlers) frontPage(ctx context.Context, now time.Time) (*FrontPage, time.Time, error) {
	newest, err := h.store.Articles(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story, Limit: newsroom.FrontPageSlots + latestSize})
	if err != nil {
		return nil, time.Time{}, err
	}
	pins, err := h.store.Pins(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	used := map[int64]bool{}
	var top []*article.Article
	for _, id := range pins {
		a, err := h.store.ArticleByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		if a.IsPublic(now) && !a.Kind.IsPage() && len(top) < newsroom.FrontPageSlots {
			top = append(top, a)
			used[a.ID] = true
		}
	}
	if len(top) == 0 {
		// An unpinned lead is the newest story with a photo, when one
		// of the newest has one: the lead is the page's picture.
		for _, a := range newest {
			if a.FeaturedMediaID != 0 {
				top = append(top, a)
				used[a.ID] = true
				break
			}
		}
	}
	for _, a := range newest {
		if len(top) == newsroom.FrontPageSlots {
			break
		}
		if !used[a.ID] {
			top = append(top, a)
			used[a.ID] = true
		}
	}
	sections, err := h.store.Sections(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	type block struct {
		section  article.Section
		articles []*article.Article
	}
	var blocks []block
	for _, se := range sections {
		if se.Articles == 0 {
			continue
		}
		// The block's stories are those not shown above it already.
		as, err := h.store.Articles(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story, SectionSlug: se.Slug, Limit: blockSize + len(top)})
		if err != nil {
			return nil, time.Time{}, err
		}
		var shown []*article.Article
		for _, a := range as {
			if !used[a.ID] && len(shown) < blockSize {
				shown = append(shown, a)
			}
		}
		if len(shown) > 0 {
			blocks = append(blocks, block{se, shown})
		}
	}
	mostRead, err := h.mostRead(ctx, now)
	if err != nil {
		return nil, time.Time{}, err
	}

	// One query for the pictures of every story shown.
	all := append([]*article.Article(nil), top...)
	for _, b := range blocks {
		all = append(all, b.articles...)
	}
	images, err := newsroom.Images(ctx, h.store, all...)
	if err != nil {
		return nil, time.Time{}, err
	}
	fp := &FrontPage{Latest: newest[:min(latestSize, len(newest))], MostRead: mostRead}
	for i, a := range top {
		c := Card{Article: a}
		if it := images[a.FeaturedMediaID]; it != nil {
			// render escapes the item's text.
			if i == 0 {
				c.Thumb = template.HTML(render.Picture(it, "", true))
			} else {
				c.Thumb = template.HTML(render.Teaser(it))
			}
		}
		if i == 0 {
			fp.Lead = &c
		} else {
			fp.Secondary = append(fp.Secondary, c)
		}
	}
	for _, b := range blocks {
		sb := SectionBlock{Section: b.section}
		for i, a := range b.articles {
			c := Card{Article: a}
			// The block's first story has its picture; the rest are
			// headlines.
			if it := images[a.FeaturedMediaID]; it != nil && i == 0 {
				c.Thumb = template.HTML(render.Thumbnail(it, false))
			}
			sb.Cards = append(sb.Cards, c)
		}
		fp.Blocks = append(fp.Blocks, sb)
	}
	return fp, lastUpdate(all), nil
}

// mostRead lists the public stories read most over mostReadWindow.
func (h *Handlers) mostRead(ctx context.Context, now time.Time) ([]*article.Article, error) {
	// Some spare, for stories no longer public.
	views, err := h.store.MostRead(ctx, now.Add(-mostReadWindow), now, 4*mostReadSize)
	if err != nil || len(views) == 0 {
		return nil, err
	}
	slugs := make([]string, len(views))
	for i, v := range views {
		slugs[i] = v.Slug
	}
	public, err := h.store.Articles(ctx, store.ArticleQuery{PublicAt: now, Kind: article.Story, Slugs: slugs})
	if err != nil {
		return nil, err
	}
	bySlug := make(map[string]*article.Article, len(public))
	for _, a := range public {
		bySlug[a.Slug] = a
	}
	var out []*article.Article
	for _, v := range views {
		if a := bySlug[v.Slug]; a != nil && len(out) < mostReadSize {
			out = append(out, a)
		}
	}
	return out, nil
}

// articles are every story the front page shows, for its cache tags.
func (f *FrontPage) articles() []*article.Article {
	var as []*article.Article
	if f.Lead != nil {
		as = append(as, f.Lead.Article)
	}
	for _, c := range f.Secondary {
		as = append(as, c.Article)
	}
	for _, b := range f.Blocks {
		for _, c := range b.Cards {
			as = append(as, c.Article)
		}
	}
	as = append(as, f.Latest...)
	return append(as, f.MostRead...)
}
