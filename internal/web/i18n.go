package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sync"
	"time"

	"github.com/gohugoio/locales"
	"github.com/gohugoio/locales/ar"
	"github.com/gohugoio/locales/de"
	"github.com/gohugoio/locales/es"
	"github.com/gohugoio/locales/fa"
	"github.com/gohugoio/locales/fr"
	"github.com/gohugoio/locales/he"
	"github.com/gohugoio/locales/hi"
	"github.com/gohugoio/locales/it"
	"github.com/gohugoio/locales/nl"
	"github.com/gohugoio/locales/ps"
	"github.com/gohugoio/locales/pt"
	"github.com/gohugoio/locales/ru"
	"github.com/gohugoio/locales/tr"
	"github.com/gohugoio/locales/ur"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The message catalogue of the public theme: one JSON file per language
// in locales/, named by its BCP 47 tag (en.json, ur.json, ar.json), each
// mapping a message ID to its text, or, for a message that counts
// something, to its CLDR plural forms ("zero", "one", "two", "few",
// "many", "other": those the language has). A text is a Go text/template
// executed with the message's data: {{.Name}}, and {{.Count}} in plural
// forms, the count written with thousands separators. English is the
// default: a language without a file, and a message missing from a
// language's file, take the English text.
//
// A theme's folder may have a locales/ folder of its own, in the same
// format: its files add languages, and messages for its own templates,
// and replace the built-in text of the messages they name.
//
//go:embed locales/*.json
var localeFiles embed.FS

// catalogue is a bundle of message files and the locales made from it.
type catalogue struct {
	bundle *i18n.Bundle
	err    error // why the files could not be read: every message fails

	mu      sync.Mutex
	locales map[string]*Locale
}

// newCatalogue reads the embedded message files, then theme's
// locales/*.json when theme is not nil.
func newCatalogue(theme fs.FS) *catalogue {
	c := &catalogue{locales: map[string]*Locale{}}
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	load := func(files fs.FS, origin string) error {
		names, err := fs.Glob(files, "locales/*.json")
		if err != nil {
			return err
		}
		for _, f := range names {
			if _, err := b.LoadMessageFileFS(files, f); err != nil {
				return fmt.Errorf("message catalogue %s: %w", path.Join(origin, f), err)
			}
		}
		return nil
	}
	c.err = load(localeFiles, "")
	if c.err == nil && theme != nil {
		c.err = load(theme, "theme")
	}
	if c.err == nil {
		c.bundle = b
	}
	return c
}

// builtIn is the catalogue of the embedded files.
var builtIn = sync.OnceValue(func() *catalogue { return newCatalogue(nil) })

// Catalogues lists the languages the embedded catalogue has a file for,
// English first.
func Catalogues() ([]language.Tag, error) {
	c := builtIn()
	if c.err != nil {
		return nil, c.err
	}
	return c.bundle.LanguageTags(), nil
}

// Locale is what a page needs of the site's language: its messages, its
// way of writing dates and its direction. Make one with LocaleFor.
type Locale struct {
	// Tag is the site's language as configured ("ur", "ar-EG", "de").
	Tag language.Tag
	// RTL reports whether the language's script is written right to left.
	RTL        bool
	localizer  *i18n.Localizer // nil when err says why
	err        error
	translator locales.Translator // nil: English dates
	// plain keeps the messages asked for without data: a page asks for
	// its labels ("Search", "Skip to content") every time, and go-i18n
	// looks each up and executes it anew.
	plain sync.Map // message ID → string
}

// rtlScripts are the scripts written right to left (ISO 15924).
var rtlScripts = map[string]bool{
	"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true,
	"Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true,
}

// Direction returns "rtl" for a language (a BCP 47 tag) whose likely
// script is written right to left (ur → Arab, he → Hebr), and "" for
// the others: the value of the <html dir> attribute, left out when the
// page reads left to right.
func Direction(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return ""
	}
	if s, _ := tag.Script(); rtlScripts[s.String()] {
		return "rtl"
	}
	return ""
}

// dateLocales are the languages whose dates CLDR writes for us (Hugo's
// data); the others are written in English.
var dateLocales = map[string]func() locales.Translator{
	"ar": ar.New, "de": de.New, "es": es.New, "fa": fa.New, "fr": fr.New,
	"he": he.New, "hi": hi.New, "it": it.New, "nl": nl.New, "ps": ps.New,
	"pt": pt.New, "ru": ru.New, "tr": tr.New, "ur": ur.New,
}

// LocaleFor returns the locale of lang, a BCP 47 tag, with the built-in
// catalogue: English for an empty or malformed tag. Locales are made once
// and shared. Engine.LocaleFor has a theme's messages too.
func LocaleFor(lang string) *Locale { return builtIn().locale(lang) }

func (c *catalogue) locale(lang string) *Locale {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.locales[lang]; ok {
		return l
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	l := &Locale{Tag: tag, RTL: Direction(tag.String()) == "rtl", err: c.err}
	if c.bundle != nil {
		l.localizer = i18n.NewLocalizer(c.bundle, tag.String())
	}
	base, _ := tag.Base()
	if newTranslator, ok := dateLocales[base.String()]; ok {
		l.translator = newTranslator()
	}
	c.locales[lang] = l
	return l
}

// T returns the message id in the locale's language, executed with data
// given as pairs of a name and a value ("Name", "Ada"). An unknown id is
// an error: readers never see a message's ID.
func (l *Locale) T(id string, pairs ...any) (string, error) {
	if len(pairs) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string), nil
		}
	}
	data, err := messageData(pairs)
	if err != nil {
		return "", fmt.Errorf("message %q: %w", id, err)
	}
	s, err := l.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err == nil && len(pairs) == 0 {
		l.plain.Store(id, s)
	}
	return s, err
}

// N returns the plural form of message id that fits n in the locale's
// language, executed with the data of pairs and Count, n written with
// thousands separators.
func (l *Locale) N(id string, n int64, pairs ...any) (string, error) {
	data, err := messageData(pairs)
	if err != nil {
		return "", fmt.Errorf("message %q: %w", id, err)
	}
	data["Count"] = FormatNumber(n)
	return l.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: n})
}

// Text is T for Go code, whose message IDs are constants that
// TestCatalogueHasEveryMessage finds in the source: it panics on an
// unknown one, which Site.Middleware turns into a 500.
func (l *Locale) Text(id string, pairs ...any) string {
	s, err := l.T(id, pairs...)
	if err != nil {
		panic(err)
	}
	return s
}

// Plural is N for Go code, as Text is T.
func (l *Locale) Plural(id string, n int64, pairs ...any) string {
	s, err := l.N(id, n, pairs...)
	if err != nil {
		panic(err)
	}
	return s
}

func (l *Locale) localize(c *i18n.LocalizeConfig) (string, error) {
	if l.localizer == nil {
		return "", l.err
	}
	s, tag, err := l.localizer.LocalizeWithTag(c)
	if tag == language.Und {
		// No language has the message: a template or handler names a
		// message the catalogue lacks.
		return "", err
	}
	// Otherwise err says the site's language lacks the message, or its
	// plural form, and s is the English text: shown, rather than nothing.
	return s, nil
}

func messageData(pairs []any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("data of %d values: want pairs of a name and a value", len(pairs))
	}
	data := make(map[string]any, len(pairs)/2+1)
	for i := 0; i < len(pairs); i += 2 {
		name, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("data name %v is not a string", pairs[i])
		}
		data[name] = pairs[i+1]
	}
	return data, nil
}

// Date writes t's day in the locale's language: 20 November 2026, 20
// نومبر، 2026.
func (l *Locale) Date(t time.Time) string {
	if l.translator == nil {
		return t.Format("2 January 2006")
	}
	return l.translator.FmtDateLong(t)
}

// ShortDate writes t's day briefly: 20 Nov 2026 in English, the long
// form in the other languages (CLDR's abbreviated months are missing for
// some, such as Urdu).
func (l *Locale) ShortDate(t time.Time) string {
	if l.translator == nil {
		return t.Format("2 Jan 2006")
	}
	return l.translator.FmtDateLong(t)
}
