package newsroom

import (
	"context"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// Images reads the ready library images of articles (their featured
// images, those their bodies name) with one query, for pages and the SEO
// analysis.
func Images(ctx context.Context, s store.MediaStore, as ...*article.Article) (render.Images, error) {
	var ids []int64
	for _, a := range as {
		if a.FeaturedMediaID != 0 {
			ids = append(ids, a.FeaturedMediaID)
		}
		ids = append(ids, a.MediaIDs...)
	}
	return ImagesByID(ctx, s, ids...)
}

// ImagesByID reads the ready library images with the given IDs with one
// query.
func ImagesByID(ctx context.Context, s store.MediaStore, ids ...int64) (render.Images, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	items, err := s.MediaItems(ctx, store.MediaQuery{IDs: ids, State: media.Ready})
	if err != nil {
		return nil, err
	}
	images := make(render.Images, len(items))
	for _, it := range items {
		images[it.ID] = it
	}
	return images, nil
}
