package web

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// catalogueKeys returns the message IDs of the catalogue file of lang,
// and which of them have plural forms.
func catalogueKeys(t *testing.T, lang string) map[string]bool {
	t.Helper()
	src, err := localeFiles.ReadFile("locales/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var messages map[string]any
	if err := json.Unmarshal(src, &messages); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	keys := map[string]bool{}
	for k, v := range messages {
		_, plural := v.(map[string]any)
		keys[k] = plural
	}
	return keys
}

var (
	templateMessage = regexp.MustCompile(`\{\{-?\s*(t|tn)\s+"([^"]+)"`)
	goMessage       = regexp.MustCompile(`\.(Text|Plural)\("([^"]+)"`)
)

// usedMessages finds the message IDs the public templates and the Go
// code of web and web/public ask for, with whether they ask for the
// plural forms.
func usedMessages(t *testing.T) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templateFiles, path)
		for _, m := range templateMessage.FindAllStringSubmatch(string(src), -1) {
			used[m[2]] = m[1] == "tn"
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{".", "public"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range goMessage.FindAllStringSubmatch(string(src), -1) {
				used[m[2]] = m[1] == "Plural"
			}
		}
	}
	if len(used) < 40 {
		t.Fatalf("found %d messages in the templates and the code; has the way they are asked for changed?", len(used))
	}
	return used
}

// TestCatalogueHasEveryMessage checks that en.json has every message the
// templates and the code ask for, as plural forms where they count, and
// no message that nothing asks for; and that every other catalogue has
// exactly the messages of en.json. A missing message fails here rather
// than on a reader's page.
func TestCatalogueHasEveryMessage(t *testing.T) {
	en := catalogueKeys(t, "en")
	used := usedMessages(t)
	for id, plural := range used {
		enPlural, ok := en[id]
		switch {
		case !ok:
			t.Errorf("en.json lacks %q, which the templates or the code ask for", id)
		case plural != enPlural:
			t.Errorf("en.json: %q has plural forms %v, but it is asked for with plural %v", id, enPlural, plural)
		}
	}
	for id := range en {
		if _, ok := used[id]; !ok {
			t.Errorf("en.json has %q, which nothing asks for", id)
		}
	}
	files, err := fs.Glob(localeFiles, "locales/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".json")
		if lang == "en" {
			continue
		}
		keys := catalogueKeys(t, lang)
		for id, plural := range en {
			if p, ok := keys[id]; !ok {
				t.Errorf("%s.json lacks %q", lang, id)
			} else if p != plural {
				t.Errorf("%s.json: %q has plural forms %v, en.json %v", lang, id, p, plural)
			}
		}
		for id := range keys {
			if _, ok := en[id]; !ok {
				t.Errorf("%s.json has %q, which en.json lacks", lang, id)
			}
		}
	}
}

// TestCataloguePluralForms localizes every plural message of every
// catalogue with counts that reach each CLDR form (Arabic's zero, one,
// two, few, many and other among them): a form the language needs and
// its file lacks is an error.
func TestCataloguePluralForms(t *testing.T) {
	c := builtIn()
	if c.err != nil {
		t.Fatal(c.err)
	}
	b := c.bundle
	en := catalogueKeys(t, "en")
	tags, err := Catalogues()
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) < 3 {
		t.Fatalf("catalogues: %v, want en, ur and ar at least", tags)
	}
	for _, tag := range tags {
		l := i18n.NewLocalizer(b, tag.String())
		for id, plural := range en {
			if !plural {
				continue
			}
			for _, n := range []int64{0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 111, 1000, 1000000} {
				data := map[string]any{"Count": FormatNumber(n), "Name": "X"}
				s, got, err := l.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: data})
				if err != nil || got != tag {
					t.Errorf("%s: %s with %d: %q from %s, %v", tag, id, n, s, got, err)
				}
				if strings.Contains(s, "<no value>") {
					t.Errorf("%s: %s with %d: %q", tag, id, n, s)
				}
			}
		}
	}
}

func TestLocaleMessages(t *testing.T) {
	for _, test := range []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0 comments"},
		{"en", 1, "1 comment"},
		{"en", 1234, "1,234 comments"},
		{"ur", 1, "1 تبصرہ"},
		{"ur", 5, "5 تبصرے"},
		{"ar", 0, "لا تعليقات"},
		{"ar", 1, "تعليق واحد"},
		{"ar", 2, "تعليقان"},
		{"ar", 3, "3 تعليقات"},
		{"ar", 11, "11 تعليقًا"},
		{"ar", 100, "100 تعليق"},
		// German has no catalogue: English words, English plurals.
		{"de", 1, "1 comment"},
		{"de-AT", 2, "2 comments"},
		{"", 2, "2 comments"},
		{"not a tag", 2, "2 comments"},
	} {
		got, err := LocaleFor(test.lang).N("comments", test.n)
		if err != nil || got != test.want {
			t.Errorf("LocaleFor(%q).N(comments, %d) = %q, %v; want %q", test.lang, test.n, got, err, test.want)
		}
	}
	if got, err := LocaleFor("ur").T("more_by", "Name", "<Ada>"); err != nil || got != "<Ada> کی مزید تحریریں" {
		t.Errorf("T(more_by) = %q, %v (the template escapes the name, not the message)", got, err)
	}
	for _, lang := range []string{"en", "ur", "de"} {
		// Asked twice: a message without data is kept after the first
		// time, an unknown one is not.
		for range 2 {
			if got, err := LocaleFor(lang).T("no_such_message"); err == nil {
				t.Errorf("%s: an unknown message gave %q and no error", lang, got)
			}
		}
	}
	ur := LocaleFor("ur")
	for range 2 {
		if got, err := ur.T("search"); err != nil || got != "تلاش" {
			t.Errorf("ur T(search) = %q, %v; want تلاش", got, err)
		}
	}
	if got, err := ur.T("more_by", "Name", "Ada"); err != nil || got != "Ada کی مزید تحریریں" {
		t.Errorf("T(more_by) after T(search) = %q, %v", got, err)
	}
	if _, err := LocaleFor("en").T("more_by", "Name"); err == nil {
		t.Error("T with a name and no value gave no error")
	}
}

func TestDirection(t *testing.T) {
	for lang, want := range map[string]string{
		"ur": "rtl", "ur-PK": "rtl", "ar": "rtl", "ar-EG": "rtl", "fa": "rtl", "ps": "rtl", "he": "rtl", "iw": "rtl",
		"yi": "rtl", "dv": "rtl", "sd": "rtl", "ckb": "rtl", "pa-Arab": "rtl",
		"en": "", "de": "", "pa": "", "az-Latn": "", "hi": "", "": "", "bogus tag": "",
	} {
		if got := Direction(lang); got != want {
			t.Errorf("Direction(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestLocaleDates(t *testing.T) {
	day := time.Date(2026, 11, 20, 23, 30, 0, 0, time.UTC)
	for _, test := range []struct {
		lang, date, short string
	}{
		{"en", "20 November 2026", "20 Nov 2026"},
		{"en-GB", "20 November 2026", "20 Nov 2026"},
		{"ur", "20 نومبر، 2026", "20 نومبر، 2026"},
		{"ar", "20 نوفمبر 2026", "20 نوفمبر 2026"},
		{"fa", "20 نوامبر 2026", "20 نوامبر 2026"},
		{"he", "20 בנובמבר 2026", "20 בנובמבר 2026"},
		{"de", "20. November 2026", "20. November 2026"},
		// No CLDR data loaded: English.
		{"sw", "20 November 2026", "20 Nov 2026"},
	} {
		l := LocaleFor(test.lang)
		if got := []string{l.Date(day), l.ShortDate(day)}; !slices.Equal(got, []string{test.date, test.short}) {
			t.Errorf("%s: %q, want %q", test.lang, got, []string{test.date, test.short})
		}
	}
	// Every month of every language with CLDR data writes a date (some
	// locales' data lack a form: Urdu's abbreviated months are empty).
	for lang := range dateLocales {
		l := LocaleFor(lang)
		for m := time.January; m <= time.December; m++ {
			d := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
			if l.Date(d) == "" || l.ShortDate(d) == "" || !strings.Contains(l.Date(d), "2026") {
				t.Errorf("%s: %s gives %q, %q", lang, m, l.Date(d), l.ShortDate(d))
			}
		}
	}
}

// TestEngineFollowsLanguage checks that a public page's dates and words
// follow SetLanguage while the admin's stay English.
func TestEngineFollowsLanguage(t *testing.T) {
	files := fstest.MapFS{
		"layout.html": {Data: []byte(`{{define "layout"}}{{template "content" .}}{{end}}`)},
		"page.html":   {Data: []byte(`{{define "content"}}{{date .}} {{tn "comments" 2}} {{t "reply"}}{{end}}`)},
	}
	e := NewEngine()
	public, err := Declare[time.Time](e.NewLocalizedSet(files, "layout", "layout.html"), "page")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := Declare[time.Time](e.NewSet(files, "layout", "layout.html"), "page")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	render := func(p *Page[time.Time]) string {
		var buf bytes.Buffer
		if err := p.Execute(&buf, day); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if diff := cmp.Diff("20 November 2026 2 comments Reply", render(public)); diff != "" {
		t.Errorf("public page before SetLanguage (-want +got):\n%s", diff)
	}
	e.SetLanguage("ur")
	if diff := cmp.Diff("20 نومبر، 2026 2 تبصرے جواب دیں", render(public)); diff != "" {
		t.Errorf("public page in Urdu (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("20 November 2026 2 comments Reply", render(admin)); diff != "" {
		t.Errorf("admin page with the site in Urdu (-want +got):\n%s", diff)
	}
}
