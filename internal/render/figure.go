package render

import (
	"cmp"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/urls"
)

// Images are the library images a page may show, by ID.
type Images map[int64]*media.Item

// Of are the images among images that article a shows: its featured
// image and those its body names.
func (images Images) Of(a *article.Article) Images {
	if len(images) == 0 {
		return nil
	}
	out := Images{}
	for _, id := range append([]int64{a.FeaturedMediaID}, a.MediaIDs...) {
		if it := images[id]; it != nil {
			out[id] = it
		}
	}
	return out
}

// MediaRef is how a Markdown body names a library image:
// ![alt text](media:42).
const MediaRef = "media:"

// ImageSizes tells the browser how wide an article's images are shown: the
// text column (42rem, see style.css) or the whole screen below it.
const ImageSizes = "(min-width: 44rem) 42rem, 100vw"

// widths are an item's responsive variants of format f, narrowest first.
func widths(it *media.Item, f media.Format) []media.Variant {
	var vs []media.Variant
	for _, v := range it.Variants {
		if v.Format == f && strings.HasPrefix(v.Name, "w") {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(a, b media.Variant) int { return cmp.Compare(a.Width, b.Width) })
	return vs
}

// fallback is the format of an item's variants for browsers without
// WebP: the other one it was made in (the original's; PNG for a GIF).
func fallback(it *media.Item) media.Format {
	for _, v := range it.Variants {
		if v.Format != media.WebP {
			return v.Format
		}
	}
	return media.WebP
}

func srcset(it *media.Item, vs []media.Variant) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = urls.Media(it.Hash, v.File()) + " " + strconv.Itoa(v.Width) + "w"
	}
	return strings.Join(parts, ", ")
}

// Picture is the HTML of a library image at every width it was made in:
// WebP for browsers that take it, the original's format for the others,
// with its width and height so that the page does not move as it loads.
// The lead image (the page's largest paint) loads at once, with high
// priority; the others when they come near. alt replaces the item's alt
// text when not empty. Picture is "" for an item without variants.
func Picture(it *media.Item, alt string, lead bool) string {
	if alt == "" {
		alt = it.Alt
	}
	return picture(it, alt, lead, ImageSizes, 960)
}

// ThumbnailSizes is how wide a listing shows an article's thumbnail (see
// style.css).
const ThumbnailSizes = "8rem"

// Thumbnail is an article's featured image as a listing shows it: small,
// beside the headline, which says what it shows (so its alt text is
// empty). Only the first of a listing may be its lead image.
func Thumbnail(it *media.Item, lead bool) string {
	return picture(it, "", lead, ThumbnailSizes, 320)
}

// TeaserSizes is how wide the front page shows a secondary story's
// picture (see style.css): a quarter of the wide layout's main column,
// else half the screen.
const TeaserSizes = "(min-width: 64rem) 12rem, 45vw"

// Teaser is an article's featured image as a front page's row of stories
// shows it, above the headline, which says what it shows.
func Teaser(it *media.Item) string {
	return picture(it, "", false, TeaserSizes, 640)
}

// PortraitSizes is how wide author pages and author boxes show an
// author's photo (see style.css).
const PortraitSizes = "5rem"

// Portrait is an author's photo, small, for the author's page and the
// author box under their articles; alt names the author.
func Portrait(it *media.Item, alt string) string {
	return picture(it, alt, false, PortraitSizes, 320)
}

// picture is a <picture> shown at sizes; its fallback src is the first
// width from near (for browsers without srcset).
func picture(it *media.Item, alt string, lead bool, sizes string, near int) string {
	webp, other := widths(it, media.WebP), widths(it, fallback(it))
	if fallback(it) == media.WebP {
		webp = nil
	}
	if len(other) == 0 {
		return ""
	}
	src := other[len(other)-1]
	for _, v := range other {
		if v.Width >= near {
			src = v
			break
		}
	}
	loading := `loading="lazy" decoding="async"`
	if lead {
		loading = `fetchpriority="high" decoding="async"`
	}
	var b strings.Builder
	b.WriteString("<picture>")
	if len(webp) > 0 {
		fmt.Fprintf(&b, `<source type="image/webp" srcset="%s" sizes="%s">`, srcset(it, webp), sizes)
	}
	fmt.Fprintf(&b, `<img src="%s" srcset="%s" sizes="%s" width="%d" height="%d" alt="%s" %s>`,
		urls.Media(it.Hash, src.File()), srcset(it, other), sizes, src.Width, src.Height, html.EscapeString(alt), loading)
	b.WriteString("</picture>")
	return b.String()
}

// Figure is Picture with the item's caption and credit below it, in a
// <figure>.
func Figure(it *media.Item, alt string, lead bool) string {
	picture := Picture(it, alt, lead)
	if picture == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<figure class="photo">`)
	b.WriteString(picture)
	if it.Caption != "" || it.Credit != "" {
		b.WriteString("<figcaption>")
		b.WriteString(html.EscapeString(it.Caption))
		if it.Credit != "" {
			if it.Caption != "" {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, `<span class="credit">Photo: %s</span>`, html.EscapeString(it.Credit))
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String()
}

// MediaIDs are the library images a Markdown body names (media:ID), each
// once, in ID order.
func MediaIDs(body string) []int64 {
	var ids []int64
	for rest := body; ; {
		i := strings.Index(rest, "]("+MediaRef)
		if i < 0 {
			break
		}
		rest = rest[i+2+len(MediaRef):]
		end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(rest)
		}
		if id, err := strconv.ParseInt(rest[:end], 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
