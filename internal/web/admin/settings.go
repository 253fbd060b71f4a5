package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/newsroom"
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
	// Policies are the selects of the pages that state the publishing
	// principles and the corrections policy.
	Policies []SelectField
}

// DefaultTopicMinArticles is what an empty "articles for a topic page"
// means, which the form shows.
func (SettingsPage) DefaultTopicMinArticles() int { return newsroom.DefaultTopicMinArticles }

// MaxTopicMinArticles is the most that field takes.
func (SettingsPage) MaxTopicMinArticles() int { return newsroom.MaxTopicMinArticles }

// SelectField is a select of a form, with its options.
type SelectField struct {
	Name, Label, Hint string
	Options           []Option
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// policyFields are the selects of the policy pages, each offering "none"
// and every page of the site, with the slug of site selected. A slug
// that names no page (typed, or a page deleted since) is offered too, so
// that the form shows what is set and its error.
func (h *Handler) policyFields(r *http.Request, site store.SiteSettings) ([]SelectField, error) {
	pages, err := h.store.Articles(r.Context(), store.ArticleQuery{Kind: store.AnyPage})
	if err != nil {
		return nil, err
	}
	field := func(name, label, hint, current string) SelectField {
		f := SelectField{Name: name, Label: label, Hint: hint, Options: []Option{{Value: "", Label: "None", Selected: current == ""}}}
		found := current == ""
		for _, a := range pages {
			o := Option{Value: a.Slug, Label: fmt.Sprintf("%s (/%s/)", a.Title, a.Slug), Selected: a.Slug == current}
			if a.Status != article.Published {
				o.Label += " – " + string(a.Status)
			}
			found = found || o.Selected
			f.Options = append(f.Options, o)
		}
		if !found {
			f.Options = append(f.Options, Option{Value: current, Label: fmt.Sprintf("/%s/ (not a page of the site)", current), Selected: true})
		}
		return f
	}
	return []SelectField{
		field("publishing_principles", "Publishing principles page", "how the newsroom works: its standards and ethics", site.PublishingPrinciples),
		field("corrections_policy", "Corrections policy page", "how readers ask for a correction and how corrections are made", site.CorrectionsPolicy),
	}, nil
}

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
	if p.Policies, err = h.policyFields(r, site); err != nil {
		return err
	}
	return writePage(w, r, http.StatusOK, h.tpl.settings, p)
}

// settingsSave reads the form and saves the settings through the
// newsroom, which checks every field: when any is wrong the form comes
// back with each fault marked and nothing is saved.
func (h *Handler) settingsSave(w http.ResponseWriter, r *http.Request) error {
	errs := map[string]string{}
	site := store.SiteSettings{
		Title:       r.PostFormValue("title"),
		Description: r.PostFormValue("description"),
		LogoURL:     r.PostFormValue("logo_url"),
		TimeZone:    r.PostFormValue("time_zone"),
		Language:    r.PostFormValue("language"),

		PublishingPrinciples: r.PostFormValue("publishing_principles"),
		CorrectionsPolicy:    r.PostFormValue("corrections_policy"),
		TopicMinArticles:     r.PostFormValue("topic_min_articles"),
	}
	fields := map[string]string{}
	for _, name := range commentFieldNames {
		fields[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	cs := comment.Settings{HoldAll: r.PostFormValue("hold_all") != "", AutoApproveKnown: r.PostFormValue("auto_approve_known") != ""}
	number := func(name string, dst *int) {
		n, err := strconv.Atoi(fields[name])
		if err != nil {
			errs[name] = fmt.Sprintf("%q is not a whole number.", fields[name])
		}
		*dst = n
	}
	number("max_links", &cs.MaxLinks)
	number("close_after_days", &cs.CloseAfterDays)
	number("min_form_seconds", &cs.MinFormSeconds)
	number("max_form_hours", &cs.MaxFormHours)
	number("per_ip_per_minute", &cs.PerIPPerMinute)
	number("per_article_per_minute", &cs.PerArticlePerMinute)
	cs.BlockedWords = lines(fields["blocked_words"])
	cs.BlockedEmails = lines(fields["blocked_emails"])
	cs.BlockedIPs = lines(fields["blocked_ips"])

	var err error
	if len(errs) == 0 {
		err = h.news.SaveSettings(r.Context(), actorOf(r), &site, &cs)
	}
	var invalid *newsroom.SettingsError
	if errors.As(err, &invalid) {
		for name, msg := range invalid.Fields {
			errs[name] = upperFirst(msg) + "."
		}
	} else if err != nil {
		return err
	}
	if len(errs) > 0 {
		p := SettingsPage{Page: h.page(r, "Settings", "settings"), Site: site, Comments: fields, HoldAll: cs.HoldAll, Known: cs.AutoApproveKnown, Errors: errs}
		p.Flash = "Nothing was saved. Please correct the fields marked below."
		if p.Policies, err = h.policyFields(r, site); err != nil {
			return err
		}
		return writePage(w, r, http.StatusUnprocessableEntity, h.tpl.settings, p)
	}
	// This node shows the change at once; the others within
	// web.SiteSettingsInterval.
	h.site.SetOverrides(web.SiteOverrides(site))
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
