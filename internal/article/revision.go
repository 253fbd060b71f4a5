package article

import "time"

// Revision is an earlier version of an article, kept each time the article
// changes so that any change can be undone.
type Revision struct {
	Number      int // 1 for the oldest kept version of the article
	ArticleID   int64
	Title       string
	Slug        string
	Description string
	Body        string
	Status      Status
	PublishedAt time.Time
	Tags        []Tag
	// RequestedLinks are the requested internal links of that version.
	RequestedLinks []string
	FocusKeyphrase string
	SEOTitle       string
	// FeaturedMediaID is the featured image of that version; 0 for none.
	FeaturedMediaID int64
	// SectionID is the section of that version; 0 for none.
	SectionID int64
	// Updates are the update notes of that version.
	Updates []Update
	// SavedAt is when this version was replaced by a newer one.
	SavedAt time.Time
	// Note says what replaced it, such as "import" or "restore of revision 2".
	Note string
}

// RevisionOf captures the current state of a before it changes.
func RevisionOf(a *Article) Revision {
	return Revision{
		ArticleID:       a.ID,
		Title:           a.Title,
		Slug:            a.Slug,
		Description:     a.Description,
		Body:            a.Body,
		Status:          a.Status,
		PublishedAt:     a.PublishedAt,
		Tags:            append([]Tag(nil), a.Tags...),
		RequestedLinks:  append([]string(nil), a.RequestedLinks...),
		FocusKeyphrase:  a.FocusKeyphrase,
		SEOTitle:        a.SEOTitle,
		FeaturedMediaID: a.FeaturedMediaID,
		SectionID:       a.SectionID(),
		Updates:         append([]Update(nil), a.Updates...),
	}
}

// Restore puts the content of r back into a. The slug of a public article
// is kept, as with any other edit; the caller saves a as a new version, so
// that the restore itself can be undone.
func (a *Article) Restore(r Revision, now time.Time) {
	next := *a
	next.Title = r.Title
	next.Slug = r.Slug
	next.Description = r.Description
	next.Body = r.Body
	next.Tags = append([]Tag(nil), r.Tags...)
	next.RequestedLinks = append([]string(nil), r.RequestedLinks...)
	next.FocusKeyphrase = r.FocusKeyphrase
	next.SEOTitle = r.SEOTitle
	next.FeaturedMediaID = r.FeaturedMediaID
	next.Updates = append([]Update(nil), r.Updates...)
	next.Section = nil
	if r.SectionID != 0 {
		// The caller finds the section's slug before saving.
		next.Section = &Section{ID: r.SectionID}
	}
	KeepPublishedSlug(a, &next, now)
	*a = next
}
