package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/urls"
)

// Engine executes Dateline's templates, the public site's and the
// admin's: each a Set of page files sharing a layout and partials, all
// with one function map (see funcMap), showing dates and times in the
// site's time zone.
//
// The public site's pages also follow the site's language (SetLanguage):
// their dates, and their words, which come from the message catalogue
// (see Locale); the admin's stay in English.
//
// A page is declared once, at start, with the type of its data:
// Declare[ArticlePage](set, "article") parses the page with its set's
// layout and partials and executes it with the zero value of its type, so
// that a broken template, a theme's included, stops the server before it
// serves anything. The Page it returns renders an ArticlePage and nothing
// else.
type Engine struct {
	// funcs are the admin's functions, in English; localFuncs the public
	// site's, in the site's language.
	funcs, localFuncs template.FuncMap
	bufs              sync.Pool
	// loc is the site's time zone, in which pages show dates and times.
	loc atomic.Pointer[time.Location]
	// lang is the site's language, in which the public site's pages are
	// written, with the messages of catalogue.
	lang      atomic.Pointer[Locale]
	catalogue *catalogue
}

// NewEngine returns an engine showing dates and times in UTC, and the
// public site in English, until SetLocation and SetLanguage say
// otherwise.
func NewEngine() *Engine {
	e := &Engine{catalogue: builtIn()}
	english := LocaleFor("en")
	e.funcs = e.funcMap(func() *Locale { return english })
	e.localFuncs = e.funcMap(e.Locale)
	e.bufs.New = func() any { return new(bytes.Buffer) }
	return e
}

// SetLanguage makes the public site's pages of the engine speak lang, a
// BCP 47 tag (English when empty). Safe to call while serving.
func (e *Engine) SetLanguage(lang string) { e.lang.Store(e.LocaleFor(lang)) }

// Locale returns the locale of the site's language, as SetLanguage last
// set it.
func (e *Engine) Locale() *Locale {
	if l := e.lang.Load(); l != nil {
		return l
	}
	return e.LocaleFor("en")
}

// LocaleFor returns the locale of lang with the engine's catalogue: the
// built-in messages and the theme's (see LoadTemplates).
func (e *Engine) LocaleFor(lang string) *Locale { return e.catalogue.locale(lang) }

// SetLocation makes every page of the engine show dates and times in loc
// (UTC when nil). Safe to call while serving.
func (e *Engine) SetLocation(loc *time.Location) { e.loc.Store(loc) }

func (e *Engine) location() *time.Location {
	if loc := e.loc.Load(); loc != nil {
		return loc
	}
	return time.UTC
}

// Set is a family of page files parsed with the same layout and partials:
// the public site's or the admin's.
type Set struct {
	engine *Engine
	funcs  template.FuncMap
	files  fs.FS
	// root is the template a page executes, which the layout defines and
	// which shows the page file's "content".
	root string
	// shared are the files parsed with every page, before its own.
	shared []string
	// origin names a file in messages: the path of a theme's file.
	origin func(file string) string

	mu       sync.Mutex
	declared map[string]bool
}

// NewSet returns the set of the page files in files (the page "home" is
// home.html), each parsed with the shared files (the layout, then any
// partials) and executed from root, the template the layout defines.
// Every page file defines "content", which the layout shows.
// Its pages are in English: see NewLocalizedSet.
func (e *Engine) NewSet(files fs.FS, root string, shared ...string) *Set {
	return &Set{engine: e, funcs: e.funcs, files: files, root: root, shared: shared, origin: func(file string) string { return file }, declared: map[string]bool{}}
}

// NewLocalizedSet is NewSet for pages that follow the site's language
// (see SetLanguage): the public site's.
func (e *Engine) NewLocalizedSet(files fs.FS, root string, shared ...string) *Set {
	s := e.NewSet(files, root, shared...)
	s.funcs = e.localFuncs
	return s
}

// Engine returns the engine s belongs to.
func (s *Set) Engine() *Engine { return s.engine }

// Undeclared lists the page files of s that no page was declared for;
// a server checks, once it has declared its pages, that it has none.
func (s *Set) Undeclared() ([]string, error) {
	files, err := fs.Glob(s.files, "*.html")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, f := range files {
		if !slices.Contains(s.shared, f) && !s.declared[strings.TrimSuffix(f, ".html")] {
			out = append(out, f)
		}
	}
	return out, nil
}

// parse parses page's file with the shared files, each under its name in
// messages (so that an error names the file at fault).
func (s *Set) parse(page string) (*template.Template, error) {
	tpl := template.New("page " + page).Funcs(s.funcs)
	for _, file := range append(slices.Clip(s.shared), page+".html") {
		src, err := fs.ReadFile(s.files, file)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", file, err)
		}
		// Files are parsed under names of their own, so that the
		// templates they define ("layout", "content", ...) never clash
		// with them.
		if _, err := tpl.New(s.origin(file)).Parse(string(src)); err != nil {
			return nil, err
		}
	}
	if tpl.Lookup("content") == nil {
		return nil, fmt.Errorf("template %s defines no \"content\"", s.origin(page+".html"))
	}
	return tpl, nil
}

// Page is a declared page, which renders data of type T: see Declare.
type Page[T any] struct {
	engine *Engine
	name   string
	tpl    *template.Template
	// root is the template executed: the layout's, or a fragment's.
	root string
}

// Declare parses the page file of s named page (page.html) with the
// layout and partials of s and executes it with the zero value of T,
// which is a struct: a page must render without data, guarding with
// {{with}} what it cannot show empty. The error of a page that does not
// parse or execute names the template file at fault.
func Declare[T any](s *Set, page string) (*Page[T], error) {
	return declare[T](s, page, s.root)
}

// DeclareFragment declares the template name that the file of page
// defines as a page of its own, without the layout: a part of a page
// that a script fetches again. Like Declare, it executes it with the zero
// value of T.
func DeclareFragment[T any](s *Set, page, name string) (*Page[T], error) {
	return declare[T](s, page, name)
}

func declare[T any](s *Set, page, root string) (*Page[T], error) {
	tpl, err := s.parse(page)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", page, err)
	}
	if tpl.Lookup(root) == nil {
		return nil, fmt.Errorf("page %s: no template defines %q", page, root)
	}
	p := &Page[T]{engine: s.engine, name: page, tpl: tpl, root: root}
	if root != s.root {
		p.name = page + "/" + root
	}
	var zero T
	buf := s.engine.bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); s.engine.bufs.Put(buf) }()
	if err := tpl.ExecuteTemplate(buf, root, zero); err != nil {
		return nil, fmt.Errorf("page %s does not render an empty %T: %w", p.name, zero, err)
	}
	s.mu.Lock()
	s.declared[page] = true
	s.mu.Unlock()
	return p, nil
}

// Execute renders the page with data into buf.
func (p *Page[T]) Execute(buf *bytes.Buffer, data T) error {
	if err := p.tpl.ExecuteTemplate(buf, p.root, data); err != nil {
		return fmt.Errorf("render %s: %w", p.name, err)
	}
	return nil
}

// Defines reports whether the page's files define the template name.
func (p *Page[T]) Defines(name string) bool { return p.tpl.Lookup(name) != nil }

// Partial renders the template name of the page's files (a partial, such
// as "card") with data into buf, as the page shows it in its text.
func (p *Page[T]) Partial(buf *bytes.Buffer, name string, data any) error {
	if err := p.tpl.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("render %s of %s: %w", name, p.name, err)
	}
	return nil
}

// Bytes renders the page with data into a buffer of the engine's and
// returns a copy of it: a page grown from an empty buffer
// allocates twice its size, and a cache would keep the slack.
func (p *Page[T]) Bytes(data T) ([]byte, error) {
	buf := p.engine.bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); p.engine.bufs.Put(buf) }()
	if err := p.Execute(buf, data); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// Render writes the page with data and status. It renders into a buffer
// first, so that a failing template sends an error page rather than half
// a page.
func (p *Page[T]) Render(w http.ResponseWriter, status int, data T) error {
	buf := p.engine.bufs.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); p.engine.bufs.Put(buf) }()
	if err := p.Execute(buf, data); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

//go:embed templates/*.html
var templateFiles embed.FS

// Templates are the public site's: the set of the embedded templates
// (layout.html, partials.html and a file for each page), each replaced by
// the theme's file of the same name, and the error page, which package
// web renders itself. The reader pages declare theirs on the set.
type Templates struct {
	*Set
	errorPage *Page[ErrorPage]
}

// LoadTemplates returns the public site's templates on an engine of their
// own, which the admin shares: the embedded files, each replaced by the
// file of the same name in themeDir when themeDir is set and has it, and
// the message catalogue with the theme's locales/*.json (see Locale). It
// declares the error page, so that a broken layout, partials or error
// page is an error here.
func LoadTemplates(themeDir string) (*Templates, error) {
	builtIn, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	files := fs.FS(builtIn)
	if themeDir != "" {
		files = themeFS{dir: themeDir, theme: os.DirFS(themeDir), builtIn: builtIn}
	}
	engine := NewEngine()
	if themeDir != "" {
		// The theme's messages (locales/*.json), if it has any.
		engine.catalogue = newCatalogue(os.DirFS(themeDir))
		if err := engine.catalogue.err; err != nil {
			return nil, err
		}
	}
	set := engine.NewLocalizedSet(files, "layout", "layout.html", "partials.html")
	if t, ok := files.(themeFS); ok {
		set.origin = t.origin
	}
	t := &Templates{Set: set}
	if t.errorPage, err = Declare[ErrorPage](set, "error"); err != nil {
		return nil, err
	}
	return t, nil
}

// SetLocation makes the pages of the engine of t (the admin's too) show
// dates and times in loc (UTC when nil). Safe to call while serving.
func (t *Templates) SetLocation(loc *time.Location) { t.Engine().SetLocation(loc) }

// SetLanguage makes the public pages of t speak lang (see
// Engine.SetLanguage); the admin's stay in English. Safe to call while
// serving.
func (t *Templates) SetLanguage(lang string) { t.Engine().SetLanguage(lang) }

// themeFS is the built-in templates with a theme's folder laid over them:
// a file is the theme's when it has one. The page files are the built-in
// ones.
type themeFS struct {
	dir     string
	theme   fs.FS
	builtIn fs.FS
}

func (t themeFS) Open(name string) (fs.File, error) {
	f, err := t.theme.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return t.builtIn.Open(name)
	}
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	return f, nil
}

func (t themeFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(t.builtIn, name) }

// origin names file by its path in the theme's folder when it is the
// theme's.
func (t themeFS) origin(file string) string {
	if _, err := fs.Stat(t.theme, file); err == nil {
		return filepath.Join(t.dir, file)
	}
	return file
}

// funcMap returns the functions every template may call, the public
// site's and the admin's (a theme's too).
//
// Dates and times, shown in the site's time zone, and on the public
// site in its language (see Locale.Date):
//   - date: 2 January 2006
//   - clock: 15:04
//   - datetime: RFC 3339, for <time datetime>
//   - shortdate: 2 Jan 2006
//   - shortdatetime: 2 Jan 2006 15:04 MST
//
// Words, from the message catalogue in the site's language on the public
// site (in English in the admin): t (t "key", or t "key" "Name" .Name to
// fill in the message's {{.Name}}), tn (tn "comments" .Comments "Name"
// .Name: the plural form that fits the count, which the message writes
// as {{.Count}}), and dir (dir .Site.Language: "rtl" for a language
// written right to left, "" otherwise).
//
// Numbers, each of any integer type: number (12,345), plural (n "comment"
// "comments": the first when n is 1), and add (of two ints), int64 (of an
// int). commentHTML shows a comment's text as paragraphs.
//
// Addresses on the site, from package urls: homePath, articlePath,
// commentsPath, postCommentPath, tagPath and authorPath.
func (e *Engine) funcMap(locale func() *Locale) template.FuncMap {
	in := func(layout string) func(time.Time) string {
		return func(t time.Time) string { return t.In(e.location()).Format(layout) }
	}
	return template.FuncMap{
		"date":      func(t time.Time) string { return locale().Date(t.In(e.location())) },
		"clock":     in("15:04"),
		"datetime":  in(time.RFC3339),
		"shortdate": func(t time.Time) string { return locale().ShortDate(t.In(e.location())) },
		"shortdatetime": func(t time.Time) string {
			t = t.In(e.location())
			return locale().ShortDate(t) + t.Format(" 15:04 MST")
		},
		"t": func(id string, pairs ...any) (string, error) { return locale().T(id, pairs...) },
		"tn": func(id string, n any, pairs ...any) (string, error) {
			i, err := integer(n)
			if err != nil {
				return "", err
			}
			return locale().N(id, i, pairs...)
		},
		"dir": Direction,
		"number": func(n any) (string, error) {
			i, err := integer(n)
			return FormatNumber(i), err
		},
		"plural": func(n any, one, many string) (string, error) {
			i, err := integer(n)
			if i == 1 {
				return one, err
			}
			return many, err
		},
		"add":         func(a, b int) int { return a + b },
		"int64":       func(n int) int64 { return int64(n) },
		"commentHTML": comment.HTML,
		// Addresses on the site, from the one package that makes them.
		"homePath":        func() string { return urls.Home },
		"articlePath":     urls.Article,
		"commentsPath":    urls.Comments,
		"postCommentPath": urls.PostComment,
		"sectionPath":     urls.Section,
		"tagPath":         urls.Tag,
		"authorPath":      urls.Author,
		"searchPath":      func() string { return urls.Search },
		"openSearchPath":  func() string { return urls.OpenSearch },
	}
}

// integer returns n, a value of any integer type, as an int64.
func integer(n any) (int64, error) {
	switch n := n.(type) {
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	}
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := v.Uint(); u <= math.MaxInt64 {
			return int64(u), nil
		}
		return 0, fmt.Errorf("%d is too large", v.Uint())
	}
	return 0, fmt.Errorf("%v (%T) is not an integer", n, n)
}

// FormatNumber writes n with thousands separators: 12,345.
func FormatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// ThemeFiles is what a theme folder holds, as far as a static export must
// know: whether any of its files changed, and whether its templates may
// show more of an article in a listing than the built-in card does.
type ThemeFiles struct {
	// Digest changes whenever any file of the folder does (a template, a
	// static file, a message catalogue); "" for the built-in theme.
	Digest string
	// Templates are the built-in templates the folder replaces, such as
	// partials.html, where the card is.
	Templates []string
}

// ReadThemeFiles digests every file of the theme folder dir ("" for the
// built-in theme).
func ReadThemeFiles(dir string) (ThemeFiles, error) {
	var tf ThemeFiles
	if dir == "" {
		return tf, nil
	}
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		// Length-prefixed, so that no two folders digest alike.
		fmt.Fprintf(h, "%d:%s%d:", len(name), name, len(body))
		h.Write(body)
		if _, err := fs.Stat(templateFiles, "templates/"+name); err == nil {
			tf.Templates = append(tf.Templates, name)
		}
		return nil
	})
	if err != nil {
		return ThemeFiles{}, fmt.Errorf("theme %s: %w", dir, err)
	}
	tf.Digest = hex.EncodeToString(h.Sum(nil))
	return tf, nil
}
