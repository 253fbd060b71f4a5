package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
)

func settingsCommand() *command {
	return &command{
		name:    "settings",
		summary: "show and change the site's settings (its title, language, policy pages and comment policy)",
		subs: []*command{
			{
				name:     "show",
				readOnly: true,
				summary:  "print the settings as JSON",
				run: func(e *env, fs *flag.FlagSet) int {
					if fs.NArg() != 0 {
						return usage(e, fs, "takes no arguments")
					}
					return withStore(e, fs, func(s store.Store) error {
						site, err := s.SiteSettings(e.ctx)
						if err != nil {
							return err
						}
						cs, err := s.CommentSettings(e.ctx)
						if err != nil {
							return err
						}
						return writeJSON(e.stdout, map[string]any{"site": siteJSON(site), "comments": cs})
					})
				},
			},
			{
				name: "set",
				args: "site.KEY|comments.KEY VALUE",
				summary: "change one setting; lists are comma-separated, and \"\" empties a site setting (run 'settings show' for the keys); " +
					"site.publishing_principles and site.corrections_policy name pages by slug",
				run: func(e *env, fs *flag.FlagSet) int {
					if fs.NArg() != 2 {
						return usage(e, fs, "give a key and a value, such as: site.title \"Dateline Selvik\" or comments.max_links 3")
					}
					key, value := fs.Arg(0), fs.Arg(1)
					return withStore(e, fs, func(s store.Store) error {
						var site *store.SiteSettings
						var cs *comment.Settings
						prefix := "comments."
						if name, ok := strings.CutPrefix(key, "site."); ok {
							current, err := s.SiteSettings(e.ctx)
							if err != nil {
								return err
							}
							if err := setSiteSetting(&current, name, value); err != nil {
								return err
							}
							site, prefix = &current, "site."
						} else {
							current, err := s.CommentSettings(e.ctx)
							if err != nil {
								return err
							}
							if err := setCommentSetting(&current, key, value); err != nil {
								return err
							}
							cs = &current
						}
						err := newsroomOf(e, s).SaveSettings(e.ctx, cliAs, site, cs)
						var invalid *newsroom.SettingsError
						if errors.As(err, &invalid) {
							return settingsError(prefix, invalid)
						}
						if err != nil {
							return err
						}
						if site != nil {
							// As saved: the time zone and language in their
							// canonical spelling.
							value = *siteFields(site)[strings.TrimPrefix(key, "site.")]
						}
						fmt.Fprintf(e.stdout, "%s = %s\n", key, value)
						return nil
					})
				},
			},
		},
	}
}

// settingsError is the settings refused, each after its key, in the same
// words as the admin's.
func settingsError(prefix string, invalid *newsroom.SettingsError) error {
	names := make([]string, 0, len(invalid.Fields))
	for name := range invalid.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		names[i] = prefix + name + " " + invalid.Fields[name]
	}
	return errors.New(strings.Join(names, "; "))
}

// siteFields are the site's settings by the names the admin's errors
// (newsroom.SettingsError) and 'settings show' give them.
func siteFields(site *store.SiteSettings) map[string]*string {
	return map[string]*string{
		"title":                 &site.Title,
		"description":           &site.Description,
		"logo_url":              &site.LogoURL,
		"time_zone":             &site.TimeZone,
		"language":              &site.Language,
		"publishing_principles": &site.PublishingPrinciples,
		"corrections_policy":    &site.CorrectionsPolicy,
		"topic_min_articles":    &site.TopicMinArticles,
	}
}

// siteSettingsJSON is the site's settings as 'settings show' prints them,
// by the names of siteFields.
type siteSettingsJSON struct {
	Title                string `json:"title"`
	Description          string `json:"description"`
	LogoURL              string `json:"logo_url"`
	TimeZone             string `json:"time_zone"`
	Language             string `json:"language"`
	PublishingPrinciples string `json:"publishing_principles"`
	CorrectionsPolicy    string `json:"corrections_policy"`
	TopicMinArticles     string `json:"topic_min_articles"`
}

func siteJSON(site store.SiteSettings) siteSettingsJSON {
	return siteSettingsJSON{Title: site.Title, Description: site.Description, LogoURL: site.LogoURL, TimeZone: site.TimeZone,
		Language: site.Language, PublishingPrinciples: site.PublishingPrinciples, CorrectionsPolicy: site.CorrectionsPolicy,
		TopicMinArticles: site.TopicMinArticles}
}

// setSiteSetting sets one of the site's settings by name.
func setSiteSetting(site *store.SiteSettings, name, value string) error {
	fields := siteFields(site)
	field, ok := fields[name]
	if !ok {
		return unknownSetting("site." + name)
	}
	*field = value
	return nil
}

// unknownSetting refuses key, naming the settings there are.
func unknownSetting(key string) error {
	var keys []string
	for name := range siteFields(&store.SiteSettings{}) {
		keys = append(keys, "site."+name)
	}
	raw, err := json.Marshal(comment.Settings{})
	if err != nil {
		return err
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	for name := range fields {
		keys = append(keys, "comments."+name)
	}
	sort.Strings(keys)
	return fmt.Errorf("unknown setting %q; the settings are %s", key, strings.Join(keys, ", "))
}

// setCommentSetting sets one field of the comment policy by its JSON name,
// parsing value by the field's type.
func setCommentSetting(cs *comment.Settings, key, value string) error {
	name, ok := strings.CutPrefix(key, "comments.")
	raw, err := json.Marshal(cs)
	if err != nil {
		return err
	}
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	current, known := fields[name]
	if !ok || !known {
		return unknownSetting(key)
	}
	switch current.(type) {
	case bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("%s takes true or false, not %q", key, value)
		}
		fields[name] = b
	case float64:
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("%s takes a whole number, not %q", key, value)
		}
		fields[name] = n
	default: // a list, or null for an empty one
		var list []string
		for _, item := range strings.Split(value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				list = append(list, item)
			}
		}
		fields[name] = list
	}
	raw, err = json.Marshal(fields)
	if err != nil {
		return err
	}
	*cs = comment.Settings{}
	return json.Unmarshal(raw, cs)
}
