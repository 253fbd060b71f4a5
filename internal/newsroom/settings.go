package newsroom

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// Length limits of the site's settings.
const (
	MaxSiteTitleLen       = 200
	MaxSiteDescriptionLen = 1000
	MaxLogoURLLen         = 2000
	// MaxTopicMinArticles bounds the articles an entity needs for a topic
	// page: past it, no newsroom would have topic pages at all.
	MaxTopicMinArticles = 1000
)

// SettingsError lists the settings refused, by name: the comment
// policy's by their JSON names ("max_form_hours"), the site's as "title",
// "description", "logo_url", "time_zone", "language" and
// "topic_min_articles". Messages do not name the setting and have no
// capital or full stop, so that a form puts them beside the field and the
// command line after the name. Nothing was saved.
type SettingsError struct{ Fields map[string]string }

func (e *SettingsError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + " " + e.Fields[name]
	}
	return strings.Join(parts, "; ")
}

// SaveSettings replaces the site's settings and its comment policy (nil
// leaves one as it is), both or neither: every setting is checked first,
// by the same rules whichever adapter asks. The site's time zone and
// language are stored in their canonical spelling. Errors: a Refusal for
// a role that may not manage settings, a *SettingsError.
func (s *Service) SaveSettings(ctx context.Context, actor Actor, site *store.SiteSettings, cs *comment.Settings) error {
	if actor.User != nil && !actor.User.Role.Can(user.ManageSettings) {
		return &Refusal{"Your role cannot change the site's settings."}
	}
	fields := map[string]string{}
	if site != nil {
		checkSite(site, fields)
		if err := s.checkPolicyPages(ctx, site, fields); err != nil {
			return err
		}
	}
	if cs != nil {
		for _, p := range cs.Problems() {
			if _, seen := fields[p.Setting]; !seen {
				fields[p.Setting] = p.Msg
			}
		}
	}
	if len(fields) > 0 {
		return &SettingsError{fields}
	}
	if site != nil {
		if err := s.store.SaveSiteSettings(ctx, *site); err != nil {
			return err
		}
	}
	if cs != nil {
		if err := s.store.SaveCommentSettings(ctx, *cs); err != nil {
			return err
		}
	}
	s.audit(ctx, actor, "settings changed", "site", "")
	return nil
}

// checkSite checks the site's settings into fields, and puts the time
// zone and language in their canonical spelling.
func checkSite(site *store.SiteSettings, fields map[string]string) {
	site.Title = strings.TrimSpace(site.Title)
	site.Description = strings.TrimSpace(site.Description)
	site.LogoURL = strings.TrimSpace(site.LogoURL)
	site.TimeZone = strings.TrimSpace(site.TimeZone)
	site.Language = strings.TrimSpace(site.Language)
	checkLine(fields, "title", site.Title, MaxSiteTitleLen)
	checkLine(fields, "description", site.Description, MaxSiteDescriptionLen)
	if msg := checkLogoURL(site.LogoURL); msg != "" {
		fields["logo_url"] = msg
	}
	if site.TimeZone != "" {
		if loc, err := time.LoadLocation(site.TimeZone); err != nil || strings.EqualFold(site.TimeZone, "local") {
			fields["time_zone"] = fmt.Sprintf("%q is not a time zone: give an IANA name such as Europe/London, America/New_York or UTC", site.TimeZone)
		} else {
			site.TimeZone = loc.String()
		}
	}
	site.TopicMinArticles = strings.TrimSpace(site.TopicMinArticles)
	if site.TopicMinArticles != "" {
		if n, err := strconv.Atoi(site.TopicMinArticles); err != nil || n < 1 || n > MaxTopicMinArticles {
			fields["topic_min_articles"] = fmt.Sprintf("%q is not a whole number from 1 to %d", site.TopicMinArticles, MaxTopicMinArticles)
		} else {
			site.TopicMinArticles = strconv.Itoa(n) // "+3" and "03" as 3
		}
	}
	if site.Language != "" {
		if tag, err := language.Parse(site.Language); err != nil || len(site.Language) > 35 {
			fields["language"] = fmt.Sprintf("%q is not a language tag: give a BCP 47 tag such as en, en-GB or ur-PK", site.Language)
		} else {
			site.Language = tag.String()
		}
	}
}

// checkPolicyPages accepts as the publishing principles and corrections
// policy only pages of the site (by slug).
func (s *Service) checkPolicyPages(ctx context.Context, site *store.SiteSettings, fields map[string]string) error {
	for _, f := range []struct {
		name string
		slug *string
	}{{"publishing_principles", &site.PublishingPrinciples}, {"corrections_policy", &site.CorrectionsPolicy}} {
		*f.slug = strings.Trim(strings.TrimSpace(*f.slug), "/")
		if *f.slug == "" {
			continue
		}
		a, err := s.store.Article(ctx, *f.slug)
		switch {
		case errors.Is(err, store.ErrNotFound):
			fields[f.name] = fmt.Sprintf("no page has the slug %q", *f.slug)
		case err != nil:
			return err
		case !a.Kind.IsPage():
			fields[f.name] = fmt.Sprintf("%q is a story, not a page of the site", *f.slug)
		}
	}
	return nil
}

func checkLine(fields map[string]string, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		fields[field] = "contains bytes that are not text (invalid UTF-8)"
	case utf8.RuneCountInString(s) > max:
		fields[field] = fmt.Sprintf("give at most %d characters; this has %d", max, utf8.RuneCountInString(s))
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' }):
		fields[field] = "contains control characters or line breaks"
	}
}

// checkLogoURL accepts an http(s) address or a path on the site, and
// nothing that could run (javascript:, data:).
func checkLogoURL(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > MaxLogoURLLen {
		return fmt.Sprintf("give at most %d characters", MaxLogoURLLen)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || strings.ContainsAny(s, " \t\n\"'<>`\\"):
		return fmt.Sprintf("%q is not a web address", s)
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		return ""
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil:
		return ""
	}
	return fmt.Sprintf("%q is not an http:// or https:// address or a path on this site such as /static/logo.png", s)
}
