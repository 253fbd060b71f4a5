package public

import (
	"context"
	"html/template"
	"net/http"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/urls"
)

// profile is an author's profile for their page and the author box, with
// the photo's library item (nil for none, or one not ready).
func (h *Handlers) profile(ctx context.Context, au *article.Author) (*AuthorProfile, *media.Item, error) {
	p := &AuthorProfile{Slug: au.Slug, Name: au.Name, Bio: au.Bio}
	if au.Profile == nil {
		return p, nil, nil
	}
	p.RoleTitle, p.Links = au.Profile.RoleTitle, au.Profile.Links
	if au.Profile.PhotoMediaID == 0 {
		return p, nil, nil
	}
	images, err := newsroom.ImagesByID(ctx, h.store, au.Profile.PhotoMediaID)
	if err != nil {
		return nil, nil, err
	}
	it := images[au.Profile.PhotoMediaID]
	if it != nil {
		// render escapes the item's text.
		p.Photo = template.HTML(render.Portrait(it, au.Name))
	}
	return p, it, nil
}

// profilePage is the ProfilePage data of an author's page, about the
// Person.
func (h *Handlers) profilePage(r *http.Request, au *article.Author, photo *media.Item) map[string]any {
	person := map[string]any{"@type": "Person", "name": au.Name, "url": h.site.AbsURL(r, urls.Author(au.Slug))}
	if au.Bio != "" {
		person["description"] = au.Bio
	}
	if p := au.Profile; p != nil {
		if p.RoleTitle != "" {
			person["jobTitle"] = p.RoleTitle
		}
		var sameAs []string
		for _, l := range p.Links {
			sameAs = append(sameAs, l.URL)
		}
		if len(sameAs) > 0 {
			person["sameAs"] = sameAs
		}
	}
	if photo != nil {
		for _, v := range photo.Variants {
			if v.Name == "1x1" && v.Format != media.WebP {
				person["image"] = h.site.AbsURL(r, urls.Media(photo.Hash, v.File()))
			}
		}
	}
	person["worksFor"] = map[string]any{"@type": "NewsMediaOrganization", "name": h.site.Current().Title, "url": h.site.AbsURL(r, urls.Home)}
	return seo.WithContext(map[string]any{"@type": "ProfilePage", "url": h.site.AbsURL(r, urls.Author(au.Slug)), "mainEntity": person})
}
