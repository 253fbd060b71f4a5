package article

import (
	"strings"
	"unicode/utf8"
)

// Limits on a section's fields.
const (
	MaxSectionNameLen        = 80
	MaxSectionDescriptionLen = 1000
	MaxSections              = 200
)

// Section is a part of the newspaper ("World", "Politics", "Analysis"):
// every article belongs to one, its primary section, which names its
// front page, its breadcrumb and its place on the home page. Sections are
// listed in Position order, the order of the menu and of the home page's
// blocks.
type Section struct {
	ID          int64
	Slug        string
	Name        string
	Description string
	Position    int
	// Articles counts the section's articles of every status, when the
	// store lists sections.
	Articles int
}

// Normalize trims s's fields, derives a missing slug from the name and
// checks them, with errors keyed by field.
func (s *Section) Normalize() error {
	s.Name = strings.TrimSpace(s.Name)
	s.Description = strings.TrimSpace(s.Description)
	s.Slug = strings.TrimSpace(s.Slug)
	switch n := utf8.RuneCountInString(s.Name); {
	case n == 0:
		return invalid("name", "a section needs a name")
	case n > MaxSectionNameLen:
		return invalid("name", "the name is %d characters, more than %d", n, MaxSectionNameLen)
	}
	if n := utf8.RuneCountInString(s.Description); n > MaxSectionDescriptionLen {
		return invalid("description", "the description is %d characters, more than %d", n, MaxSectionDescriptionLen)
	}
	if s.Slug == "" {
		s.Slug = Slugify(s.Name)
	}
	if err := ValidateSlug(s.Slug); err != nil {
		return invalid("slug", "%v", err)
	}
	return nil
}

// SectionID returns the ID of a's section, 0 for none.
func (a *Article) SectionID() int64 {
	if a.Section == nil {
		return 0
	}
	return a.Section.ID
}
