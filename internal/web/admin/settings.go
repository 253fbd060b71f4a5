package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// SettingsPage is the site's settings and its comment policy, as stored
// or as typed when they did not validate.
type SettingsPage struct {
	Page
	Site store.SiteSettings
	// Comments holds the comment policy's fields as typed, by form name.
	Comments map[string]string
	HoldAll  bool
	Known    bool
	Errors   map[string]string
}

// Length limits of the site's settings.
const (
	maxTitleLen       = 200
	maxDescriptionLen = 1000
	maxLogoURLLen     = 2000
	maxListLines      = 5000
)

func (h *Handler) settingsForm(w http.ResponseWriter, r *http.Request) error {
	site, err := h.store.SiteSettings(r.Context())
	if err != nil {
		return err
	}
	cs, err := h.store.CommentSettings(r.Context())
	if err != nil {
		return err
	}
	p := SettingsPage{Page: h.page(r, "Settings", "settings"), Site: site, Comments: commentFields(cs), HoldAll: cs.HoldAll, Known: cs.AutoApproveKnown}
	return h.render(w, r, http.StatusOK, "settings", p)
}

// settingsSave checks every field and saves the settings only when all
// are right; otherwise the form comes back with each fault marked and
// nothing is saved.
func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request) error {
	errs := map[string]string{}
	site := store.SiteSettings{
		Title:       strings.TrimSpace(r.PostFormValue("title")),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		LogoURL:     strings.TrimSpace(r.PostFormValue("logo_url")),
		TimeZone:    strings.TrimSpace(r.PostFormValue("time_zone")),
		Language:    strings.TrimSpace(r.PostFormValue("language")),
	}
	checkText(errs, "title", site.Title, maxTitleLen)
	checkText(errs, "description", site.Description, maxDescriptionLen)
	if msg := checkLogoURL(site.LogoURL); msg != "" {
		errs["logo_url"] = msg
	}
	if site.TimeZone != "" {
		if loc, err := time.LoadLocation(site.TimeZone); err != nil || strings.EqualFold(site.TimeZone, "local") {
			errs["time_zone"] = fmt.Sprintf("%q is not a time zone: give an IANA name such as Europe/London, America/New_York or UTC.", site.TimeZone)
		} else {
			site.TimeZone = loc.String()
		}
	}
	if site.Language != "" {
		if tag, err := language.Parse(site.Language); err != nil || len(site.Language) > 35 {
			errs["language"] = fmt.Sprintf("%q is not a language tag: give a BCP 47 tag such as en, en-GB or ur-PK.", site.Language)
		} else {
			site.Language = tag.String()
		}
	}

	fields := map[string]string{}
	for _, name := range commentFieldNames {
		fields[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	cs := comment.Settings{HoldAll: r.PostFormValue("hold_all") != "", AutoApproveKnown: r.PostFormValue("auto_approve_known") != ""}
	intField := func(name string, dst *int, lo, hi int) {
		n, err := strconv.Atoi(fields[name])
		switch {
		case err != nil:
			errs[name] = fmt.Sprintf("%q is not a whole number.", fields[name])
		case n < lo || n > hi:
			errs[name] = fmt.Sprintf("Give a number from %d to %d.", lo, hi)
		default:
			*dst = n
		}
	}
	intField("max_links", &cs.MaxLinks, 0, 1000)
	intField("close_after_days", &cs.CloseAfterDays, 0, 100000)
	intField("min_form_seconds", &cs.MinFormSeconds, 0, 3600)
	intField("max_form_hours", &cs.MaxFormHours, 1, 24*365)
	intField("per_ip_per_minute", &cs.PerIPPerMinute, 1, 10000)
	intField("per_article_per_minute", &cs.PerArticlePerMinute, 1, 100000)
	cs.BlockedWords = lines(fields["blocked_words"])
	cs.BlockedEmails = lines(fields["blocked_emails"])
	cs.BlockedIPs = lines(fields["blocked_ips"])
	for _, name := range []string{"blocked_words", "blocked_emails", "blocked_ips"} {
		if !utf8.ValidString(fields[name]) {
			errs[name] = "Contains bytes that are not text (invalid UTF-8)."
		} else if n := len(lines(fields[name])); n > maxListLines {
			errs[name] = fmt.Sprintf("Give at most %d lines; there are %d.", maxListLines, n)
		}
	}
	for _, ip := range cs.BlockedIPs {
		probe := comment.DefaultSettings()
		probe.BlockedIPs = []string{ip}
		if probe.Validate() != nil {
			errs["blocked_ips"] = fmt.Sprintf("%q is not an IP address or range (such as 192.0.2.7 or 198.51.100.0/24).", ip)
			break
		}
	}
	if len(errs) == 0 {
		if err := cs.Validate(); err != nil {
			errs["comments"] = capitalize(err.Error()) + "."
		}
	}
	if len(errs) > 0 {
		p := SettingsPage{Page: h.page(r, "Settings", "settings"), Site: site, Comments: fields, HoldAll: cs.HoldAll, Known: cs.AutoApproveKnown, Errors: errs}
		p.Flash = "Nothing was saved. Please correct the fields marked below."
		return h.render(w, r, http.StatusUnprocessableEntity, "settings", p)
	}
	if err := h.store.SaveSiteSettings(r.Context(), site); err != nil {
		return err
	}
	if err := h.store.SaveCommentSettings(r.Context(), cs); err != nil {
		return err
	}
	// This node shows the change at once; the others within
	// web.SiteSettingsInterval.
	h.site.SetOverrides(web.SiteOverrides(site))
	h.audit(r, "settings changed", "site", "")
	return redirect(w, r, "/admin/settings", "saved")
}

var commentFieldNames = []string{"max_links", "close_after_days", "min_form_seconds", "max_form_hours",
	"per_ip_per_minute", "per_article_per_minute", "blocked_words", "blocked_emails", "blocked_ips"}

// commentFields writes the comment policy into the form's fields.
func commentFields(cs comment.Settings) map[string]string {
	return map[string]string{
		"max_links":              strconv.Itoa(cs.MaxLinks),
		"close_after_days":       strconv.Itoa(cs.CloseAfterDays),
		"min_form_seconds":       strconv.Itoa(cs.MinFormSeconds),
		"max_form_hours":         strconv.Itoa(cs.MaxFormHours),
		"per_ip_per_minute":      strconv.Itoa(cs.PerIPPerMinute),
		"per_article_per_minute": strconv.Itoa(cs.PerArticlePerMinute),
		"blocked_words":          strings.Join(cs.BlockedWords, "\n"),
		"blocked_emails":         strings.Join(cs.BlockedEmails, "\n"),
		"blocked_ips":            strings.Join(cs.BlockedIPs, "\n"),
	}
}

// lines splits a textarea into its non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func checkText(errs map[string]string, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		errs[field] = "Contains bytes that are not text (invalid UTF-8)."
	case utf8.RuneCountInString(s) > max:
		errs[field] = fmt.Sprintf("Give at most %d characters; this has %d.", max, utf8.RuneCountInString(s))
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' }):
		errs[field] = "Contains control characters or line breaks."
	}
}

// checkLogoURL accepts an http(s) address or a path on the site, and
// nothing that could run (javascript:, data:).
func checkLogoURL(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > maxLogoURLLen {
		return fmt.Sprintf("Give at most %d characters.", maxLogoURLLen)
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || strings.ContainsAny(s, " \t\n\"'<>`\\"):
		return fmt.Sprintf("%q is not a web address.", s)
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		return ""
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil:
		return ""
	}
	return fmt.Sprintf("%q is not an http:// or https:// address or a path on this site such as /static/logo.png.", s)
}
