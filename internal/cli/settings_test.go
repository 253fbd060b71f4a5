package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// settingsOf is 'settings show' as printed.
func settingsOf(t *testing.T, db string) (site siteSettingsJSON, comments map[string]any) {
	t.Helper()
	var got struct {
		Site     siteSettingsJSON `json:"site"`
		Comments map[string]any   `json:"comments"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "settings", "show", "--db", db)), &got); err != nil {
		t.Fatal(err)
	}
	return got.Site, got.Comments
}

func TestSiteSettings(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			mustRun(t, "article", "set-kind", budget, "page", "--db", db)
			mustRun(t, "article", "set-kind", cranes, "about", "--db", db)
			for _, test := range []struct{ key, value, out string }{
				{"site.title", "Dateline Selvik", "site.title = Dateline Selvik\n"},
				{"site.description", "News from Selvik and the Ems valley.", "site.description = News from Selvik and the Ems valley.\n"},
				{"site.logo_url", "/static/logo.png", "site.logo_url = /static/logo.png\n"},
				{"site.time_zone", "Europe/Oslo", "site.time_zone = Europe/Oslo\n"},
				{"site.language", "EN-gb", "site.language = en-GB\n"}, // as stored
				{"site.publishing_principles", "/" + cranes + "/", "site.publishing_principles = " + cranes + "\n"},
				{"site.corrections_policy", budget, "site.corrections_policy = " + budget + "\n"},
				{"comments.max_links", "3", "comments.max_links = 3\n"},
			} {
				if out := mustRun(t, "settings", "set", test.key, test.value, "--db", db); out != test.out {
					t.Errorf("settings set %s %q printed %q, want %q", test.key, test.value, out, test.out)
				}
			}
			want := siteSettingsJSON{Title: "Dateline Selvik", Description: "News from Selvik and the Ems valley.", LogoURL: "/static/logo.png",
				TimeZone: "Europe/Oslo", Language: "en-GB", PublishingPrinciples: cranes, CorrectionsPolicy: budget}
			site, comments := settingsOf(t, db)
			if diff := cmp.Diff(want, site); diff != "" {
				t.Errorf("site settings (-want +got):\n%s", diff)
			}
			if comments["max_links"] != 3.0 {
				t.Errorf("comments.max_links = %v, want 3", comments["max_links"])
			}

			// Refused: nothing changes.
			for _, test := range []struct{ key, value, want string }{
				{"site.corrections_policy", tram, `site.corrections_policy "` + tram + `" is a story, not a page of the site`},
				{"site.publishing_principles", "nope", `site.publishing_principles no page has the slug "nope"`},
				{"site.time_zone", "Mars/Olympus", `site.time_zone "Mars/Olympus" is not a time zone`},
				{"site.language", "not a language", `site.language "not a language" is not a language tag`},
				{"site.logo_url", "javascript:alert(1)", `site.logo_url "javascript:alert(1)" is not an http:// or https:// address`},
				{"site.title", strings.Repeat("x", 201), "site.title give at most 200 characters; this has 201"},
				{"site.colour", "red", `unknown setting "site.colour"; the settings are comments.auto_approve_known,`},
				{"colour", "red", `unknown setting "colour"; the settings are`},
				{"comments.max_links", "many", `comments.max_links takes a whole number, not "many"`},
			} {
				wantFailure(t, exitFail, test.want, "settings", "set", test.key, test.value, "--db", db)
			}
			if _, errOut, _ := dateline(t, "settings", "set", "site.colour", "red", "--db", db); !strings.Contains(errOut, "site.corrections_policy") || !strings.Contains(errOut, "site.title") {
				t.Errorf("an unknown key does not list the site's keys: %s", errOut)
			}
			if got, _ := settingsOf(t, db); got != want {
				t.Errorf("after refused changes the site settings are %+v, want %+v", got, want)
			}
			wantFailure(t, exitUsage, "give a key and a value", "settings", "set", "site.title", "--db", db)

			// An empty value clears a setting.
			mustRun(t, "settings", "set", "site.corrections_policy", "", "--db", db)
			if got, _ := settingsOf(t, db); got.CorrectionsPolicy != "" || got.Title != "Dateline Selvik" {
				t.Errorf("after clearing the corrections policy: %+v", got)
			}
			// A policy page made a story again: set-kind says the
			// settings still name it.
			if out := mustRun(t, "article", "set-kind", cranes, "article", "--db", db); !strings.Contains(out, "the settings still name it as site.publishing_principles") {
				t.Errorf("set-kind of the publishing principles printed %q", out)
			}
		})
	}
}
